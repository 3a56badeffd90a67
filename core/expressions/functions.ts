import type { EvalContext, Evaluator, Value } from './types.js';
import { finite, paramReader, toNumber, toText, toValue, truthy } from './values.js';

/** What the string-literal first argument of a function names (for the `uses*` lists). */
export type NameKind = 'message' | 'previous' | 'metadata' | 'geofence';

export interface FunctionDef {
  /** Fewest and most arguments (`Infinity`: any number from `min`); checked when compiling. */
  readonly min: number;
  readonly max: number;
  /** The only argument is a string literal naming a parameter, key or geofence (so the `uses*` lists are static). */
  readonly names?: NameKind;
  /** Builds the closure from the compiled arguments (or, with `names`, from the literal). */
  readonly build: (args: readonly Evaluator[], literal: string) => Evaluator;
}

/** One numeric argument (numeric strings count) → a number, `null` for anything else or a non-finite result. */
const math =
  (f: (x: number) => number): FunctionDef['build'] =>
  ([x]) =>
  (c) => {
    const n = toNumber(x(c));
    return n === null ? null : finite(f(n));
  };

/** Every argument numeric (numeric strings count), else `null`. */
const numbers = (args: readonly Evaluator[], c: EvalContext): number[] | null => {
  const out: number[] = [];
  for (const a of args) {
    const n = toNumber(a(c));
    if (n === null) return null;
    out.push(n);
  }
  return out;
};

/**
 * `round(x[, digits])`: half away from zero, to `digits` decimals (negative: tens, hundreds...;
 * an integer in -15..15, else `null`). The product is nudged by two ulps so that decimal text
 * rounds as written (`round(1.005, 2)` is 1.01 although 1.005 × 100 is 100.49999999999999).
 */
export function roundTo(x: number, digits: number): number | null {
  if (!Number.isInteger(digits) || digits < -15 || digits > 15) return null;
  const scale = 10 ** Math.abs(digits);
  const y = digits >= 0 ? Math.abs(x) * scale : Math.abs(x) / scale;
  if (!Number.isFinite(y)) return null;
  if (y >= 2 ** 52) return x; // already a whole number at this scale
  const whole = Math.floor(y * (1 + 2 * Number.EPSILON) + 0.5);
  const r = digits >= 0 ? whole / scale : whole * scale;
  return x < 0 && r !== 0 ? -r : r;
}

