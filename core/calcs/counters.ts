import type { Value } from '../expressions/index.js';
import { distanceKm } from '../geofences/index.js';
import type { CompiledCalc, CounterKind } from './compile.js';
import type { Acc, AccSlot, CounterValue, Entry, RouteAcc, RoutePoint } from './types.js';

/**
 * Counter accumulators: one JSON slot per counter, folded message by message (`addEntry`) and
 * joined (`mergeAcc`, for the messages held back while max_inactive is pending). Slot shapes:
 * messages `n`; first/last/minimum/maximum/summary the value (null: none yet); average `[sum, n]`;
 * difference `[first, last]`; duration `[seconds, firstT, lastT, lastTrue]`; mileage
 * `[km, lat0, lon0, lat1, lon1]`; route a RouteAcc; geofence the sorted names.
 *
 * Numeric methods read numbers only (a numeric string is not summed); first/last take any non-null
 * value. `duration` counts, for each message where the expression is true, the time to the next
 * message of the interval. `mileage` sums great-circle legs between consecutive positions.
 *
 * Route cap: at most ROUTE_CAP points are reported. When ROUTE_CAP - 1 points are kept, every
 * other one is dropped and from then on only every second point (then fourth...) is kept, so a
 * long route stays evenly thinned; the newest point is always reported as the last one.
 */
export const ROUTE_CAP = 10_000;

export function newAcc(calc: CompiledCalc): Acc {
  return calc.counters.map((c) => (c.kind === 'messages' ? 0 : null));
}

const isNum = (v: Value): v is number => typeof v === 'number';

function pushRoute(r: RouteAcc, t: number, lat: number, lon: number): void {
  if (r.seen % r.stride === 0) {
    r.p.push(t, lat, lon);
    if (r.p.length >= 3 * (ROUTE_CAP - 1)) {
      const kept: number[] = [];
      for (let i = 0; i < r.p.length; i += 6) kept.push(r.p[i], r.p[i + 1], r.p[i + 2]);
      r.p = kept;
      r.stride *= 2;
    }
  }
  r.seen++;
  r.z = [t, lat, lon];
}

function unionNames(a: string[] | null, b: readonly string[] | null): string[] | null {
  if (b === null || b.length === 0) return a;
  if (a === null) return [...b];
  const out = new Set(a);
  let added = false;
  for (const n of b) {
    if (!out.has(n)) {
      out.add(n);
      added = true;
    }
  }
  return added ? [...out].sort() : a;
}

/** One message's contribution to one slot. */
function add(kind: CounterKind, a: AccSlot, v: Value, e: Entry): AccSlot {
  switch (kind) {
    case 'messages':
      return (a as number) + 1;
    case 'first':
      return a === null && v !== null ? v : a;
    case 'last':
      return v !== null ? v : a;
    case 'minimum':
      return isNum(v) && (a === null || v < (a as number)) ? v : a;
    case 'maximum':
      return isNum(v) && (a === null || v > (a as number)) ? v : a;
    case 'summary':
      return isNum(v) ? ((a as number | null) ?? 0) + v : a;
    case 'average': {
      if (!isNum(v)) return a;
      const s = a as number[] | null;
      return s === null ? [v, 1] : [s[0] + v, s[1] + 1];
    }
    case 'difference': {
      if (!isNum(v)) return a;
      const s = a as number[] | null;
      return s === null ? [v, v] : [s[0], v];
    }
    case 'duration': {
      const s = a as number[] | null;
      const on = v === true ? 1 : 0;
      return s === null ? [0, e.t, e.t, on] : [s[0] + (s[3] === 1 ? e.t - s[2] : 0), s[1], e.t, on];
    }
    case 'mileage': {
      if (e.la === null || e.lo === null) return a;
      const s = a as number[] | null;
      return s === null ? [0, e.la, e.lo, e.la, e.lo] : [s[0] + distanceKm(s[3], s[4], e.la, e.lo), s[1], s[2], e.la, e.lo];
    }
    case 'route': {
      if (e.la === null || e.lo === null) return a;
      const r = (a as RouteAcc | null) ?? { p: [], stride: 1, seen: 0, z: null };
      pushRoute(r, e.t, e.la, e.lo);
      return r;
    }
    case 'geofence':
      return unionNames(a as string[] | null, e.g);
  }
}

/** Folds one message into the accumulators (in place). */
export function addEntry(calc: CompiledCalc, acc: Acc, e: Entry): void {
  const cs = calc.counters;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i];
    acc[i] = add(c.kind, acc[i], c.slot >= 0 ? e.v[c.slot] : null, e);
  }
}

/** Accumulators over a run of messages followed by those over the next run (a is updated in place). */
export function mergeAcc(calc: CompiledCalc, a: Acc, b: Acc): void {
  calc.counters.forEach((c, i) => {
    a[i] = join(c.kind, a[i], b[i]);
  });
}

function join(kind: CounterKind, a: AccSlot, b: AccSlot): AccSlot {
  if (a === null) return b;
  if (b === null) return a;
  switch (kind) {
    case 'messages':
    case 'summary':
      return (a as number) + (b as number);
    case 'first':
      return a;
    case 'last':
      return b;
    case 'minimum':
      return Math.min(a as number, b as number);
    case 'maximum':
      return Math.max(a as number, b as number);
    case 'average': {
      const [x, y] = [a as number[], b as number[]];
      return [x[0] + y[0], x[1] + y[1]];
    }
    case 'difference':
      return [(a as number[])[0], (b as number[])[1]];
    case 'duration': {
      const [x, y] = [a as number[], b as number[]];
      return [x[0] + y[0] + (x[3] === 1 ? y[1] - x[2] : 0), x[1], y[2], y[3]];
    }
    case 'mileage': {
      const [x, y] = [a as number[], b as number[]];
      return [x[0] + y[0] + distanceKm(x[3], x[4], y[1], y[2]), x[1], x[2], y[3], y[4]];
    }
    case 'route': {
      const [x, y] = [a as RouteAcc, b as RouteAcc];
      for (let i = 0; i < y.p.length; i += 3) pushRoute(x, y.p[i], y.p[i + 1], y.p[i + 2]);
      if (y.z !== null && (y.seen - 1) % y.stride !== 0) pushRoute(x, y.z[0], y.z[1], y.z[2]);
      return x;
    }
    case 'geofence':
      return unionNames(a as string[], b as string[]);
  }
}

function routePoints(r: RouteAcc | null): RoutePoint[] {
  if (r === null) return [];
  const out: RoutePoint[] = [];
  for (let i = 0; i < r.p.length; i += 3) out.push({ t: r.p[i], lat: r.p[i + 1], lon: r.p[i + 2] });
  const z = r.z;
  if (z !== null && (r.seen - 1) % r.stride !== 0) out.push({ t: z[0], lat: z[1], lon: z[2] });
  return out;
}

/** The reported value of one slot. */
export function counterValue(kind: CounterKind, a: AccSlot): CounterValue {
  switch (kind) {
    case 'average': {
      const s = a as number[] | null;
      return s === null ? null : s[0] / s[1];
    }
    case 'difference': {
      const s = a as number[] | null;
      return s === null ? null : s[1] - s[0];
    }
    case 'duration':
      return a === null ? 0 : (a as number[])[0];
    case 'mileage':
      return a === null ? 0 : (a as number[])[0];
    case 'route':
      return routePoints(a as RouteAcc | null);
    case 'geofence':
      return a === null ? [] : [...(a as string[])];
    default:
      return a as Value;
  }
}
