import type { EvalContext } from '../expressions/index.js';
import { addEntry, mergeAcc, newAcc } from './counters.js';
import { emit, intervalValid, makeEntry, prevFields, type Run, view } from './run.js';
import { type Core, type Entry, type IntervalState, type Last, OFF, ON, type Open, type Status } from './types.js';

/**
 * The interval machine's transitions on one accepted message (see machine.ts for the semantics).
 * Everything here updates the state in place and pushes events onto the run.
 */

/** Reports the open interval: activated once it reaches min_duration, then updated whenever it grows. */
export function report(run: Run, core: Core, o: Open): void {
  if (o.shown) {
    if (o.end === o.shownEnd && o.n === o.shownN) return;
  } else if (o.end - o.begin < run.calc.minDuration) return;
  const event = o.shown ? 'updated' : 'activated';
  o.shown = true;
  o.shownEnd = o.end;
  o.shownN = o.n;
  if (!run.quiet) emit(run, event, view(run, core, o, o.acc, o.end, true));
}

/** Opens an interval with the entry (and, with merge_message_before, the OFF message just before it). */
function start(run: Run, core: Core, e: Entry): void {
  const calc = run.calc;
  const last = core.last;
  const acc = newAcc(calc);
  let begin = e.t;
  let n = 1;
  const neighbour = last !== null && last.e !== null && (last.s === OFF || (last.s === ON && last.c !== e.c));
  if (calc.mergeBefore && neighbour && last?.e && !(calc.maxGap !== null && e.t - last.t > calc.maxGap)) {
    addEntry(calc, acc, last.e);
    begin = last.t;
    n = 2;
  }
  addEntry(calc, acc, e);
  core.open = openAt(core, begin, e.c, acc, n);
  core.open.lastOn = e.t;
  core.open.end = e.t;
  report(run, core, core.open);
}

/** A new open interval beginning at `begin` (ids increase: one more than the last when the millisecond is taken). */
export function openAt(core: Core, begin: number, c: string | null, acc: Open['acc'], n: number): Open {
  const ms = Math.round(begin * 1000);
  const id = core.lastId === null || ms > core.lastId ? ms : core.lastId + 1;
  core.lastId = id;
  return { id, begin, c, lastOn: begin, end: begin, acc, n, pend: null, pendN: 0, after: null, offAt: null, shown: false, shownEnd: begin, shownN: 0 };
}

/** ON again (same change value): the held-back messages and this one join the interval. */
function extend(run: Run, core: Core, o: Open, e: Entry): void {
  const calc = run.calc;
  if (o.pend !== null) {
    mergeAcc(calc, o.acc, o.pend);
    o.n += o.pendN;
    o.pend = null;
    o.pendN = 0;
  }
  addEntry(calc, o.acc, e);
  o.n++;
  o.lastOn = e.t;
  o.end = e.t;
  o.after = null;
  o.offAt = null;
  report(run, core, o);
}

/** OFF within max_inactive, or UNKNOWN: held back until ON returns (or the interval ends without them). */
function hold(run: Run, o: Open, e: Entry): void {
  if (e.s === OFF && o.offAt === null) o.offAt = e.t;
  if (run.calc.mergeAfter && o.after === null) o.after = e;
  if (o.pend === null) o.pend = newAcc(run.calc);
  addEntry(run.calc, o.pend, e);
  o.pendN++;
}

/**
 * The open interval ends (its end became certain at `at`): with merge_message_after the OFF (or
 * other-value) message right after its last ON message closes it. Dropped when shorter than
 * min_duration or when validate_interval is false (`deleted` if it was reported); otherwise it
 * becomes the previous interval and waits update_delay before it is deactivated.
 */
