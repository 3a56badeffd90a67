import { describe, expect, it } from 'vitest';
import {
  type CalcEventName,
  computeIntervals,
  type Interval,
  type IntervalState,
  initialState,
  intervalsToCsv,
  intervalsToGpx,
  isoInZone,
  ROUTE_CAP,
  type RoutePoint,
  type StepResult,
  step,
  tick,
} from '../../../core/calcs/index.js';
import { ValidationError } from '../../../core/errors.js';
import { EARTH_RADIUS_KM, GeofenceIndex } from '../../../core/geofences/index.js';
import { type CalcCreate, CalcCreateSchema, CalcSchema, type CalcUpdate, CalcUpdateSchema } from '../../../core/schemas/calcs.js';
import { parseOrThrow } from '../../../core/schemas/common.js';
import type { Message } from '../../../protocols/common/types.js';
import { calcOf, DAY0, DEPOT, eventLines, feed, STEP_DEG, series, spans, syntheticDay } from '../../helpers/calcs.js';

const on = (v: boolean | null) => ({ ign: v });
/** Messages at times `t` with `ign` from the pattern: 1 ON, 0 OFF, ? no value (UNKNOWN). */
function pattern(times: number[], p: string): Message[] {
  return series(times, (_, i) => (p[i] === '?' ? {} : on(p[i] === '1')));
}
const IGN = { type: 'expression', expression: 'ign' };

