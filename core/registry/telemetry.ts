import type { Message } from '../../protocols/common/types.js';
import type { Telemetry } from '../ports.js';

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

/** Telemetry narrowed to parameters starting with any of the prefixes (`position` keeps `position.*`). */
export function narrowTelemetry(t: Telemetry, prefixes: readonly string[] | undefined): Telemetry {
  if (!prefixes || prefixes.length === 0) return t;
  const out: Telemetry = {};
  for (const name of Object.keys(t)) {
    if (prefixes.some((p) => name === p || name.startsWith(p.endsWith('.') ? p : `${p}.`))) out[name] = t[name];
  }
  return out;
}
