import { fixParams, simFix } from '../common/simulation.js';
import type { DeviceSimulator, Message } from '../common/types.js';
import { HEAD_SIZE, ID_SIZE, Sc, TAIL_SIZE } from './constants.js';
import { encodeFrame, idBytes } from './encoder.js';

/**
 * The device side of Castel (SC family, IDD-213/218), for simulators and tests: the frames an OBD
 * unit sends, in the same envelope as the server's (encodeFrame), with little-endian fields.
 */

/** §1.1.2.7 STAT_DATA as a device counts: times in Unix seconds, distances in m, fuel in 0.01 L. */
export interface CastelStat {
  readonly accOn: number;
  readonly utc: number;
  readonly mileage: number;
  readonly trip: number;
  readonly fuel: number;
  readonly tripFuel: number;
  readonly status: number;
}

/** A GPS item: UTC time, degrees, km/h, degrees, satellites; valid fixes set both fix bits. */
export interface CastelFix {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
  readonly speed: number;
  readonly course: number;
  readonly satellites: number;
  readonly valid?: boolean;
}

/** One §1.1.2.10 ALARM_DATA entry. */
export interface CastelAlarm {
  readonly code: number;
  readonly value?: number;
  readonly threshold?: number;
  readonly active?: boolean;
}

const SC_VERSION = 4;
const MIN_FRAME = HEAD_SIZE + TAIL_SIZE;

export function statBytes(s: CastelStat): Buffer {
  const b = Buffer.alloc(34);
  b.writeUInt32LE(s.accOn, 0);
  b.writeUInt32LE(s.utc, 4);
  b.writeUInt32LE(s.mileage, 8);
  b.writeUInt32LE(s.trip, 12);
  b.writeUInt32LE(s.fuel, 16);
  b.writeUInt16LE(s.tripFuel, 20);
  b.writeUInt32LE(s.status >>> 0, 22);
  return b; // 8 reserved bytes stay zero
}

export function fixBytes(f: CastelFix): Buffer {
  const b = Buffer.alloc(19);
  const t = new Date(f.atMs);
  b.set([t.getUTCDate(), t.getUTCMonth() + 1, t.getUTCFullYear() % 100, t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()], 0);
  b.writeUInt32LE(Math.round(Math.abs(f.latitude) * 3_600_000), 6);
  b.writeUInt32LE(Math.round(Math.abs(f.longitude) * 3_600_000), 10);
  b.writeUInt16LE(Math.round(f.speed / 0.036), 14);
  b.writeUInt16LE(Math.round(f.course * 10), 16);
  b[18] = ((f.satellites & 0x0f) << 4) | (f.valid === false ? 0 : 0x0c) | (f.latitude >= 0 ? 0x02 : 0) | (f.longitude >= 0 ? 0x01 : 0);
  return b;
}

/** An SC frame of `type` from device `ident`. */
export function scFrame(ident: string, type: number, body: Buffer, version = SC_VERSION): Buffer {
  const id = idBytes(ident);
  if (!id) throw new RangeError(`device id "${ident}" is longer than ${ID_SIZE} bytes`);
  return encodeFrame(version, id, type, body);
}

const count = (n: number) => Buffer.from([n]);
const cstr = (s: string) => Buffer.from(`${s}\0`, 'latin1');

/** 0x1001 login: STAT_DATA, fixes, software and hardware versions, supported parameter tags. Answered 0x9001. */
export function login(ident: string, stat: CastelStat, fixes: readonly CastelFix[] = [], firmware = '', hardware = '', tags: readonly number[] = []): Buffer {
  const list = Buffer.alloc(2 + 2 * tags.length);
  list.writeUInt16LE(tags.length, 0);
  for (const [i, t] of tags.entries()) list.writeUInt16LE(t, 2 + 2 * i);
  return scFrame(ident, Sc.Login, Buffer.concat([statBytes(stat), count(fixes.length), ...fixes.map(fixBytes), cstr(firmware), cstr(hardware), list]));
}

