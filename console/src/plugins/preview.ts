/**
 * The plugin preview: the hub's own pure plugin code (core/plugins, core/geofences) run in the
 * browser on a stored message. Loaded on demand as its own chunk (it brings zod and flatbush).
 */
import { GeofenceIndex } from '../../../core/geofences/index.js';
import { applyPlugins, type CompiledPlugin, compilePlugin } from '../../../core/plugins/index.js';
import type { Geofence, Message, Plugin } from '../types.js';

export interface PreviewInput {
  /** The device's plugins in assignment order (disabled ones are skipped, as ingest does). */
  readonly plugins: readonly Plugin[];
  readonly message: Message;
  /** The message before it (for `previous(...)` and `sanity`). */
  readonly previous?: Message;
  readonly metadata?: Record<string, unknown>;
  readonly geofences: readonly Geofence[];
}

export type PreviewResult =
  | { readonly kind: 'kept'; readonly message: Message; readonly skipped: readonly string[] }
  | { readonly kind: 'dropped'; readonly plugin: string; readonly reason: string; readonly skipped: readonly string[] };

export function previewPlugins(input: PreviewInput): PreviewResult {
  const chain: CompiledPlugin[] = [];
  const skipped: string[] = [];
  for (const p of input.plugins) {
    if (!p.enabled) continue;
    try {
      chain.push(compilePlugin(p));
    } catch (err) {
      skipped.push(`${p.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const r = applyPlugins(chain, input.message, { previous: input.previous, metadata: input.metadata, geofences: new GeofenceIndex(input.geofences) });
  if (r.dropped) return { kind: 'dropped', plugin: `${r.dropped.plugin_name} (${r.dropped.plugin})`, reason: r.dropped.reason, skipped };
  return { kind: 'kept', message: r.message, skipped };
}
