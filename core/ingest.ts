import { safeDecode } from '../protocols/common/connection.js';
import type { CommandReply, Message, ProtocolCodec } from '../protocols/common/types.js';
import { getProtocol } from '../protocols/index.js';
import { TtlCache } from './cache.js';
import type { Envelope, QueuedFrame } from './envelope.js';
import type { GenerationWatch } from './generation.js';
import type { Logger } from './logger.js';
import { messageKey } from './messages/pack.js';
import type { HistoryWrite, MessageService } from './messages/service.js';
import type { PluginStage } from './plugin-stage.js';
import type { ChannelRepository, Clock, DeviceRepository, TelemetryStore } from './ports.js';
import { adoptIdentHistory, annotateDevice } from './registry/adoption.js';
import type { CommandService } from './registry/commands.js';
import type { DeviceTyping } from './registry/device-typing.js';
import type { Channel } from './schemas/channels.js';
import type { Command } from './schemas/commands.js';
import type { Device } from './schemas/devices.js';
import type { RoutedEvent } from './streams/events.js';
import { TelemetryCheckpoints } from './telemetry-checkpoints.js';

export interface IngestDeps {
  readonly devices: Pick<DeviceRepository, 'findByIdent' | 'findByIdents'>;
  readonly channels: Pick<ChannelRepository, 'get'>;
  readonly messages: MessageService;
  readonly telemetry: TelemetryStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * How long an ident → device or channel lookup may be reused (ms; default 2 minutes). On AWS a
   * rename or hardware swap reaches ingest within this time (local mode refreshes at once); a
   * longer cache saves two reads per device per invocation.
   */
  readonly cacheMs?: number;
  /**
   * The registry generation: read at most once per `cacheMs` (at the start of a batch), it keeps
   * expired lookups that are still current instead of re-reading them, up to 15 minutes
   * (core/generation.ts). The plugin and calculator stages share it.
   */
  readonly generation?: GenerationWatch;
  /** Correlates device replies with sent commands. */
  readonly commands?: Pick<CommandService, 'applyReplies'>;
  /**
   * Seconds between telemetry checkpoints of a device (default 300; the slow cost profiles write
   * them less often: lib/profiles.ts). Reads stay exact at any interval: they fold the history
   * newer than the checkpoint into it.
   */
  readonly telemetryCheckpointS?: number;
  /** Sees every device's replies and the commands they completed (remote configuration). */
  readonly onReplies?: (device: Device, replies: readonly CommandReply[], completed: readonly Command[]) => Promise<void>;
  /** Gives untyped devices the generic type of the protocol they speak; logs protocol mismatches. */
  readonly typing?: DeviceTyping;
  /** Device plugins, applied right after decoding (and to injected messages) before anything is stored. */
  readonly plugins?: PluginStage;
  /** Devices that came online or went offline (connection events from the listener), after the batch's messages; a failure fails the batch. */
  readonly onConnectionEvents?: (events: readonly RoutedEvent[]) => Promise<void>;
  /** Called with the batch's stored messages (stream fan-out); a failure fails the batch (it is retried). */
  /** `keys`: the messages' content keys, computed once by storage (the calculators reuse them). */
  readonly onStored?: (messages: readonly IngestedMessage[], keys: ReadonlyMap<Message, string>) => Promise<void>;
}

/** Why a device's telemetry checkpoint is due: first sight in this process or not, the batch's oldest and newest message times, the interval (s). */
export interface IngestStats {
  frames: number;
  messages: number;
  stored: number;
  unregistered: number;
  decodeErrors: number;
  commandReplies: number;
  /** Messages dropped by plugins (`filter`, `sanity`), in all and by plugin type (the `MessagesDropped` metric). */
  dropped: number;
  droppedBy: Record<string, number>;
}

/** A decoded message with the device it belongs to (if its ident is registered). */
export interface IngestedMessage {
  readonly message: Message;
  /** The channel it arrived on; absent for messages injected through the API. */
  readonly channel?: Channel;
  readonly device?: Device;
  /** The device's previous message, when this process knows it (`previous(...)` in a stream's validate_message). */
  readonly previous?: Message;
}

