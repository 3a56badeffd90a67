import type { Message } from '../../protocols/common/types.js';
import type { TelemetryValue } from '../ports.js';
import { frames, type LiveFrame, type LiveIntervalEvent } from './frames.js';
import type { LiveWatcher } from './ports.js';
import { paramMatches, parseTopic, type Topic } from './topics.js';

/**
 * Last telemetry timestamp sent per connection, device and parameter: a telemetry frame goes out
 * only for a newer value (an archive message older than what the client has is not an update).
 * Bounded: cleared when it grows past `max` entries (then a value may repeat once).
 */
export class TelemetrySeen {
  private readonly map = new Map<string, number>();
  constructor(private readonly max = 100_000) {}

  /** Records `ts` and says whether it is newer than what was sent before. */
  advance(connectionId: string, deviceId: number, param: string, ts: number): boolean {
    const key = `${connectionId}\u0000${deviceId}\u0000${param}`;
    const prev = this.map.get(key);
    if (prev !== undefined && prev >= ts) return false;
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, ts);
    return true;
  }

  forget(connectionId: string): void {
    const prefix = `${connectionId}\u0000`;
    for (const k of this.map.keys()) if (k.startsWith(prefix)) this.map.delete(k);
  }
}

/** Messages grouped by their `device.id` (messages without one are not live: unregistered idents). */
export function byDevice(messages: readonly Message[]): Map<number, Message[]> {
  const out = new Map<number, Message[]>();
  for (const m of messages) {
    const id = m['device.id'];
    if (typeof id !== 'number') continue;
    const list = out.get(id);
    if (list) list.push(m);
    else out.set(id, [m]);
  }
  return out;
}

/** The newest value of each parameter in a device's messages (telemetry rules: a later timestamp wins, ties to the later message). */
export function newestValues(messages: readonly Message[]): Map<string, TelemetryValue> {
  const out = new Map<string, TelemetryValue>();
  for (const m of messages) {
    const ts = typeof m.timestamp === 'number' ? m.timestamp : 0;
    for (const name in m) {
      const value = m[name];
      if (value === undefined) continue;
      const prev = out.get(name);
      if (!prev || ts >= prev.ts) out.set(name, { value, ts });
    }
  }
  return out;
}

/** Adds a frame for a connection once per key (overlapping subscriptions get each frame once); undefined adds nothing. */
type AddFrame = (connectionId: string, key: string, frame: () => LiveFrame | undefined) => void;

/**
 * The frames each connection gets for a batch: a message frame per message of a watched device,
 * per telemetry subscription one frame per matching parameter whose newest value in the batch
 * is newer than the last one sent, and per intervals subscription a frame per event of a pair it
 * watches. A connection whose subscriptions overlap (`all` and `12`) gets each frame once.
 */
export function framesFor(
  messages: readonly Message[],
  watchers: ReadonlyMap<number, readonly LiveWatcher[]>,
  seen: TelemetrySeen,
  events: readonly LiveIntervalEvent[] = [],
): Map<string, LiveFrame[]> {
  const out = new Map<string, LiveFrame[]>();
  const sent = new Set<string>();
  const topics = new Map<string, Topic | undefined>();
  const add: AddFrame = (connectionId, key, frame) => {
    const k = `${connectionId}\u0000${key}`;
    if (sent.has(k)) return;
    sent.add(k);
    const f = frame();
    if (!f) return;
    const list = out.get(connectionId);
    if (list) list.push(f);
    else out.set(connectionId, [f]);
  };
  messageFrames(messages, watchers, seen, topics, add);
  for (const [i, e] of events.entries())
    for (const w of watchers.get(e.device_id) ?? [])
      if (topicOf(topics, w.topic)?.kind === 'intervals' && w.calcs?.includes(e.calc_id)) add(w.connectionId, `i${i}`, () => frames.interval(e));
  return out;
}

function messageFrames(
  messages: readonly Message[],
  watchers: ReadonlyMap<number, readonly LiveWatcher[]>,
  seen: TelemetrySeen,
  topics: Map<string, Topic | undefined>,
  add: AddFrame,
): void {
  for (const [deviceId, list] of byDevice(messages)) {
    const watching = watchers.get(deviceId);
    if (!watching) continue;
    let newest: Map<string, TelemetryValue> | undefined;
    for (const w of watching) {
      const topic = topicOf(topics, w.topic);
      if (topic?.kind === 'messages') for (const [i, m] of list.entries()) add(w.connectionId, `m${deviceId}#${i}`, () => frames.message(deviceId, m));
      if (topic?.kind !== 'telemetry') continue;
      newest ??= newestValues(list);
      for (const [param, value] of [...newest].sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (!paramMatches(topic.params, param)) continue;
        add(w.connectionId, `t${deviceId}#${param}`, () =>
          seen.advance(w.connectionId, deviceId, param, value.ts) ? frames.telemetry(deviceId, param, value) : undefined,
        );
      }
    }
  }
}

/** Parsed topics of a batch, memoized (a stored topic that no longer parses matches nothing). */
function topicOf(cache: Map<string, Topic | undefined>, text: string): Topic | undefined {
  if (!cache.has(text)) {
    try {
      cache.set(text, parseTopic(text));
    } catch {
      cache.set(text, undefined);
    }
  }
  return cache.get(text);
}
