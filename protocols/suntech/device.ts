import { type SimFix, simFix } from '../common/simulation.js';
import type { DeviceSimulator, Message } from '../common/types.js';
import { STX } from './constants.js';

/**
 * The device side of Suntech, for simulators and tests: an ST300 legacy status report (§6-1, with
 * the HBM tail), its zip form (§6-x-2) and a universal status report, built from a fix.
 */
const date = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
const time = (ms: number): string => new Date(ms).toISOString().slice(11, 19);
const signed = (v: number, int: number): string =>
  `${v < 0 ? '-' : '+'}${Math.abs(v)
    .toFixed(6)
    .padStart(int + 7, '0')}`;

/** `ST300STT;<id>;40;319;<date>;<time>;<cell>;<lat>;<lon>;<spd>;<crs>;<sats>;1;<dist>;12.50;100000;2;<msg no>;<h meter>;4.1;1\r`. */
export function statusReport(ident: string, fix: SimFix, seq: number): Buffer {
  const fields = [
    'ST300STT',
    ident,
    '40',
    '319',
    date(fix.atMs),
    time(fix.atMs),
    '1a2b41',
    signed(fix.latitude, 2),
    signed(fix.longitude, 3),
    fix.speed.toFixed(3).padStart(7, '0'),
    fix.course.toFixed(2).padStart(6, '0'),
    String(fix.satellites),
    '1',
    String(seq * 100),
    '12.50',
    '100000',
    '2',
    String(seq % 10000).padStart(4, '0'),
    '000120',
    '4.1',
    '1',
  ];
  return Buffer.from(`${fields.join(';')}\r`, 'latin1');
}

/** Universal status report with mask 3FFFFF (bits 0–21): `STT;<id>;3FFFFF;<model>;<fw>;1;<date>;<time>;…;<mode>;<reason>;<msg no>\r`. */
export function universalStatusReport(ident: string, fix: SimFix, seq: number): Buffer {
  const fields = ['STT', ident, '3FFFFF', '56', '1.0.15', '1', date(fix.atMs), time(fix.atMs), '00008D6C', '334', '20', '0925', '24'];
  fields.push(signed(fix.latitude, 2), signed(fix.longitude, 3), fix.speed.toFixed(2), fix.course.toFixed(2), String(fix.satellites), '1');
  fields.push('00000001', '00000000', '2', '1', String(seq));
  return Buffer.from(`${fields.join(';')}\r`, 'latin1');
}

const bcd = (n: number, bytes: number): Buffer => Buffer.from(String(n).padStart(bytes * 2, '0'), 'hex');

/** Zip status report (0x10, §6-x-2) with the HBM tail: the fields of `statusReport` in binary. */
export function zipStatusReport(ident: string, fix: SimFix, seq: number): Buffer {
  const d = new Date(fix.atMs);
  const deg = (v: number) => {
    const micro = Math.round(Math.abs(v) * 1e6);
    return Buffer.concat([Buffer.from([Math.floor(micro / 1e6)]), bcd(micro % 1e6, 3)]);
  };
  const hundredths = (v: number, hi: number) => Buffer.concat([Buffer.from([hi >> 8, hi & 0xff]), bcd(Math.round(v * 100) % 100, 1)]);
  const body = Buffer.concat([
    Buffer.from([0x10]),
    Buffer.from(ident.padEnd(10, '0'), 'hex'),
    Buffer.from([40, 0x01, 0x3f]),
    Buffer.from([d.getUTCFullYear() - 2000, d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]),
    Buffer.from([0x1a, 0x2b, 41]),
    deg(fix.latitude),
    deg(fix.longitude),
    hundredths(fix.speed, Math.floor(fix.speed)),
    hundredths(fix.course, Math.floor(fix.course)),
    Buffer.from([0x80 | (fix.latitude < 0 ? 0x40 : 0) | (fix.longitude < 0 ? 0x20 : 0) | (fix.satellites & 0x1f)]),
    Buffer.from([0, 0, (seq * 100) >> 8, (seq * 100) & 0xff]),
    Buffer.from([12, 0x50, 0x01, 2, (seq >> 8) & 0xff, seq & 0xff]),
    Buffer.from([0, 0, 0, 120, 4, 0x10, 1]),
  ]);
  const head = Buffer.from([STX, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([head, body, Buffer.from([0x03])]);
}

/** What a `statusReport` decodes to. */
function expected(fix: SimFix, seq: number): Message {
  return {
    timestamp: Math.floor(fix.atMs / 1000),
    'position.latitude': Math.round(fix.latitude * 1e6) / 1e6,
    'position.longitude': Math.round(fix.longitude * 1e6) / 1e6,
    'position.speed': fix.speed,
    'position.direction': fix.course,
    'position.satellites': fix.satellites,
    'position.valid': true,
    'vehicle.mileage': (seq * 100) / 1000,
    'external.powersource.voltage': 12.5,
    'engine.ignition.status': true,
    'suntech.message.number': seq % 10000,
    'engine.hours': 2,
    'battery.voltage': 4.1,
  };
}

/**
 * A simulated ST300 (hub simulate): legacy status reports with no login. Nothing is acked over TCP;
 * over UDP the hub answers `ST300ACK;<id>`.
 */
export const simulator: DeviceSimulator = {
  transports: ['tcp', 'udp'],
  identFor: (n) => String(200_000_000 + (n % 800_000_000)),
  report: (ident, n, seq, atMs) => statusReport(ident, simFix(n, seq, atMs), seq),
  expected: (_ident, n, seq, atMs) => expected(simFix(n, seq, atMs), seq),
  replyLength: (buf) => (buf.length > 0 ? buf.length : undefined),
  loginAcked: false,
  reportsAcked: false,
};
