import type { Message } from '../../protocols/common/types.js';
import type { GeofenceIndex } from '../geofences/index.js';
import type { PluginType } from '../schemas/plugins.js';

/** What a plugin may read besides the message: the device's previous message, its metadata, the geofences. */
export interface PluginContext {
  /** The device's previous (kept) message; `previous('x')` is null and `sanity` skips its speed check without it. */
  readonly previous?: Message;
  readonly metadata?: Record<string, unknown>;
  readonly geofences?: GeofenceIndex;
}

/** Why a message was dropped, and by which plugin (the device log entry and the metric dimension). */
export interface PluginDrop {
  readonly plugin_id: number;
  readonly plugin: PluginType;
  readonly plugin_name: string;
  readonly reason: string;
}

export type ChainResult = { readonly message: Message; readonly dropped?: undefined } | { readonly dropped: PluginDrop; readonly message?: undefined };

/** One plugin compiled once (expressions and patterns built), applied per message. */
export interface CompiledPlugin {
  readonly id: number;
  readonly name: string;
  readonly type: PluginType;
  /** Reads the previous message (`sanity` with `max_speed`, `previous(...)` in an expression). */
  readonly needsPrevious: boolean;
  /** Reads geofences (`geofence` plugin, `geofence(...)` in an expression). */
  readonly needsGeofences: boolean;
  /** Changes `message` in place (the chain owns a copy); returns a drop reason, or undefined to keep it. */
  apply(message: Message, ctx: PluginContext): string | undefined;
}
