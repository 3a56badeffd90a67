import { convertParam, unknownParamName } from '../../common/params.js';
import { Reader } from '../../common/reader.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { Sc } from '../constants.js';
import {
  DTC_COUNT_NAME,
  DTC_FLAG_NAME,
  DTC_NAME,
  GSENSOR_NAME,
  GSENSOR_UNIT,
  J1939_DTC_NAME,
  OBD_FLAG_NAME,
  PID_PREFIX,
  PID_TABLE,
  pidSize,
  SAMPLE_RATE_NAME,
  SUPPORTED_PIDS_NAME,
} from '../params.js';
import { dtcCode, keepRest, readStat } from './fields.js';

/**
 * SC OBD messages, each §1.1.2.7 STAT_DATA then a body of its own, one message at the stat time:
 * PID data 0x4002, G-sensor 0x4003, supported PIDs 0x4004, OBD data 0x4005, passenger DTCs 0x4006,
 * commercial DTCs 0x400B. Bytes a record leaves unread (later PID groups, values after a PID of
 * unknown size) are kept as `castel.data`.
 */
export function decodeObd(type: number, r: Reader, _ctx: DecodeContext, out: Decoded): void {
  const stat = readStat(r);
  const m: Message = { ...(stat.utc ? { timestamp: stat.utc } : {}), ...stat.params };
  BODIES[type]?.(r, m);
  keepRest(r, [m]);
  out.messages.push(m);
}

const BODIES: Readonly<Record<number, (r: Reader, m: Message) => void>> = {
  /** Sample rate u16, PID count u8, PIDs u16, group count u8, group size u8, groups: the first group is decoded. */
  [Sc.PidData]: (r, m) => {
    m[SAMPLE_RATE_NAME] = r.u16le();
    const pids = readPids(r);
    const groups = r.u8();
    const size = r.u8();
    if (groups > 0) readValues(new Reader(r.bytes(size)), pids, m, size);
  },
  /** §1.1.2.9 GSENSOR_DATA: sample rate u16, count u8, x, y, z s16 × 0.015625 g. */
  [Sc.GSensor]: (r, m) => {
    m[SAMPLE_RATE_NAME] = r.u16le();
    const samples: number[][] = [];
    for (let n = r.u8(); n > 0; n--) samples.push([r.i16le() * GSENSOR_UNIT, r.i16le() * GSENSOR_UNIT, r.i16le() * GSENSOR_UNIT]);
    m[GSENSOR_NAME] = samples;
  },
  [Sc.SupportedPids]: (r, m) => {
    m[SUPPORTED_PIDS_NAME] = readPids(r);
  },
  /** Flag u8, PID count u8, PIDs u16, one value each. */
  [Sc.ObdData]: (r, m) => {
    m[OBD_FLAG_NAME] = r.u8();
    readValues(r, readPids(r), m);
  },
  [Sc.DtcsPassenger]: (r, m) => readDtcs(r, m),
  [Sc.DtcsCommercial]: (r, m) => readJ1939Dtcs(r, m),
};

function readPids(r: Reader): number[] {
  const pids: number[] = [];
  for (let n = r.u8(); n > 0; n--) pids.push(r.u16le());
  return pids;
}

/**
 * One value per PID, of the size the data stream table gives. A PID of unknown size ends the
 * reading, except the last of a group, whose size is what the group has left.
 */
function readValues(r: Reader, pids: readonly number[], m: Message, groupSize?: number): void {
  const start = r.pos;
  for (let i = 0; i < pids.length; i++) {
    const size = pidSize(pids[i]) ?? (groupSize !== undefined && i === pids.length - 1 ? groupSize - (r.pos - start) : undefined);
    if (size === undefined || size <= 0 || size > r.remaining) return;
    setPid(m, pids[i], r.bytes(size));
  }
}

/** A data stream value (little-endian): a known PID under its name, another as `castel.pid.<id>` (longer than 4 bytes: hex). */
export function setPid(m: Message, pid: number, value: Buffer): void {
  if (value.length === 0) return;
  const def = PID_TABLE[pid];
  if (value.length > 4) {
    m[def?.name ?? unknownParamName(pid, PID_PREFIX)] = value.toString('hex');
    return;
  }
  const raw = value.readUIntLE(0, value.length);
  m[def?.name ?? unknownParamName(pid, PID_PREFIX)] = def ? convertParam(def, raw, value.length) : raw;
}

/** Passenger DTCs: flag u8, count u8, codes u16 (SAE J2012) joined by spaces. */
export function readDtcs(r: Reader, m: Message): void {
  m[DTC_FLAG_NAME] = r.u8();
  const codes: string[] = [];
  for (let n = r.u8(); n > 0; n--) codes.push(dtcCode(r.u16le()));
  m[DTC_COUNT_NAME] = codes.length;
  if (codes.length > 0) m[DTC_NAME] = codes.join(' ');
}

/** Commercial (J1939) DTCs: flag u8, count u8, 4 bytes each, kept as hex of the u32 little-endian value. */
export function readJ1939Dtcs(r: Reader, m: Message): void {
  m[DTC_FLAG_NAME] = r.u8();
  const codes: string[] = [];
  for (let n = r.u8(); n > 0; n--) codes.push(r.u32le().toString(16).padStart(8, '0'));
  m[DTC_COUNT_NAME] = codes.length;
  if (codes.length > 0) m[J1939_DTC_NAME] = codes;
}
