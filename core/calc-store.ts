import type { Message } from '../protocols/common/types.js';
import {
  applyRecompute,
  type CalcContext,
  type CalcEvent,
  type CompiledCalc,
  computeIntervals,
  type Interval,
  type IntervalState,
  planRecompute,
  step,
} from './calcs/index.js';
import type { GeofenceIndex } from './geofences/index.js';
import type { Logger } from './logger.js';
import { messageKey } from './messages/pack.js';
import type { MessageService } from './messages/service.js';
import type { CalcRepository, CalcStateRecord, DeviceEventSink } from './ports.js';
import type { Calc } from './schemas/calcs.js';
import type { Device } from './schemas/devices.js';

/** What ingest, the backfill and the tick share: the stored state, the message history, the event sink. */
export interface CalcStoreDeps {
  readonly calcs: CalcRepository;
  readonly messages: Pick<MessageService, 'query'>;
  /** The geofences as an index (cached by the caller, see registry/geofence-lookup.ts). */
  readonly geofences?: () => Promise<GeofenceIndex>;
  readonly events: DeviceEventSink;
  readonly logger: Logger;
}

/** A calculator with its compiled form. */
export interface CalcEntry {
  readonly calc: Calc;
  readonly compiled: CompiledCalc;
}

/** A change of one pair's state and the events that tell it. */
export interface PairChange {
  readonly state: IntervalState;
  readonly events: readonly CalcEvent[];
  readonly synced?: boolean;
  /** Late data was recalculated: a restart's catch-up (newer messages only) could not redo it, so it is stored at once. */
  readonly settle?: boolean;
}

/** Another writer kept winning the conditional write of a pair's state. */
export class CalcStateConflictError extends Error {
  override readonly name = 'CalcStateConflictError';
}

const ATTEMPTS = 5;
/** Messages read per page when a span is recomputed. */
const PAGE = 100_000;

/** The engine's context for a device: its metadata and the geofences. */
export async function contextOf(d: CalcStoreDeps, device: Pick<Device, 'metadata'>): Promise<CalcContext> {
  return { metadata: device.metadata, geofences: d.geofences ? await d.geofences() : undefined };
}

/**
 * Reads the pair's state, lets `work` change it, writes it conditionally (read again and redone when
 * another writer came first), then writes the intervals the events name and publishes the events.
 * `work` returns null when nothing changed (nothing is written). Returns what was committed.
 */
export async function commitPair(
  d: CalcStoreDeps,
  entry: CalcEntry,
  deviceId: number,
  work: (record: CalcStateRecord) => Promise<PairChange | null>,
  /** The state already read (a batch read); later attempts read it again. */
  prefetched?: CalcStateRecord,
  /** An ingest batch's token (its messages of this device): kept with the events as the record's outbox. */
  token?: string,
): Promise<{ record: CalcStateRecord; change: PairChange } | null> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const record = attempt === 0 && prefetched ? prefetched : await d.calcs.getState(entry.calc.id, deviceId);
    if (!record) return null;
    const change = await work(record);
    if (!change) {
      // the batch that last changed the pair, delivered again: what it wrote after the state may be missing
      if (token !== undefined && record.outbox?.token === token) await writeEvents(d, entry, deviceId, record.outbox.events);
      return null;
    }
    const updated = change.state.lastTs ?? record.updated;
    const outbox = token !== undefined && change.events.length > 0 ? { token, events: change.events } : undefined;
    const next: CalcStateRecord = { ...record, state: change.state, synced: change.synced ?? record.synced, updated, outbox };
    if (!(await d.calcs.putState(next))) continue;
    await writeEvents(d, entry, deviceId, change.events);
    if (change.settle) await d.calcs.settle?.(entry.calc.id, deviceId);
    return { record: { ...next, version: record.version + 1 }, change };
  }
  throw new CalcStateConflictError(`calc ${entry.calc.id} device ${deviceId}: the state changed under ${ATTEMPTS} attempts to update it`);
}

