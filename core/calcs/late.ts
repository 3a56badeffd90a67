import type { Message } from '../../protocols/common/types.js';
import type { BatchResult, RecomputePlan } from './batch.js';
import { sortedUnique } from './batch.js';
import type { CompiledCalc } from './compile.js';
import { compareTk, thinCheckpoints, tick } from './machine.js';
import type { CalcContext, CalcEvent, Interval, IntervalState } from './types.js';

/**
 * Late data: a message older than the state (black-box archives, out-of-order UDP, SQS
 * redelivery) gives the same intervals as in-order arrival.
 *
 * The machine is a causal fold: a late message at (t, key) cannot change what the fold decided
 * before it, only the state from there on. So the state keeps checkpoints (copies of its core taken
 * when the open interval is small, at most every CHECKPOINT_SPACING s of message time, thinned out
 * with age), and a recomputation resumes from the newest checkpoint before the earliest late
 * message, over the stored messages from there to the newest: exactly what in-order arrival would
 * have computed. Closed intervals before the checkpoint are final and untouched.
 *
 * The caller's part:
 *   const plan = planRecompute(state, late);                       // after stepping the batch
 *   const messages = store.messages(device, plan.from, plan.to);   // includes the late ones
 *   const existing = store.intervals(calc, device, { beginFrom: plan.replaceFrom });
 *   const recomputed = computeIntervals(calc, messages, ctx, plan);
 *   const { events, state: next } = applyRecompute(calc, existing, recomputed, state, ctx);
 */

/** The span to recompute for these late messages (null when none has a timestamp). */
export function planRecompute(state: IntervalState, lateMessages: readonly Message[]): RecomputePlan | null {
  const late = sortedUnique(lateMessages);
  if (late.length === 0) return null;
  const first = late[0];
  const newest = late[late.length - 1].t;
  const to = state.lastTs === null ? newest : Math.max(state.lastTs, newest);
  let resume = null;
  for (let i = state.checkpoints.length - 1; i >= 0; i--) {
    const cp = state.checkpoints[i];
    if (compareTk(cp.ts, cp.key, first.t, first.k) < 0) {
      resume = cp;
      break;
    }
  }
  // No checkpoint that old: everything stored is recomputed from the initial state.
  if (resume === null) return { from: 0, to, replaceFrom: 0, resume: null };
  const open = resume.core.open;
  return { from: resume.ts, to, replaceFrom: open !== null ? open.begin : resume.ts, resume };
}

/** The fields the engine computes (an interval's stored copy may also carry calc_id, device_id and user fields). */
function same(stored: Interval, computed: Interval): boolean {
  for (const k of Object.keys(computed)) {
    const a = stored[k];
    const b = computed[k];
    if (a === b) continue;
    if (typeof a !== 'object' || typeof b !== 'object' || JSON.stringify(a) !== JSON.stringify(b)) return false;
  }
  return true;
}

/**
 * The recomputed intervals replace the stored ones of the span (those with an id at or above
 * `recomputed.replaceId`; `existingInSpan` may hold more): same id (same begin) and anything
 * changed → `updated` (`deactivated` when it was active and is no more); new → `activated`, or
 * `deactivated` when already over; gone → `deleted`; identical → nothing. The new state is the
 * recomputation's, with the old state's checkpoints before the span, its ended intervals still
 * waiting update_delay, and its clock (re-applied as a tick).
 */
export function applyRecompute(
  calc: CompiledCalc,
  existingInSpan: readonly Interval[],
  recomputed: BatchResult,
  state: IntervalState,
  ctx: CalcContext,
): { events: CalcEvent[]; state: IntervalState } {
  const next = recomputed.state;
  const replaceId = recomputed.replaceId;
  const after = recomputed.resumedAfter;
  next.closing = [...state.closing.filter((c) => c.interval.id < replaceId), ...next.closing];
  if (after !== null) {
    const before = state.checkpoints.filter((cp) => compareTk(cp.ts, cp.key, after.ts, after.key) < 0);
    next.checkpoints = [...before, ...next.checkpoints];
    thinCheckpoints(next.checkpoints);
  }
  const found = new Map(recomputed.intervals.map((i) => [i.id, i]));
  if (state.clock !== null && (next.clock === null || state.clock > next.clock)) {
    for (const e of tick(calc, next, state.clock, ctx).events) {
      if (e.event === 'deleted') found.delete(e.interval.id);
      else found.set(e.interval.id, e.interval);
    }
  }
  const events: CalcEvent[] = [];
  const stored = new Map(existingInSpan.filter((i) => i.id >= replaceId).map((i) => [i.id, i]));
  for (const r of found.values()) {
    const e = stored.get(r.id);
    if (e === undefined) events.push({ event: r.active ? 'activated' : 'deactivated', interval: r });
    else if (!same(e, r)) events.push({ event: e.active && !r.active ? 'deactivated' : 'updated', interval: r });
  }
  for (const e of stored.values()) if (!found.has(e.id)) events.push({ event: 'deleted', interval: e });
  events.sort((a, b) => a.interval.id - b.interval.id);
  return { events, state: next };
}
