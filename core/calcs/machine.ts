import type { Message } from '../../protocols/common/types.js';
import { messageKey } from '../messages/pack.js';
import { cloneJson } from './clone.js';
import type { CompiledCalc } from './compile.js';
import { classify, evalContext, newRun, previousOf, type Run } from './run.js';
import { deactivateDue, expire, finish, inactiveMessage, openGap, report, transition } from './transitions.js';
import { type CalcContext, type CalcEvent, type Checkpoint, type IntervalState, ON, type Status, type StepResult } from './types.js';

/**
 * The incremental interval machine: `step` advances a calculator's state for one device by one
 * message, `tick` by the passing of time. Both update the given state in place (for speed: routes
 * are not copied per message) and return it with the events; keep a JSON copy if you need the old one.
 *
 * Semantics (API.md "Calculators and intervals"; the choices where it is silent are marked *):
 * - Messages are ordered by (timestamp, key) (`messageKey`, the message store's content key). A
 *   message whose key is among the last KEEP_KEYS is a duplicate; one older than the newest accepted
 *   (or than a tick that changed the state) is late: nothing changes, recompute with late.ts. A
 *   message without a numeric timestamp, or for which validate_message is false, is ignored.
 *   `previous('x')` in message-level expressions reads the previous accepted message*.
 * - Consecutive ON messages form an interval (UNKNOWN ones neither start nor end it): begin = its
 *   first ON message (merge_message_before: the OFF message just before*), end = its last ON
 *   message (merge_message_after: the OFF message just after*). Its counters fold every message
 *   from begin to end*, UNKNOWN and tolerated OFF ones included.
 * - max_inactive: after an OFF message the interval continues if ON returns within max_inactive of
 *   its last ON message*; else it ends at that message. max_messages_time_diff: a larger gap between
 *   two messages ends it at the message before the gap. A `change` selector's new value ends it and
 *   opens the next one (merge options treat the other-value message as the neighbour*).
 * - min_duration: shorter intervals are dropped; an open one is reported (activated) once it
 *   reaches it. validate_interval is evaluated when an interval ends (false: dropped, `deleted` if
 *   reported)*. Ended intervals wait until the newest time seen is update_delay past the moment
 *   their end became certain (the ending message, last ON + max_inactive, the gap's last message +
 *   max_messages_time_diff), then are deactivated; a kept interval becomes `previous()`'s interval.
 * - `inactive`: a gap longer than min_duration between consecutive messages is an interval from the
 *   message before it to the one after it; a tick opens it while the silence lasts.
 */
export const KEEP_KEYS = 32;
/** A checkpoint is taken at most every this many seconds of message time, when the open interval is small. */
export const CHECKPOINT_SPACING = 600;
export const MAX_CHECKPOINTS = 32;

export function initialState(): IntervalState {
  return {
    v: 1,
    lastTs: null,
    lastKey: '',
    clock: null,
    ticked: null,
    keys: [],
    core: { last: null, open: null, prev: null, lastId: null },
    closing: [],
    checkpoints: [],
  };
}

/** (t, key) strictly before the state's newest message, or before a tick that changed the state. */
export function isLate(st: IntervalState, t: number, key: string): boolean {
  if (st.ticked !== null && t < st.ticked) return true;
  return st.lastTs !== null && (t < st.lastTs || (t === st.lastTs && key < st.lastKey));
}

/** Order of (t, key) pairs: the message store's order. */
export function compareTk(t1: number, k1: string, t2: number, k2: string): number {
  return t1 - t2 || (k1 < k2 ? -1 : k1 > k2 ? 1 : 0);
}

export function step(calc: CompiledCalc, state: IntervalState, message: Message, ctx: CalcContext, key = messageKey(message)): StepResult {
  const t = message.timestamp;
  if (typeof t !== 'number' || !Number.isFinite(t)) return { state, events: [], outcome: 'ignored' };
  if (state.keys.includes(key)) return { state, events: [], outcome: 'duplicate' };
  if (isLate(state, t, key)) return { state, events: [], outcome: 'late' };
  const run = newRun(calc, ctx, false);
  const applied = accept(run, state, message, t, key);
  return { state, events: run.events, outcome: applied ? 'applied' : 'ignored' };
}

