/**
 * Expression engine speed (core/expressions): evaluations per second on one core of a 5-clause
 * condition over a pool of 1,000 realistic messages, and its compile time; beside it an old-style
 * filter through the legacy path and through the old `parseFilter`, for scale.
 * Target: ≥ 1,000,000 evaluations/s. Writes bench/results/expressions.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { type CompiledExpression, compileExpression, type EvalContext } from '../core/expressions/index.js';
import type { Message } from '../protocols/common/types.js';
import { parseFilter } from '../test/helpers/legacy-filter.js';
import { fmt, opsPerSecond, table } from './lib/measure.js';

const EXPRESSION =
  "position.speed > 80 && engine.ignition.status == true && external.powersource.voltage > 12.5 && round(position.latitude, 2) != 0 && !exists('alarm.type')";
const OLD_FILTER = 'position.speed>80&&engine.ignition.status=true&&external.powersource.voltage>12.5';
const POOL = 1000;
const TARGET = 1_000_000;

/** A tracker report as the decoders produce it; speeds, ignition and voltage vary so every clause decides some messages. */
function message(i: number): Message {
  const m: Message = {
    timestamp: 1_700_000_000 + i * 10,
    ident: `35630704244${String(1000 + (i % 50)).padStart(4, '0')}`,
    'device.id': 1 + (i % 50),
    'channel.id': 1,
    'protocol.id': 1,
    'server.timestamp': 1_700_000_002 + i * 10,
    'position.latitude': 54.6872 + ((i * 37) % 1000) * 1e-4,
    'position.longitude': 25.2797 - ((i * 53) % 1000) * 1e-4,
    'position.altitude': 120 + (i % 50),
    'position.direction': (i * 7) % 360,
    'position.speed': (i * 13) % 140,
    'position.satellites': 5 + (i % 8),
    'position.valid': i % 17 !== 0,
    'engine.ignition.status': i % 5 !== 0,
    'movement.status': i % 3 !== 0,
    'external.powersource.voltage': 11.8 + (i % 30) / 10,
    'battery.voltage': 4.1,
    'gsm.signal.level': i % 6,
    'vehicle.mileage': 12345.6 + i / 100,
    din: i % 4,
  };
  if (i % 11 === 0) m['alarm.type'] = 'overspeed';
  return m;
}

function evaluationsPerSecond(expr: CompiledExpression, contexts: readonly EvalContext[]): number {
  return (
    opsPerSecond(() => {
      let n = 0;
      for (const c of contexts) if (expr.test(c)) n++;
      return n;
    }) * contexts.length
  );
}

export function run(): Record<string, unknown> {
  const messages = Array.from({ length: POOL }, (_, i) => message(i));
  const contexts: EvalContext[] = messages.map((message) => ({ message }));
  const expr = compileExpression(EXPRESSION, 'filter');
  const legacy = compileExpression(OLD_FILTER, 'filter');
  const old = parseFilter(OLD_FILTER);
  const matching = contexts.filter((c) => expr.test(c)).length;
  if (legacy.names.length !== 3 || contexts.some((c, i) => legacy.test(c) !== old(messages[i]))) throw new Error('legacy path disagrees with parseFilter');

  const evals = evaluationsPerSecond(expr, contexts);
  const compilesPerSecond = opsPerSecond(() => compileExpression(EXPRESSION, 'filter'));
  const legacyEvals = evaluationsPerSecond(legacy, contexts);
  const oldEvals =
    opsPerSecond(() => {
      let n = 0;
      for (const m of messages) if (old(m)) n++;
      return n;
    }) * POOL;

  const out = {
    expression: EXPRESSION,
    pool: POOL,
    matching,
    evaluations_per_s: Math.round(evals),
    target_evaluations_per_s: TARGET,
    meets_target: evals >= TARGET,
    compile_us: Number((1e6 / compilesPerSecond).toFixed(2)),
    old_filter: OLD_FILTER,
    legacy_path_evaluations_per_s: Math.round(legacyEvals),
    old_parse_filter_evaluations_per_s: Math.round(oldEvals),
  };
  console.log(`\nExpression engine, one core, pool of ${POOL} messages (${matching} match)`);
  console.log(
    table(
      ['what', 'figure'],
      [
        [`5-clause expression, evaluations/s (target ${fmt(TARGET)})`, fmt(evals)],
        ['compile time of that expression', `${out.compile_us} µs`],
        ['old 3-clause filter via the legacy path, evaluations/s', fmt(legacyEvals)],
        ['same filter via the old parseFilter, evaluations/s', fmt(oldEvals)],
      ],
    ),
  );
  console.log(`target ${out.meets_target ? 'met' : 'NOT met'}: ${fmt(evals)} evaluations/s`);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = run();
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/expressions.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
}
