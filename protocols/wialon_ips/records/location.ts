import { CodecError, CodecErrorCode } from '../../common/errors.js';
import type { Decoded, Message } from '../../common/types.js';
import { isRecordError, parseRecord, type WialonRecord } from '../packet.js';
import { applyParam } from '../params.js';

/**
 * Position records: `#SD#` and `#D#` give one message, `#B#` one per record, marked
 * `message.buffered.status` (spec "Short data packet", "Data packet", "Blackbox packet"). `fields`
 * is the record's field count (10 SD, 16 D) or `'any'` for black-box records. A malformed record
 * is a `malformed` error naming the spec's answer code; the other records are kept.
 */
export function decodeRecords(records: readonly string[], fields: number | 'any', buffered: boolean, out: Decoded): void {
  records.forEach((text, i) => {
    const r = parseRecord(text, fields);
    if (isRecordError(r)) {
      out.errors.push(new CodecError(CodecErrorCode.Malformed, `record ${i + 1}: ${r.reason} (answer code ${r.code})`));
      return;
    }
    const m = recordMessage(r);
    if (buffered) m['message.buffered.status'] = true;
    out.messages.push(m);
  });
}

/** Fixed fields by name, then the params by the table in params.ts. Absent (NA) values are left out. */
function recordMessage(r: WialonRecord): Message {
  const m: Message = {};
  const set = (name: string, value: number | string | undefined): void => {
    if (value !== undefined) m[name] = value;
  };
  set('timestamp', r.timestamp);
  set('position.latitude', r.latitude);
  set('position.longitude', r.longitude);
  set('position.speed', r.speed); // km/h
  set('position.direction', r.course);
  set('position.altitude', r.altitude);
  set('position.satellites', r.satellites);
  if (r.latitude !== undefined && r.satellites !== undefined) m['position.valid'] = r.satellites >= 3;
  set('position.hdop', r.hdop);
  set('din', r.inputs);
  set('dout', r.outputs);
  r.adc?.forEach((v, i) => {
    set(`ain.${i + 1}`, v);
  });
  set('ibutton.code', r.ibutton);
  for (const p of r.params ?? []) applyParam(m, p);
  return m;
}
