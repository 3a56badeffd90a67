import { unknownParamName } from '../../common/params.js';
import type { Message } from '../../common/types.js';
import { type FieldRow, fieldValue } from '../params.js';

/**
 * Field helpers shared by the record decoders: table rows, coordinates and the §4.2 times.
 */

const KNOTS_TO_KMH = 1.852;
/** Empty, or only dashes and signs: the firmware's "no value" (`---`, a lone `+` for an unknown temperature). */
const PLACEHOLDER = /^[-+]*$/;

/**
 * Sets the parameters of `rows` that read as their kind (the first row that reads wins for an
 * index); then keeps every other field from `tailFrom` on that holds a value as `io.<index>`.
 */
export function applyRows(m: Message, fields: readonly string[], rows: readonly FieldRow[], tailFrom = fields.length): void {
  const used = new Set<number>();
  for (const [index, name, kind] of rows) {
    if (used.has(index) || index >= fields.length) continue;
    const value = fieldValue(kind, fields[index]);
    if (value === undefined) continue;
    m[name] = value;
    used.add(index);
  }
  for (let i = tailFrom; i < fields.length; i++) {
    const raw = fields[i].trim();
    if (!used.has(i) && !PLACEHOLDER.test(raw)) m[unknownParamName(i)] = raw;
  }
}

/** `(d)ddmm.mmmm` with an N/S/E/W hemisphere (absent: north/east, as some firmware sends). NaN when invalid. */
export function degreesMinutes(value: string | undefined, hemisphere: string | undefined, lat: boolean): number {
  const m = /^(\d{1,3})(\d\d\.\d+)$/.exec(value?.trim() ?? '');
  const h = hemisphere?.trim() ?? '';
  if (!m || !(h === '' || (lat ? /^[NS]$/ : /^[EW]$/).test(h))) return NaN;
  const minutes = Number(m[2]);
  const result = Number(m[1]) + minutes / 60;
  if (!(minutes < 60) || !(result <= (lat ? 90 : 180))) return NaN;
  return h === 'S' || h === 'W' ? -result : result;
}

/** A speed in knots (§4.2) → km/h, rounded to the metre per hour. */
export function knotsToKmh(knots: number): number {
  return Math.round(knots * KNOTS_TO_KMH * 1000) / 1000;
}

/** A decimal field (speed, course), or NaN. */
export function decimal(value: string | undefined): number {
  const v = value?.trim() ?? '';
  return /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
}

/** Local date and time of day: §4.2 `yymmddhhmm[ss]`, or `yy/mm/dd hh:mm` of early firmware. */
export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export function localTime(value: string | undefined): LocalTime | undefined {
  const m = /^(\d\d)\/?(\d\d)\/?(\d\d) ?(\d\d):?(\d\d)(\d\d)?$/.exec(value?.trim() ?? '');
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x ?? 0));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  return { year: 2000 + year, month, day, hour, minute, second };
}

/** UTC time of day `hhmmss[.sss]` → seconds of the day (with the fraction), or undefined. */
export function utcSeconds(value: string | undefined): number | undefined {
  const m = /^(\d\d)(\d\d)(\d\d)(\.\d{1,3})?$/.exec(value?.trim() ?? '');
  if (!m) return undefined;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (h > 23 || min > 59 || s > 59) return undefined;
  return h * 3600 + min * 60 + s + (m[4] ? Number(m[4]) : 0);
}

const DAY = 86400;
const HALF_DAY_MIN = 12 * 60;

/**
 * The §4.2 time of a fixed report: the date is local, the time of day UTC. The offset is the
 * difference of the local and UTC hours and minutes (within ±12 h); the UTC seconds and fraction
 * are kept. `151030080103` with `000101.000` is 2015-10-30 00:01:01 UTC. Without a UTC time the
 * local time is taken as UTC; without a local date the UTC time falls on the day nearest `receivedAt`.
 */
export function reportTime(local: LocalTime | undefined, utc: number | undefined, receivedAt: number | undefined): number | undefined {
  if (local && utc !== undefined) {
    const utcMinutes = Math.floor(utc / 60);
    let delta = local.hour * 60 + local.minute - utcMinutes;
    if (delta <= -HALF_DAY_MIN) delta += 2 * HALF_DAY_MIN;
    else if (delta > HALF_DAY_MIN) delta -= 2 * HALF_DAY_MIN;
    const localMinute = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute) / 1000;
    return round3(localMinute - delta * 60 + (utc - utcMinutes * 60));
  }
  if (local) return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) / 1000;
  if (utc !== undefined && receivedAt !== undefined) {
    const day = Math.floor(receivedAt / DAY) * DAY;
    const candidates = [day - DAY, day, day + DAY].map((d) => d + utc);
    return round3(candidates.reduce((best, t) => (Math.abs(t - receivedAt) < Math.abs(best - receivedAt) ? t : best)));
  }
  return receivedAt;
}

/** `hhmmss` and `ddmmyy` (UTC) → seconds, or undefined. */
export function utcDateTime(time: string | undefined, date: string | undefined): number | undefined {
  const d = /^(\d\d)(\d\d)(\d\d)$/.exec(date?.trim() ?? '');
  const seconds = utcSeconds(time);
  if (!d || seconds === undefined) return undefined;
  const [day, month, year] = [Number(d[1]), Number(d[2]), Number(d[3])];
  if (day < 1 || day > 31 || month < 1 || month > 12) return undefined;
  return Date.UTC(2000 + year, month - 1, day) / 1000 + seconds;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
