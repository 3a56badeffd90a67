import {
  type CalcContext,
  type CalcEvent,
  type CompiledCalc,
  compileCalc,
  type Interval,
  type IntervalState,
  initialState,
  step,
} from '../../core/calcs/index.js';
import { CalcCreateSchema } from '../../core/schemas/calcs.js';
import type { Message } from '../../protocols/common/types.js';

/** A compiled calculator from a partial definition (validated like a POST body; update_delay 0 unless given). */
export function calcOf(def: Record<string, unknown>): CompiledCalc {
  return compileCalc(CalcCreateSchema.parse({ name: 'test', update_delay: 0, ...def }));
}

/** The stored intervals of one calculator and device, kept from events the way the lead's storage does. */
export class IntervalDb {
  readonly rows = new Map<number, Interval>();
  apply(events: readonly CalcEvent[]): void {
    for (const e of events) {
      if (e.event === 'deleted') this.rows.delete(e.interval.id);
      else this.rows.set(e.interval.id, e.interval);
    }
  }
  list(): Interval[] {
    return [...this.rows.values()].sort((a, b) => a.id - b.id);
  }
}

export interface Fed {
  state: IntervalState;
  events: (CalcEvent & { at: number })[];
  db: IntervalDb;
  outcomes: string[];
}

/** Steps every message in order (the state through JSON between steps when `roundTrip`), collecting events tagged with the message time. */
export function feed(calc: CompiledCalc, messages: readonly Message[], ctx: CalcContext = {}, roundTrip = false, start = initialState()): Fed {
  let state = start;
  const events: Fed['events'] = [];
  const db = new IntervalDb();
  const outcomes: string[] = [];
  for (const m of messages) {
    if (roundTrip) state = JSON.parse(JSON.stringify(state)) as IntervalState;
    const r = step(calc, state, m, ctx);
    state = r.state;
    outcomes.push(r.outcome);
    for (const e of r.events) events.push({ ...e, at: m.timestamp as number });
    db.apply(r.events);
  }
  return { state, events, db, outcomes };
}

/** [begin, end] of each interval. */
export const spans = (list: readonly Interval[]): [number, number][] => list.map((i) => [i.begin, i.end]);

/** `event@time begin-end` lines, for asserting event sequences. */
export const eventLines = (events: Fed['events']): string[] =>
  events.map((e) => `${e.event}@${e.at} ${e.interval.begin}-${e.interval.end}${e.interval.active ? '' : ' closed'}`);

/** Messages at the given times with the given fields. */
export function series(times: readonly number[], fields: (t: number, i: number) => Message): Message[] {
  return times.map((t, i) => ({ timestamp: t, ...fields(t, i) }));
}

/** 2024-05-01T00:00:00Z. */
export const DAY0 = 1714521600;
export const DEPOT = { lat: 52.5, lon: 13.4 };
/** Degrees of latitude per 10 s step (0.1112 km: 40 km/h). */
export const STEP_DEG = 0.001;
const H = 3600;

/**
 * One day of 10 s messages for one vehicle (times relative to `day0`):
 * - parked at DEPOT, ignition off, until 07:00 (no messages 02:00–03:00 when `silentHour`);
 * - trip 1 07:00–08:00 north, 40 km/h, 360 steps (ignition off 07:30:00–07:30:50, still moving);
 * - parked at the customer (DEPOT + 0.36°) 08:00–12:00;
 * - trip 2 12:00–13:00, 180 steps north and 180 back, 100 km/h 12:20:00–12:24:50;
 * - parked at the customer 13:00–15:00; trip 3 15:00–16:00 back south to DEPOT; parked from 16:00.
 */
export function syntheticDay(silentHour = true, day0 = DAY0): Message[] {
  const out: Message[] = [];
  for (let s = 0; s < 24 * H; s += 10) {
    if (silentHour && s >= 2 * H && s < 3 * H) continue;
    let k = 0;
    let ign = false;
    let speed = 0;
    if (s < 7 * H) k = 0;
    else if (s < 8 * H) [k, ign, speed] = [(s - 7 * H) / 10 + 1, !(s >= 7.5 * H && s < 7.5 * H + 60), 40];
    else if (s < 12 * H) k = 360;
    else if (s < 13 * H) {
      const j = (s - 12 * H) / 10;
      [k, ign, speed] = [360 + (j < 180 ? j + 1 : 359 - j), true, s >= 12 * H + 1200 && s < 12 * H + 1500 ? 100 : 40];
    } else if (s < 15 * H) k = 360;
    else if (s < 16 * H) [k, ign, speed] = [360 - ((s - 15 * H) / 10 + 1), true, 40];
    out.push({
      timestamp: day0 + s,
      'position.latitude': Number((DEPOT.lat + k * STEP_DEG).toFixed(6)),
      'position.longitude': DEPOT.lon,
      'position.speed': speed,
      'engine.ignition.status': ign,
    });
  }
  return out;
}
