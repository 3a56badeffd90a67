import { Reader } from '../../common/reader.js';
import type { CommandReply, Message } from '../../common/types.js';
import { Msg } from '../constants.js';
import type { Packet } from '../packet.js';
import { P } from '../params.js';
import { type Acc, alarm, finish, newAcc } from './acc.js';
import { bcdTime } from './location.js';

/**
 * Jointech JT701/JT709 e-locks over JT/T 808 framing: 0x5501 (0x5502: stored while out of
 * coverage) with a one-byte serial and a JT600-style body, and `(…)` text answers.
 *
 * Body: time BCD DDMMYYhhmmss (UTC), latitude BCD[4] ddmm.mmmm, longitude 9 BCD digits
 * dddmm.mmmm + a flag nibble (bit 0 fixed, 1 north, 2 east), speed BCD knots, course/2, signal,
 * satellites, odometer u32 km, battery (0–100 %, AA/AB charging), cell id u32, LAC u16, product,
 * status u16, alarms u16, then items (id u8, length u8, value).
 */
export function lockLocation(p: Packet): Message {
  const b = p.buf;
  const r = new Reader(b, p.bodyStart, p.bodyEnd);
  const a = newAcc(undefined);
  const m = a.m;
  const time = bcdTime(b, r.pos, 0, true);
  r.skip(6);
  if (time !== undefined) m.timestamp = time;
  const lat = degrees(r.bytes(4).toString('hex'), 2);
  const lonFlags = r.bytes(5).toString('hex');
  const flags = Number.parseInt(lonFlags[9], 16);
  const lon = degrees(lonFlags.slice(0, 9), 3);
  Object.assign(m, { [P.valid]: (flags & 1) !== 0, [P.lat]: flags & 2 ? lat : -lat, [P.lon]: flags & 4 ? lon : -lon });
  const speed = r.u8();
  m[P.speed] = Math.round(((speed >> 4) * 10 + (speed & 15)) * 1.852 * 1000) / 1000;
  m[P.course] = r.u8() * 2;
  Object.assign(m, { [P.rssi]: r.u8(), [P.sats]: r.u8(), [P.mileage]: r.u32() });
  const battery = r.u8();
  if (battery <= 100) m[P.batteryLevel] = battery;
  else if (battery === 0xaa || battery === 0xab) m[P.charge] = true;
  const [cid, lac] = [r.u32(), r.u16()];
  if (cid > 0 && lac > 0) Object.assign(m, { 'gsm.cellid': cid, 'gsm.lac': lac });
  statusAndAlarms(r, a);
  if (p.type === Msg.LockLocationBlind) m[P.archive] = true;
  items(r, a);
  return finish(a);
}

/** `ddmmmmmm` (or `dddmmmmmm`) BCD digits: degrees, then minutes with four decimals. */
function degrees(digits: string, degreeDigits: number): number {
  const value = Number(digits.slice(0, degreeDigits)) + Number(digits.slice(degreeDigits)) / 10000 / 60;
  return Math.round(value * 1e7) / 1e7;
}

/** Product 1/2 (padlocks): bit 0 low power; product 3 (JT701): status bit 5 locked, alarm bits 0 overspeed … 6 geofence exit. */
function statusAndAlarms(r: Reader, a: Acc): void {
  const product = r.u8();
  const status = r.u16();
  const alarms = r.u16();
  a.m['jt808.lock.state'] = status;
  if ((product === 1 || product === 2) && alarms & 1) alarm(a, 'low_power');
  if (product !== 3) return;
  a.m[P.blocked] = (status & 0x20) !== 0;
  const names = ['overspeed', 'low_power', 'vibration', 'low_battery', undefined, 'geofence_enter', 'geofence_exit'];
  for (let bit = 0; bit < names.length; bit++) if (alarms & (1 << bit)) alarm(a, names[bit]);
}

/** Items: 0x02 altitude, 0x0B lock command, 0x0C tilt, 0x10 wake-up source, 0xFC geofence. */
function items(r: Reader, a: Acc): void {
  while (r.remaining >= 2) {
    const id = r.u8();
    const len = r.u8();
    if (len > r.remaining) return;
    const v = new Reader(r.buf, r.pos, r.pos + len);
    if (id === 0x02 && len >= 2) a.m[P.altitude] = v.i16();
    else if (id === 0x0b && len >= 1) a.m['jt808.lock.command'] = v.u8();
    else if (id === 0x0c && len >= 6) a.m['jt808.tilt'] = [v.i16(), v.i16(), v.i16()];
    else if (id === 0x10 && len >= 1) a.m['jt808.wake.source'] = v.u8();
    else if (id === 0xfc && len >= 1) a.m['jt808.geofence.id'] = v.u8();
    r.skip(len);
  }
}

/** A `(id,…)` text answer (e.g. `(740190311185,1,001,ELOCK,3,529439)`): the command reply. */
export function lockText(frame: Buffer): { message: Message; reply: CommandReply } {
  const response = frame.toString('latin1');
  return { message: { [P.response]: response }, reply: { response } };
}
