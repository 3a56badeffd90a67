import type { Reader } from '../../common/reader.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { Sc } from '../constants.js';
import {
  ALARM_INDEX_NAME,
  CELL_NAME,
  FIRMWARE_NAME,
  FUEL_SENSOR_NAME,
  HARDWARE_NAME,
  HISTORY_NAME,
  INDEX_NAME,
  LAC_NAME,
  LOGIN_TAGS_NAME,
  REQUEST_INDEX_NAME,
  RPM_NAME,
} from '../params.js';
import { applyAlarms, readAlarms } from './alarm.js';
import { cstring, fixMessage, keepRest, readFix, readStat } from './fields.js';
import { readTlvs } from './tlv.js';

/**
 * SC messages built on §1.1.2.7 STAT_DATA and GPS items: login 0x1001, logout 0x1002, GPS 0x4001,
 * alarm 0x4007, fuel 0x400E, comprehensive 0x401F and current location 0xB001. Each is a head of
 * its own, STAT_DATA, a fix count u8 and the fixes, then a tail of its own. One message per fix,
 * carrying the stat counters; without a fix, one message with the counters at the stat time.
 */
export function decodeLocation(type: number, r: Reader, _ctx: DecodeContext, out: Decoded): void {
  const head = readHead(type, r);
  const stat = readStat(r);
  const base = { ...head, ...stat.params };
  const count = r.u8();
  const messages: Message[] = [];
  for (let i = 0; i < count; i++) messages.push(fixMessage(readFix(r), base, stat.utc));
  if (messages.length === 0) messages.push(stat.utc ? { timestamp: stat.utc, ...base } : base);
  TAILS[type]?.(r, messages, count);
  keepRest(r, messages);
  out.messages.push(...messages);
}

/** What comes before STAT_DATA: the history flag (0x4001, 0x401F), an index (0x401F u32, 0x4007 u32, 0xB001 u16). */
function readHead(type: number, r: Reader): Message {
  switch (type) {
    case Sc.Gps:
      return { [HISTORY_NAME]: r.u8() !== 0 };
    case Sc.Comprehensive:
      return { [HISTORY_NAME]: r.u8() !== 0, [INDEX_NAME]: r.u32le() };
    case Sc.Alarm:
      return { [ALARM_INDEX_NAME]: r.u32le() };
    case Sc.CurrentLocation:
      return { [REQUEST_INDEX_NAME]: r.u16le() };
    default:
      return {};
  }
}

type Tail = (r: Reader, messages: Message[], fixes: number) => void;

const TAILS: Readonly<Record<number, Tail>> = {
  [Sc.Login]: loginTail,
  [Sc.Gps]: rpmTail,
  [Sc.Alarm]: (r, messages) => {
    const alarms = readAlarms(r);
    for (const m of messages) applyAlarms(m, alarms);
  },
  [Sc.Fuel]: (r, messages, fixes) => {
    for (let i = 0; i < fixes; i++) messages[i][FUEL_SENSOR_NAME] = r.u16le();
  },
  [Sc.Comprehensive]: (r, messages) => readTlvs(r, messages),
};

/** Login: software version, hardware version (NUL-terminated), then the supported parameter tags (count u16, u16 each). */
function loginTail(r: Reader, messages: Message[]): void {
  if (r.remaining <= 0) return;
  const firmware = cstring(r);
  const hardware = r.remaining > 0 ? cstring(r) : '';
  let tags: number[] | undefined;
  if (r.remaining >= 2) {
    const n = Math.min(r.u16le(), Math.floor(r.remaining / 2));
    tags = [];
    for (let i = 0; i < n; i++) tags.push(r.u16le());
  }
  for (const m of messages) {
    if (firmware) m[FIRMWARE_NAME] = firmware;
    if (hardware) m[HARDWARE_NAME] = hardware;
    if (tags) m[LOGIN_TAGS_NAME] = tags;
  }
}

/** GPS: RPM samples, count u8 and u16 each, one per fix (kept as `castel.data` when they do not fit that shape). */
function rpmTail(r: Reader, messages: Message[], fixes: number): void {
  if (r.remaining < 1 || r.remaining !== 1 + 2 * r.buf[r.pos]) return;
  const n = r.u8();
  for (let i = 0; i < n; i++) {
    const rpm = r.u16le();
    if (i < fixes) messages[i][RPM_NAME] = rpm;
  }
}

/** 0x4009 GPS while sleeping: device time u32, then one fix. 0x5101 AGPS request: the last fix. */
export function decodeSleepFix(type: number, r: Reader, _ctx: DecodeContext, out: Decoded): void {
  const deviceTime = type === Sc.GpsSleep ? r.u32le() : undefined;
  const m = fixMessage(readFix(r), {}, deviceTime);
  keepRest(r, [m]);
  out.messages.push(m);
}

/** 0x4008 cell: STAT_DATA, LAC u16, cell id u16. */
export function decodeCell(_type: number, r: Reader, _ctx: DecodeContext, out: Decoded): void {
  const stat = readStat(r);
  const m: Message = { ...(stat.utc ? { timestamp: stat.utc } : {}), ...stat.params, [LAC_NAME]: r.u16le(), [CELL_NAME]: r.u16le() };
  keepRest(r, [m]);
  out.messages.push(m);
}
