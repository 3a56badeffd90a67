import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import type { DecodeContext, Decoded, Message } from '../common/types.js';
import { D_FIELDS, PacketType, PIPE, SD_FIELDS, SEMICOLON } from './constants.js';
import { isV2, type Payload, parsePacket, payload } from './packet.js';
import { applyParam } from './params.js';
import { blackBoxRecords, isRecordError, parseRecord, type WialonRecord } from './record.js';

/**
 * Decodes one Wialon IPS line into messages: `#SD#` and `#D#` give one message, `#B#` one per
 * record (marked `message.buffered.status`), `#M#` a `driver.message`. Login and ping carry no data.
 * The protocol has no command-reply packet, so `commandReplies` stays empty.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  try {
    const p = parsePacket(frame);
    if (p instanceof CodecError) {
      out.errors.push(p);
      return out;
    }
    const v2 = isV2(p, ctx.vars);
    switch (p.type) {
      case PacketType.ShortData:
      case PacketType.Data: {
        const body = checked(payload(p, v2, SEMICOLON), ctx, out);
        if (body) decodeRecords([body.text], p.type === PacketType.Data ? D_FIELDS : SD_FIELDS, false, body, out);
        break;
      }
      case PacketType.BlackBox: {
        const body = checked(payload(p, v2, PIPE), ctx, out);
        if (body) decodeRecords(blackBoxRecords(body.text), 'any', true, body, out);
        break;
      }
      case PacketType.Message: {
        const body = checked(payload(p, v2, SEMICOLON), ctx, out);
        if (body) out.messages.push(mark({ 'driver.message': body.text }, body));
        break;
      }
      default:
        break; // L, P: identity and heartbeat only; others are refused by the inspector
    }
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  return out;
}

/** The payload, or undefined when its 2.0 CRC is wrong under the strict policy. */
function checked(body: Payload, ctx: DecodeContext, out: Decoded): Payload | undefined {
  if (body.crcOk) return body;
  out.errors.push(new CodecError(CodecErrorCode.Checksum, 'CRC-16/ARC of the packet does not match its crc16 field', body.crcAt));
  return ctx.options?.crc === 'lenient' ? body : undefined;
}

function decodeRecords(records: readonly string[], fields: number | 'any', buffered: boolean, body: Payload, out: Decoded): void {
  records.forEach((text, i) => {
    const r = parseRecord(text, fields);
    if (isRecordError(r)) {
      out.errors.push(new CodecError(CodecErrorCode.Malformed, `record ${i + 1}: ${r.reason} (answer code ${r.code})`));
      return;
    }
    const m = recordMessage(r);
    if (buffered) m['message.buffered.status'] = true;
    out.messages.push(mark(m, body));
  });
}

function mark(m: Message, body: Payload): Message {
  if (!body.crcOk) m['crc.valid'] = false;
  return m;
}

/** Fixed fields by name, then the params by the table in params.ts. Absent (NA) values are left out. */
export function recordMessage(r: WialonRecord): Message {
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
