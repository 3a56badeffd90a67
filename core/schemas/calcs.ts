import { z } from 'zod';
import { compileExpression, ExpressionError } from '../expressions/index.js';
import { IdSchema, QueryBool, QueryFields, QueryInt, QueryNumber } from './common.js';

/** Limits of a calculator definition. */
export const MAX_SELECTORS = 10;
export const MAX_COUNTERS = 50;
const MAX_EXPRESSION = 1024;
const TEN_YEARS = 10 * 365 * 86400;

/** Fields every interval has; a counter may not take one of these names. */
export const INTERVAL_FIELDS = ['id', 'calc_id', 'device_id', 'begin', 'end', 'duration', 'active'] as const;

/** An expression that compiles, checked when the body is validated: a bad one is a 400 naming the field and position. */
const Expression = z
  .string()
  .min(1)
  .max(MAX_EXPRESSION)
  .superRefine((text, ctx) => {
    try {
      compileExpression(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof ExpressionError ? `${err.problem} at ${err.position}` : String(err) });
    }
  });

const Seconds = z.number().min(0).max(TEN_YEARS);
const PositiveSeconds = z.number().positive().max(TEN_YEARS);

/** Options every selector takes (see core/calcs/compile.ts for how several selectors combine them). */
const selectorOptions = {
  /** s: intervals shorter than this are dropped (an `inactive` selector: the shortest gap that is an interval). */
  min_duration: Seconds.optional(),
  /** s: OFF messages within this long of the last ON message do not end the interval when ON returns. */
  max_inactive: PositiveSeconds.optional(),
  /** s: a gap between consecutive messages larger than this ends the interval at the message before it. */
  max_messages_time_diff: PositiveSeconds.optional(),
  /** The OFF message just before the first ON message opens the interval (its time is the begin). */
  merge_message_before: z.boolean().optional(),
  /** The OFF message just after the last ON message closes the interval (its time is the end). */
  merge_message_after: z.boolean().optional(),
  /** Swaps ON and OFF (UNKNOWN stays). */
  invert: z.boolean().optional(),
};

export const ExpressionSelectorSchema = z
  .object({ type: z.literal('expression'), expression: Expression, method: z.enum(['boolean', 'change']).default('boolean'), ...selectorOptions })
  .strict();

export const GeofenceSelectorSchema = z.object({ type: z.literal('geofence'), geofences: z.array(IdSchema).min(1).max(100), ...selectorOptions }).strict();

export const InactiveSelectorSchema = z.object({ type: z.literal('inactive'), ...selectorOptions, min_duration: PositiveSeconds }).strict();

export const SelectorSchema = z.discriminatedUnion('type', [ExpressionSelectorSchema, GeofenceSelectorSchema, InactiveSelectorSchema]);

const CounterName = z.string().min(1).max(128);

export const COUNTER_METHODS = ['first', 'last', 'minimum', 'maximum', 'average', 'summary', 'difference', 'duration'] as const;

export const CounterSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('expression'), name: CounterName, expression: Expression, method: z.enum(COUNTER_METHODS) }).strict(),
  z.object({ type: z.literal('mileage'), name: CounterName }).strict(),
  z.object({ type: z.literal('route'), name: CounterName }).strict(),
  z.object({ type: z.literal('geofence'), name: CounterName }).strict(),
  z.object({ type: z.literal('messages'), name: CounterName }).strict(),
  z.object({ type: z.literal('interval'), name: CounterName, expression: Expression }).strict(),
]);

const Timezone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone name (e.g. "Europe/Berlin")');

const fields = {
  name: z.string().min(1).max(255),
  selectors: z.array(SelectorSchema).min(1).max(MAX_SELECTORS),
  counters: z.array(CounterSchema).max(MAX_COUNTERS),
  validate_message: Expression,
  validate_interval: Expression,
  intervals_ttl: z.number().int().min(3600).max(TEN_YEARS),
  timezone: Timezone,
  update_delay: z.number().int().min(0).max(86400),
};

type Selector = z.output<typeof SelectorSchema>;
type Counter = z.output<typeof CounterSchema>;

