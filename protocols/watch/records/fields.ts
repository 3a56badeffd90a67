import { unknownParamName } from '../../common/params.js';
import type { Message } from '../../common/types.js';
import { numberOf } from '../params.js';

/**
 * Field helpers shared by the record decoders: times, coordinates, cell numbers, and the fields
 * kept by position.
 */

/** SeTracker Appendix I `ddmmyy` and `hhmmss` (GMT) → Unix seconds, or undefined when either is invalid. */
export function dateTime(date: string | undefined, time: string | undefined): number | undefined {
  const d = /^(\d\d)(\d\d)(\d\d)$/.exec(date?.trim() ?? '');
  const t = /^(\d\d)(\d\d)(\d\d)$/.exec(time?.trim() ?? '');
  if (!d || !t) return undefined;
  const [day, month, year, h, min, s] = [...d.slice(1), ...t.slice(1)].map(Number);
  if (day < 1 || day > 31 || month < 1 || month > 12 || h > 23 || min > 59 || s > 59) return undefined;
  return Date.UTC(2000 + year, month - 1, day, h, min, s) / 1000;
}

/**
 * Decimal degrees with a hemisphere letter (Appendix I `22.570733,N`). Some units send a signed
 * value with the letter of the other side (`-33.480366,N`): the minus sign wins. Undefined when
 * the value is not a number within ±`max` or the letter is none of the two.
 */
export function coordinate(value: string | undefined, hemisphere: string | undefined, letters: string, max: number): number | undefined {
  const v = numberOf(value);
  const h = hemisphere?.trim() ?? '';
  if (v === undefined || Math.abs(v) > max || !(h === '' || letters.includes(h))) return undefined;
  return v < 0 || h === letters[1] ? -Math.abs(v) : Math.abs(v);
}

/** A cell's LAC or cell id: decimal, or hex when it holds a letter (`55C0`, `3B882A2` on SG units). */
export function cellNumber(raw: string | undefined): number | undefined {
  const v = raw?.trim() ?? '';
  if (/^\d{1,10}$/.test(v)) return Number(v);
  return /^[0-9A-Fa-f]{1,8}$/.test(v) ? parseInt(v, 16) : undefined;
}

/** A non-negative integer field, or undefined. */
export function count(raw: string | undefined): number | undefined {
  const v = raw?.trim() ?? '';
  return /^\d{1,4}$/.test(v) ? Number(v) : undefined;
}

/** Keeps fields `from`.. that hold a value as `io.<n>`, n = the field's position in the content (the type is 0). */
export function keepRest(m: Message, fields: readonly string[], from: number, shift: number): void {
  for (let i = from; i < fields.length; i++) {
    const raw = fields[i].trim();
    if (raw !== '') m[unknownParamName(i + shift)] = raw;
  }
}

/** Sets the named fields of `names` (by position) that hold a number; others with a value are kept as `io.<n>`. */
export function applyNumbers(
  m: Message,
  fields: readonly string[],
  names: readonly (string | undefined)[],
  shift: number,
  skipZero?: ReadonlySet<string>,
): void {
  for (let i = 0; i < fields.length; i++) {
    const name = names[i];
    const value = numberOf(fields[i]);
    if (name !== undefined && value !== undefined) {
      if (!(value === 0 && skipZero?.has(name))) m[name] = value;
    } else if (fields[i].trim() !== '') m[unknownParamName(i + shift)] = fields[i].trim();
  }
}
