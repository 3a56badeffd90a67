import { intervalsToCsv, intervalsToGpx } from '../calcs/index.js';
import { ValidationError } from '../errors.js';
import type { CalcRepository, DeviceEventSink, StoredInterval } from '../ports.js';
import { type IntervalsQuery, IntervalUpdateSchema } from '../schemas/calcs.js';
import { parseOrThrow } from '../schemas/common.js';
import type { Access } from './access.js';
import type { CalcPair, CalcService } from './calcs.js';

export interface IntervalServiceDeps {
  readonly calcs: CalcService;
  readonly repo: CalcRepository;
  readonly events: DeviceEventSink;
}

/** `all`, `last`, or a comma list of interval ids. */
type IntervalSelector = { readonly kind: 'all' } | { readonly kind: 'last' } | { readonly kind: 'ids'; readonly ids: readonly number[] };

function parseIntervalSelector(text: string): IntervalSelector {
  if (text === 'all') return { kind: 'all' };
  if (text === 'last') return { kind: 'last' };
  const ids = text.split(',').map((s) => s.trim());
  if (ids.length > 0 && ids.every((s) => /^\d{1,16}$/.test(s))) return { kind: 'ids', ids: ids.map(Number) };
  throw new ValidationError(`interval selector "${text}": expected all, last or a comma list of interval ids`);
}

/** An export: the body and its content type. */
export interface IntervalExport {
  readonly contentType: string;
  readonly body: string;
}

/** The intervals of assigned (calculator, device) pairs: read (with exports), user fields, deletion (recalculated by the backfill). */
export class IntervalService {
  constructor(private readonly d: IntervalServiceDeps) {}

  /** `from`/`to` bound begin and end; `count` per pair; `reverse`: newest first. */
  async list(calcSel: string, deviceSel: string, intervalSel: string, q: IntervalsQuery, access: Access): Promise<StoredInterval[]> {
    const isel = parseIntervalSelector(intervalSel);
    const out: StoredInterval[] = [];
    for (const pair of await this.d.calcs.pairs(calcSel, deviceSel, access)) out.push(...(await this.read(pair, isel, q)));
    return out;
  }

  /** CSV or GPX of the intervals (counters and time zone of the first selected calculator). */
  async export(calcSel: string, deviceSel: string, intervalSel: string, q: IntervalsQuery, access: Access): Promise<IntervalExport> {
    const isel = parseIntervalSelector(intervalSel);
    const pairs = await this.d.calcs.pairs(calcSel, deviceSel, access);
    const intervals: StoredInterval[] = [];
    for (const pair of pairs) intervals.push(...(await this.read(pair, isel, q)));
    const calc = pairs[0]?.calc ?? { name: 'intervals', counters: [], timezone: 'UTC' };
    return q.format === 'gpx'
      ? { contentType: 'application/gpx+xml; charset=utf-8', body: intervalsToGpx(calc, intervals) }
      : { contentType: 'text/csv; charset=utf-8', body: intervalsToCsv(calc, intervals) };
  }

  /** Attaches user fields (null removes one) to the selected intervals. */
  async update(calcSel: string, deviceSel: string, intervalSel: string, body: unknown, access: Access): Promise<StoredInterval[]> {
    const fields = parseOrThrow(IntervalUpdateSchema, body);
    const isel = parseIntervalSelector(intervalSel);
    const out: StoredInterval[] = [];
    for (const pair of await this.d.calcs.pairs(calcSel, deviceSel, access)) {
      for (const iv of await this.read(pair, isel, {})) {
        await this.d.repo.setUserFields(pair.calc.id, pair.device.id, iv.id, fields);
        const next: Record<string, unknown> = { ...iv, ...fields };
        for (const [k, v] of Object.entries(fields)) if (v === null) delete next[k];
        out.push(next as StoredInterval);
      }
    }
    return out;
  }

  /** Removes the selected intervals (`deleted` events); their pairs are recalculated by the next backfill. */
  async delete(calcSel: string, deviceSel: string, intervalSel: string, access: Access): Promise<StoredInterval[]> {
    const isel = parseIntervalSelector(intervalSel);
    const out: StoredInterval[] = [];
    for (const pair of await this.d.calcs.pairs(calcSel, deviceSel, access)) {
      const gone = await this.read(pair, isel, {});
      if (gone.length === 0) continue;
      await this.d.repo.deleteIntervals(
        pair.calc.id,
        pair.device.id,
        gone.map((i) => i.id),
      );
      await this.d.calcs.resync(pair.calc.id, pair.device.id);
      await this.d.events.publish(gone.map((interval) => ({ event: 'deleted', calc_id: pair.calc.id, device_id: pair.device.id, interval })));
      out.push(...gone);
    }
    return out;
  }

  private async read(pair: CalcPair, isel: IntervalSelector, q: Pick<IntervalsQuery, 'from' | 'to' | 'count' | 'reverse'>): Promise<StoredInterval[]> {
    const { calc, device } = pair;
    if (isel.kind === 'last') return this.d.repo.intervals(calc.id, device.id, { reverse: true, count: 1 });
    let list =
      isel.kind === 'ids'
        ? (await Promise.all(isel.ids.map((id) => this.d.repo.intervals(calc.id, device.id, { fromId: id, toId: id })))).flat()
        : await this.d.repo.intervals(calc.id, device.id, { fromId: q.from === undefined ? undefined : Math.floor(q.from * 1000), reverse: q.reverse });
    const { from, to } = q;
    if (from !== undefined) list = list.filter((i) => i.begin >= from);
    if (to !== undefined) list = list.filter((i) => i.end <= to);
    return q.count === undefined ? list : list.slice(0, q.count);
  }
}
