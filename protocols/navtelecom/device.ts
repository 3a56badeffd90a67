import { simFix } from '../common/simulation.js';
import type { DeviceSimulator, Message } from '../common/types.js';
import { DEFAULT_DEVICE_ID, DEFAULT_SERVER_ID, FLEX_PROTOCOL, FlexType, FlexVersion, NTCB_HEADER_SIZE, NtcbHeader, Start } from './constants.js';
import { ntcbFrame } from './encoder.js';
import { flexCrc } from './packet.js';
import { FLEX_FIELDS } from './params.js';

/**
 * The device side of Navtelecom, for simulators and tests: what a terminal sends (§1.2.1 the
 * `*>S` identification and the `*>FLEX` negotiation in NTCB frames, §1.2.2 FLEX `~A` / `~T` / `~C`
 * records). The hub answers the identification `*<S`, the negotiation `*<FLEX`, and `~A` with
 * `~A` + count + CRC-8 (4 bytes).
 */

/** `*>S:<IMEI>` from the terminal `deviceId` to the server `serverId`. */
export function identFrame(imei: string, deviceId = DEFAULT_DEVICE_ID, serverId = DEFAULT_SERVER_ID): Buffer {
  return ntcbFrame(serverId, deviceId, Buffer.from(`*>S:${imei}`, 'latin1'));
}

/** The field count a FLEX version describes: 69 (1.0), 122 (2.0), 255 (3.0). */
const VERSION_FIELDS: Readonly<Record<number, number>> = { [FlexVersion.V10]: 69, [FlexVersion.V20]: 122, [FlexVersion.V30]: 255 };

/** `*>FLEX` | B0 | version | version | field count | mask with the given fields (1-based) set. */
export function negotiationFrame(
  fields: readonly number[],
  version: number = FlexVersion.V20,
  deviceId = DEFAULT_DEVICE_ID,
  serverId = DEFAULT_SERVER_ID,
): Buffer {
  const count = VERSION_FIELDS[version] ?? Math.max(...fields);
  const mask = Buffer.alloc(Math.ceil(count / 8));
  for (const n of fields) mask[(n - 1) >> 3] |= 0x80 >> ((n - 1) & 7);
  return ntcbFrame(serverId, deviceId, Buffer.concat([Buffer.from('*>FLEX', 'latin1'), Buffer.from([FLEX_PROTOCOL, version, version, count]), mask]));
}

/** One FLEX record: each field (in field order) from its raw wire value (integers as sent, `f` fields as float). */
export function flexRecord(fields: readonly number[], values: Readonly<Record<number, number>>): Buffer {
  const parts = [...fields]
    .sort((a, b) => a - b)
    .map((n) => {
      const def = FLEX_FIELDS[n - 1];
      const b = Buffer.alloc(def.size);
      const v = values[n] ?? 0;
      if (def.kind === 'f') b.writeFloatLE(v, 0);
      else if (def.size <= 4) {
        if (v < 0) b.writeIntLE(v, 0, def.size);
        else b.writeUIntLE(v, 0, def.size);
      }
      return b;
    });
  return Buffer.concat(parts);
}

/** A FLEX frame: `~` | type | head | records | CRC-8/NRSC-5. */
export function flexFrame(type: number, head: Buffer, records: readonly Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from([Start.Flex, type]), head, ...records]);
  return Buffer.concat([body, Buffer.from([flexCrc(body)])]);
}

/** `~A` count + records (the archive queue). */
export function flexArchive(records: readonly Buffer[]): Buffer {
  return flexFrame(FlexType.Archive, Buffer.from([records.length]), records);
}

/** `~T` event index u32 + record (an urgent event). */
export function flexEvent(index: number, record: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(index, 0);
  return flexFrame(FlexType.Event, head, [record]);
}

/** Fields of the simulated terminal: index, event, event time, navigation state, fix time, coordinates, altitude, speed, course, power. */
export const SIM_FIELDS = [1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 19] as const;
const SIM_POWER_MV = 12600;

function simValues(n: number, seq: number, atMs: number): Record<number, number> {
  const fix = simFix(n, seq, atMs);
  const t = Math.floor(atMs / 1000);
  return {
    1: seq,
    2: 0,
    3: t,
    8: (fix.satellites << 2) | 0x03, // receiver on, valid fix
    9: t,
    10: Math.round(fix.latitude * 600000),
    11: Math.round(fix.longitude * 600000),
    12: fix.altitude * 10,
    13: fix.speed,
    14: fix.course,
    19: SIM_POWER_MV,
  };
}

function expected(n: number, seq: number, atMs: number): Message {
  const v = simValues(n, seq, atMs);
  return {
    'navtelecom.record.index': seq,
    'event.enum': 0,
    timestamp: v[3],
    'position.valid': true,
    'position.satellites': 9,
    'navtelecom.fix.timestamp': v[9],
    'position.latitude': v[10] / 600000,
    'position.longitude': v[11] / 600000,
    'position.altitude': v[12] / 10,
    'position.speed': v[13],
    'position.direction': v[14],
    'external.powersource.voltage': SIM_POWER_MV / 1000,
  };
}

/** Bytes of the NTCB frame at the start of `buf`, undefined while incomplete. */
function ntcbLength(buf: Buffer, at: number): number | undefined {
  if (buf.length < at + NTCB_HEADER_SIZE) return undefined;
  const length = NTCB_HEADER_SIZE + buf.readUInt16LE(at + NtcbHeader.Length);
  return buf.length >= at + length ? length : undefined;
}

/**
 * A simulated Navtelecom terminal (hub simulate): `*>S` and `*>FLEX` (FLEX 2.0, SIM_FIELDS) in one
 * write, answered by two NTCB frames; then `~A` frames of one record, each answered in 4 bytes.
 */
export const simulator: DeviceSimulator = {
  transports: ['tcp'],
  identFor: (n) => String(866_795_000_000_000 + n),
  login: (ident) => Buffer.concat([identFrame(ident), negotiationFrame(SIM_FIELDS)]),
  report: (_ident, n, seq, atMs) => flexArchive([flexRecord(SIM_FIELDS, simValues(n, seq, atMs))]),
  expected: (_ident, n, seq, atMs) => expected(n, seq, atMs),
  replyLength: (buf, loggedIn) => {
    if (loggedIn) return buf.length >= 4 ? 4 : undefined;
    const first = ntcbLength(buf, 0); // *<S, then *<FLEX: the login is done when both came
    const second = first === undefined ? undefined : ntcbLength(buf, first);
    return first === undefined || second === undefined ? undefined : first + second;
  },
  loginAcked: true,
  reportsAcked: true,
};
