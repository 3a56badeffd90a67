import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyRecompute,
  type BatchResult,
  type CalcContext,
  type CalcEvent,
  type CompiledCalc,
  computeIntervals,
  type IntervalState,
  planRecompute,
  type RecomputePlan,
  step,
  tick,
} from '../../../core/calcs/index.js';
import { CHECKPOINT_SPACING } from '../../../core/calcs/machine.js';
import { GeofenceIndex } from '../../../core/geofences/index.js';
import { messageKey } from '../../../core/messages/pack.js';
import type { Message } from '../../../protocols/common/types.js';
import { calcOf, feed, IntervalDb, series, spans } from '../../helpers/calcs.js';

const IGN = { type: 'expression', expression: 'ign' };
const pattern = (times: number[], p: string): Message[] => series(times, (_, i): Message => (p[i] === '?' ? {} : { ign: p[i] === '1' }));

/**
 * The lead's side of late data, in memory: a message store (de-duplicated by key), the stored
 * intervals (from events), and per batch: step each message, then recompute the span of the late ones.
 */
class Device {
  readonly stored = new Map<string, Message>();
  readonly db = new IntervalDb();
  state: IntervalState;
  recomputes = 0;
  resumed = 0;
  constructor(
    readonly calc: CompiledCalc,
    readonly ctx: CalcContext = {},
    state?: IntervalState,
  ) {
    this.state = state ?? feed(calc, []).state;
  }

  /** One delivered batch; returns every event it caused. */
  deliver(batch: readonly Message[]): CalcEvent[] {
    for (const m of batch) this.stored.set(messageKey(m), m);
    const events: CalcEvent[] = [];
    const late: Message[] = [];
    for (const m of batch) {
      this.state = JSON.parse(JSON.stringify(this.state)) as IntervalState;
      const r = step(this.calc, this.state, m, this.ctx);
      this.state = r.state;
      if (r.outcome === 'late') late.push(m);
      events.push(...r.events);
      this.db.apply(r.events);
    }
    const plan: RecomputePlan | null = planRecompute(this.state, late);
    if (plan !== null) {
      this.recomputes++;
      if (plan.resume !== null) this.resumed++;
      const messages = [...this.stored.values()].filter((m) => (m.timestamp as number) >= plan.from && (m.timestamp as number) <= plan.to);
      const existing = this.db.list().filter((i) => i.begin >= plan.replaceFrom);
      const recomputed: BatchResult = computeIntervals(this.calc, messages, this.ctx, plan);
      const r = applyRecompute(this.calc, existing, recomputed, this.state, this.ctx);
      this.state = r.state;
      events.push(...r.events);
      this.db.apply(r.events);
    }
    return events;
  }
}

