import { z } from 'zod';
import { type CompiledCalc, compileCalc, computeIntervals, type Interval, intervalsToCsv, intervalsToGpx, tick } from '../calcs/index.js';
import { ValidationError } from '../errors.js';
import type { GeofenceIndex } from '../geofences/index.js';
import type { MessageService } from '../messages/service.js';
import type { Clock } from '../ports.js';
import type { Access } from '../registry/access.js';
import { type Calc, CalcCreateSchema, type CalcDefinition, CounterSchema, SelectorSchema } from '../schemas/calcs.js';
import { IdSchema, parseOrThrow } from '../schemas/common.js';
import type { Device } from '../schemas/devices.js';

/** Most stored messages one calculate request reads, all selected devices together. */
export const CALCULATE_MAX_MESSAGES = 100_000;

/** `POST /gw/devices/{sel}/calculate`: a stored calculator by id, or one given inline. */
export const CalculateBodySchema = z
  .object({
    calc_id: IdSchema.optional(),
    selectors: z.array(SelectorSchema).optional(),
    counters: z.array(CounterSchema).optional(),
    validate_message: z.string().optional(),
    validate_interval: z.string().optional(),
    timezone: z.string().optional(),
    update_delay: z.number().optional(),
    /** Unix seconds, inclusive, on the messages' `timestamp`. */
    from: z.number().min(0),
    to: z.number().min(0),
  })
  .strict()
  .refine((b) => b.to >= b.from, { path: ['to'], message: 'must not be before from' });

export const CalculateQuerySchema = z.object({ format: z.enum(['json', 'csv', 'gpx']).default('json') }).strict();

export type CalculateFormat = z.output<typeof CalculateQuerySchema>['format'];

/** An interval of a report: the engine's, with its device (and calculator when one was named). */
export type ReportInterval = Interval & { readonly device_id: number; readonly calc_id?: number };

export interface CalculateDeps {
  readonly messages: Pick<MessageService, 'query'>;
  readonly selectDevices: (sel: string, access: Access) => Promise<Device[]>;
  readonly geofences: () => Promise<GeofenceIndex>;
  readonly clock: Clock;
  /** Stored calculators (absent until the calcs registry exists: `calc_id` is then a 400). */
  readonly calcs?: { get(id: number): Promise<Calc | undefined> };
}

/** Intervals computed on the fly from stored messages (reports): nothing is kept. */
export class CalculateService {
  constructor(private readonly d: CalculateDeps) {}

  /** Validates body and query (before the selector is resolved), then computes per selected device. */
  async calculate(
    selector: string,
    body: unknown,
    query: Record<string, string>,
    access: Access,
  ): Promise<{ format: CalculateFormat; body: string | ReportInterval[] }> {
    const b = parseOrThrow(CalculateBodySchema, body);
    const { format } = parseOrThrow(CalculateQuerySchema, query, '', 'query');
    const { def, calcId } = await this.definition(b);
    const calc = compileCalc(def);
    const devices = await this.d.selectDevices(selector, access);
    const intervals: ReportInterval[] = [];
    let budget = CALCULATE_MAX_MESSAGES;
    for (const device of devices) {
      const page = await this.d.messages.query('device', device.id, { from: b.from, to: b.to, count: budget, reverse: false });
      if (page.next !== undefined) {
        throw new ValidationError(`to: from..to holds more than ${CALCULATE_MAX_MESSAGES} messages of the selected devices; narrow the range or the selector`);
      }
      budget -= page.messages.length;
      intervals.push(...(await this.compute(calc, page.messages, device, calcId)));
    }
    if (format === 'csv') return { format, body: intervalsToCsv(def, intervals) };
    if (format === 'gpx') return { format, body: intervalsToGpx(def, intervals) };
    return { format, body: intervals };
  }

  private async compute(
    calc: CompiledCalc,
    messages: Parameters<typeof computeIntervals>[1],
    device: Device,
    calcId: number | undefined,
  ): Promise<ReportInterval[]> {
    if (messages.length === 0) return [];
    const geofences = await this.d.geofences();
    const ctx = { geofences, metadata: device.metadata };
    const result = computeIntervals(calc, messages, ctx);
    // the passing of time up to now: intervals whose update_delay ran out are deactivated, as stored ones would be
    const byId = new Map(result.intervals.map((i) => [i.id, i]));
    for (const e of tick(calc, result.state, this.d.clock.now(), ctx).events) {
      if (e.event === 'deleted') byId.delete(e.interval.id);
      else byId.set(e.interval.id, e.interval);
    }
    const intervals = [...byId.values()].sort((a, b) => a.id - b.id);
    return intervals.map((i) => ({ ...i, ...(calcId === undefined ? {} : { calc_id: calcId }), device_id: device.id }));
  }

  /** The calculator: stored (`calc_id`) or inline (validated like `POST /gw/calcs`, errors naming the field). */
  private async definition(b: z.output<typeof CalculateBodySchema>): Promise<{ def: CalcDefinition; calcId?: number }> {
    const { calc_id, from: _f, to: _t, ...inline } = b;
    if (calc_id !== undefined) {
      if (Object.keys(inline).length > 0) throw new ValidationError(`${Object.keys(inline)[0]}: give either calc_id or an inline calculator, not both`);
      if (!this.d.calcs) throw new ValidationError('calc_id: stored calculators are not available in this build; give selectors and counters inline');
      const stored = await this.d.calcs.get(calc_id);
      if (!stored) throw new ValidationError(`calc_id: no calculator ${calc_id}`); // a body naming what does not exist is a 400, as geofences in a calculator
      const { id: _id, ...def } = stored;
      return { def, calcId: calc_id };
    }
    if (inline.selectors === undefined) throw new ValidationError('selectors: give calc_id or selectors (and counters)');
    const created = parseOrThrow(CalcCreateSchema, { name: 'calculate', ...inline });
    return { def: created };
  }
}