export function finish(run: Run, st: IntervalState, at: number): void {
  const calc = run.calc;
  const core = st.core;
  const o = core.open;
  if (o === null) return;
  core.open = null;
  let end = o.lastOn;
  const after = o.after;
  if (calc.mergeAfter && after !== null && (after.s === OFF || (after.s === ON && after.c !== o.c))) {
    addEntry(calc, o.acc, after);
    o.n++;
    end = after.t;
  }
  const interval = view(run, core, o, o.acc, end, true);
  if ((!calc.inactive && interval.duration < calc.minDuration) || !intervalValid(run, core, interval)) {
    if (o.shown) emit(run, 'deleted', interval);
    return;
  }
  core.prev = prevFields(calc, interval);
  if (st.clock !== null && st.clock >= at + calc.updateDelay) {
    if (!o.shown && !run.quiet) emit(run, 'activated', interval);
    emit(run, 'deactivated', { ...interval, active: false });
    return;
  }
  st.closing.push({ at, interval });
  if (run.quiet) emit(run, 'updated', interval);
  else if (!o.shown) emit(run, 'activated', interval);
  else if (end !== o.shownEnd || o.n !== o.shownN) emit(run, 'updated', interval);
}

/** Before a message at `t`: a gap over max_messages_time_diff, or max_inactive run out after an OFF message, ends the open interval. */
export function expire(run: Run, st: IntervalState, t: number): void {
  const calc = run.calc;
  const o = st.core.open;
  const last = st.core.last;
  if (o === null || last === null) return;
  if (calc.maxGap !== null && t - last.t > calc.maxGap) finish(run, st, last.t + calc.maxGap);
  else if (o.offAt !== null && calc.maxInactive !== null && t - o.lastOn > calc.maxInactive) finish(run, st, o.lastOn + calc.maxInactive);
}

/** One accepted message with its status through the ON/OFF/UNKNOWN rules; returns the new `last`. */
export function transition(run: Run, st: IntervalState, ctx: EvalContext, t: number, s: Status, c: string | null): Entry | null {
  const calc = run.calc;
  const core = st.core;
  const o = core.open;
  let entry: Entry | null = null;
  if (s === ON) {
    entry = makeEntry(run, ctx, t, s, c);
    if (o !== null && o.c === c) extend(run, core, o, entry);
    else {
      if (o !== null) {
        if (calc.mergeAfter && o.after === null) o.after = entry;
        finish(run, st, t);
      }
      start(run, core, entry);
    }
  } else if (o !== null) {
    entry = makeEntry(run, ctx, t, s, c);
    if (s === OFF && (calc.maxInactive === null || t - o.lastOn > calc.maxInactive)) {
      if (calc.mergeAfter && o.after === null) o.after = entry;
      finish(run, st, t);
    } else hold(run, o, entry);
  }
  if (!calc.keepEntry) return null;
  return entry ?? makeEntry(run, ctx, t, s, c);
}

/**
 * The `inactive` selector: a gap longer than min_duration between the last message and this one is
 * an interval from the last message to this one (both are its messages). A gap a tick opened (the
 * silence was already that long) is the same interval, now ended.
 */
export function inactiveMessage(run: Run, st: IntervalState, ctx: EvalContext, t: number): Entry {
  const core = st.core;
  const e = makeEntry(run, ctx, t, ON, null);
  const last = core.last;
  const o = core.open;
  if (last !== null && t - last.t > run.calc.minDuration) {
    const gap = o ?? openGap(run, core, last);
    addEntry(run.calc, gap.acc, e);
    gap.n++;
    gap.lastOn = t;
    gap.end = t;
    finish(run, st, t);
  } else if (o !== null) {
    core.open = null;
    if (o.shown) emit(run, 'deleted', view(run, core, o, o.acc, o.end, true));
  }
  return e;
}

/** A gap interval beginning at the last message. */
export function openGap(run: Run, core: Core, last: Last): Open {
  const acc = newAcc(run.calc);
  if (last.e !== null) addEntry(run.calc, acc, last.e);
  core.open = openAt(core, last.t, null, acc, 1);
  return core.open;
}

/** Ended intervals whose update_delay has passed (by the newest time seen) are deactivated. */
export function deactivateDue(run: Run, st: IntervalState): void {
  if (st.closing.length === 0 || st.clock === null) return;
  const clock = st.clock;
  const delay = run.calc.updateDelay;
  const waiting = st.closing.filter((c) => {
    if (clock < c.at + delay) return true;
    emit(run, 'deactivated', { ...c.interval, active: false });
    return false;
  });
  st.closing = waiting;
}