function createError(body: unknown): string {
  try {
    parseOrThrow(CalcCreateSchema.array(), [body]);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('calcs', () => {
  describe('CalcCreateSchema', () => {
    it('applies the defaults', () => {
      const [c]: CalcCreate[] = parseOrThrow(CalcCreateSchema.array(), [{ name: 'trips', selectors: [{ type: 'expression', expression: 'ign' }] }]);
      expect(c).toEqual({
        name: 'trips',
        selectors: [{ type: 'expression', expression: 'ign', method: 'boolean' }],
        counters: [],
        intervals_ttl: 31536000,
        timezone: 'UTC',
        update_delay: 30,
      });
      expect(CalcSchema.parse({ id: 7, ...c }).id).toBe(7);
    });

    it('compiles expressions at validation: a bad one names the field and position', () => {
      const sel = (expression: string) => ({ type: 'expression', expression });
      expect(createError({ name: 'x', selectors: [sel('a'), sel('a >)')] })).toBe("[0].selectors[1].expression: unexpected ')' at 3");
      expect(createError({ name: 'x', selectors: [sel('a')], counters: [{ type: 'expression', name: 'q', expression: 'foo(1)', method: 'first' }] })).toBe(
        "[0].counters[0].expression: unknown function 'foo' at 0",
      );
      expect(createError({ name: 'x', selectors: [sel('a')], counters: [{ type: 'interval', name: 'q', expression: '1 +' }] })).toBe(
        '[0].counters[0].expression: expected an expression at 3',
      );
      expect(createError({ name: 'x', selectors: [sel('a')], validate_message: 'a ==' })).toBe('[0].validate_message: expected an expression at 4');
      expect(createError({ name: 'x', selectors: [sel('a')], validate_interval: ')' })).toBe("[0].validate_interval: unexpected ')' at 0");
    });

    it('refuses bad combinations, names and ranges', () => {
      const ok = { name: 'x', selectors: [IGN] };
      expect(createError({ ...ok, selectors: [{ type: 'inactive', min_duration: 10 }, IGN] })).toBe(
        '[0].selectors[0]: an inactive selector cannot be combined with other selectors',
      );
      expect(createError({ ...ok, selectors: [{ type: 'inactive', min_duration: 10, max_inactive: 5 }] })).toBe(
        '[0].selectors[0].max_inactive: does not apply to an inactive selector',
      );
      expect(createError({ ...ok, selectors: [{ type: 'inactive' }] })).toMatch(/^\[0\]\.selectors\[0\]\.min_duration: /);
      expect(createError({ ...ok, selectors: [{ ...IGN, method: 'change', invert: true }] })).toBe(
        "[0].selectors[0].invert: does not apply to method 'change'",
      );
      expect(createError({ ...ok, selectors: [] })).toMatch(/^\[0\]\.selectors: /);
      expect(createError({ ...ok, selectors: Array(11).fill(IGN) })).toMatch(/^\[0\]\.selectors: /);
      expect(createError({ ...ok, selectors: [{ type: 'geofence', geofences: [] }] })).toMatch(/^\[0\]\.selectors\[0\]\.geofences: /);
      expect(
        createError({
          ...ok,
          counters: [
            { type: 'messages', name: 'n' },
            { type: 'mileage', name: 'n' },
          ],
        }),
      ).toBe('[0].counters[1].name: duplicate counter name "n"');
      expect(createError({ ...ok, counters: [{ type: 'route', name: 'duration' }] })).toBe('[0].counters[0].name: "duration" is a field of every interval');
      expect(createError({ ...ok, counters: Array.from({ length: 51 }, (_, i) => ({ type: 'messages', name: `n${i}` })) })).toMatch(/^\[0\]\.counters: /);
      expect(createError({ ...ok, counters: [{ type: 'expression', name: 'q', expression: 'a', method: 'median' }] })).toMatch(
        /^\[0\]\.counters\[0\]\.method: /,
      );
      expect(createError({ ...ok, timezone: 'Mars/Base' })).toBe('[0].timezone: must be an IANA time zone name (e.g. "Europe/Berlin")');
      expect(createError({ ...ok, intervals_ttl: 3599 })).toMatch(/^\[0\]\.intervals_ttl: /);
      expect(createError({ ...ok, intervals_ttl: 10 * 365 * 86400 + 1 })).toMatch(/^\[0\]\.intervals_ttl: /);
      expect(createError({ ...ok, update_delay: 86401 })).toMatch(/^\[0\]\.update_delay: /);
      expect(createError({ ...ok, update_delay: -1 })).toMatch(/^\[0\]\.update_delay: /);
      expect(createError({ ...ok, colour: 'red' })).toBe('[0]: unknown field(s) "colour"');
      expect(parseOrThrow(CalcCreateSchema, { ...ok, timezone: 'Europe/Berlin' }).timezone).toBe('Europe/Berlin');
    });

    it('CalcUpdateSchema takes any subset, null removes an optional expression, and checks the same rules', () => {
      const update: CalcUpdate = parseOrThrow(CalcUpdateSchema, { validate_message: null, update_delay: 0 });
      expect(update).toEqual({ validate_message: null, update_delay: 0 });
      expect(() => parseOrThrow(CalcUpdateSchema, { selectors: [{ type: 'expression', expression: '(' }] })).toThrow(
        'selectors[0].expression: expected an expression at 1',
      );
      expect(() => parseOrThrow(CalcUpdateSchema, { counters: [{ type: 'messages', name: 'end' }] })).toThrow(
        'counters[0].name: "end" is a field of every interval',
      );
    });
  });

  describe('step: selectors', () => {
    it('expression (boolean): consecutive ON messages form an interval, with its events', () => {
      const calc = calcOf({ selectors: [IGN], counters: [{ type: 'messages', name: 'n' }] });
      const r = feed(calc, pattern([0, 10, 20, 30, 40, 50, 60], '0111001'));
      expect(eventLines(r.events)).toEqual(['activated@10 10-10', 'updated@20 10-20', 'updated@30 10-30', 'deactivated@40 10-30 closed', 'activated@60 60-60']);
      expect(r.db.list()).toEqual([
        { id: 10000, begin: 10, end: 30, duration: 20, active: false, n: 3 },
        { id: 60000, begin: 60, end: 60, duration: 0, active: true, n: 1 },
      ]);
      expect(r.outcomes).toEqual(Array(7).fill('applied'));
    });

    it('UNKNOWN (null) messages neither start nor end an interval, and count inside it', () => {
      const calc = calcOf({ selectors: [IGN], counters: [{ type: 'messages', name: 'n' }] });
      const r = feed(calc, pattern([0, 10, 20, 30, 40, 50, 60], '??1??10'));
      expect(r.db.list()).toEqual([{ id: 20000, begin: 20, end: 50, duration: 30, active: false, n: 4 }]);
      // the UNKNOWN messages after the last ON are not part of it
      const tail = feed(calc, pattern([0, 10, 20, 30], '11??'));
      expect(tail.db.list()).toEqual([{ id: 0, begin: 0, end: 10, duration: 10, active: true, n: 2 }]);
    });

    it('invert swaps ON and OFF', () => {
      const r = feed(calcOf({ selectors: [{ ...IGN, invert: true }] }), pattern([0, 10, 20, 30, 40], '10?01'));
      expect(spans(r.db.list())).toEqual([[10, 30]]);
    });

    it('several selectors: ON when all are ON, OFF when any is OFF, else UNKNOWN', () => {
      const calc = calcOf({ selectors: [IGN, { type: 'expression', expression: 'speed' }] });
      const msgs = series(
        [0, 10, 20, 30, 40, 50],
        (_, i) => [{ ign: true, speed: 5 }, { ign: true }, { ign: true, speed: 0 }, { ign: true, speed: 9 }, { speed: 3 }, { ign: false }][i] as Message,
      );
      // 0 ON, 10 UNKNOWN, 20 OFF, 30 ON, 40 UNKNOWN, 50 OFF
      expect(spans(feed(calc, msgs).db.list())).toEqual([
        [0, 0],
        [30, 30],
      ]);
    });

    it('expression (change): an interval per run of equal values; null is UNKNOWN', () => {
      const calc = calcOf({
        selectors: [{ type: 'expression', expression: 'driver', method: 'change' }],
        counters: [{ type: 'expression', name: 'who', expression: 'driver', method: 'first' }],
      });
      const drivers = ['a', 'a', null, 'a', 'b', 'b', 'a', null];
      const r = feed(
        calc,
        series([0, 10, 20, 30, 40, 50, 60, 70], (_, i) => (drivers[i] === null ? {} : { driver: drivers[i] }) as Message),
      );
      expect(r.db.list().map((i) => [i.begin, i.end, i.who, i.active])).toEqual([
        [0, 30, 'a', false],
        [40, 50, 'b', false],
        [60, 60, 'a', true],
      ]);
      expect(eventLines(r.events)).toEqual([
        'activated@0 0-0',
        'updated@10 0-10',
        'updated@30 0-30',
        'deactivated@40 0-30 closed',
        'activated@40 40-40',
        'updated@50 40-50',
        'deactivated@60 40-50 closed',
        'activated@60 60-60',
      ]);
    });

    it('change with merge_message_after: intervals meet at the message that changed', () => {
      const calc = calcOf({ selectors: [{ type: 'expression', expression: 'zone', method: 'change', merge_message_after: true }] });
      const r = feed(
        calc,
        series([0, 10, 20, 30], (_, i) => ({ zone: ['x', 'x', 'y', 'z'][i] })),
      );
      expect(spans(r.db.list())).toEqual([
        [0, 20],
        [20, 30],
        [30, 30],
      ]);
    });

    const depot = new GeofenceIndex([
      { id: 1, name: 'depot', geometry: { type: 'circle', center: { lat: 50, lon: 10 }, radius: 1 }, priority: 0, enabled: true },
      { id: 2, name: 'yard', geometry: { type: 'circle', center: { lat: 50.5, lon: 10 }, radius: 1 }, priority: 0, enabled: true },
      { id: 3, name: 'city', geometry: { type: 'circle', center: { lat: 50, lon: 10 }, radius: 100 }, priority: 0, enabled: true },
    ]);
    const at = (lat: number | null): Message => (lat === null ? {} : { 'position.latitude': lat, 'position.longitude': 10 });

    it('geofence: inside any listed geofence is ON; no position is UNKNOWN', () => {
      const calc = calcOf({ selectors: [{ type: 'geofence', geofences: [1, 2] }], counters: [{ type: 'geofence', name: 'in' }] });
      const lats = [50.2, 50, null, 50.001, 50.2, 50.5, 50.2];
      const r = feed(
        calc,
        series([0, 10, 20, 30, 40, 50, 60], (_, i) => at(lats[i])),
        { geofences: depot },
      );
      expect(r.db.list().map((i) => [i.begin, i.end, i.in])).toEqual([
        [10, 30, ['city', 'depot']],
        [50, 50, ['city', 'yard']],
      ]);
      // without geofences to ask, every message is UNKNOWN
      expect(
        feed(
          calc,
          series([0, 10], (_, i) => at(lats[i])),
        ).db.list(),
      ).toEqual([]);
    });

    it('inactive: a gap longer than min_duration is an interval from the message before it to the one after', () => {
      const calc = calcOf({ selectors: [{ type: 'inactive', min_duration: 60 }], counters: [{ type: 'messages', name: 'n' }] });
      const r = feed(
        calc,
        series([0, 10, 70, 131, 140], () => ({})),
      );
      expect(r.db.list()).toEqual([{ id: 70000, begin: 70, end: 131, duration: 61, active: false, n: 2 }]);
      expect(eventLines(r.events)).toEqual(['activated@131 70-131', 'deactivated@131 70-131 closed']);
    });

    it('inactive: a tick opens the interval while the silence lasts, stretches it, and the next message ends it', () => {
      const calc = calcOf({ selectors: [{ type: 'inactive', min_duration: 60 }], update_delay: 30 });
      const state = feed(
        calc,
        series([0, 10], () => ({})),
      ).state;
      expect(tick(calc, state, 70, {}).events).toEqual([]);
      const lines = (t: number, r: { events: { event: CalcEventName; interval: Interval }[] }) =>
        r.events.map((e) => `${e.event}@${t} ${e.interval.begin}-${e.interval.end}`);
      expect(lines(71, tick(calc, state, 71, {}))).toEqual(['activated@71 10-71']);
      expect(lines(100, tick(calc, state, 100, {}))).toEqual(['updated@100 10-100']);
      // a message older than that tick is late: it might fill the gap
      expect(step(calc, state, { timestamp: 90 }, {}).outcome).toBe('late');
      const r = step(calc, state, { timestamp: 130 }, {});
      expect(lines(130, r)).toEqual(['updated@130 10-130']);
      expect(lines(160, tick(calc, state, 160, {}))).toEqual(['deactivated@160 10-130']);
    });
  });

  describe('step: options', () => {
    it('min_duration drops shorter intervals; an open one is reported once it reaches it', () => {
      const calc = calcOf({ selectors: [{ ...IGN, min_duration: 20 }] });
      const r = feed(calc, pattern([0, 10, 20, 30, 40, 50, 60, 70], '11011101'));
      expect(eventLines(r.events)).toEqual(['activated@50 30-50', 'deactivated@60 30-50 closed']);
      expect(spans(r.db.list())).toEqual([[30, 50]]);
    });

    it('max_inactive: OFF messages within it of the last ON message do not end the interval', () => {
      const calc = calcOf({ selectors: [{ ...IGN, max_inactive: 30 }], counters: [{ type: 'messages', name: 'n' }] });
      // OFF at 20 and 30, ON again at 40 (40 - 10 = 30): continues; OFF from 50, nothing by 80: ends at 40
      const r = feed(calc, pattern([0, 10, 20, 30, 40, 50, 60, 71, 80], '011110000'));
      expect(r.db.list()).toEqual([{ id: 10000, begin: 10, end: 40, duration: 30, active: false, n: 4 }]);
      expect(eventLines(r.events)).toEqual(['activated@10 10-10', 'updated@20 10-20', 'updated@30 10-30', 'updated@40 10-40', 'deactivated@71 10-40 closed']);
      // ON 31 s after the last ON: a new interval
      expect(spans(feed(calc, pattern([0, 10, 41], '101')).db.list())).toEqual([
        [0, 0],
        [41, 41],
      ]);
    });

    it('max_inactive: the first OFF message already past it ends the interval at once', () => {
      const calc = calcOf({ selectors: [{ ...IGN, max_inactive: 30 }] });
      const r = feed(calc, pattern([0, 100, 110], '101'));
      expect(eventLines(r.events)).toEqual(['activated@0 0-0', 'deactivated@100 0-0 closed', 'activated@110 110-110']);
    });

    it('max_inactive: after it runs out a tick ends the interval once update_delay has passed', () => {
      const calc = calcOf({ selectors: [{ ...IGN, max_inactive: 30 }], update_delay: 10 });
      const state = feed(calc, pattern([0, 10, 20], '110')).state;
      expect(tick(calc, state, 50, {}).events).toEqual([]);
      const r = tick(calc, state, 51, {});
      expect(r.events.map((e) => [e.event, e.interval.begin, e.interval.end, e.interval.active])).toEqual([['deactivated', 0, 10, false]]);
      expect(state.ticked).toBe(51);
      expect(step(calc, state, { timestamp: 45, ign: true }, {}).outcome).toBe('late');
    });

    it('max_messages_time_diff: a larger gap ends the interval at the message before it', () => {
      const calc = calcOf({ selectors: [{ ...IGN, max_messages_time_diff: 60 }] });
      const r = feed(calc, pattern([0, 10, 70, 131, 140], '11111'));
      expect(spans(r.db.list())).toEqual([
        [0, 70],
        [131, 140],
      ]);
      // and a tick ends it after the gap plus update_delay
      const delayed = calcOf({ selectors: [{ ...IGN, max_messages_time_diff: 60 }], update_delay: 5 });
      const st = feed(delayed, pattern([0, 10], '11')).state;
      expect(tick(delayed, st, 75, {}).events).toEqual([]);
      expect(tick(delayed, st, 76, {}).events.map((e) => [e.event, e.interval.end])).toEqual([['deactivated', 10]]);
    });

    it('merge_message_before / merge_message_after take the neighbouring OFF messages as the edges', () => {
      const msgs = pattern([0, 10, 20, 30, 40, 50], '001100');
      const counters = [{ type: 'messages', name: 'n' }];
      expect(feed(calcOf({ selectors: [IGN], counters }), msgs).db.list()).toEqual([{ id: 20000, begin: 20, end: 30, duration: 10, active: false, n: 2 }]);
      expect(feed(calcOf({ selectors: [{ ...IGN, merge_message_before: true }], counters }), msgs).db.list()).toEqual([
        { id: 10000, begin: 10, end: 30, duration: 20, active: false, n: 3 },
      ]);
      expect(feed(calcOf({ selectors: [{ ...IGN, merge_message_after: true }], counters }), msgs).db.list()).toEqual([
        { id: 20000, begin: 20, end: 40, duration: 20, active: false, n: 3 },
      ]);
      const both = { selectors: [{ ...IGN, merge_message_before: true, merge_message_after: true }], counters };
      expect(feed(calcOf(both), msgs).db.list()).toEqual([{ id: 10000, begin: 10, end: 40, duration: 30, active: false, n: 4 }]);
      // an UNKNOWN neighbour is not merged; one OFF message between two intervals closes one and opens the other
      expect(spans(feed(calcOf(both), pattern([0, 10, 20, 30, 40], '?101?')).db.list())).toEqual([
        [10, 20],
        [20, 30],
      ]);
    });

    it('merges do not reach across a gap over max_messages_time_diff', () => {
      const calc = calcOf({ selectors: [{ ...IGN, merge_message_before: true, merge_message_after: true, max_messages_time_diff: 30 }] });
      expect(spans(feed(calc, pattern([0, 50, 60, 110], '0110')).db.list())).toEqual([[50, 60]]);
    });

    it('the options of several selectors combine: the largest min_duration, the smallest limits, merges if any asks', () => {
      const calc = calcOf({
        selectors: [
          { ...IGN, min_duration: 10, max_inactive: 60, merge_message_after: true },
          { type: 'expression', expression: 'speed > 5', min_duration: 30, max_inactive: 20, max_messages_time_diff: 90 },
        ],
      });
      expect([calc.minDuration, calc.maxInactive, calc.maxGap, calc.mergeBefore, calc.mergeAfter]).toEqual([30, 20, 90, false, true]);
      expect(calc.selectors.map((s) => s.kind)).toEqual(['boolean', 'boolean']);
    });

    it('validate_message: messages for which it is false are ignored entirely', () => {
      const calc = calcOf({ selectors: [IGN], validate_message: 'valid', counters: [{ type: 'messages', name: 'n' }] });
      const msgs = series(
        [0, 10, 20, 30],
        (_, i) =>
          [
            { ign: true, valid: true },
            { ign: false, valid: false },
            { ign: true, valid: true },
            { ign: false, valid: true },
          ][i],
      );
      const r = feed(calc, msgs);
      expect(r.outcomes).toEqual(['applied', 'ignored', 'applied', 'applied']);
      expect(r.db.list()).toEqual([{ id: 0, begin: 0, end: 20, duration: 20, active: false, n: 2 }]);
    });

    it('validate_interval: an ending interval for which it is false is dropped (deleted if it was reported)', () => {
      const calc = calcOf({ selectors: [IGN], validate_interval: 'n >= 3', counters: [{ type: 'messages', name: 'n' }] });
      const r = feed(calc, pattern([0, 10, 20, 30, 40, 50, 60, 70], '11011100'));
      expect(eventLines(r.events)).toEqual([
        'activated@0 0-0',
        'updated@10 0-10',
        'deleted@20 0-10',
        'activated@30 30-30',
        'updated@40 30-40',
        'updated@50 30-50',
        'deactivated@60 30-50 closed',
      ]);
      expect(spans(r.db.list())).toEqual([[30, 50]]);
    });

    it('update_delay: an ended interval is deactivated once the newest message is that far past its end', () => {
      const calc = calcOf({ selectors: [IGN], update_delay: 30 });
      const r = feed(calc, pattern([0, 10, 20, 30, 45, 50, 51], '1100000'));
      // ended by the OFF message at 20; deactivated by the message at 50 (20 + 30)
      expect(eventLines(r.events)).toEqual(['activated@0 0-0', 'updated@10 0-10', 'deactivated@50 0-10 closed']);
      const st = feed(calc, pattern([0, 10, 20], '110')).state;
      expect(st.closing.map((c) => [c.at, c.interval.end, c.interval.active])).toEqual([[20, 10, true]]);
      expect(tick(calc, st, 49, {}).events).toEqual([]);
      expect(tick(calc, st, 50, {}).events.map((e) => e.event)).toEqual(['deactivated']);
      expect(st.closing).toEqual([]);
      expect(st.ticked).toBeNull();
    });
  });

  describe('counters', () => {
    const expr = (method: string, expression = 'x') => ({ type: 'expression', name: `x_${method}`, expression, method });
    const methods = ['first', 'last', 'minimum', 'maximum', 'average', 'summary', 'difference', 'duration'];

    it('expression counters: every method over the interval messages', () => {
      const calc = calcOf({ selectors: [IGN], counters: [...methods.map((m) => expr(m)), { type: 'messages', name: 'n' }] });
      const xs = [null, 4, 'a', 10, 1, 7];
      const msgs = series([0, 10, 20, 30, 40, 70, 80], (_, i) => (i < 6 ? { ign: true, ...(xs[i] === null ? {} : { x: xs[i] }) } : { ign: false }));
      const [i] = feed(calc, msgs).db.list();
      expect(i).toEqual({
        id: 0,
        begin: 0,
        end: 70,
        duration: 70,
        active: false,
        x_first: 4,
        x_last: 7,
        x_minimum: 1,
        x_maximum: 10,
        x_average: 22 / 4,
        x_summary: 22,
        x_difference: 3,
        // true ('a' too) at 10, 20, 30, 40, 70: each until the next message of the interval: 10 + 10 + 10 + 30 + 0
        x_duration: 60,
        n: 6,
      });
    });

    it('expression counters with no value in the interval', () => {
      const calc = calcOf({ selectors: [IGN], counters: methods.map((m) => expr(m)) });
      const [i] = feed(calc, pattern([0, 10], '11')).db.list();
      expect(methods.map((m) => i[`x_${m}`])).toEqual([null, null, null, null, null, null, null, 0]);
    });

    it('mileage sums great-circle legs between consecutive positions; route lists them; messages without a position are skipped', () => {
      const calc = calcOf({
        selectors: [IGN],
        counters: [
          { type: 'mileage', name: 'km' },
          { type: 'route', name: 'path' },
        ],
      });
      const lats = [50, 50.01, null, 50.03, 99];
      const msgs = series([0, 10, 20, 30, 40], (_, i) => ({
        ign: true,
        ...(lats[i] === null ? {} : { 'position.latitude': lats[i], 'position.longitude': 10 }),
      }));
      const [i] = feed(calc, msgs).db.list();
      expect(i.km).toBeCloseTo((EARTH_RADIUS_KM * 0.03 * Math.PI) / 180, 9);
      expect(i.path).toEqual([
        { t: 0, lat: 50, lon: 10 },
        { t: 10, lat: 50.01, lon: 10 },
        { t: 30, lat: 50.03, lon: 10 },
      ]);
    });

    it(`route keeps at most ${ROUTE_CAP} points: every other point is dropped when full, the newest always shown`, () => {
      const calc = calcOf({
        selectors: [IGN],
        counters: [
          { type: 'route', name: 'path' },
          { type: 'messages', name: 'n' },
        ],
      });
      const n = 25_003;
      const msgs = series(
        Array.from({ length: n }, (_, i) => i),
        (t) => ({ ign: true, 'position.latitude': t / 1e5, 'position.longitude': 0 }),
      );
      const r = computeIntervals(calc, msgs, {});
      const path = r.intervals[0].path as readonly RoutePoint[];
      // 9999 kept (t 0–9998) → 5000 (stride 2) → 9999 (t up to 19996) → 5000 (stride 4): t = 0, 4, ..., 19996,
      // then every 4th point to 25000 (1251), then the newest, 25002
      expect(path.length).toBeLessThanOrEqual(ROUTE_CAP);
      expect(path.length).toBe(5000 + 1251 + 1);
      expect(path.slice(0, 3).map((p) => p.t)).toEqual([0, 4, 8]);
      expect(path.slice(-3).map((p) => p.t)).toEqual([24996, 25000, 25002]);
      expect(path.every((p, i) => i === path.length - 1 || p.t % 4 === 0)).toBe(true);
      expect(r.intervals[0].n).toBe(n);
    });

    it('geofence counter: the sorted union of the geofences the positions were in', () => {
      const index = new GeofenceIndex([
        { id: 1, name: 'b-zone', geometry: { type: 'circle', center: { lat: 0, lon: 0 }, radius: 1 }, priority: 0, enabled: true },
        { id: 2, name: 'a-zone', geometry: { type: 'circle', center: { lat: 0, lon: 0.1 }, radius: 1 }, priority: 5, enabled: true },
      ]);
      const calc = calcOf({ selectors: [IGN], counters: [{ type: 'geofence', name: 'zones' }] });
      const msgs = series([0, 10, 20], (_, i) => ({ ign: true, 'position.latitude': 0, 'position.longitude': [0, 0.05, 0.1][i] }));
      expect(feed(calc, msgs, { geofences: index }).db.list()[0].zones).toEqual(['a-zone', 'b-zone']);
    });

    it("interval counters: evaluated on the interval's fields; previous('x') reads the previous interval", () => {
      const calc = calcOf({
        selectors: [IGN],
        counters: [
          { type: 'messages', name: 'n' },
          { type: 'interval', name: 'per_min', expression: 'n / duration * 60' },
          { type: 'interval', name: 'total', expression: "n + if(previous('total'), previous('total'), 0)" },
          { type: 'interval', name: 'gap', expression: "begin - previous('end')" },
          { type: 'interval', name: 'limit', expression: "metadata('limit')" },
        ],
      });
      const r = feed(calc, pattern([0, 10, 20, 30, 40, 50, 60, 70], '11001110'), { metadata: { limit: 90 } });
      expect(r.db.list()).toEqual([
        { id: 0, begin: 0, end: 10, duration: 10, active: false, n: 2, per_min: 12, total: 2, gap: null, limit: 90 },
        { id: 40000, begin: 40, end: 60, duration: 20, active: false, n: 3, per_min: 9, total: 5, gap: 30, limit: 90 },
      ]);
    });
  });

  describe('ids, duplicates, late messages', () => {
    it("an interval's id is its begin in milliseconds; one more when that millisecond is taken", () => {
      const calc = calcOf({ selectors: [IGN] });
      const r = feed(calc, pattern([1.0004, 1.0004, 1.0006, 2.5], '1011'));
      // (1.0004 "ign on") and (1.0004 "ign off") are different messages at the same time
      expect(r.db.list().map((i) => i.id)).toEqual([1000, 1001]);
    });

    it('a repeated message is a duplicate; an older one is late and changes nothing', () => {
      const calc = calcOf({ selectors: [IGN] });
      const r = feed(calc, pattern([0, 10, 20], '110'));
      const before = JSON.stringify(r.state);
      expect(step(calc, r.state, { timestamp: 10, ign: true }, {}).outcome).toBe('duplicate');
      const late: StepResult = step(calc, r.state, { timestamp: 15, ign: true }, {});
      expect(late).toEqual({ state: r.state, events: [], outcome: 'late' });
      expect(step(calc, r.state, { ign: true }, {}).outcome).toBe('ignored');
      expect(JSON.stringify(r.state)).toBe(before);
    });

    it('the state round-trips through JSON at every step with the same events and intervals', () => {
      const calc = calcOf({
        selectors: [{ ...IGN, max_inactive: 25, merge_message_before: true, merge_message_after: true, min_duration: 5 }],
        counters: [
          { type: 'mileage', name: 'km' },
          { type: 'route', name: 'path' },
          { type: 'expression', name: 'avg', expression: 'x', method: 'average' },
          { type: 'interval', name: 'k', expression: "previous('km')" },
        ],
        update_delay: 15,
      });
      const msgs = series(
        Array.from({ length: 60 }, (_, i) => i * 10),
        (_, i) => ({
          ...(i % 7 === 3 ? {} : { ign: [1, 1, 0, 1, 0, 0, 0, 1][i % 8] === 1 }),
          x: i,
          'position.latitude': 50 + i / 1000,
          'position.longitude': 10,
        }),
      );
      const plain = feed(calc, msgs);
      const viaJson = feed(calc, msgs, {}, true);
      expect(viaJson.events).toEqual(plain.events);
      expect(viaJson.db.list()).toEqual(plain.db.list());
      expect(plain.db.list().length).toBeGreaterThan(3);
      expect(JSON.parse(JSON.stringify(plain.state))).toEqual(plain.state);
    });
  });

  describe('computeIntervals', () => {
    it('sorts, de-duplicates, and reports the open interval active', () => {
      const calc = calcOf({ selectors: [IGN], counters: [{ type: 'messages', name: 'n' }], update_delay: 15 });
      const msgs = pattern([30, 0, 10, 10, 20, 40, 50, 60], '01111111');
      const r = computeIntervals(calc, msgs, {});
      expect(r.intervals).toEqual([
        { id: 0, begin: 0, end: 20, duration: 20, active: false, n: 3 },
        { id: 40000, begin: 40, end: 60, duration: 20, active: true, n: 3 },
      ]);
      expect(r.replaceId).toBe(Number.MIN_SAFE_INTEGER);
      // the same as stepping the sorted messages
      const stepped = feed(calc, pattern([0, 10, 20, 30, 40, 50, 60], '1110111'));
      expect(r.intervals).toEqual(stepped.db.list());
      expect(r.state).toEqual(stepped.state);
    });

    it('an interval ended less than update_delay before the last message is still active', () => {
      const r = computeIntervals(calcOf({ selectors: [IGN], update_delay: 30 }), pattern([0, 10, 20], '110'), {});
      expect(r.intervals).toEqual([{ id: 0, begin: 0, end: 10, duration: 10, active: true }]);
      expect(r.state.closing.length).toBe(1);
    });
  });

  describe('recipes on one day of 10 s messages', () => {
    const day = syntheticDay();
    const h = (hh: number, mm = 0, ss = 0) => DAY0 + hh * 3600 + mm * 60 + ss;
    const run = (def: Record<string, unknown>, ctx = {}) => {
      const calc = calcOf({ update_delay: 30, ...def });
      const stepped = feed(calc, day, ctx);
      const batch = computeIntervals(calc, day, ctx);
      expect(batch.intervals).toEqual(stepped.db.list());
      return stepped.db.list();
    };
    const meridianKm = (deg: number) => (EARTH_RADIUS_KM * deg * Math.PI) / 180;

    it('the day has 8280 messages (the device is silent 02:00–03:00)', () => {
      expect(day.length).toBe(8640 - 360);
    });

    it('trips by ignition: merge before/after, max_inactive 120, with mileage and route', () => {
      const list = run({
        selectors: [
          { type: 'expression', expression: 'engine.ignition.status == true', merge_message_before: true, merge_message_after: true, max_inactive: 120 },
        ],
        counters: [
          { type: 'mileage', name: 'mileage' },
          { type: 'route', name: 'route' },
          { type: 'messages', name: 'messages' },
        ],
      });
      expect(spans(list)).toEqual([
        [h(6, 59, 50), h(8)],
        [h(11, 59, 50), h(13)],
        [h(14, 59, 50), h(16)],
      ]);
      expect(list.map((i) => i.messages)).toEqual([362, 362, 362]);
      expect(list.map((i) => (i.route as unknown[]).length)).toEqual([362, 362, 362]);
      for (const i of list) expect(i.mileage).toBeCloseTo(meridianKm(0.36), 6);
      expect(list.map((i) => i.active)).toEqual([false, false, false]);
    });

    it('trips by movement: position.speed > 5', () => {
      expect(spans(run({ selectors: [{ type: 'expression', expression: 'position.speed > 5' }] }))).toEqual([
        [h(7), h(7, 59, 50)],
        [h(12), h(12, 59, 50)],
        [h(15), h(15, 59, 50)],
      ]);
    });

    it('stops: position.speed < 1, min_duration 300 (the last one still open)', () => {
      const list = run({ selectors: [{ type: 'expression', expression: 'position.speed < 1', min_duration: 300 }] });
      expect(list.map((i) => [i.begin, i.end, i.active])).toEqual([
        [h(0), h(6, 59, 50), false],
        [h(8), h(11, 59, 50), false],
        [h(13), h(14, 59, 50), false],
        [h(16), h(23, 59, 50), true],
      ]);
    });

    it('depot visits: geofence selector (a 0.5 km circle), with the geofence counter', () => {
      const geofences = new GeofenceIndex([
        { id: 4, name: 'depot', geometry: { type: 'circle', center: DEPOT, radius: 0.5 }, priority: 0, enabled: true },
        {
          id: 5,
          name: 'customer',
          geometry: { type: 'circle', center: { lat: DEPOT.lat + 360 * STEP_DEG, lon: DEPOT.lon }, radius: 0.5 },
          priority: 0,
          enabled: true,
        },
      ]);
      const list = run({ selectors: [{ type: 'geofence', geofences: [4] }], counters: [{ type: 'geofence', name: 'where' }] }, { geofences });
      // 4 steps (0.445 km) from the depot is inside, 5 (0.556 km) outside
      expect(list.map((i) => [i.begin, i.end, i.where])).toEqual([
        [h(0), h(7, 0, 30), ['depot']],
        [h(15, 59, 10), h(23, 59, 50), ['depot']],
      ]);
    });

    it("overspeed: position.speed > metadata('speed_limit')", () => {
      const list = run({ selectors: [{ type: 'expression', expression: "position.speed > metadata('speed_limit')" }] }, { metadata: { speed_limit: 90 } });
      expect(spans(list)).toEqual([[h(12, 20), h(12, 24, 50)]]);
    });

    it('inactivity: inactive, min_duration 1800', () => {
      const list = run({ selectors: [{ type: 'inactive', min_duration: 1800 }] });
      expect(list.map((i) => [i.begin, i.end, i.duration])).toEqual([[h(1, 59, 50), h(3), 3610]]);
    });
  });

  describe('export', () => {
    const calc = {
      name: 'trips <A&B>',
      timezone: 'Europe/Berlin',
      counters: [
        { type: 'mileage' as const, name: 'km' },
        { type: 'route' as const, name: 'path' },
        { type: 'geofence' as const, name: 'zones' },
      ],
    };
    const intervals: Interval[] = [
      {
        id: 1714557600000,
        calc_id: 3,
        device_id: 9,
        begin: 1714557600,
        end: 1714557660.5,
        duration: 60.5,
        active: false,
        km: 1.25,
        path: [
          { t: 1714557600, lat: 52.5, lon: 13.4 },
          { t: 1714557660.5, lat: 52.51, lon: 13.4 },
        ],
        zones: ['depot', 'a,b'],
        note: 'say "hi"',
      },
      { id: 1704067200000, calc_id: 3, device_id: 9, begin: 1704067200, end: 1704067200, duration: 0, active: true, km: 0, path: [], zones: [] },
    ];

    it('ISO 8601 in a time zone', () => {
      expect(isoInZone(1714557600, 'Europe/Berlin')).toBe('2024-05-01T12:00:00+02:00');
      expect(isoInZone(1704067200, 'Europe/Berlin')).toBe('2024-01-01T01:00:00+01:00');
      expect(isoInZone(1704067200.25, 'America/New_York')).toBe('2023-12-31T19:00:00.250-05:00');
      expect(isoInZone(1704067200, 'Asia/Kolkata')).toBe('2024-01-01T05:30:00+05:30');
      expect(isoInZone(1704067200, 'UTC')).toBe('2024-01-01T00:00:00Z');
    });

    it('CSV: fields, counters in order, other fields last; RFC 4180 quoting; arrays as JSON', () => {
      expect(intervalsToCsv(calc, intervals)).toBe(
        [
          'id,calc_id,device_id,begin,begin_time,end,end_time,duration,active,km,path,zones,note',
          '1714557600000,3,9,1714557600,2024-05-01T12:00:00+02:00,1714557660.5,2024-05-01T12:01:00.500+02:00,60.5,false,1.25,' +
            '"[{""t"":1714557600,""lat"":52.5,""lon"":13.4},{""t"":1714557660.5,""lat"":52.51,""lon"":13.4}]","[""depot"",""a,b""]","say ""hi"""',
          '1704067200000,3,9,1704067200,2024-01-01T01:00:00+01:00,1704067200,2024-01-01T01:00:00+01:00,0,true,0,[],[],',
          '',
        ].join('\r\n'),
      );
      expect(intervalsToCsv({ counters: [], timezone: 'UTC' }, [])).toBe('id,begin,begin_time,end,end_time,duration,active\r\n');
    });

    it('GPX 1.1: one track per interval from its route, times in UTC, text escaped', () => {
      expect(intervalsToGpx(calc, intervals)).toBe(
        [
          '<?xml version="1.0" encoding="UTF-8"?>',
          '<gpx version="1.1" creator="telematics-hub" xmlns="http://www.topografix.com/GPX/1/1">',
          '  <metadata><name>trips &lt;A&amp;B&gt;</name></metadata>',
          '  <trk>',
          '    <name>1714557600000</name>',
          '    <desc>2024-05-01T10:00:00Z – 2024-05-01T10:01:00.500Z</desc>',
          '    <trkseg>',
          '      <trkpt lat="52.5" lon="13.4"><time>2024-05-01T10:00:00Z</time></trkpt>',
          '      <trkpt lat="52.51" lon="13.4"><time>2024-05-01T10:01:00.500Z</time></trkpt>',
          '    </trkseg>',
          '  </trk>',
          '  <trk>',
          '    <name>1704067200000</name>',
          '    <desc>2024-01-01T00:00:00Z – 2024-01-01T00:00:00Z</desc>',
          '  </trk>',
          '</gpx>',
          '',
        ].join('\n'),
      );
    });
  });
});

// A state that was never stepped reports nothing.
describe('calcs initial state', () => {
  it('is empty and plain JSON', () => {
    const s: IntervalState = initialState();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(s.core.open).toBeNull();
  });
});