/**
 * Ingest: decodes queued frames into messages, attributes them to devices, stores device and
 * channel history and telemetry. Safe to run twice on the same frames (retries): packs are keyed
 * by content and telemetry merges are idempotent.
 */
export class IngestService {
  private readonly deviceCache: TtlCache<string, Device | undefined>;
  private readonly channelCache: TtlCache<number, Channel | undefined>;
  /** When this process last wrote each device's telemetry, the newest message time then, and the messages since. */
  private readonly checkpoints: TelemetryCheckpoints;
  /** Idents this process found unregistered: when one turns up registered, its kept history is adopted. */
  private readonly unregistered = new Set<string>();
  /** Since this process started: messages decoded, dropped by plugins (by type), stored. */
  readonly totals = { messages: 0, dropped: 0, droppedBy: {} as Record<string, number>, stored: 0 };

  constructor(private readonly deps: IngestDeps) {
    this.deviceCache = new TtlCache(deps.cacheMs ?? 120_000, undefined, undefined, deps.generation);
    this.channelCache = new TtlCache(deps.cacheMs ?? 120_000, undefined, undefined, deps.generation);
    this.checkpoints = new TelemetryCheckpoints({
      telemetry: deps.telemetry,
      messages: deps.messages,
      clock: deps.clock,
      intervalS: deps.telemetryCheckpointS,
    });
  }

  async ingest(envelope: Envelope): Promise<{ stats: IngestStats; messages: IngestedMessage[] }> {
    const stats: IngestStats = newStats(envelope.frames.length);
    const decoded: IngestedMessage[] = [];
    const connections: RoutedEvent[] = [];
    await this.deps.generation?.check();
    await this.prefetch(envelope.frames);
    for (const frame of envelope.frames) {
      const channel = await this.channelCache.get(frame.channelId, (id) => this.deps.channels.get(id));
      if (!channel) {
        this.deps.logger.warn('frame for a deleted channel dropped', {
          channel_id: frame.channelId,
          ident: frame.ident,
          peer: frame.peer,
          correlation_id: frame.correlationId,
        });
        continue;
      }
      if (frame.event) {
        const device = frame.ident === undefined ? undefined : await this.resolve(frame.ident);
        if (device?.enabled) connections.push({ event: { event: frame.event, device_id: device.id, timestamp: frame.receivedAt }, channelId: frame.channelId });
        continue;
      }
      const { messages, replies, protocol } = this.decodeFrame(frame, channel, stats);
      if (replies.length > 0 && frame.ident !== undefined && this.deps.commands && protocol) {
        const device = await this.resolve(frame.ident);
        if (device) {
          const done = await this.deps.commands.applyReplies(device, replies, frame.receivedAt, (c) =>
            protocol.correlate?.({ name: c.name, properties: c.properties, id: c.id }),
          );
          stats.commandReplies += done.length;
          await this.deps.onReplies?.(device, replies, done);
        }
      }
      for (const message of messages) {
        const ident = typeof message.ident === 'string' ? message.ident : undefined;
        const device = ident === undefined ? undefined : await this.resolveTyped(ident, frame.protocolId);
        if (device) annotateDevice(message, device);
        else stats.unregistered++;
        decoded.push({ message, channel, device: device?.enabled ? device : undefined });
      }
    }
    stats.messages = decoded.length;
    const ingested = await this.runPlugins(decoded, stats);
    const keys = new Map<Message, string>();
    stats.stored = await this.store(ingested, keys);
    this.count(stats);
    if (this.deps.onStored && ingested.length > 0) await this.deps.onStored(ingested, keys);
    if (this.deps.onConnectionEvents && connections.length > 0) await this.deps.onConnectionEvents(connections);
    return { stats, messages: ingested };
  }

  /**
   * Stores messages given through the API (`POST /gw/devices/{sel}/messages`) as if the device had
   * sent them: history, telemetry and streams.
   */
  async inject(device: Device, messages: readonly Message[]): Promise<number> {
    const now = this.deps.clock.now();
    const stats = newStats(0);
    stats.messages = messages.length;
    const given: IngestedMessage[] = messages.map((m) => {
      const message: Message = { ...m, ident: device.configuration.ident, 'server.timestamp': now };
      message.timestamp ??= now;
      return { message: annotateDevice(message, device), device };
    });
    const items = await this.runPlugins(given, stats);
    const keys = new Map<Message, string>();
    const stored = await this.store(items, keys);
    stats.stored = stored;
    this.count(stats);
    if (this.deps.onStored && items.length > 0) await this.deps.onStored(items, keys);
    return stored;
  }

