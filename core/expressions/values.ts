import type { Message } from '../../protocols/common/types.js';
import type { Value } from './types.js';

/**
 * The value rules of the expression language, shared by operators and functions. None of them
 * throws: a value of the wrong kind gives `null` (arithmetic) or `false` (comparisons).
 */

/** Conditions: `false`, `null`, `0`, `''` (and NaN) are false, everything else (arrays too) is true. */
export function truthy(v: unknown): boolean {
  if (v === true) return true;
  if (v === false || v === null || v === undefined) return false;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v.length > 0;
  return true;
}

/** Decimal text, optionally signed, with optional fraction and exponent (no hex, no `Infinity`). */
const NUMERIC = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** A number, or a string that is one; anything else (booleans too) is `null`. */
export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && NUMERIC.test(v)) {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** A computed number, or `null` when it is NaN or infinite. */
export const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);

/**
 * Order of two values: negative, 0 or positive; NaN when they cannot be compared (a null side,
 * different kinds). Numbers numerically, two strings lexicographically (UTF-16 code units), a
 * number and a numeric string as numbers.
 */
export function order(a: unknown, b: unknown): number {
  let x: unknown = a;
  let y: unknown = b;
  if (typeof a === 'string' && typeof b === 'number') x = toNumber(a);
  else if (typeof a === 'number' && typeof b === 'string') y = toNumber(b);
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.NaN;
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  return Number.NaN;
}

/**
 * Equality: `undefined` when either side is null (so `==` and `!=` are both false), else whether
 * they are equal. A number and a numeric string compare as numbers; booleans equal only booleans;
 * arrays element by element; values of different kinds are different.
 */
export function equal(a: unknown, b: unknown): boolean | undefined {
  if (a === null || b === null || a === undefined || b === undefined) return undefined;
  return same(a, b);
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'string') return a === toNumber(b);
  if (typeof a === 'string' && typeof b === 'number') return toNumber(a) === b;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i] ?? null, b[i] ?? null)) return false;
  return true;
}

/** `+`: two strings concatenate; otherwise numbers (numeric strings count), else `null`. */
export function add(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') return finite(a + b);
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  const x = toNumber(a);
  const y = toNumber(b);
  return x === null || y === null ? null : finite(x + y);
}

type Arithmetic = (x: number, y: number) => number | null;
/** `-` `*` `/` `%` on numbers (numeric strings count); division or remainder by zero is `null`. */
export const ARITHMETIC: Readonly<Record<'-' | '*' | '/' | '%', Arithmetic>> = {
  '-': (x, y) => finite(x - y),
  '*': (x, y) => finite(x * y),
  '/': (x, y) => (y === 0 ? null : finite(x / y)),
  '%': (x, y) => (y === 0 ? null : finite(x % y)),
};

/** Text of a scalar (numbers and booleans as JavaScript writes them); arrays and null have none. */
export function toText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return null;
}

/** Any JSON-ish value (metadata) as an expression value: objects, non-finite numbers and lists nested too deep become `null`. */
export function toValue(v: unknown, depth = 0): Value {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v) && depth < 16) return v.map((x) => toValue(x, depth + 1));
  return null;
}

/**
 * Reads one parameter of a message (`null` when absent). Names that are also properties of every
 * object (`constructor`, `__proto__`, `toString`...) are read as own properties only.
 */
export function paramReader(name: string): (m: Message | undefined) => Value {
  if (name in Object.prototype) return (m) => (m !== undefined && Object.hasOwn(m, name) ? (m[name] ?? null) : null);
  return (m) => {
    if (m === undefined) return null;
    const v = m[name];
    return v === undefined ? null : v;
  };
}
