import type { Value } from '../expressions/index.js';
import type { GeofenceIndex } from '../geofences/index.js';

/** One point of a `route` counter. */
export interface RoutePoint {
  readonly t: number;
  readonly lat: number;
  readonly lon: number;
}

/** The value of a counter in an interval. */
export type CounterValue = Value | readonly RoutePoint[];

/** An interval as the engine reports it (the caller adds `calc_id` and `device_id`). */
export interface Interval {
  /** `Math.round(begin * 1000)`; one more than the previous interval's id when two begin in the same millisecond. */
  readonly id: number;
  readonly begin: number;
  readonly end: number;
  readonly duration: number;
  /** Still open, or ended less than `update_delay` ago (not yet deactivated). */
  readonly active: boolean;
  readonly [counter: string]: CounterValue;
}

export type CalcEventName = 'activated' | 'updated' | 'deactivated' | 'deleted';

export interface CalcEvent {
  readonly event: CalcEventName;
  readonly interval: Interval;
}

/** What the engine reads besides the messages: the geofences (selector, counter, `geofence()`) and the device's metadata (`metadata()`). */
export interface CalcContext {
  readonly geofences?: Pick<GeofenceIndex, 'inside' | 'containing'>;
  readonly metadata?: Record<string, unknown>;
}

/** A message's status for the selectors. */
export const OFF = 0;
export const ON = 1;
export const UNKNOWN = 2;
export type Status = typeof OFF | typeof ON | typeof UNKNOWN;

/** What the counters need of one message, computed once. */
export interface Entry {
  readonly t: number;
  readonly s: Status;
  /** The `change` selectors' value (JSON), null when not ON. */
  readonly c: string | null;
  /** A valid position, or null. */
  readonly la: number | null;
  readonly lo: number | null;
  /** One value per expression counter (a boolean for `duration`). */
  readonly v: Value[];
  /** Names of the geofences containing the position (only with a geofence counter). */
  readonly g: string[] | null;
}

/** One slot per non-`interval` counter; see counters.ts for each kind's shape. */
export type AccSlot = number | Value | number[] | string[] | RouteAcc | null;
export type Acc = AccSlot[];

/** A route being collected: flat `[t, lat, lon, ...]`, keeping every `stride`-th point; `z` is the newest point. */
export interface RouteAcc {
  p: number[];
  stride: number;
  seen: number;
  z: number[] | null;
}

/** The last message the calculator accepted. */
export interface Last {
  readonly t: number;
  readonly s: Status;
  readonly c: string | null;
  /** Its parameters that `previous('...')` reads, or null when no expression uses previous(). */
  readonly p: Record<string, Value> | null;
  /** Its counter inputs, kept when the next interval may begin with it (merge_message_before, inactive). */
  readonly e: Entry | null;
}

/** The open interval. */
export interface Open {
  readonly id: number;
  readonly begin: number;
  /** The change value it runs on (null without change selectors). */
  readonly c: string | null;
  /** Time of its last ON message. */
  lastOn: number;
  /** The end it shows while open: lastOn (an inactive gap opened by tick: the tick's `now`). */
  end: number;
  /** Counters over its messages up to lastOn, and how many messages that is. */
  acc: Acc;
  n: number;
  /** Counters over the messages after lastOn (OFF within max_inactive, UNKNOWN), folded in if ON returns. */
  pend: Acc | null;
  pendN: number;
  /** The first message after lastOn (merge_message_after takes it when it is OFF). */
  after: Entry | null;
  /** Time of the first OFF message after lastOn (max_inactive is pending). */
  offAt: number | null;
  /** It was reported (activated), and the end and message count it was last reported with. */
  shown: boolean;
  shownEnd: number;
  shownN: number;
}

/** Everything the future of the fold depends on (a checkpoint is a copy of it). */
export interface Core {
  last: Last | null;
  open: Open | null;
  /** The previous interval's fields that `previous('...')` in interval counters and validate_interval read. */
  prev: Record<string, Value> | null;
  /** The newest interval id handed out (ids increase), null before the first. */
  lastId: number | null;
}

/** An ended interval waiting for update_delay before it is deactivated. */
export interface Closing {
  /** The time its end became certain. */
  readonly at: number;
  readonly interval: Interval;
}

/** The machine state after the message (ts, key): late data recomputes from the newest one before it. */
export interface Checkpoint {
  readonly ts: number;
  readonly key: string;
  readonly core: Core;
}

/** Per calculator and device: plain JSON, stored after every batch. */
export interface IntervalState {
  readonly v: 1;
  /** Time and key of the newest accepted message (the order is (timestamp, key)). */
  lastTs: number | null;
  lastKey: string;
  /** Newest time seen: message times and tick `now`s. */
  clock: number | null;
  /** `now` of the last tick that changed the machine: a message older than it is late. */
  ticked: number | null;
  /** Keys of the most recent messages (redelivery). */
  keys: string[];
  core: Core;
  closing: Closing[];
  checkpoints: Checkpoint[];
}

export interface StepResult {
  readonly state: IntervalState;
  readonly events: CalcEvent[];
  /** `late`: older than the state, nothing changed: recompute (late.ts). `duplicate`: seen. `ignored`: validate_message false or no timestamp. */
  readonly outcome: 'applied' | 'duplicate' | 'late' | 'ignored';
}
