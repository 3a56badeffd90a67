import { fixParams, type SimFix, simFix } from '../common/simulation.js';
import type { DeviceSimulator, Message } from '../common/types.js';
import { MARK, Mask, PACKAGE_HEADER, Pid } from './constants.js';
import { encodeEnvelope, encodePackage } from './encoder.js';

/**
 * The device side of Eelink, for simulators and tests: what a tracker sends, in the same package
 * envelope as the server's (encoder.ts `encodePackage`, §5.1), wrapped in `EL` over UDP (§4.2).
 */

/** §5.2 login (2.0): IMEI BCD[8] (leading 0), language (1 = English), time zone (quarter hours), six version/param-set words. */
export function login(imei: string, sequence: number, timezoneQuarters = 0, language = 0x01): Buffer {
  const content = Buffer.alloc(8 + 1 + 1 + 12);
  Buffer.from(imei.padStart(16, '0'), 'hex').copy(content, 0);
  content[8] = language;
  content.writeInt8(timezoneQuarters, 9);
  content.writeUInt16BE(0x0205, 10); // system version
  content.writeUInt16BE(0x0205, 12); // application version
  return encodePackage(Pid.Login, sequence, content);
}

/** §5.3 heartbeat: the status word. */
export function heartbeat(sequence: number, status: number): Buffer {
  return encodePackage(Pid.Heartbeat, sequence, Buffer.from([status >> 8, status & 0xff]));
}

export interface EelinkFix extends SimFix {
  /** §3.5 status word. */
  readonly status: number;
  /** V */
  readonly battery: number;
  /** km */
  readonly mileage: number;
}

/**
 * §5.4 location package: time, mask (position + serving cell), position, cell (MCC 246, MNC 1, LAC
 * 110, CID 21978, RxLev 40), status, battery mV, AIN0/AIN1 (0), mileage m.
 */
export function location(fix: EelinkFix, sequence: number): Buffer {
  const b = Buffer.alloc(4 + 1 + 15 + 11 + 2 + 2 + 4 + 4);
  b.writeUInt32BE(Math.floor(fix.atMs / 1000), 0);
  b[4] = Mask.Position | Mask.Cell0;
  b.writeInt32BE(Math.round(fix.latitude * 1_800_000), 5);
  b.writeInt32BE(Math.round(fix.longitude * 1_800_000), 9);
  b.writeInt16BE(Math.round(fix.altitude), 13);
  b.writeUInt16BE(Math.round(fix.speed), 15);
  b.writeUInt16BE(Math.round(fix.course) % 360, 17);
  b[19] = fix.satellites;
  b.writeUInt16BE(246, 20);
  b.writeUInt16BE(1, 22);
  b.writeUInt16BE(110, 24);
  b.writeUInt32BE(21978, 26);
  b[30] = 40;
  b.writeUInt16BE(fix.status, 31);
  b.writeUInt16BE(Math.round(fix.battery * 1000), 33);
  b.writeUInt32BE(Math.round(fix.mileage * 1000), 39);
  return encodePackage(Pid.Location, sequence, b);
}

/** GPS fixed (bit 0), ACC present and on (bits 1–2), GPS module running (bit 10). */
const SIM_STATUS = 0x0407;

/** The fix simulated device `n` reports as `seq`. */
export function simEelinkFix(n: number, seq: number, atMs: number): EelinkFix {
  return { ...simFix(n, seq, atMs), status: SIM_STATUS, battery: 4.1, mileage: 1000 + n + seq / 10 };
}

/**
 * A simulated Eelink tracker (hub simulate): over TCP a 0x01 login, then 0x12 location packages,
 * each answered with its PID and sequence; over UDP each package in an `EL` envelope with its IMEI.
 */
export const simulator: DeviceSimulator = {
  transports: ['tcp', 'udp'],
  identFor: (n) => String(863_000_000_000_000 + n),
  login: (ident) => login(ident, 1),
  report(ident, n, seq, atMs, transport) {
    const packet = location(simEelinkFix(n, seq, atMs), (seq + 1) & 0xffff);
    return transport === 'udp' ? encodeEnvelope(ident, packet) : packet;
  },
  expected(_ident, n, seq, atMs): Message {
    const fix = simEelinkFix(n, seq, atMs);
    return {
      ...fixParams(fix, ['atMs', 'altitude', 'satellites', 'speed', 'course']),
      'position.latitude': Math.round((Math.round(fix.latitude * 1_800_000) / 1_800_000) * 1e7) / 1e7,
      'position.longitude': Math.round((Math.round(fix.longitude * 1_800_000) / 1_800_000) * 1e7) / 1e7,
      'position.valid': true,
      'engine.ignition.status': true,
      'gnss.status': true,
      din: 0,
      'eelink.status': SIM_STATUS,
      'gsm.mcc': 246,
      'gsm.mnc': 1,
      'gsm.lac': 110,
      'gsm.cellid': 21978,
      'gsm.signal.level': 40,
      'battery.voltage': fix.battery,
      'ain.1': 0,
      'ain.2': 0,
      'vehicle.mileage': Math.round(fix.mileage * 1000) / 1000,
    };
  },
  replyLength(buf) {
    if (buf.length < PACKAGE_HEADER) return undefined;
    if (buf.readUInt16BE(0) !== MARK) return 1;
    const length = PACKAGE_HEADER + buf.readUInt16BE(3);
    return buf.length >= length ? length : undefined;
  },
  loginAcked: true,
  reportsAcked: true,
};