describe('calcs late data', () => {
  describe('planRecompute', () => {
    it('resumes from the newest checkpoint before the earliest late message', () => {
      const calc = calcOf({ selectors: [IGN] });
      const times = Array.from({ length: 30 }, (_, i) => i * 100);
      const { state } = feed(calc, pattern(times, '000111111100000000001111111111'));
      // checkpoints at most every 600 s when the open interval is small: 0 (idle), 1000 and 1600 (idle);
      // 600–900 and from 2200 the open interval holds 3 messages or more, 2000 and 2100 are too soon
      expect(CHECKPOINT_SPACING).toBe(600);
      expect(state.checkpoints.map((c) => c.ts)).toEqual([0, 1000, 1600]);
      const plan = planRecompute(state, [{ timestamp: 1700, ign: true }]);
      expect(plan).toMatchObject({ from: 1600, to: 2900, replaceFrom: 1600 });
      expect(plan?.resume?.ts).toBe(1600);
      // the earliest late message decides; `to` covers the newest one
      expect(
        planRecompute(state, [
          { timestamp: 3000, ign: false },
          { timestamp: 50, ign: true },
        ]),
      ).toMatchObject({ from: 0, to: 3000, replaceFrom: 0 });
      expect(planRecompute(state, [{ ign: true }])).toBeNull();
      // older than every checkpoint: everything stored, from the initial state
      expect(planRecompute(state, [{ timestamp: -5 }])).toEqual({ from: 0, to: 2900, replaceFrom: 0, resume: null });
    });

    it('the open interval at the checkpoint is replaced from its begin', () => {
      const calc = calcOf({ selectors: [{ ...IGN, merge_message_before: true }] });
      const { state } = feed(calc, pattern([0, 10, 620, 630, 640], '00111'));
      expect(state.checkpoints.map((c) => [c.ts, c.core.open?.begin ?? null])).toEqual([
        [0, null],
        [620, 10],
      ]);
      expect(planRecompute(state, [{ timestamp: 625, ign: false }])).toMatchObject({ from: 620, to: 640, replaceFrom: 10 });
    });
  });

  describe('applyRecompute', () => {
    const calc = calcOf({ selectors: [IGN], counters: [{ type: 'messages', name: 'n' }] });

    it('a late message filling a gap over max_messages_time_diff merges two intervals: the first is updated, the second deleted', () => {
      const d = new Device(calcOf({ selectors: [{ ...IGN, max_messages_time_diff: 60 }], counters: [{ type: 'messages', name: 'n' }] }));
      d.deliver(pattern([0, 10, 100, 110], '1111'));
      expect(spans(d.db.list())).toEqual([
        [0, 10],
        [100, 110],
      ]);
      const events = d.deliver([{ timestamp: 55, ign: true }]);
      expect(events.map((e) => [e.event, e.interval.id, e.interval.begin, e.interval.end, e.interval.n, e.interval.active])).toEqual([
        ['updated', 0, 0, 110, 5, true],
        ['deleted', 100000, 100, 110, 2, true],
      ]);
    });

    it('a late ON message within max_inactive bridges two intervals', () => {
      const d = new Device(calcOf({ selectors: [{ ...IGN, max_inactive: 30 }] }));
      d.deliver(pattern([0, 10, 20, 30, 40, 50, 60, 70], '11000011'));
      expect(spans(d.db.list())).toEqual([
        [0, 10],
        [60, 70],
      ]);
      // ON at 35 (25 s after 10), then OFF until ON at 60 (25 s after 35): one interval
      const events = d.deliver([{ timestamp: 35, ign: true }]);
      expect(events.map((e) => [e.event, e.interval.id, e.interval.begin, e.interval.end, e.interval.active])).toEqual([
        ['updated', 0, 0, 70, true],
        ['deleted', 60000, 60, 70, true],
      ]);
    });

    it('merge, split, grow and vanish with the events of each', () => {
      const d = new Device(calc);
      d.deliver(pattern([0, 10, 20, 40, 50, 60, 70, 80], '11101101'));
      expect(d.db.list().map((i) => [i.id, i.begin, i.end, i.n, i.active])).toEqual([
        [0, 0, 20, 3, false],
        [50000, 50, 60, 2, false],
        [80000, 80, 80, 1, true],
      ]);
      // 30 ON: the first interval grows to 30 (40 is OFF)
      let events = d.deliver([{ timestamp: 30, ign: true }]);
      expect(events.map((e) => [e.event, e.interval.id, e.interval.begin, e.interval.end, e.interval.n])).toEqual([['updated', 0, 0, 30, 4]]);
      // 55 OFF splits the second interval: it shrinks to [50, 50], a new one [60, 60]
      events = d.deliver([{ timestamp: 55, ign: false }]);
      expect(events.map((e) => [e.event, e.interval.id, e.interval.begin, e.interval.end, e.interval.n])).toEqual([
        ['updated', 50000, 50, 50, 1],
        ['deactivated', 60000, 60, 60, 1],
      ]);
      // 45 ON before 50: the interval begins earlier: a new id, the old one deleted
      events = d.deliver([{ timestamp: 45, ign: true }]);
      expect(events.map((e) => [e.event, e.interval.id, e.interval.begin, e.interval.end])).toEqual([
        ['deactivated', 45000, 45, 50],
        ['deleted', 50000, 50, 50],
      ]);
      // 75 ON before 80: the open interval now begins at 75
      events = d.deliver([{ timestamp: 75, ign: true }]);
      expect(events.map((e) => [e.event, e.interval.id, e.interval.begin, e.interval.end, e.interval.active])).toEqual([
        ['activated', 75000, 75, 80, true],
        ['deleted', 80000, 80, 80, true],
      ]);
      expect(d.db.list()).toEqual(computeIntervals(calc, [...d.stored.values()], {}).intervals);
    });

    it('a late message that changes no interval emits nothing; replaying a batch emits nothing', () => {
      const plain = calcOf({ selectors: [IGN] });
      const d = new Device(plain);
      const batch = pattern([0, 10, 20, 30, 40, 50], '011011');
      d.deliver(batch);
      const before = d.db.list();
      expect(d.deliver([{ timestamp: 5, ign: false }])).toEqual([]);
      expect(d.deliver(batch)).toEqual([]);
      expect(d.deliver([...batch].reverse())).toEqual([]);
      expect(d.db.list()).toEqual(before);
    });

    it('keeps the ended intervals from before the checkpoint that still wait for update_delay', () => {
      const d = new Device(calcOf({ selectors: [IGN], update_delay: 2000 }));
      d.deliver(pattern([0, 10, 20, 700, 710, 720], '110010'));
      expect(d.state.checkpoints.map((c) => c.ts)).toEqual([0, 700]);
      expect(d.deliver([{ timestamp: 705, ign: true }])).toEqual([
        expect.objectContaining({ event: 'activated', interval: expect.objectContaining({ begin: 705, end: 710, active: true }) }),
        expect.objectContaining({ event: 'deleted', interval: expect.objectContaining({ begin: 710, end: 710 }) }),
      ]);
      expect(d.state.closing.map((c) => [c.at, c.interval.begin, c.interval.end])).toEqual([
        [20, 0, 10],
        [720, 705, 710],
      ]);
      const events = d.deliver([{ timestamp: 2030, ign: false }]);
      expect(events.map((e) => [e.event, e.interval.begin, e.interval.active])).toEqual([['deactivated', 0, false]]);
    });

    it('a tick that opened an inactive gap is re-applied after the recompute (a late message filling the gap deletes it)', () => {
      const calc = calcOf({ selectors: [{ type: 'inactive', min_duration: 60 }], update_delay: 5 });
      const d = new Device(calc);
      d.deliver(series([0, 10], () => ({})));
      const t = tick(calc, d.state, 100, {});
      d.db.apply(t.events);
      expect(spans(d.db.list())).toEqual([[10, 100]]);
      expect(d.state.ticked).toBe(100);
      const events = d.deliver([{ timestamp: 50 }]);
      expect(events.map((e) => [e.event, e.interval.begin, e.interval.end])).toEqual([['deleted', 10, 100]]);
      expect(d.state.ticked).toBeNull();
      expect(d.state.clock).toBe(100);
      // a message at 40 s past it: not a gap (50 → 90); a tick later opens one from 90
      expect(d.deliver([{ timestamp: 90 }])).toEqual([]);
      expect(tick(calc, d.state, 151, {}).events.map((e) => [e.event, e.interval.begin, e.interval.end])).toEqual([['activated', 90, 151]]);
    });
  });

  describe('property: any arrival order and batching gives the in-order intervals', () => {
    const geofences = new GeofenceIndex([
      { id: 1, name: 'home', geometry: { type: 'circle', center: { lat: 50, lon: 10 }, radius: 0.3 }, priority: 0, enabled: true },
    ]);
    const counters = [
      { type: 'messages', name: 'n' },
      { type: 'mileage', name: 'km' },
      { type: 'route', name: 'path' },
      { type: 'geofence', name: 'zones' },
      { type: 'expression', name: 'x_avg', expression: 'x', method: 'average' },
      { type: 'expression', name: 'x_on', expression: 'x > 2', method: 'duration' },
      { type: 'expression', name: 'x_first', expression: 'x', method: 'first' },
      { type: 'interval', name: 'sum', expression: "n + if(previous('sum'), previous('sum'), 0)" },
    ];
    const CALCS: Record<string, Record<string, unknown>> = {
      trips: { selectors: [{ ...IGN, max_inactive: 25, merge_message_before: true, merge_message_after: true, min_duration: 5 }], counters, update_delay: 20 },
      plain: { selectors: [IGN], counters },
      gaps: { selectors: [{ ...IGN, max_messages_time_diff: 60, invert: true }], counters, validate_interval: 'n >= 2' },
      change: { selectors: [{ type: 'expression', expression: 'zone', method: 'change', merge_message_after: true }], counters, update_delay: 15 },
      previous: { selectors: [{ type: 'expression', expression: "x >= previous('x')" }], counters, validate_message: "exists('x')" },
      inside: { selectors: [{ type: 'geofence', geofences: [1] }, IGN], counters },
      inactive: { selectors: [{ type: 'inactive', min_duration: 50 }], counters },
    };
    const message = fc.record(
      {
        gap: fc.constantFrom(0, 1, 5, 10, 10, 10, 30, 100, 400, 700),
        ign: fc.constantFrom(true, false, null),
        x: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
        zone: fc.constantFrom('a', 'b', null),
        move: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
      },
      { noNullPrototype: true },
    );
    const scenario = fc.record({
      calc: fc.constantFrom(...Object.keys(CALCS)),
      messages: fc.array(message, { minLength: 1, maxLength: 60 }),
      dups: fc.array(fc.nat(), { maxLength: 6 }),
      // arrival: each message is delayed by a few places (mostly 0), then cut into batches
      delays: fc.array(fc.constantFrom(0, 0, 0, 0, 1, 3, 10, 40), { maxLength: 70 }),
      cuts: fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 70 }),
      redeliver: fc.array(fc.boolean(), { maxLength: 20 }),
      // after a batch, sometimes time passes: a tick this long after the newest message delivered so far
      ticks: fc.array(fc.option(fc.constantFrom(0, 15, 40, 100, 800), { nil: null }), { maxLength: 20 }),
    });

    type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

    function build(s: Scenario): Message[] {
      let t = 1_700_000_000;
      let lat = 50;
      const out: Message[] = [];
      for (const m of s.messages) {
        t += m.gap;
        const msg: Message = { timestamp: t };
        if (m.ign !== null) msg.ign = m.ign;
        if (m.x !== null) msg.x = m.x;
        if (m.zone !== null) msg.zone = m.zone;
        if (m.move !== null) {
          lat += m.move / 1000;
          msg['position.latitude'] = Number(lat.toFixed(4));
          msg['position.longitude'] = 10;
        }
        out.push(msg);
      }
      for (const d of s.dups) out.push({ ...out[d % out.length] });
      return out;
    }

    const stats = { runs: 0, withLate: 0, recomputes: 0, resumed: 0, intervals: 0, ticked: 0 };

    function run(s: Scenario): void {
      const calc = calcOf(CALCS[s.calc]);
      const all = build(s);
      const arrival = all.map((m, i) => ({ m, at: i + (s.delays[i] ?? 0) + i / 1000 })).sort((a, b) => a.at - b.at);
      const d = new Device(calc, { geofences, metadata: {} });
      let at = 0;
      let b = 0;
      let newest = Number.NEGATIVE_INFINITY;
      while (at < arrival.length) {
        const size = s.cuts[b] ?? 5;
        const batch = arrival.slice(at, at + size).map((x) => x.m);
        d.deliver(batch);
        if (s.redeliver[b]) expect(d.deliver(batch)).toEqual([]);
        for (const m of batch) newest = Math.max(newest, m.timestamp as number);
        const wait = s.ticks[b];
        if (wait !== undefined && wait !== null) {
          d.state = JSON.parse(JSON.stringify(d.state)) as IntervalState;
          d.db.apply(tick(calc, d.state, newest + wait, d.ctx).events);
        }
        at += size;
        b++;
      }
      // in order, in one batch, then one tick at the same clock
      const expected = computeIntervals(calc, all, d.ctx);
      const final = new IntervalDb();
      final.apply(expected.intervals.map((interval) => ({ event: 'updated', interval })));
      if (d.state.clock !== null && d.state.clock > (expected.state.clock ?? Number.NEGATIVE_INFINITY)) {
        final.apply(tick(calc, expected.state, d.state.clock, d.ctx).events);
      }
      expect(d.db.list()).toEqual(final.list());
      stats.runs++;
      stats.withLate += d.recomputes > 0 ? 1 : 0;
      stats.recomputes += d.recomputes;
      stats.resumed += d.resumed;
      stats.intervals += expected.intervals.length;
      stats.ticked += d.state.ticked !== null ? 1 : 0;
      expect(d.state.core).toEqual(expected.state.core);
      expect(d.state.closing).toEqual(expected.state.closing);
    }

    it('step + late-data recompute == one batch over the sorted, de-duplicated messages', () => {
      fc.assert(fc.property(scenario, run), { numRuns: 400, seed: 20240501 });
      // the runs do exercise the late path, resuming from checkpoints, and ticks that changed the state
      expect(stats.runs).toBe(400);
      expect(stats.withLate).toBeGreaterThan(200);
      expect(stats.resumed).toBeGreaterThan(200);
      expect(stats.ticked).toBeGreaterThan(20);
      expect(stats.intervals).toBeGreaterThan(400);
    });
  });
});
