import type { DecodeContext, Message } from '../../common/types.js';
import { NO_TEMPERATURE } from '../constants.js';
import { RTC_TIME, SEND_TIME, TEMPERATURE, type Wire } from '../params.js';

/**
 * Helpers of the record decoders: the channel settings they read, the three times, and how one
 * fixed field (params.ts RECORD) lands in a message.
 */

/** Channel settings (`configuration.settings`): `form` (AT$FORM custom codes, e.g. `%SA%MV`), `longDate` (true/false; unset: detected). */
export interface RecordSettings {
  readonly form?: string;
  readonly longDate?: boolean;
}

export function recordSettings(ctx: DecodeContext): RecordSettings {
  const s = ctx.options?.settings ?? {};
  return {
    ...(typeof s.form === 'string' && s.form !== '' ? { form: s.form } : {}),
    ...(typeof s.longDate === 'boolean' ? { longDate: s.longDate } : {}),
  };
}

/** GPS fix time → timestamp; the unit's RTC and send times keep their vendor names. 0 = not known. */
export function setTimes(m: Message, gps: number | undefined, rtc: number | undefined, send: number | undefined, ctx: DecodeContext): void {
  const ts = gps || rtc || ctx.receivedAt;
  if (ts !== undefined) m.timestamp = ts;
  if (rtc) m[RTC_TIME] = rtc;
  if (send) m[SEND_TIME] = send;
}

/** Long-date mode: `yyyy` u16, `MM dd hh mm ss` bytes (UTC). Undefined when not a date (all zero: unknown). */
export function longDate(b: Buffer, at: number): number | undefined {
  const year = b.readUInt16BE(at);
  const [month, day, hour, minute, second] = [b[at + 2], b[at + 3], b[at + 4], b[at + 5], b[at + 6]];
  if (year < 1980 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
}

/** ASCII times: `yyyymmddhhmmss` (long-date mode) or Unix seconds. */
export function textTime(value: string | undefined): number | undefined {
  const v = value?.trim() ?? '';
  const long = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(v);
  if (long) {
    const [year, month, day, hour, minute, second] = long.slice(1).map(Number);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
    return Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  }
  return /^\d{1,10}$/.test(v) && Number(v) > 0 ? Number(v) : undefined;
}

/**
 * One fixed field: integers divided by their divisor (a temperature of 2000 is no sensor),
 * strings kept when not empty. ASCII values arrive as text and read the same way.
 */
export function setField(m: Message, name: string, wire: Wire, divisor: number | undefined, raw: number | string): void {
  if (wire === 'str') {
    const s = String(raw);
    if (s !== '') m[name] = s;
    return;
  }
  const n = typeof raw === 'number' ? raw : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : undefined;
  if (n === undefined) {
    if (raw !== '') m[name] = raw;
    return;
  }
  if (name.startsWith(TEMPERATURE) && n === NO_TEMPERATURE) return;
  m[name] = divisor === undefined ? n : n / divisor;
}
