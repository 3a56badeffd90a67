import type { Message } from '../../protocols/common/types.js';
import type { EvalContext, Value } from '../expressions/index.js';
import type { CompiledCalc } from './compile.js';
import { counterValue } from './counters.js';
import {
  type CalcContext,
  type CalcEvent,
  type CalcEventName,
  type Core,
  type Entry,
  type Interval,
  OFF,
  ON,
  type Open,
  type Status,
  UNKNOWN,
} from './types.js';

/** One call into the machine: the calculator, what it reads besides messages, and the events it emits. */
export interface Run {
  readonly calc: CompiledCalc;
  readonly ctx: CalcContext;
  readonly insideGeofence: ((name: string, lat: number, lon: number) => boolean) | undefined;
  readonly events: CalcEvent[];
  /** Batch mode: no `updated` event while an interval only grows (the batch reports final values). */
  readonly quiet: boolean;
}

export function newRun(calc: CompiledCalc, ctx: CalcContext, quiet: boolean): Run {
  const index = ctx.geofences;
  const insideGeofence = index ? (name: string, lat: number, lon: number) => index.inside(name, lat, lon) : undefined;
  return { calc, ctx, insideGeofence, events: [], quiet };
}

export function emit(run: Run, event: CalcEventName, interval: Interval): void {
  run.events.push({ event, interval });
}

export function evalContext(run: Run, message: Message, previous: Message | undefined): EvalContext {
  return { message, previous, metadata: run.ctx.metadata, insideGeofence: run.insideGeofence };
}

/** A position both numbers within range, else null. */
export function position(m: Message): [number, number] | null {
  const lat = m['position.latitude'];
  const lon = m['position.longitude'];
  if (typeof lat !== 'number' || typeof lon !== 'number' || !(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) return null;
  return [lat, lon];
}

/**
 * The message's status: each selector gives ON, OFF or UNKNOWN (`invert` swaps ON and OFF); the
 * calculator's is OFF when any is OFF, ON when all are ON, else UNKNOWN. An expression whose value
 * is null is UNKNOWN (note that in the language a comparison with a missing parameter is false, so
 * `x > 5` is OFF without `x`: write the bare parameter, or `if(exists('x'), x > 5, null)`, for
 * UNKNOWN). A geofence selector without a position (or without geofences to ask) is UNKNOWN.
 * `change` selectors are ON with their value (null: UNKNOWN); their JSON joins into the change key.
 */
export function classify(run: Run, ctx: EvalContext): [Status, string | null] {
  let status: Status = ON;
  let key: string | null = null;
  for (const sel of run.calc.selectors) {
    let s: Status;
    if (sel.kind === 'geofence') {
      const pos = position(ctx.message);
      const index = run.ctx.geofences;
      s = pos === null || index === undefined ? UNKNOWN : sel.geofences.some((id) => index.inside(id, pos[0], pos[1])) ? ON : OFF;
    } else {
      const v = sel.expression === null ? null : sel.expression.evaluate(ctx);
      if (v === null) s = UNKNOWN;
      else if (sel.kind === 'change') {
        s = ON;
        const text = JSON.stringify(v);
        key = key === null ? text : `${key}\u0000${text}`;
      } else s = v === false || v === 0 || v === '' || Number.isNaN(v) ? OFF : ON;
    }
    if (sel.invert && s !== UNKNOWN) s = s === ON ? OFF : ON;
    if (s === OFF) return [OFF, null];
    if (s === UNKNOWN) status = UNKNOWN;
  }
  return [status, status === ON ? key : null];
}

/** The counters' inputs of one message. */
export function makeEntry(run: Run, ctx: EvalContext, t: number, s: Status, c: string | null): Entry {
  const calc = run.calc;
  const pos = position(ctx.message);
  const v: Value[] = [];
  for (const c2 of calc.counters) {
    if (c2.slot < 0) continue;
    const expression = calc.counterExpressions[c2.slot];
    v[c2.slot] = c2.kind === 'duration' ? expression.test(ctx) : expression.evaluate(ctx);
  }
  let g: string[] | null = null;
  if (calc.geofenceCounter && pos !== null && run.ctx.geofences) {
    const names = run.ctx.geofences.containing(pos[0], pos[1]).map((x) => x.name);
    g = names.length > 0 ? [...new Set(names)].sort() : null;
  }
  return { t, s, c, la: pos ? pos[0] : null, lo: pos ? pos[1] : null, v, g };
}

/** The parameters of a message that `previous('...')` reads next time. */
export function previousOf(calc: CompiledCalc, m: Message): Record<string, Value> | null {
  if (calc.previousParams.length === 0) return null;
  const p: Record<string, Value> = {};
  for (const name of calc.previousParams) if (Object.hasOwn(m, name)) p[name] = m[name];
  return p;
}

/**
 * An interval as reported: the fields, then the counters in definition order. `interval` counters
 * are evaluated on the fields and the other counters (routes left out: they are not expression
 * values), each seeing the ones before it; `previous('x')` reads field `x` of the previous interval.
 */
export function view(run: Run, core: Core, o: Open, acc: Open['acc'], end: number, active: boolean): Interval {
  const calc = run.calc;
  const out: Record<string, Interval[string]> = { id: o.id, begin: o.begin, end, duration: end - o.begin, active };
  const cs = calc.counters;
  for (let i = 0; i < cs.length; i++) out[cs[i].name] = counterValue(cs[i].kind, acc[i]);
  if (calc.intervalCounters.length === 0) return out as Interval;
  const message: Message = {};
  for (const [k, v] of Object.entries(out)) if (!calc.routeNames.has(k)) message[k] = v as Value;
  const previous = core.prev ?? undefined;
  for (const ic of calc.intervalCounters) {
    const v = ic.expression.evaluate({ message, previous, metadata: run.ctx.metadata, insideGeofence: run.insideGeofence });
    out[ic.name] = v;
    message[ic.name] = v;
  }
  if (!calc.intervalCountersLast) {
    const ordered: Record<string, Interval[string]> = { id: o.id, begin: o.begin, end, duration: end - o.begin, active };
    for (const name of calc.counterNames) ordered[name] = out[name];
    return ordered as Interval;
  }
  return out as Interval;
}

/** validate_interval on an ending interval (its fields and counters as the message). */
export function intervalValid(run: Run, core: Core, interval: Interval): boolean {
  const test = run.calc.validateInterval;
  if (test === null) return true;
  const message: Message = {};
  for (const [k, v] of Object.entries(interval)) if (!run.calc.routeNames.has(k)) message[k] = v as Value;
  return test.test({ message, previous: core.prev ?? undefined, metadata: run.ctx.metadata, insideGeofence: run.insideGeofence });
}

/** The fields of an interval that the next one's `previous('...')` reads. */
export function prevFields(calc: CompiledCalc, interval: Interval): Record<string, Value> | null {
  if (calc.previousFields.length === 0) return null;
  const p: Record<string, Value> = {};
  for (const name of calc.previousFields) {
    const v = interval[name];
    if (v !== undefined && !calc.routeNames.has(name)) p[name] = v as Value;
  }
  return p;
}
