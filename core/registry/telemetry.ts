import type { Message } from '../../protocols/common/types.js';
import type { MessageService } from '../messages/service.js';
import type { Telemetry, TelemetryStore } from '../ports.js';

/**
 * Folds messages into telemetry: every parameter keeps its latest value and that value's message
 * timestamp. An older (black-box) message never overwrites a newer value.
 */
export function mergeTelemetry(current: Telemetry, messages: readonly Message[]): Telemetry {
  const next: Telemetry = { ...current };
  for (const m of messages) {
    const ts = typeof m.timestamp === 'number' ? m.timestamp : 0;
    for (const name in m) {
      const value = m[name];
      if (value === undefined) continue;
      const prev = next[name];
      if (!prev || ts >= prev.ts) next[name] = { value, ts };
    }
  }
  return next;
}

/** Two telemetries in one: each parameter from whichever holds the newer value (`b` on a tie). */
export function combineTelemetry(a: Telemetry, b: Telemetry): Telemetry {
  const next: Telemetry = { ...a };
  for (const name in b) {
    const prev = next[name];
    if (!prev || b[name].ts >= prev.ts) next[name] = b[name];
  }
  return next;
}

/** Telemetry narrowed to parameters starting with any of the prefixes (`position` keeps `position.*`). */
export function narrowTelemetry(t: Telemetry, prefixes: readonly string[] | undefined): Telemetry {
  if (!prefixes || prefixes.length === 0) return t;
  const out: Telemetry = {};
  for (const name of Object.keys(t)) {
    if (prefixes.some((p) => name === p || name.startsWith(p.endsWith('.') ? p : `${p}.`))) out[name] = t[name];
  }
  return out;
}

/** Messages read per page after the checkpoint (ingest checkpoints a device at least every 1,000 messages: one page). */
const FOLD_PAGE = 5000;

/**
 * A device's telemetry as of now: the stored checkpoint with the history newer than it folded in
 * (the checkpoint's `timestamp` is the newest message it holds), all of it, page by page, so the
 * answer is the same however old the checkpoint. Without a checkpoint, the last messages of the
 * history.
 */
export async function currentTelemetry(store: TelemetryStore, messages: Pick<MessageService, 'query'>, deviceId: number): Promise<Telemetry> {
  return foldNewer(await store.get(deviceId), messages, deviceId);
}

/** A stored checkpoint (or none) with the device's history newer than it folded in (see currentTelemetry). */
export async function foldNewer(stored: Telemetry | undefined, messages: Pick<MessageService, 'query'>, deviceId: number): Promise<Telemetry> {
  const through = stored?.timestamp?.value;
  const newer: Message[] = [];
  if (typeof through === 'number') {
    let cursor: string | undefined;
    do {
      const page = await messages.query('device', deviceId, { from: through, to: 9_999_999_999, count: FOLD_PAGE, reverse: false, cursor });
      newer.push(...page.messages);
      cursor = page.next;
    } while (cursor);
  } else newer.push(...(await messages.query('device', deviceId, { from: 0, to: 9_999_999_999, count: 1000, reverse: true })).messages);
  return newer.length === 0
    ? (stored ?? {})
    : mergeTelemetry(
        stored ?? {},
        newer.sort((a, b) => (a.timestamp as number) - (b.timestamp as number)),
      );
}
