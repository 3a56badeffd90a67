import type { Message } from '../../common/types.js';
import { FUEL_NAME, fieldName, P, STATE_BITS, TYPE_EVENTS } from '../params.js';

/** Field helpers shared by the record decoders: times, coordinates, the IO state, events. */

const DAY = 86400;
/** §2 IO state: power and ACC flags, three hex nibbles, three hex digits of fuel. */
export const STATE_PATTERN = /^[01][01][0-9A-Fa-f]{6}$/;

/** A UTC date `yymmdd` (serial dialect, §2) or `ddmmyy` (comma dialect), or undefined when invalid. */
function utcDate(date: string, order: 'ymd' | 'dmy'): number | undefined {
  const m = /^(\d\d)(\d\d)(\d\d)$/.exec(date);
  if (!m) return undefined;
  const [year, month, day] = order === 'ymd' ? [m[1], m[2], m[3]].map(Number) : [m[3], m[2], m[1]].map(Number);
  const at = Date.UTC(2000 + year, month - 1, day);
  const check = new Date(at);
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? at / 1000 : undefined;
}

/** `hhmmss` → seconds of the day, or undefined. */
function dayTime(time: string): number | undefined {
  const m = /^(\d\d)(\d\d)(\d\d)$/.exec(time);
  if (!m) return undefined;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return h > 23 || min > 59 || s > 59 ? undefined : h * 3600 + min * 60 + s;
}

/**
 * The UTC time of a report. Without a valid date the time of day falls on the day nearest the
 * receive time; without either, the receive time (never the clock).
 */
export function reportTime(date: string, order: 'ymd' | 'dmy', time: string, receivedAt: number | undefined): number | undefined {
  const day = utcDate(date, order);
  const seconds = dayTime(time);
  if (day !== undefined && seconds !== undefined) return day + seconds;
  if (seconds === undefined || receivedAt === undefined) return receivedAt;
  const today = Math.floor(receivedAt / DAY) * DAY;
  return [today - DAY, today, today + DAY].map((d) => d + seconds).reduce((a, b) => (Math.abs(b - receivedAt) < Math.abs(a - receivedAt) ? b : a));
}

/** `(d)ddmm.mmmm` split as degrees and minutes, with its hemisphere; NaN when out of range. */
export function coordinate(degrees: string, minutes: string, hemisphere: string, max: number): number {
  const min = Number(minutes);
  const value = Number(degrees || '0') + min / 60;
  if (!(min < 60) || !(value <= max)) return NaN;
  return hemisphere === 'S' || hemisphere === 'W' ? -value : value;
}

/** A decimal field (speed, course, altitude), sign allowed, spaces trimmed; NaN when not a number. */
export function decimal(text: string | undefined): number {
  const v = text?.trim() ?? '';
  return /^[-+]?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
}

/** §2 IO state: the raw text, charging, ACC, the input/output bits and the fuel value. */
export function applyState(m: Message, state: string): void {
  m[P.status] = state;
  m[P.charging] = state[0] === '0';
  m[P.ignition] = state[1] === '1';
  for (const [char, bit, name] of STATE_BITS) m[name] = ((parseInt(state[char], 16) >> bit) & 1) === 1;
  m[FUEL_NAME] = parseInt(state.slice(5, 8), 16);
}

/** `L` + hex metres (§2 milepost) → km. */
export function applyMileage(m: Message, hex: string): void {
  m[P.mileage] = parseInt(hex, 16) / 1000;
}

export function setAlarm(m: Message, type: string | undefined): void {
  if (type === undefined) return;
  m[P.trigger] = true;
  m[P.alarm] = type;
}

/** The alarm or ignition a report type stands for (ZC/DW event reports). */
export function applyTypeEvent(m: Message, type: string): void {
  const row = TYPE_EVENTS.find(([types]) => types.includes(type));
  if (!row) return;
  if (typeof row[1] === 'boolean') m[P.ignition] = row[1];
  else setAlarm(m, row[1]);
}

/** Keeps the non-blank fields from `from` on as `io.<index>` (index in the comma-separated body). */
export function keepFields(m: Message, fields: readonly string[], from: number, offset = 0): void {
  for (let i = from; i < fields.length; i++) {
    const v = fields[i].trim();
    if (v !== '') m[fieldName(i + offset)] = v;
  }
}