/** Mean Earth radius (IUGG), km. */
const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/**
 * Great-circle distance in km (haversine on the mean-radius sphere; within 0.5 % of the ellipsoid).
 * Written here rather than taken from a library: `cheap-ruler` is a flat approximation tuned for
 * city scales around one reference latitude (its error grows with distance), and `geodesy` brings a
 * whole module family (ellipsoidal Vincenty, datums) for one ten-line formula.
 */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number | null {
  if (Math.abs(lat1) > 90 || Math.abs(lat2) > 90) return null;
  const sinLat = Math.sin(((lat2 - lat1) * RAD) / 2);
  const sinLon = Math.sin(((lon2 - lon1) * RAD) / 2);
  const h = sinLat * sinLat + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * sinLon * sinLon;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** `metadata('a.b')`: the key as written when the object has it, else the dotted path into nested objects. */
function metadataReader(key: string): (md: Record<string, unknown> | undefined) => Value {
  const path = key.split('.');
  return (md) => {
    if (md === undefined || md === null || typeof md !== 'object') return null;
    if (Object.hasOwn(md, key)) return toValue(md[key]);
    let at: unknown = md;
    for (const p of path) {
      if (at === null || typeof at !== 'object' || Array.isArray(at) || !Object.hasOwn(at, p)) return null;
      at = (at as Record<string, unknown>)[p];
    }
    return toValue(at);
  };
}

/** `geofence('name')`: asks the caller about the message's position; false without either (or when the callback throws). */
function insideGeofence(name: string): Evaluator {
  return (c) => {
    const lat = c.message['position.latitude'];
    const lon = c.message['position.longitude'];
    if (typeof c.insideGeofence !== 'function' || typeof lat !== 'number' || typeof lon !== 'number') return false;
    try {
      return c.insideGeofence(name, lat, lon) === true;
    } catch {
      return false;
    }
  };
}

/** `substring(s, start[, len])`: 0-based; a negative start counts from the end; a negative length is empty. */
function substring(s: string, start: number, len: number | undefined): string {
  const from = start < 0 ? Math.max(0, s.length + Math.trunc(start)) : Math.trunc(start);
  if (len === undefined) return s.slice(from);
  return len <= 0 ? '' : s.slice(from, from + Math.trunc(len));
}

/** `tostring(x)`: scalars as text, lists as JSON. */
function tostring(v: Value): string | null {
  if (!Array.isArray(v)) return toText(v);
  try {
    return JSON.stringify(v);
  } catch {
    return null;
  }
}

/** The functions, by name: arity checked when compiling; an unknown name is a compile error. */
export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map<string, FunctionDef>([
  [
    'if',
    {
      min: 3,
      max: 3,
      build:
        ([cond, yes, no]) =>
        (c) =>
          truthy(cond(c)) ? yes(c) : no(c),
    },
  ],
  ['exists', { min: 1, max: 1, names: 'message', build: (_, name) => existsIn(paramReader(name)) }],
  ['previous', { min: 1, max: 1, names: 'previous', build: (_, name) => previousOf(paramReader(name)) }],
  ['metadata', { min: 1, max: 1, names: 'metadata', build: (_, key) => metadataOf(metadataReader(key)) }],
  ['geofence', { min: 1, max: 1, names: 'geofence', build: (_, name) => insideGeofence(name) }],
  ['abs', { min: 1, max: 1, build: math(Math.abs) }],
  ['floor', { min: 1, max: 1, build: math(Math.floor) }],
  ['ceil', { min: 1, max: 1, build: math(Math.ceil) }],
  ['sqrt', { min: 1, max: 1, build: math((x) => (x < 0 ? Number.NaN : Math.sqrt(x))) }],
  ['round', { min: 1, max: 2, build: buildRound }],
  ['min', { min: 2, max: Number.POSITIVE_INFINITY, build: (args) => (c) => finiteOf(numbers(args, c), Math.min) }],
  ['max', { min: 2, max: Number.POSITIVE_INFINITY, build: (args) => (c) => finiteOf(numbers(args, c), Math.max) }],
  ['distance', { min: 4, max: 4, build: (args) => (c) => distanceOf(numbers(args, c)) }],
  [
    'strlen',
    {
      min: 1,
      max: 1,
      build:
        ([s]) =>
        (c) =>
          toText(s(c))?.length ?? null,
    },
  ],
  ['substring', { min: 2, max: 3, build: buildSubstring }],
  [
    'tostring',
    {
      min: 1,
      max: 1,
      build:
        ([x]) =>
        (c) =>
          tostring(x(c)),
    },
  ],
  [
    'tonumber',
    {
      min: 1,
      max: 1,
      build:
        ([x]) =>
        (c) =>
          tonumber(x(c)),
    },
  ],
]);

function existsIn(read: (m: EvalContext['message']) => Value): Evaluator {
  return (c) => read(c.message) !== null;
}

function previousOf(read: (m: EvalContext['message'] | undefined) => Value): Evaluator {
  return (c) => read(c.previous);
}

function metadataOf(read: (md: Record<string, unknown> | undefined) => Value): Evaluator {
  return (c) => read(c.metadata);
}

function finiteOf(xs: number[] | null, f: (...xs: number[]) => number): number | null {
  return xs === null ? null : finite(f(...xs));
}

function distanceOf(xs: number[] | null): number | null {
  return xs === null ? null : distanceKm(xs[0], xs[1], xs[2], xs[3]);
}

function buildRound([x, digits]: readonly Evaluator[]): Evaluator {
  if (digits === undefined) return math((n) => roundTo(n, 0) ?? Number.NaN)([x], '');
  return (c) => {
    const n = toNumber(x(c));
    const d = toNumber(digits(c));
    return n === null || d === null ? null : roundTo(n, d);
  };
}

function buildSubstring([s, start, len]: readonly Evaluator[]): Evaluator {
  return (c) => {
    const text = toText(s(c));
    const from = toNumber(start(c));
    const count = len === undefined ? undefined : toNumber(len(c));
    return text === null || from === null || count === null ? null : substring(text, from, count);
  };
}

function tonumber(v: Value): number | null {
  return typeof v === 'boolean' ? (v ? 1 : 0) : toNumber(v);
}
