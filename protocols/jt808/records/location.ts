import { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { LOCATION_SIZE } from '../constants.js';
import { ALARM_BITS, type Family, P } from '../params.js';
import { type Acc, alarm, finish, newAcc } from './acc.js';
import { decodeItem } from './items.js';
import { obdExtension } from './vendor.js';

/** How to read the locations of a connection: the device family, its clock's offset from UTC, the receive time. */
export interface LocationContext {
  readonly family?: Family;
  /** Minutes east of UTC of the device's clock (GMT+8 by the standard). */
  readonly tzMinutes: number;
  readonly receivedAt?: number;
}

/**
 * A §8.21 location body: alarm flags u32, status u32, latitude and longitude u32 (1e-6 degree,
 * hemispheres in status bits 2 and 3), altitude u16 m, speed u16 (1/10 km/h), course u16, time
 * BCD[6] YYMMDDhhmmss, then additional items (id u8, length u8, value) to `end`.
 */
export function decodeLocation(buf: Buffer, start: number, end: number, lc: LocationContext, m: Message = {}): Message {
  const r = new Reader(buf, start, end);
  const alarms = r.u32();
  const a = newAcc(lc.family, m);
  readStatus(r.u32(), a, r);
  m[P.altitude] = r.i16();
  m[P.speed] = r.u16() / 10;
  m[P.course] = r.u16();
  const time = bcdTime(buf, r.pos, lc.tzMinutes, false) ?? lc.receivedAt;
  r.skip(6);
  if (time !== undefined) m.timestamp = time;
  m[P.alarmFlags] = alarms;
  alarmBits(alarms, a);
  decodeItems(buf, start + LOCATION_SIZE, end, a);
  return finish(a);
}

/** Status bits: 0 ACC, 1 fixed, 2 south, 3 west, 10 oil circuit cut; MV710G/MV810G bit 16 door. Then lat/lon. */
export function readStatus(status: number, a: Acc, r: Reader): void {
  const m = a.m;
  m[P.status] = status;
  m[P.ignition] = (status & 1) !== 0;
  m[P.blocked] = (status & 0x400) !== 0;
  if (a.family === 'mv') m[P.door] = (status & 0x10000) !== 0;
  m[P.valid] = (status & 2) !== 0;
  const lat = r.u32() / 1e6;
  const lon = r.u32() / 1e6;
  m[P.lat] = status & 4 ? -lat : lat;
  m[P.lon] = status & 8 ? -lon : lon;
}

/** §8.21 alarm flags; e-padlocks (G-360P/G-508P) and AOVX trackers use a few bits their own way. */
function alarmBits(flags: number, a: Acc): void {
  if (a.family === 'padlock') {
    if (flags & 0x11) alarm(a, 'removing');
    if (flags & 0x2) alarm(a, 'tamper');
    return;
  }
  if (a.family === 'aovx') {
    if (flags & 0x10000) alarm(a, 'movement');
    return;
  }
  for (const [bit, type] of ALARM_BITS) {
    if (flags & (2 ** bit) && !(a.family === 'vl300' && type === 'accident')) alarm(a, type);
  }
}

/** Additional items to `end`; 0x80 (OBD extension) runs to the end of the body. An item longer than what is left ends the list. */
export function decodeItems(buf: Buffer, from: number, end: number, a: Acc): void {
  let at = from;
  while (at + 2 <= end) {
    const id = buf[at];
    const to = at + 2 + buf[at + 1];
    if (to > end) return;
    if (id === 0x80) {
      obdExtension(buf, Math.min(at + 3, end), end, a);
      return;
    }
    decodeItem(buf, id, at + 2, to, a);
    at = to;
  }
}

/**
 * A BCD time at `at`: YYMMDDhhmmss (or DDMMYYhhmmss when `dayFirst`) in the device's zone (minutes
 * east of UTC), as Unix seconds; undefined when the digits are not a valid date.
 */
export function bcdTime(buf: Buffer, at: number, tzMinutes: number, dayFirst: boolean): number | undefined {
  if (at + 6 > buf.length) return undefined;
  const f: number[] = [];
  for (let i = 0; i < 6; i++) {
    const b = buf[at + i];
    if (b >> 4 > 9 || (b & 15) > 9) return undefined;
    f.push((b >> 4) * 10 + (b & 15));
  }
  const [year, month, day] = dayFirst ? [f[2], f[1], f[0]] : [f[0], f[1], f[2]];
  if (month < 1 || month > 12 || day < 1 || day > 31 || f[3] > 23 || f[4] > 59 || f[5] > 59) return undefined;
  return Date.UTC(2000 + year, month - 1, day, f[3], f[4], f[5]) / 1000 - tzMinutes * 60;
}

/**
 * §8.48 location batch 0x0704: count u16, type u8 (0 regular, 1 blind-area backfill), then
 * (length u16, §8.21 body)…; Jimi 0x0210: (length u8, body)…, or battery level + BCD time when the
 * body is 7 bytes.
 */
export function decodeBatch(buf: Buffer, start: number, end: number, lc: LocationContext, jimi: boolean): Message[] {
  if (jimi && end - start === 7) {
    const m: Message = { [P.batteryLevel]: buf[start] };
    const time = bcdTime(buf, start + 1, lc.tzMinutes, false);
    if (time !== undefined) m.timestamp = time;
    return [m];
  }
  const r = new Reader(buf, start, end);
  if (!jimi) r.skip(2); // count
  const backfill = !jimi && r.u8() > 0;
  const out: Message[] = [];
  while (r.remaining > (jimi ? 1 : 2)) {
    const len = jimi ? r.u8() : r.u16();
    if (len < LOCATION_SIZE || len > r.remaining) break;
    out.push(decodeLocation(buf, r.pos, r.pos + len, lc, backfill ? { [P.archive]: true } : {}));
    r.skip(len);
  }
  return out;
}
