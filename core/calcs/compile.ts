import { type CompiledExpression, compileExpression } from '../expressions/index.js';
import type { CalcCounter, CalcDefinition, CalcSelector } from '../schemas/calcs.js';

/** How a counter folds its messages: a method of an `expression` counter, or the counter type. */
export type CounterKind =
  | 'first'
  | 'last'
  | 'minimum'
  | 'maximum'
  | 'average'
  | 'summary'
  | 'difference'
  | 'duration'
  | 'mileage'
  | 'route'
  | 'geofence'
  | 'messages';

export interface CompiledCounter {
  readonly name: string;
  readonly kind: CounterKind;
  /** Index into `Entry.v` (expression counters). */
  readonly slot: number;
}

export interface CompiledSelector {
  readonly kind: 'boolean' | 'change' | 'geofence';
  readonly expression: CompiledExpression | null;
  readonly geofences: readonly number[];
  readonly invert: boolean;
}

/** A calculator ready to run: expressions compiled once, selector options combined. */
export interface CompiledCalc {
  readonly definition: CalcDefinition;
  readonly selectors: readonly CompiledSelector[];
  /** The single selector is `inactive`: intervals are gaps longer than `minDuration`. */
  readonly inactive: boolean;
  readonly hasChange: boolean;
  /** Combined over the selectors: the largest min_duration, the smallest max_inactive and max_messages_time_diff, merges if any asks. */
  readonly minDuration: number;
  readonly maxInactive: number | null;
  readonly maxGap: number | null;
  readonly mergeBefore: boolean;
  readonly mergeAfter: boolean;
  readonly updateDelay: number;
  readonly validateMessage: CompiledExpression | null;
  readonly validateInterval: CompiledExpression | null;
  /** Counters folded over messages, in definition order (one accumulator slot each). */
  readonly counters: readonly CompiledCounter[];
  /** Expression counters' expressions, by slot. */
  readonly counterExpressions: readonly CompiledExpression[];
  /** `interval` counters, evaluated on the interval's fields in definition order. */
  readonly intervalCounters: readonly { readonly name: string; readonly expression: CompiledExpression }[];
  /** Counter names in definition order (the interval's field order). */
  readonly counterNames: readonly string[];
  /** The `interval` counters all come after the others (then the fields need no reordering). */
  readonly intervalCountersLast: boolean;
  /** Names of `route` counters (left out of the fields interval expressions see). */
  readonly routeNames: ReadonlySet<string>;
  /** Message parameters `previous('...')` reads in message-level expressions (kept of the last message). */
  readonly previousParams: readonly string[];
  /** Interval fields `previous('...')` reads in interval counters and validate_interval (kept of the previous interval). */
  readonly previousFields: readonly string[];
  readonly geofenceCounter: boolean;
  /** The last message's counter inputs are kept (it may open the next interval). */
  readonly keepEntry: boolean;
}

function selector(s: CalcSelector, i: number): CompiledSelector | null {
  const invert = s.invert === true;
  if (s.type === 'expression') {
    const expression = compileExpression(s.expression, `selectors[${i}].expression`);
    return { kind: s.method === 'change' ? 'change' : 'boolean', expression, geofences: [], invert };
  }
  if (s.type === 'geofence') return { kind: 'geofence', expression: null, geofences: [...s.geofences], invert };
  return null;
}

function optionOf(selectors: readonly CalcSelector[], key: 'max_inactive' | 'max_messages_time_diff'): number | null {
  const set = selectors.map((s) => s[key]).filter((x): x is number => typeof x === 'number');
  return set.length > 0 ? Math.min(...set) : null;
}

function counterKind(c: CalcCounter): CounterKind {
  return c.type === 'expression' ? c.method : (c.type as CounterKind);
}

/** Compiles a validated calculator. Throws an ExpressionError naming the field if an expression does not compile (validation already checked). */
export function compileCalc(def: CalcDefinition): CompiledCalc {
  const selectors = def.selectors.map(selector).filter((s): s is CompiledSelector => s !== null);
  const inactive = def.selectors.length === 1 && def.selectors[0].type === 'inactive';
  const counters: CompiledCounter[] = [];
  const counterExpressions: CompiledExpression[] = [];
  const intervalCounters: { name: string; expression: CompiledExpression }[] = [];
  def.counters.forEach((c, i) => {
    if (c.type === 'interval') {
      intervalCounters.push({ name: c.name, expression: compileExpression(c.expression, `counters[${i}].expression`) });
      return;
    }
    if (c.type === 'expression') counterExpressions.push(compileExpression(c.expression, `counters[${i}].expression`));
    counters.push({ name: c.name, kind: counterKind(c), slot: c.type === 'expression' ? counterExpressions.length - 1 : -1 });
  });
  const validateMessage = def.validate_message ? compileExpression(def.validate_message, 'validate_message') : null;
  const validateInterval = def.validate_interval ? compileExpression(def.validate_interval, 'validate_interval') : null;
  const messageLevel = [...selectors.map((s) => s.expression), ...counterExpressions, validateMessage];
  const intervalLevel = [...intervalCounters.map((c) => c.expression), validateInterval];
  const uses = (list: readonly (CompiledExpression | null)[]) => [...new Set(list.flatMap((e) => (e ? e.usesPrevious : [])))];
  const mergeBefore = !inactive && def.selectors.some((s) => s.merge_message_before === true);
  return Object.freeze({
    definition: def,
    selectors,
    inactive,
    hasChange: selectors.some((s) => s.kind === 'change'),
    minDuration: Math.max(0, ...def.selectors.map((s) => s.min_duration ?? 0)),
    maxInactive: optionOf(def.selectors, 'max_inactive'),
    maxGap: optionOf(def.selectors, 'max_messages_time_diff'),
    mergeBefore,
    mergeAfter: !inactive && def.selectors.some((s) => s.merge_message_after === true),
    updateDelay: def.update_delay,
    validateMessage,
    validateInterval,
    counters,
    counterExpressions,
    intervalCounters,
    counterNames: def.counters.map((c) => c.name),
    intervalCountersLast: def.counters.every((c, i) => c.type === 'interval' || def.counters.slice(0, i).every((b) => b.type !== 'interval')),
    routeNames: new Set(def.counters.filter((c) => c.type === 'route').map((c) => c.name)),
    previousParams: uses(messageLevel),
    previousFields: uses(intervalLevel),
    geofenceCounter: def.counters.some((c) => c.type === 'geofence'),
    keepEntry: mergeBefore || inactive,
  });
}
