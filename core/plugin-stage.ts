import type { Message } from '../protocols/common/types.js';
import { TtlCache } from './cache.js';
import type { GenerationWatch } from './generation.js';
import type { GeofenceIndex } from './geofences/index.js';
import type { Logger } from './logger.js';
import type { MessageService } from './messages/service.js';
import { applyPlugins, type CompiledPlugin, compilePlugin, type PluginDrop } from './plugins/index.js';
import type { Clock, DeviceLogRepository, PluginRepository } from './ports.js';
import type { Device } from './schemas/devices.js';
import type { Plugin } from './schemas/plugins.js';

export interface PluginStageDeps {
  readonly plugins: Pick<PluginRepository, 'get' | 'pluginsOf'>;
  /** The geofences as an index (cached by the caller, see registry/geofence-lookup.ts). */
  readonly geofences?: () => Promise<GeofenceIndex>;
  readonly messages: Pick<MessageService, 'query'>;
  readonly logs?: Pick<DeviceLogRepository, 'append'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a device's plugin chain is reused (ms; default 2 minutes, like device lookups). */
  readonly cacheMs?: number;
  /** Keeps expired chains and plugins while the registry generation is unchanged (read by ingest at the start of a batch). */
  readonly generation?: GenerationWatch;
  /** Devices whose last message is kept in memory (LRU; default 20,000). */
  readonly lastMessages?: number;
  /** Drop entries written to one device's log per minute; the rest are counted in the next entry (default 10). */
  readonly dropLogsPerMinute?: number;
}

/** What the stage did to one message: kept (possibly changed), with the device's previous message; or dropped. */
export type StageResult = { readonly message: Message; readonly previous?: Message; readonly dropped?: undefined } | { readonly dropped: PluginDrop };

/**
 * Runs each device's plugins on its messages right after decoding (DESIGN §7), in ingest on AWS
 * and locally alike. Keeps per process: the compiled chains (TtlCache, cleared on change), the
 * last kept message of each device (a bounded LRU: `previous(...)` and `sanity`; on a miss the
 * newest stored message is read once, only for chains that need it), and per-device drop-log
 * budgets.
 */
export class PluginStage {
  private readonly chains: TtlCache<number, readonly CompiledPlugin[]>;
  private readonly pluginCache: TtlCache<number, Plugin | undefined>;
  /** device id → its last kept message (null: the device has none stored). Map order is recency. */
  private readonly last = new Map<number, Message | null>();
  private readonly dropLog = new Map<number, { windowStart: number; logged: number; unlogged: number }>();

  constructor(private readonly d: PluginStageDeps) {
    this.chains = new TtlCache(d.cacheMs ?? 120_000, undefined, undefined, d.generation);
    this.pluginCache = new TtlCache(d.cacheMs ?? 120_000, undefined, undefined, d.generation);
  }

  invalidate(): void {
    this.chains.clear();
    this.pluginCache.clear();
  }

  /** Applies the device's chain to one message (messages of a device must come in order). */
  async run(device: Device, message: Message): Promise<StageResult> {
    const chain = await this.chains.get(device.id, (id) => this.load(id));
    const needsPrevious = chain.some((p) => p.needsPrevious);
    const previous = needsPrevious ? await this.previousOf(device.id) : this.recall(device.id);
    if (chain.length === 0) {
      this.remember(device.id, message);
      return { message, previous };
    }
    const geofences = chain.some((p) => p.needsGeofences) && this.d.geofences ? await this.d.geofences() : undefined;
    const r = applyPlugins(chain, message, { previous, metadata: device.metadata, geofences });
    if (r.dropped) {
      await this.logDrop(device.id, r.dropped, message);
      return { dropped: r.dropped };
    }
    this.remember(device.id, r.message);
    return { message: r.message, previous };
  }

  /** The device's enabled plugins in assignment order, compiled (a plugin that no longer compiles is skipped and logged). */
  private async load(deviceId: number): Promise<readonly CompiledPlugin[]> {
    const links = await this.d.plugins.pluginsOf(deviceId);
    const out: CompiledPlugin[] = [];
    for (const link of links) {
      const plugin = await this.pluginCache.get(link.pluginId, (id) => this.d.plugins.get(id));
      if (!plugin?.enabled) continue;
      try {
        out.push(compilePlugin(plugin));
      } catch (err) {
        this.d.logger.error('plugin skipped: its configuration does not compile', {
          plugin_id: plugin.id,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
    return out;
  }

  private recall(deviceId: number): Message | undefined {
    return this.last.get(deviceId) ?? undefined;
  }

  /** From memory, else the newest stored message (one read per device per miss, remembered even when there is none). */
  private async previousOf(deviceId: number): Promise<Message | undefined> {
    const known = this.last.get(deviceId);
    if (known !== undefined) return known ?? undefined;
    const page = await this.d.messages.query('device', deviceId, { from: 0, to: 9_999_999_999, count: 1, reverse: true });
    const newest = page.messages[0];
    if (!this.last.has(deviceId)) this.remember(deviceId, newest ?? null);
    return this.last.get(deviceId) ?? undefined;
  }

  private remember(deviceId: number, message: Message | null): void {
    this.last.delete(deviceId);
    if (this.last.size >= (this.d.lastMessages ?? 20_000)) this.last.delete(this.last.keys().next().value as number);
    this.last.set(deviceId, message);
  }

  /**
   * The device log gets `{event: 'message_dropped', plugin_id, plugin, reason, timestamp}`, at most
   * `dropLogsPerMinute` entries per device per minute; the first entry after a full minute says how
   * many drops went unlogged (`unlogged`). Metrics count every drop.
   */
  private async logDrop(deviceId: number, drop: PluginDrop, message: Message): Promise<void> {
    const now = this.d.clock.now();
    let budget = this.dropLog.get(deviceId);
    if (!budget || now - budget.windowStart >= 60) {
      const unlogged = budget?.unlogged ?? 0;
      if (this.dropLog.size > 100_000) this.dropLog.clear();
      budget = { windowStart: now, logged: 0, unlogged };
      this.dropLog.set(deviceId, budget);
    }
    if (budget.logged >= (this.d.dropLogsPerMinute ?? 10)) {
      budget.unlogged++;
      return;
    }
    budget.logged++;
    const unlogged = budget.unlogged;
    budget.unlogged = 0;
    await this.d.logs?.append(deviceId, {
      timestamp: now,
      event: 'message_dropped',
      plugin_id: drop.plugin_id,
      plugin: drop.plugin,
      plugin_name: drop.plugin_name,
      reason: drop.reason,
      message_timestamp: typeof message.timestamp === 'number' ? message.timestamp : null,
      ...(unlogged > 0 ? { unlogged } : {}),
    });
  }
}