  /** Forgets cached lookups (local mode calls this when the registry changes). */
  invalidate(): void {
    this.deviceCache.clear();
    this.channelCache.clear();
    this.deps.plugins?.invalidate();
  }

  /** Each device's plugins on its messages, in order; dropped messages are counted (and logged by the stage). */
  private async runPlugins(items: readonly IngestedMessage[], stats: IngestStats): Promise<IngestedMessage[]> {
    const stage = this.deps.plugins;
    if (!stage) return [...items];
    const out: IngestedMessage[] = [];
    for (const item of items) {
      if (!item.device) {
        out.push(item);
        continue;
      }
      const r = await stage.run(item.device, item.message);
      if (r.dropped) {
        stats.dropped++;
        stats.droppedBy[r.dropped.plugin] = (stats.droppedBy[r.dropped.plugin] ?? 0) + 1;
        continue;
      }
      out.push(r.previous ? { ...item, message: r.message, previous: r.previous } : { ...item, message: r.message });
    }
    return out;
  }

  private count(stats: IngestStats): void {
    const t = this.totals;
    t.messages += stats.messages;
    t.stored += stats.stored;
    t.dropped += stats.dropped;
    for (const [k, n] of Object.entries(stats.droppedBy)) t.droppedBy[k] = (t.droppedBy[k] ?? 0) + n;
  }

  /**
   * Looks up the idents of a batch's frames not cached yet in one batched read (instead of two
   * reads per ident, one after the other, in the frame loop: an envelope of never-seen devices
   * cost a round trip per device), and types the untyped ones concurrently; the frame loop then
   * finds them in the cache. Idents a message names otherwise are still looked up one by one.
   */
  private async prefetch(frames: readonly QueuedFrame[]): Promise<void> {
    const wanted = new Set<string>();
    /** The protocol of each ident's first data frame (connection events type nothing). */
    const spoken = new Map<string, number>();
    for (const f of frames) {
      if (f.ident === undefined) continue;
      if (!this.deviceCache.has(f.ident)) wanted.add(f.ident);
      if (!f.event && !spoken.has(f.ident)) spoken.set(f.ident, f.protocolId);
    }
    if (wanted.size < 2) return;
    const found = await this.deps.devices.findByIdents([...wanted]);
    for (const ident of wanted) this.deviceCache.set(ident, found.get(ident));
    const typing = this.deps.typing;
    if (!typing) return;
    const untyped = [...found.values()].filter((d) => d.device_type_id === null);
    for (let i = 0; i < untyped.length; i += PREFETCH_CONCURRENCY) {
      await Promise.all(
        untyped.slice(i, i + PREFETCH_CONCURRENCY).map(async (device) => {
          const protocolId = spoken.get(device.configuration.ident);
          if (protocolId === undefined || !getProtocol(protocolId)) return;
          const typed = await typing.observe(device, protocolId);
          if (typed !== device) this.deviceCache.set(device.configuration.ident, typed);
        }),
      );
    }
  }

  /** The device of an ident, typed by the protocol of the frame it sent (see DeviceTyping). */
  private async resolveTyped(ident: string, protocolId: number): Promise<Device | undefined> {
    const device = await this.resolve(ident);
    if (!device || !this.deps.typing) return device;
    const observed = await this.deps.typing.observe(device, protocolId);
    if (observed !== device) this.deviceCache.set(ident, observed);
    return observed;
  }

  private async resolve(ident: string): Promise<Device | undefined> {
    const device = await this.deviceCache.get(ident, (i) => this.deps.devices.findByIdent(i));
    if (!device) {
      if (this.unregistered.size > 100_000) this.unregistered.clear();
      this.unregistered.add(ident);
    } else if (this.unregistered.delete(ident)) {
      await adoptIdentHistory(this.deps.messages, this.deps.telemetry, device);
    }
    return device;
  }

