import type { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { DTC_ARCHIVED } from '../constants.js';

/**
 * Diagnostic trouble codes (command 9): count u8, then per code: reserved u8 | time u32 |
 * lon, lat i32 ×1e-7 | archive u8 (2 = memory) | code 5 ASCII. One message per code.
 */
export function decodeDtcs(r: Reader, messages: Message[]): void {
  const count = r.u8();
  for (let i = 0; i < count; i++) {
    r.skip(1);
    const m: Message = { timestamp: r.u32() };
    const lon = r.i32();
    const lat = r.i32();
    m['position.longitude'] = lon / 1e7;
    m['position.latitude'] = lat / 1e7;
    m['position.valid'] = lat !== 0 || lon !== 0;
    if (r.u8() === DTC_ARCHIVED) m['message.buffered.status'] = true;
    m['obd.dtc.codes'] = r.ascii(5).replace(/\0/g, '').trim();
    messages.push(m);
  }
}