/** Upserts or deletes each interval the events name (its last event in the list), then hands the events to the sink. */
async function writeEvents(d: CalcStoreDeps, entry: CalcEntry, deviceId: number, events: readonly CalcEvent[]): Promise<void> {
  if (events.length === 0) return;
  const last = new Map<number, CalcEvent>();
  for (const e of events) last.set(e.interval.id, e);
  const puts: Interval[] = [];
  const deletes: number[] = [];
  for (const e of last.values()) {
    if (e.event === 'deleted') deletes.push(e.interval.id);
    else puts.push(e.interval);
  }
  await d.calcs.putIntervals(entry.calc.id, deviceId, puts, entry.calc.intervals_ttl);
  await d.calcs.deleteIntervals(entry.calc.id, deviceId, deletes);
  await d.events.publish(
    coalesce(events).map((e) => ({
      event: e.event,
      calc_id: entry.calc.id,
      device_id: deviceId,
      interval: { ...e.interval, calc_id: entry.calc.id, device_id: deviceId },
    })),
  );
}

/** Leaves out an `updated` event followed by another event of the same interval (a batch reports each interval's newest state once). */
function coalesce(events: readonly CalcEvent[]): CalcEvent[] {
  const lastIndex = new Map<number, number>();
  events.forEach((e, i) => {
    lastIndex.set(e.interval.id, i);
  });
  return events.filter((e, i) => e.event !== 'updated' || lastIndex.get(e.interval.id) === i);
}

/**
 * Steps each message (in the given order) into the state; messages older than the state are
 * collected and their span recomputed from the stored messages (late.ts), against the stored
 * intervals with this run's own events laid over them. Null when nothing changed.
 */
export async function advance(
  d: CalcStoreDeps,
  entry: CalcEntry,
  deviceId: number,
  state: IntervalState,
  messages: readonly Message[],
  ctx: CalcContext,
  /** The messages' content keys, when the caller has them (several calculators step the same messages). */
  keys?: ReadonlyMap<Message, string>,
): Promise<PairChange | null> {
  const events: CalcEvent[] = [];
  const late: Message[] = [];
  let changed = false;
  for (const m of messages) {
    const r = step(entry.compiled, state, m, ctx, keys?.get(m) ?? messageKey(m));
    if (r.outcome === 'applied') {
      changed = true;
      events.push(...r.events);
    } else if (r.outcome === 'late') late.push(m);
  }
  if (late.length === 0) return changed ? { state, events } : null;
  const plan = planRecompute(state, late);
  if (plan === null) return changed ? { state, events } : null;
  const span = await storedMessages(d, deviceId, plan.from, plan.to);
  const stored = await d.calcs.intervals(entry.calc.id, deviceId, { fromId: Math.floor(plan.replaceFrom * 1000) - 1 });
  const existing = new Map<number, Interval>(stored.map((i) => [i.id, i]));
  for (const e of events) {
    if (e.event === 'deleted') existing.delete(e.interval.id);
    else existing.set(e.interval.id, e.interval);
  }
  const recomputed = computeIntervals(entry.compiled, span, ctx, plan);
  const applied = applyRecompute(entry.compiled, [...existing.values()], recomputed, state, ctx);
  const all = [...events, ...applied.events];
  if (!changed && applied.events.length === 0 && JSON.stringify(applied.state.core) === JSON.stringify(state.core)) return null;
  return { state: applied.state, events: all, settle: true };
}

/** The device's stored messages with timestamps in [from, to], in order. */
export async function storedMessages(d: Pick<CalcStoreDeps, 'messages'>, deviceId: number, from: number, to: number, count = Infinity): Promise<Message[]> {
  const out: Message[] = [];
  let cursor: string | undefined;
  do {
    const want = Math.min(PAGE, count - out.length);
    const page = await d.messages.query('device', deviceId, { from, to, count: want, reverse: false, cursor });
    out.push(...page.messages);
    cursor = page.next;
  } while (cursor !== undefined && out.length < count);
  return out;
}