/** 0x1003 heartbeat (empty). Answered 0x9003. */
export function heartbeat(ident: string): Buffer {
  return scFrame(ident, Sc.Heartbeat, Buffer.alloc(0));
}

/** 0x4001 GPS: history flag, STAT_DATA, fixes, one RPM sample (u16) per fix. Not answered. */
export function gps(ident: string, stat: CastelStat, fixes: readonly CastelFix[], rpm: readonly number[] = [], history = false): Buffer {
  const samples = Buffer.alloc(1 + 2 * rpm.length);
  samples[0] = rpm.length;
  for (const [i, v] of rpm.entries()) samples.writeUInt16LE(v, 1 + 2 * i);
  return scFrame(ident, Sc.Gps, Buffer.concat([count(history ? 1 : 0), statBytes(stat), count(fixes.length), ...fixes.map(fixBytes), samples]));
}

/** 0x4007 alarm: index u32, STAT_DATA, fixes, alarm entries. Answered 0xC007 with the index. */
export function alarm(ident: string, index: number, stat: CastelStat, fixes: readonly CastelFix[], alarms: readonly CastelAlarm[]): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(index, 0);
  const entries = Buffer.alloc(1 + 6 * alarms.length);
  entries[0] = alarms.length;
  for (const [i, a] of alarms.entries()) {
    entries[1 + 6 * i] = a.active === false ? 0 : 1;
    entries[2 + 6 * i] = a.code;
    entries.writeUInt16LE(a.value ?? 0, 3 + 6 * i);
    entries.writeUInt16LE(a.threshold ?? 0, 5 + 6 * i);
  }
  return scFrame(ident, Sc.Alarm, Buffer.concat([head, statBytes(stat), count(fixes.length), ...fixes.map(fixBytes), entries]));
}

/** The counters of simulated device `n` at report `seq` (ACC on for ten minutes, 1 km per report). */
function simStat(n: number, seq: number, atMs: number): CastelStat {
  const utc = Math.floor(atMs / 1000);
  return { accOn: utc - 600, utc, mileage: 100_000 * (n + 1) + 1000 * seq, trip: 1000 * seq, fuel: 5000 + 10 * seq, tripFuel: 10 * seq, status: 1 << 18 };
}
const SIM_LOGIN_UTC = Date.UTC(2026, 0, 1) / 1000;
const SIM_RPM = 1800;

/** A simulated IDD-213 (hub simulate): login 0x1001 answered 0x9001, then 0x4001 GPS messages (not answered). */
export const simulator: DeviceSimulator = {
  transports: ['tcp', 'udp'],
  identFor: (n) => `213GD${2026000000 + n}`,
  login: (ident) =>
    login(ident, { accOn: SIM_LOGIN_UTC, utc: SIM_LOGIN_UTC, mileage: 0, trip: 0, fuel: 0, tripFuel: 0, status: 0 }, [], 'IDD-213G V2.0.0', 'IDD-213G V2.0'),
  report: (ident, n, seq, atMs) => gps(ident, simStat(n, seq, atMs), [simFix(n, seq, atMs)], [SIM_RPM]),
  expected: (_ident, n, seq, atMs): Message => {
    const fix = simFix(n, seq, atMs);
    const stat = simStat(n, seq, atMs);
    return {
      ...fixParams(fix),
      'position.speed': (Math.round(fix.speed / 0.036) * 36) / 1000,
      'position.satellites': fix.satellites,
      'position.valid': true,
      'message.buffered.status': false,
      'castel.acc.on.time': stat.accOn,
      'vehicle.mileage': stat.mileage / 1000,
      'trip.mileage': stat.trip / 1000,
      'vehicle.fuel.used': stat.fuel / 100,
      'castel.trip.fuel.used': stat.tripFuel / 100,
      'engine.ignition.status': true,
      'obd.engine.rpm': SIM_RPM,
    };
  },
  replyLength: (buf) => {
    const length = buf.length >= 4 ? buf.readUInt16LE(2) : 0;
    return length >= MIN_FRAME && buf.length >= length ? length : undefined;
  },
  loginAcked: true,
  reportsAcked: false,
};
