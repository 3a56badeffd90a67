import { convertParam, unknownParamName } from '../../common/params.js';
import { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { TLV_PREFIX, TLV_TABLE, Tlv } from '../params.js';
import { applyAlarms, readAlarms } from './alarm.js';
import { readDtcs, readJ1939Dtcs, setPid } from './obd.js';

/**
 * §4.3 TLVs of the 0x401F comprehensive message: tag u16, length u16, value, until fewer than 4
 * bytes remain. Each value is read within its length (a value read short or long never shifts the
 * next tag). Scalar tags come from the table (temperatures, voltages); PIDs, DTCs and alarms have
 * readers; any other tag is kept as `castel.tlv.<tag>` (hex). The values apply to every message
 * of the frame.
 */
export function readTlvs(r: Reader, messages: readonly Message[]): void {
  const m: Message = {};
  while (r.remaining >= 4) {
    const tag = r.u16le();
    const length = r.u16le();
    const value = r.bytes(length);
    readTlv(tag, new Reader(value), m);
  }
  for (const msg of messages) Object.assign(msg, m);
}

function readTlv(tag: number, v: Reader, m: Message): void {
  const def = TLV_TABLE[tag];
  if (def && v.remaining >= 1 && v.remaining <= 4) {
    m[def.name] = convertParam(def, v.buf.readUIntLE(0, v.remaining), v.remaining);
    return;
  }
  switch (tag) {
    case Tlv.Pids: {
      const count = v.u8();
      for (let i = 0; i < count; i++) {
        const pid = v.u16le();
        setPid(m, pid, v.bytes(v.u16le()));
      }
      return;
    }
    case Tlv.DtcsPassenger:
      readDtcs(v, m);
      return;
    case Tlv.Alarm:
      v.u32le(); // alarm index
      applyAlarms(m, readAlarms(v));
      return;
    case Tlv.DtcsCommercial:
      readJ1939Dtcs(v, m);
      return;
    default:
      m[unknownParamName(tag, TLV_PREFIX)] = v.buf.toString('hex');
  }
}