/** One message in order (not late, not a duplicate): false when validate_message refuses it. */
export function accept(run: Run, st: IntervalState, m: Message, t: number, key: string): boolean {
  const calc = run.calc;
  const core = st.core;
  const ctx = evalContext(run, m, core.last?.p ?? undefined);
  if (calc.validateMessage !== null && !calc.validateMessage.test(ctx)) return false;
  st.lastTs = t;
  st.lastKey = key;
  st.clock = st.clock === null ? t : Math.max(st.clock, t);
  st.keys.push(key);
  if (st.keys.length > KEEP_KEYS) st.keys.shift();
  let s: Status = ON;
  let c: string | null = null;
  let e: ReturnType<typeof transition>;
  if (calc.inactive) e = inactiveMessage(run, st, ctx, t);
  else {
    [s, c] = classify(run, ctx);
    expire(run, st, t);
    e = transition(run, st, ctx, t, s, c);
  }
  core.last = { t, s, c, p: previousOf(calc, m), e };
  deactivateDue(run, st);
  takeCheckpoint(st, t, key);
  return true;
}

/**
 * The passing of time (`now`, Unix seconds), with no message: an `inactive` selector's silence
 * longer than min_duration opens (then stretches) its interval; an interval whose end is certain
 * (max_inactive run out after an OFF message, or no message for max_messages_time_diff) is ended
 * once `now` is update_delay past that; ended intervals due are deactivated. A message older than a
 * tick that changed something is late (so the result is the same as if the messages came first).
 */
export function tick(calc: CompiledCalc, state: IntervalState, now: number, ctx: CalcContext): { state: IntervalState; events: CalcEvent[] } {
  const run = newRun(calc, ctx, false);
  if (!Number.isFinite(now)) return { state, events: [] };
  const at = state.clock === null ? now : Math.max(state.clock, now);
  state.clock = at;
  const core = state.core;
  const o = core.open;
  const last = core.last;
  let changed = false;
  if (last !== null && calc.inactive) {
    if (at - last.t > calc.minDuration) {
      const gap = o ?? openGap(run, core, last);
      gap.end = at;
      report(run, core, gap);
      changed = true;
    }
  } else if (o !== null && last !== null) {
    if (calc.maxGap !== null && at > last.t + calc.maxGap + calc.updateDelay) {
      finish(run, state, last.t + calc.maxGap);
      changed = true;
    } else if (o.offAt !== null && calc.maxInactive !== null && at > o.lastOn + calc.maxInactive + calc.updateDelay) {
      finish(run, state, o.lastOn + calc.maxInactive);
      changed = true;
    }
  }
  deactivateDue(run, state);
  if (changed) state.ticked = state.ticked === null ? at : Math.max(state.ticked, at);
  return { state, events: run.events };
}

/** A copy of the core after (t, key) when the open interval is small (none, or just begun), at most every CHECKPOINT_SPACING s. */
function takeCheckpoint(st: IntervalState, t: number, key: string): void {
  const o = st.core.open;
  if (o !== null && (o.n > 2 || o.pend !== null)) return;
  const cps = st.checkpoints;
  const newest = cps[cps.length - 1];
  if (newest !== undefined && t - newest.ts < CHECKPOINT_SPACING) return;
  cps.push({ ts: t, key, core: cloneJson(st.core) });
  thinCheckpoints(cps);
}

/** Over MAX_CHECKPOINTS: drops the inner checkpoint whose neighbours are closest (older ones thin out, the oldest and newest stay). */
export function thinCheckpoints(cps: Checkpoint[]): void {
  while (cps.length > MAX_CHECKPOINTS) {
    let best = 1;
    for (let i = 2; i < cps.length - 1; i++) if (cps[i + 1].ts - cps[i - 1].ts < cps[best + 1].ts - cps[best - 1].ts) best = i;
    cps.splice(best, 1);
  }
}
