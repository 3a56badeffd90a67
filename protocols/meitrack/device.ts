import { fixParams, simFix } from '../common/simulation.js';
import type { DeviceSimulator } from '../common/types.js';
import { checksumText, sum8 } from './packet.js';

/**
 * The device side of Meitrack (GPRS protocol §1.1), for simulators and tests: an AAA automatic
 * report `$$<flag><len>,<imei>,AAA,<event>,<lat>,<lon>,<yymmddhhmmss>,A,<sats>,<gsm>,<speed>,
 * <course>,<hdop>,<alt>,<mileage>,<runtime>,<mcc|mnc|lac|ci>,<io>,<analog>,*<sum>\r\n`, where
 * `len` counts from the first comma through CR LF and the checksum is the byte sum up to `*`.
 * AAA reports get no answer.
 */
export interface MeitrackFix {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
  readonly speed: number;
  readonly course: number;
  readonly satellites: number;
}

const two = (n: number): string => String(n).padStart(2, '0');

export function aaaReport(imei: string, fix: MeitrackFix, event = 35, flag = 'A'): Buffer {
  const t = new Date(fix.atMs);
  const time =
    two(t.getUTCFullYear() % 100) + two(t.getUTCMonth() + 1) + two(t.getUTCDate()) + two(t.getUTCHours()) + two(t.getUTCMinutes()) + two(t.getUTCSeconds());
  const body = `,${imei},AAA,${event},${fix.latitude.toFixed(6)},${fix.longitude.toFixed(6)},${time},A,${fix.satellites},20,${Math.round(fix.speed)},${Math.round(fix.course)},1,100,0,60,246|1|10133|4110,0000,0|0|0|A57|4B0,*`;
  const len = body.length + 2 + 2; // body from the first comma, checksum digits, CR LF
  const head = `$$${flag}${len}`;
  const upToStar = Buffer.from(head + body, 'latin1');
  return Buffer.concat([upToStar, Buffer.from(`${checksumText(sum8(upToStar))}\r\n`, 'latin1')]);
}

/** A simulated Meitrack tracker (hub simulate): AAA reports, which the protocol does not ack. */
export const simulator: DeviceSimulator = {
  transports: ['tcp', 'udp'],
  identFor: (n) => String(353_000_000_000_000 + n),
  report: (ident, n, seq, atMs) => aaaReport(ident, simFix(n, seq, atMs)),
  expected: (_ident, n, seq, atMs) => fixParams(simFix(n, seq, atMs), ['atMs', 'latitude', 'longitude', 'speed', 'course', 'satellites']),
  replyLength: (buf) => {
    const end = buf.indexOf('\r\n');
    return end < 0 ? undefined : end + 2;
  },
  loginAcked: false,
  reportsAcked: false,
};
