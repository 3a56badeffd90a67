import { bcd } from '../../common/reader.js';
import { Msg } from '../constants.js';
import { P } from '../params.js';
import { type Ctx, readPacketTime, readU64, setTime, toUnix } from './fields.js';

/** Cell-tower and WiFi packets: several cells and/or access points, no GPS fix. */

/** Packets listing neighbour cells only (no access points after the timing advance). */
const CELLS_ONLY: ReadonlySet<number> = new Set([Msg.LbsMultiple1, Msg.LbsMultiple2, Msg.LbsMultiple3, Msg.Lbs2, Msg.X1Gps]);

/**
 * 0x18/0x24/0x28/0x2C/0x2E (2G), 0xA1/0xA2 (4G), 0x33/0x34 (AZ735/SL4X): date, MCC, MNC, then
 * 7 cells (6 for 0x33; counted on Wanway S20) of LAC, CI, RSSI; timing advance; WiFi APs for the
 * WiFi kinds.
 */
export function lbsMultiple(c: Ctx): void {
  const { r, p, m } = c;
  readPacketTime(c);
  const leadingTa = c.variant === 'wanway_s20' || c.variant === 'sl4x';
  if (leadingTa) r.skip(1); // timing advance
  const mcc = r.u16();
  const mnc = mcc & 0x8000 || c.variant === 'sl4x' ? r.u16() : r.u8();
  const count = c.variant === 'wanway_s20' ? r.u8() : p.type === Msg.Wifi5 ? 6 : 7;
  const wide = p.type === Msg.Lbs2 || p.type === Msg.Wifi3;
  const cid32 = p.type === Msg.Wifi5 || p.type === Msg.X1Gps;
  const cells: (number | string)[][] = [];
  for (let i = 0; i < count; i++) {
    const lac = wide ? r.i32() : r.u16();
    const cid = wide ? readU64(c) : cid32 ? r.u32() : r.u24();
    const rssi = -r.u8();
    if (lac > 0) cells.push([lac, cid, rssi]);
  }
  if (!leadingTa && r.remaining > 0) r.skip(1); // timing advance
  m[P.mcc] = mcc & 0x7fff;
  m[P.mnc] = mnc;
  if (cells.length > 0) {
    m[P.lac] = cells[0][0];
    m[P.cid] = cells[0][1];
    m[P.cells] = cells;
  }
  if (!CELLS_ONLY.has(p.type) && r.remaining > 0) readAccessPoints(c, r.u8(), true);
  if (r.remaining === 1 || r.remaining === 2) m[P.language] = r.uint(r.remaining);
}

/** MAC (6 bytes) [+ signal u8, as sent] per access point; all-zero MACs are padding. */
function readAccessPoints(c: Ctx, count: number, withRssi: boolean, skipBefore = 0): void {
  const aps: (string | number | null)[][] = [];
  for (let i = 0; i < count; i++) {
    if (skipBefore) c.r.skip(skipBefore);
    const mac = c.r.bytes(6);
    const rssi = withRssi ? c.r.u8() : null;
    if (mac.some((b) => b !== 0)) aps.push([mac.toString('hex').replace(/(..)(?!$)/g, '$1:'), rssi]);
  }
  if (aps.length > 0) c.m[P.wifi] = aps;
}

/**
 * WiFi packets. 0x17/0x69: BCD time (UTC), the length byte counts the APs (MAC + RSSI), then cell
 * count, MCC, MNC, cells (LAC u16, CI u16, RSSI). 0xF3: binary time, AP count, APs (2 unknown bytes + MAC).
 */
export function wifi(c: Ctx): void {
  const { r, p, m } = c;
  if (p.type === Msg.Wifi4) {
    readPacketTime(c);
    readAccessPoints(c, r.u8(), false, 2);
    return;
  }
  const at = r.pos;
  const digits = bcd(r.bytes(6), 0, 6);
  const f = (i: number) => Number(digits.slice(i, i + 2));
  setTime(c, /^\d{12}$/.test(digits) ? toUnix(2000 + f(0), f(2), f(4), f(6), f(8), f(10)) : undefined, at);
  readAccessPoints(c, p.length, true);
  if (r.remaining === 0) return;
  const count = r.u8();
  m[P.mcc] = r.u16();
  m[P.mnc] = r.u8();
  const cells: number[][] = [];
  for (let i = 0; i < count; i++) cells.push([r.u16(), r.u16(), -r.u8()]);
  if (cells.length > 0) {
    m[P.lac] = cells[0][0];
    m[P.cid] = cells[0][1];
    m[P.cells] = cells;
  }
}
