import type { MessageValue } from '../common/types.js';
import { SECONDS_LIMIT } from './constants.js';

/** A value as it arrives: query/form text, or a JSON scalar. */
export type Raw = string | number | boolean;

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite number from a JSON number or numeric text; undefined otherwise. */
export function toNumber(raw: Raw): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string' || !NUMERIC.test(raw.trim())) return undefined;
  const n = Number(raw.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** `true`/`false`/`1`/`0` (any case) or a JSON boolean. */
export function toBool(raw: Raw): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  const t = String(raw).trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return undefined;
}

/** Extra parameters: numbers when numeric, booleans for true/false, text otherwise. */
export function typed(raw: Raw): MessageValue {
  if (typeof raw !== 'string') return raw;
  const n = toNumber(raw);
  if (n !== undefined) return n;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return raw;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Unix seconds (fraction kept) from: Unix seconds or milliseconds (a number below 2^31 - 1 is
 * seconds), ISO 8601 (`2016-01-27T18:55:47Z`, offsets allowed), or `yyyy-MM-dd HH:mm:ss`. Text
 * without a zone is taken as UTC.
 */
export function parseTimestamp(raw: Raw): number | undefined {
  const n = toNumber(raw);
  if (n !== undefined) return n < 0 ? undefined : n < SECONDS_LIMIT ? n : n / 1000;
  if (typeof raw !== 'string') return undefined;
  const m = DATE_TIME.exec(raw.trim());
  if (!m) return undefined;
  const fraction = m[3] ? m[3].slice(0, 4) : '';
  const zone = !m[4] || m[4].toUpperCase() === 'Z' ? 'Z' : normaliseOffset(m[4]);
  const ms = Date.parse(`${m[1]}T${m[2]}${fraction}${zone}`);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** `+03` → `+03:00`, `+0330` → `+03:30`. */
function normaliseOffset(offset: string): string {
  const digits = offset.slice(1).replace(':', '');
  return `${offset[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
}

/** `driverUniqueId` → `driver_unique_id`, `Foo-Bar` → `foo_bar`; empty when nothing is left. */
export function snake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Rounds away binary noise from unit conversions (74.08000000000001 → 74.08). */
export function round(value: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