  private decodeFrame(
    frame: QueuedFrame,
    channel: Channel,
    stats: IngestStats,
  ): { messages: Message[]; replies: readonly CommandReply[]; protocol?: ProtocolCodec } {
    const protocol = getProtocol(frame.protocolId);
    if (!protocol) {
      stats.decodeErrors++;
      this.deps.logger.error('frame of an unknown protocol dropped', {
        protocol_id: frame.protocolId,
        channel_id: frame.channelId,
        correlation_id: frame.correlationId,
      });
      return { messages: [], replies: [] };
    }
    const bytes = Buffer.from(frame.frame, 'base64');
    const options = { crc: channel.configuration.crc, maxFrameSize: channel.configuration.max_frame_size, settings: channel.configuration.settings };
    const decoded = safeDecode(protocol, bytes, { transport: frame.transport, ident: frame.ident, vars: frame.session ?? {} }, options, frame.receivedAt);
    for (const error of decoded.errors) {
      stats.decodeErrors++;
      this.deps.logger.warn('decode error', {
        error: error.toString(),
        ident: frame.ident,
        peer: frame.peer,
        channel_id: frame.channelId,
        frame: bytes.subarray(0, 512).toString('hex'),
        correlation_id: frame.correlationId,
      });
    }
    const messages = decoded.messages.map((m) => {
      const message: Message = { ...m };
      message.ident ??= frame.ident ?? null;
      if (message.ident === null) delete message.ident;
      message.timestamp ??= frame.receivedAt;
      message['server.timestamp'] = frame.receivedAt;
      message['channel.id'] = frame.channelId;
      message['protocol.id'] = frame.protocolId;
      message.peer = frame.peer;
      return message;
    });
    return { messages, replies: decoded.commandReplies, protocol };
  }

  /** Writes channel history, device history and telemetry; returns the number of device messages stored. */
  /** Writes history and telemetry; fills `keys` with each message's content key (computed once for all writes). */
  private async store(items: readonly IngestedMessage[], keys: Map<Message, string>): Promise<number> {
    for (const { message } of items) keys.set(message, messageKey(message));
    const byChannel = new Map<number, { channel: Channel; messages: Message[] }>();
    const byDevice = new Map<number, { device: Device; messages: Message[] }>();
    const byIdent = new Map<string, { ttl: number; messages: Message[] }>();
    for (const { message, channel, device } of items) {
      if (channel) {
        const c = byChannel.get(channel.id);
        if (c) c.messages.push(message);
        else byChannel.set(channel.id, { channel, messages: [message] });
      }
      if (device) {
        const d = byDevice.get(device.id);
        if (d) d.messages.push(message);
        else byDevice.set(device.id, { device, messages: [message] });
      } else if (typeof message.ident === 'string' && message['device.id'] === undefined) {
        const i = byIdent.get(message.ident);
        if (i) i.messages.push(message);
        else byIdent.set(message.ident, { ttl: channel?.messages_ttl ?? 86400, messages: [message] });
      }
    }
    const history: HistoryWrite[] = [];
    for (const { channel, messages } of byChannel.values())
      history.push({ scope: 'channel', id: channel.id, messages, ttlSeconds: channel.messages_ttl, keys });
    for (const [ident, { ttl, messages }] of byIdent) history.push({ scope: 'ident', id: ident, messages, ttlSeconds: ttl, keys });
    let stored = 0;
    const writes: Promise<void>[] = [];
    for (const { device, messages } of byDevice.values()) {
      stored += messages.length;
      history.push({ scope: 'device', id: device.id, messages, ttlSeconds: device.messages_ttl, keys });
      const due = this.checkpoints.due(device, messages);
      if (due) writes.push(this.checkpoints.write(device.id, messages, due));
    }
    writes.push(this.deps.messages.writeMany(history));
    await Promise.all(writes);
    return stored;
  }
}

/** Devices typed at once by a prefetch (each costs a conditional update and a device log entry). */
const PREFETCH_CONCURRENCY = 16;

function newStats(frames: number): IngestStats {
  return { frames, messages: 0, stored: 0, unregistered: 0, decodeErrors: 0, commandReplies: 0, dropped: 0, droppedBy: {} };
}
