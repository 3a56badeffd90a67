/**
 * Calculators (task: the calculator engine). On one core:
 * - messages/s through `step` with 3 calculators per device (trips by ignition with mileage, route
 *   and messages counters; stops; overspeed), against a loop that only reads the messages; with the
 *   message key given (ingest already has it for storage) and with `messageKey` computed here;
 * - the recomputation after one late message in the middle of a day of 10 s messages (8,640) for
 *   the trips calculator: plan, fold from the checkpoint over the stored messages, apply; and the
 *   whole day folded from scratch for comparison;
 * - the size of the stored state (JSON) at its largest during the day.
 * Writes bench/results/calcs.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import {
  applyRecompute,
  type CompiledCalc,
  computeIntervals,
  type Interval,
  type IntervalState,
  initialState,
  planRecompute,
  step,
} from '../core/calcs/index.js';
import { messageKey } from '../core/messages/pack.js';
import type { Message } from '../protocols/common/types.js';
import { calcOf, DAY0, IntervalDb, syntheticDay } from '../test/helpers/calcs.js';
import { fmt, opsPerSecond, table } from './lib/measure.js';

const DAYS = 10;
const CHUNK = 1000;

const trips = () =>
  calcOf({
    name: 'trips',
    update_delay: 30,
    selectors: [{ type: 'expression', expression: 'engine.ignition.status == true', merge_message_before: true, merge_message_after: true, max_inactive: 120 }],
    counters: [
      { type: 'mileage', name: 'mileage' },
      { type: 'route', name: 'route' },
      { type: 'messages', name: 'messages' },
    ],
  });
const stops = () => calcOf({ name: 'stops', update_delay: 30, selectors: [{ type: 'expression', expression: 'position.speed < 1', min_duration: 300 }] });
const overspeed = () =>
  calcOf({
    name: 'overspeed',
    update_delay: 30,
    selectors: [{ type: 'expression', expression: "position.speed > metadata('speed_limit')" }],
    counters: [{ type: 'expression', name: 'max_speed', expression: 'position.speed', method: 'maximum' }],
  });

const ctx = { metadata: { speed_limit: 90 } };

/** Messages/s over DAYS days of messages, CHUNK at a time; states start over when the days run out. */
function throughput(calcs: readonly CompiledCalc[], messages: readonly Message[], keys: readonly string[] | null): number {
  let states: IntervalState[] = calcs.map(() => initialState());
  let at = 0;
  let sink = 0;
  const rate = opsPerSecond(
    () => {
      if (at + CHUNK > messages.length) {
        at = 0;
        states = calcs.map(() => initialState());
      }
      for (let i = at; i < at + CHUNK; i++) {
        const m = messages[i];
        if (calcs.length === 0) {
          sink += m.timestamp as number;
          continue;
        }
        const key = keys === null ? messageKey(m) : keys[i];
        for (let c = 0; c < calcs.length; c++) sink += step(calcs[c], states[c], m, ctx, key).events.length;
      }
      at += CHUNK;
      return sink;
    },
    { ms: 700, rounds: 5, warmupMs: 500 },
  );
  return Math.round(rate * CHUNK);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** One late message at 12:00:05 into a day already stepped: the lead's recompute, timed. */
function recompute(): Record<string, number> {
  const calc = trips();
  const day = syntheticDay(false);
  const db = new IntervalDb();
  let state = initialState();
  for (const m of day) db.apply(step(calc, state, m, ctx).events);
  const late: Message = { timestamp: DAY0 + 12 * 3600 + 5, 'engine.ignition.status': false, 'position.speed': 0 };
  const stored = [...day, late];
  const storedKeys = stored.map(messageKey);
  const frozen = JSON.stringify(state);
  const times: number[] = [];
  const keyed: number[] = [];
  const full: number[] = [];
  let refolded = 0;
  let events = 0;
  for (let r = 0; r < 7; r++) {
    state = JSON.parse(frozen) as IntervalState;
    const t0 = performance.now();
    const plan = planRecompute(state, [late]);
    if (plan === null) throw new Error('no plan');
    const messages = stored.filter((m) => (m.timestamp as number) >= plan.from && (m.timestamp as number) <= plan.to);
    const existing: Interval[] = db.list().filter((i) => i.begin >= plan.replaceFrom);
    const out = applyRecompute(calc, existing, computeIntervals(calc, messages, ctx, plan), state, ctx);
    times.push(performance.now() - t0);
    refolded = messages.length;
    events = out.events.length;
    // the same with the keys the message store already has
    state = JSON.parse(frozen) as IntervalState;
    const tk = performance.now();
    const again = planRecompute(state, [late]);
    if (again === null) throw new Error('no plan');
    const picked = stored
      .map((m, i) => [m, storedKeys[i]] as const)
      .filter(([m]) => (m.timestamp as number) >= again.from && (m.timestamp as number) <= again.to);
    const fold = computeIntervals(
      calc,
      picked.map(([m]) => m),
      ctx,
      again,
      picked.map(([, k]) => k),
    );
    applyRecompute(
      calc,
      db.list().filter((i) => i.begin >= again.replaceFrom),
      fold,
      state,
      ctx,
    );
    keyed.push(performance.now() - tk);
    const t1 = performance.now();
    computeIntervals(calc, stored, ctx);
    full.push(performance.now() - t1);
  }
  return {
    day_messages: day.length,
    refolded_messages: refolded,
    events,
    recompute_ms: Number(median(times).toFixed(2)),
    recompute_with_stored_keys_ms: Number(median(keyed).toFixed(2)),
    whole_day_ms: Number(median(full).toFixed(2)),
  };
}

/** The largest stored state (JSON bytes) of each calculator over the day. */
function stateSizes(calcs: readonly CompiledCalc[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const calc of calcs) {
    const state = initialState();
    let largest = 0;
    for (const m of syntheticDay()) {
      step(calc, state, m, ctx);
      if ((m.timestamp as number) % 600 === 0) largest = Math.max(largest, JSON.stringify(state).length);
    }
    out[calc.definition.name] = largest;
  }
  return out;
}

export function run(): Record<string, unknown> {
  const messages = Array.from({ length: DAYS }, (_, d) => syntheticDay(true, DAY0 + d * 86400)).flat();
  const keys = messages.map(messageKey);
  const calcs = [trips(), stops(), overspeed()];
  const none = throughput([], messages, keys);
  const three = throughput(calcs, messages, keys);
  const threeHashing = throughput(calcs, messages, null);
  const late = recompute();
  const out = {
    messages_per_s: { no_calculator: none, three_calculators: three, three_calculators_with_message_key: threeHashing },
    step_us_per_message_and_calculator: Number((1e6 / three / calcs.length).toFixed(3)),
    late_message_one_day: late,
    state_json_bytes_max: stateSizes(calcs),
    load_average_1m: Number(loadavg()[0].toFixed(2)),
  };
  console.log('\nCalculators: messages through step on one core (a day of 10 s messages, repeated)');
  console.log(
    table(
      ['calculators', 'messages/s'],
      [
        ['none (read the messages)', fmt(none)],
        ['trips (mileage, route) + stops + overspeed', fmt(three)],
        ['the same, messageKey computed per message', fmt(threeHashing)],
      ],
    ),
  );
  console.log(
    `late message at 12:00:05 into a day of ${late.day_messages} messages (trips): recompute ${late.recompute_ms} ms ` +
      `(${late.refolded_messages} messages refolded, ${late.events} events; ${late.recompute_with_stored_keys_ms} ms with the stored keys); ` +
      `the whole day from scratch ${late.whole_day_ms} ms`,
  );
  console.log(`largest state JSON: ${JSON.stringify(out.state_json_bytes_max)}; load average ${out.load_average_1m}`);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = run();
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/calcs.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
}
