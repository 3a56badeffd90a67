import { unknownParamName } from '../../common/params.js';
import { Reader } from '../../common/reader.js';
import type { Decoded, Message } from '../../common/types.js';
import { COMPACT_POSITION_ID } from '../constants.js';

/**
 * Compact frame: `+`, `00`, length u16, flags (bit 7: u16 frame number follows), IMEI (8 bytes,
 * hex digits after the first), device type u16, protocol version u16, custom version, reserved
 * block, then records up to the last 4 bytes (count, check byte, `$`). A record: length, generated
 * time u32, record count u16, record id, event code, then items `<id><length><data>` (both
 * lengths one byte, or two with bit 7 set). Item 0x52 is a position; others are kept as `io.<id>`.
 */
export function decodeCompact(frame: Buffer, out: Decoded): void {
  const r = new Reader(frame, 4);
  if (r.u8() & 0x80) r.skip(2);
  r.skip(8 + 2);
  const version = r.u16().toString(16).padStart(4, '0').toUpperCase();
  r.skip(1);
  r.skip(r.u8());
  const recordsEnd = frame.length - 4;
  while (r.pos < recordsEnd) {
    const start = r.pos;
    const recordEnd = start + varLength(r);
    const m: Message = {
      'queclink.protocol.version': version,
      timestamp: r.u32(),
      'queclink.record_count': r.u16(),
      'queclink.record_id': r.u8(),
      'event.enum': r.u8(),
    };
    const rec = new Reader(frame, r.pos, Math.min(recordEnd, recordsEnd));
    while (rec.remaining > 0) {
      const id = varLength(rec);
      const item = rec.bytes(varLength(rec));
      if (id === COMPACT_POSITION_ID) compactPosition(new Reader(item), m);
      else m[unknownParamName(id)] = item.toString('hex');
    }
    out.messages.push(m);
    r.pos = Math.max(recordEnd, start + 1);
  }
}

function varLength(r: Reader): number {
  const first = r.u8();
  return first & 0x80 ? ((first & 0x7f) << 8) | r.u8() : first;
}

/** Position item: status (bits 2–3 = 10: valid fix), lon, lat, time, speed ×0.1, hdop ×0.1, course, altitude ×0.1 (u24), satellites. */
function compactPosition(r: Reader, m: Message): void {
  m['position.valid'] = ((r.u8() >> 2) & 0x03) === 0b10;
  m['position.longitude'] = r.i32() / 1e6;
  m['position.latitude'] = r.i32() / 1e6;
  m.timestamp = r.u32();
  m['position.speed'] = r.u16() / 10;
  m['position.hdop'] = r.u8() / 10;
  m['position.direction'] = r.u16();
  m['position.altitude'] = r.u24() / 10;
  const sats = r.u8();
  if (sats <= 64) m['position.satellites'] = sats;
  else m['queclink.satellites_raw'] = sats;
}
