import type { Message } from '../../protocols/common/types.js';
import { messageKey } from '../messages/pack.js';
import { cloneJson } from './clone.js';
import type { CompiledCalc } from './compile.js';
import { accept, compareTk, initialState } from './machine.js';
import { newRun, view } from './run.js';
import type { CalcContext, Checkpoint, Interval } from './types.js';

/** Where a recomputation resumes (from late.ts `planRecompute`). */
export interface RecomputePlan {
  /** Read the stored messages with timestamps in [from, to] (they include the late ones). */
  readonly from: number;
  readonly to: number;
  /** The stored intervals that the recomputation may replace begin at or after this (pass those to applyRecompute). */
  readonly replaceFrom: number;
  /** The machine state after the message (ts, key) to resume from; null: from the start. */
  readonly resume: Checkpoint | null;
}

export interface BatchResult {
  /** Every interval the fold produced, by id; the open one (if reported) and those still waiting update_delay are `active: true`. */
  readonly intervals: Interval[];
  readonly state: ReturnType<typeof initialState>;
  /** Intervals with this id or higher are the ones computed here (Number.MIN_SAFE_INTEGER: all). */
  readonly replaceId: number;
  /** The (ts, key) the fold resumed after, or null. */
  readonly resumedAfter: { readonly ts: number; readonly key: string } | null;
}

interface Item {
  readonly m: Message;
  readonly t: number;
  readonly k: string;
}

/** Messages with a numeric timestamp, in (timestamp, key) order, repeats removed (`keys`: their messageKey, when known). */
export function sortedUnique(messages: readonly Message[], keys?: readonly string[]): Item[] {
  const items: Item[] = [];
  messages.forEach((m, i) => {
    const t = m.timestamp;
    if (typeof t === 'number' && Number.isFinite(t)) items.push({ m, t, k: keys?.[i] ?? messageKey(m) });
  });
  items.sort((a, b) => compareTk(a.t, a.k, b.t, b.k));
  return items.filter((x, i) => i === 0 || x.k !== items[i - 1].k);
}

/**
 * The machine folded over a list of messages (any order: sorted by (timestamp, key) and
 * de-duplicated here): backfill, `POST /gw/devices/{sel}/calculate`, and the recomputation of late
 * data (with `from`, resuming from its checkpoint and skipping the messages up to it). `keys` are
 * the messages' `messageKey`s in the same order when the caller has them (the message store keeps
 * them): hashing is about a third of the fold's time.
 */
export function computeIntervals(
  calc: CompiledCalc,
  messages: readonly Message[],
  ctx: CalcContext,
  from?: RecomputePlan,
  keys?: readonly string[],
): BatchResult {
  const run = newRun(calc, ctx, true);
  const state = initialState();
  const resume = from?.resume ?? null;
  let replaceId = Number.MIN_SAFE_INTEGER;
  if (resume !== null) {
    state.core = cloneJson(resume.core);
    state.lastTs = resume.ts;
    state.lastKey = resume.key;
    state.clock = resume.ts;
    state.checkpoints = [cloneJson(resume)];
    replaceId = resume.core.open !== null ? resume.core.open.id : (resume.core.lastId ?? Number.MIN_SAFE_INTEGER) + 1;
  }
  for (const x of sortedUnique(messages, keys)) {
    if (resume !== null && compareTk(x.t, x.k, resume.ts, resume.key) <= 0) continue;
    accept(run, state, x.m, x.t, x.k);
  }
  const found = new Map<number, Interval>();
  for (const e of run.events) {
    if (e.event === 'deleted') found.delete(e.interval.id);
    else found.set(e.interval.id, e.interval);
  }
  for (const c of state.closing) found.set(c.interval.id, c.interval);
  const o = state.core.open;
  if (o?.shown) found.set(o.id, view(run, state.core, o, o.acc, o.end, true));
  const intervals = [...found.values()].sort((a, b) => a.id - b.id);
  return { intervals, state, replaceId, resumedAfter: resume === null ? null : { ts: resume.ts, key: resume.key } };
}