/** Rules across fields: an `inactive` selector stands alone and takes only `min_duration`; `change` is not inverted; counter names are unique and not interval fields. */
function checkCombination(v: { selectors?: readonly Selector[]; counters?: readonly Counter[] }, ctx: z.RefinementCtx): void {
  const selectors = v.selectors ?? [];
  selectors.forEach((s, i) => {
    if (s.type === 'inactive') {
      if (selectors.length > 1)
        ctx.addIssue({ code: 'custom', path: ['selectors', i], message: 'an inactive selector cannot be combined with other selectors' });
      for (const k of ['max_inactive', 'max_messages_time_diff', 'merge_message_before', 'merge_message_after', 'invert'] as const) {
        if (s[k] !== undefined) ctx.addIssue({ code: 'custom', path: ['selectors', i, k], message: 'does not apply to an inactive selector' });
      }
    }
    if (s.type === 'expression' && s.method === 'change' && s.invert === true) {
      ctx.addIssue({ code: 'custom', path: ['selectors', i, 'invert'], message: "does not apply to method 'change'" });
    }
  });
  const seen = new Set<string>();
  (v.counters ?? []).forEach((c, i) => {
    if ((INTERVAL_FIELDS as readonly string[]).includes(c.name)) {
      ctx.addIssue({ code: 'custom', path: ['counters', i, 'name'], message: `"${c.name}" is a field of every interval` });
    } else if (seen.has(c.name)) {
      ctx.addIssue({ code: 'custom', path: ['counters', i, 'name'], message: `duplicate counter name "${c.name}"` });
    }
    seen.add(c.name);
  });
}

export const CalcCreateSchema = z
  .object({
    ...fields,
    counters: fields.counters.default([]),
    validate_message: fields.validate_message.optional(),
    validate_interval: fields.validate_interval.optional(),
    intervals_ttl: fields.intervals_ttl.default(31536000),
    timezone: fields.timezone.default('UTC'),
    update_delay: fields.update_delay.default(30),
  })
  .strict()
  .superRefine(checkCombination);

/** `PUT /gw/calcs/{sel}`: the fields to change; `null` removes an optional expression. */
export const CalcUpdateSchema = z
  .object({
    ...fields,
    validate_message: fields.validate_message.nullable(),
    validate_interval: fields.validate_interval.nullable(),
  })
  .partial()
  .strict()
  .superRefine(checkCombination);

/** A stored calculator (defaults applied). */
export const CalcSchema = z.object({
  id: IdSchema,
  name: z.string(),
  selectors: z.array(SelectorSchema),
  counters: z.array(CounterSchema),
  validate_message: z.string().optional(),
  validate_interval: z.string().optional(),
  intervals_ttl: z.number().int(),
  timezone: z.string(),
  update_delay: z.number(),
});

export type CalcCreate = z.output<typeof CalcCreateSchema>;
export type CalcUpdate = z.output<typeof CalcUpdateSchema>;
export type Calc = z.output<typeof CalcSchema>;
/** What the engine needs of a calculator: a created or stored one (the id is not used). */
export type CalcDefinition = Omit<Calc, 'id'>;
export type CalcSelector = Selector;
export type CalcCounter = Counter;

/** `GET /gw/calcs/{sel}/devices/{sel}`: an assignment and its backfill progress. */
export const CalcAssignmentSchema = z.object({
  calc_id: IdSchema,
  device_id: IdSchema,
  /** The device's stored history is calculated (new messages update it as they arrive). */
  synced: z.boolean(),
  /** Unix seconds: the time of the newest message calculated so far (backfill progress). */
  updated: z.number().nullable(),
});
export type CalcAssignment = z.infer<typeof CalcAssignmentSchema>;

/** A stored interval: the engine's fields, the counters, and user fields attached with PUT. */
export const IntervalSchema = z
  .object({ id: IdSchema, calc_id: IdSchema, device_id: IdSchema, begin: z.number(), end: z.number(), duration: z.number(), active: z.boolean() })
  .catchall(z.unknown());

/** `GET .../intervals/{isel}`: `from`/`to` bound begin and end; `format` exports. */
export const IntervalsQuerySchema = z
  .object({
    from: QueryNumber.optional(),
    to: QueryNumber.optional(),
    count: QueryInt.pipe(z.number().int().min(1).max(100000)).optional(),
    reverse: QueryBool.optional(),
    fields: QueryFields.optional(),
    format: z.enum(['json', 'csv', 'gpx']).optional(),
  })
  .strict();
export type IntervalsQuery = z.output<typeof IntervalsQuerySchema>;

/** `PUT .../intervals/{isel}`: user fields (names not those of the engine). */
export const IntervalUpdateSchema = z.record(z.string(), z.union([z.string().max(4096), z.number(), z.boolean(), z.null()])).superRefine((r, ctx) => {
  const names = Object.keys(r);
  if (names.length > 50) ctx.addIssue({ code: 'custom', message: 'at most 50 user fields' });
  for (const n of names) {
    if ((INTERVAL_FIELDS as readonly string[]).includes(n)) ctx.addIssue({ code: 'custom', path: [n], message: 'is a field of every interval' });
    else if (!/^[A-Za-z0-9_.-]{1,128}$/.test(n)) ctx.addIssue({ code: 'custom', path: [n], message: 'names are 1 to 128 letters, digits, _ . -' });
  }
});
