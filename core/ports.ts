import type { Message } from '../protocols/common/types.js';
import type { QueuedFrame } from './envelope.js';
import type { StoredPack } from './messages/merge.js';
import type { Keyed, Pack } from './messages/pack.js';
import type { Channel } from './schemas/channels.js';
import type { Device } from './schemas/devices.js';

/** The durable queue between listeners and ingest (SQS on AWS, a disk journal locally). */
export interface FrameQueue {
  /** Resolves once every frame is durable; rejects if any is not (the device then gets no ack). */
  send(frames: readonly QueuedFrame[]): Promise<void>;
}

/** Sequence numbers for ids. */
export interface IdGenerator {
  next(kind: 'device' | 'channel' | 'stream' | 'token' | 'command' | 'geofence' | 'plugin' | 'plugin_assignment' | 'calc'): Promise<number>;
}

/**
 * The registry's generation: a number raised by every registry write a cached ingest lookup
 * depends on (devices, ident claims, channels, plugins and their assignments, calculators and their
 * assignments, geofences). Caches read it to revalidate entries instead of re-reading them
 * (core/generation.ts).
 */
export interface RegistryGeneration {
  /** The current generation (0 before the first write); may lag a write by the store's replication delay. */
  read(): Promise<number>;
  /** Raises the generation (after the write it announces). */
  bump(): Promise<void>;
}

export interface DeviceRepository {
  /** Stores a new device; ConflictError when its ident is taken. */
  create(device: Device): Promise<void>;
  get(id: number): Promise<Device | undefined>;
  list(): Promise<Device[]>;
  /** Replaces a device; claims the new ident first when it changed (ConflictError if taken). */
  update(device: Device, previous: Device): Promise<void>;
  delete(device: Device): Promise<void>;
  findByIdent(ident: string): Promise<Device | undefined>;
  /** The devices of many idents at once (batched reads); idents without a device are absent from the map. */
  findByIdents(idents: readonly string[]): Promise<Map<string, Device>>;
  /** Gives an untyped device a device type (and its protocol); false when it already has one. */
  assignType(id: number, deviceTypeId: number, protocolId: number): Promise<boolean>;
}

export interface ChannelRepository {
  create(channel: Channel): Promise<void>;
  get(id: number): Promise<Channel | undefined>;
  list(): Promise<Channel[]>;
  update(channel: Channel): Promise<void>;
  delete(channel: Channel): Promise<void>;
}

/** Whose history: a device, a channel, or an ident not registered yet (kept for its channel's TTL). */
export type MessageScope = 'device' | 'channel' | 'ident';
export type OwnerId = number | string;

export interface PackRangeQuery {
  readonly fromMs: number;
  readonly toMs: number;
  readonly reverse: boolean;
  /** Current time (s): packs whose ttl passed are skipped. */
  readonly now: number;
}

/** Storage of message packs (DESIGN §4 `messages`, `channel-messages`). */
/** The packs of one device, channel or ident to write. */
export interface PackWrite {
  readonly scope: MessageScope;
  readonly id: OwnerId;
  readonly packs: readonly Pack[];
  /** Epoch seconds: the messages' expiry. */
  readonly ttl: number;
  /**
   * Epoch seconds, before `ttl`: the store may drop the packs from then on, because a cold tier
   * (PackArchive) holds them by that time.
   */
  readonly hotUntil?: number;
}

export interface PackStore {
  /**
   * Writes the packs of one or more owners idempotently (the same pack twice leaves one item), in
   * as few requests as the store allows.
   */
  putMany(writes: readonly PackWrite[]): Promise<void>;
  /** Packs whose sort key lies in the range, in sort-key order, read lazily. */
  read(scope: MessageScope, id: OwnerId, range: PackRangeQuery): AsyncIterable<StoredPack & { readonly sk: string; readonly ttl: number }>;
  /** Replaces one stored pack's content (after deleting some of its messages); an empty pack is removed. */
  rewrite(scope: MessageScope, id: OwnerId, sk: string, entries: StoredPack['entries'], ttl: number, hotUntil?: number): Promise<void>;
  /** Removes every pack of a device or channel. */
  drop(scope: MessageScope, id: OwnerId): Promise<void>;
}

/** Messages of one owner and one day in the cold tier, grouped by expiry (epoch seconds). */
export interface ArchivedGroup {
  readonly ttl: number;
  readonly entries: readonly Keyed[];
}

/**
 * The cold tier of message history (S3 on AWS, files locally): one object per owner (device or
 * channel) per UTC day (`YYYY-MM-DD`) of message time, written by the archiver from the packs the
 * hot PackStore still holds. Every call is idempotent.
 */
export interface PackArchive {
  /** The owner's archived days within [fromDay, toDay], oldest first. */
  days(scope: MessageScope, id: OwnerId, fromDay: string, toDay: string): Promise<string[]>;
  /** One owner's archived day, or undefined when there is none. */
  get(scope: MessageScope, id: OwnerId, day: string): Promise<ArchivedGroup[] | undefined>;
  /** Stores (replaces) a day; `keepDays` lets the store expire the object by age on its own. */
  put(scope: MessageScope, id: OwnerId, day: string, groups: readonly ArchivedGroup[], keepDays: number): Promise<void>;
  delete(scope: MessageScope, id: OwnerId, day: string): Promise<void>;
  /** Removes every archived day of an owner. */
  drop(scope: MessageScope, id: OwnerId): Promise<void>;
}

export interface TelemetryValue {
  readonly value: Message[string];
  readonly ts: number;
}
export type Telemetry = Record<string, TelemetryValue>;

export interface TelemetryStore {
  get(deviceId: number): Promise<Telemetry | undefined>;
  /** Applies `merge` to the stored telemetry atomically (optimistic concurrency, retried). */
  update(deviceId: number, merge: (current: Telemetry) => Telemetry): Promise<void>;
  drop(deviceId: number): Promise<void>;
}

export interface Clock {
  /** Seconds since the epoch, with fraction. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() / 1000 };

/** A command waiting for delivery, as listeners see it (keyed by the device's current ident). */
export interface PendingCommand {
  readonly ident: string;
  readonly deviceId: number;
  readonly commandId: number;
}

/** A request to close a connection, picked up by the listener that holds it. */
export interface PendingKick {
  readonly channelId: number;
  readonly connectionId: string;
}

export interface CommandRepository {
  /** Stores a queued command and its pending marker under the device's ident. */
  create(command: import('./schemas/commands.js').Command, ident: string): Promise<void>;
  get(deviceId: number, id: number): Promise<import('./schemas/commands.js').Command | undefined>;
  list(deviceId: number): Promise<import('./schemas/commands.js').Command[]>;
  /** Replaces the stored command (status changes); removes its pending marker when no longer queued. */
  update(command: import('./schemas/commands.js').Command, ident?: string): Promise<void>;
  /** Marks a queued command sent, once: false when another listener got there first. */
  markSent(command: import('./schemas/commands.js').Command, ident: string, at: number): Promise<boolean>;
  delete(command: import('./schemas/commands.js').Command, ident?: string): Promise<void>;
  /** All pending markers (commands and kicks). */
  pending(): Promise<{ commands: PendingCommand[]; kicks: PendingKick[] }>;
  pendingFor(ident: string): Promise<PendingCommand[]>;
  /** Moves pending markers to a new ident after a hardware swap. */
  moveIdent(deviceId: number, oldIdent: string, newIdent: string): Promise<void>;
  kick(kick: PendingKick): Promise<void>;
  clearKick(kick: PendingKick): Promise<void>;
}

/** One connection as the connection table shows it. */
export interface ConnectionRecord {
  readonly id: string;
  readonly channel_id: number;
  readonly ident: string | null;
  readonly peer: string;
  readonly established: number;
  readonly last_active: number;
  readonly bytes_in: number;
  readonly bytes_out: number;
  readonly frames_in: number;
}

/** What one listener says about a channel it was asked to serve: listening, or why not (since when). */
export interface ListenerChannelStatus {
  readonly listening: boolean;
  readonly error?: string;
  readonly since: number;
}

/** Connections of each listener, published as periodic snapshots, with the listener's status of the channel. */
export interface ConnectionDirectory {
  publish(listenerId: string, channelId: number, connections: readonly ConnectionRecord[], at: number, status?: ListenerChannelStatus): Promise<void>;
  /** The status each listener with a snapshot newer than `freshAfter` reported for a channel. */
  statuses(channelId: number, freshAfter: number): Promise<(ListenerChannelStatus & { readonly listener: string })[]>;
  /** Connections of a channel from snapshots newer than `freshAfter`. */
  list(channelId: number, freshAfter: number): Promise<ConnectionRecord[]>;
}

export interface DeviceLogEntry {
  readonly timestamp: number;
  readonly event: string;
  readonly [key: string]: unknown;
}

export interface DeviceLogRepository {
  append(deviceId: number, entry: DeviceLogEntry, ttlSeconds?: number): Promise<void>;
  /** Appends entries of many devices at once (batched writes). */
  appendMany(entries: readonly { readonly deviceId: number; readonly entry: DeviceLogEntry }[]): Promise<void>;
  list(deviceId: number, from: number, to: number, limit: number): Promise<DeviceLogEntry[]>;
}

export interface TokenRepository {
  create(token: import('./schemas/tokens.js').StoredToken): Promise<void>;
  get(id: number): Promise<import('./schemas/tokens.js').StoredToken | undefined>;
  list(): Promise<import('./schemas/tokens.js').StoredToken[]>;
  update(token: import('./schemas/tokens.js').StoredToken): Promise<void>;
  delete(token: import('./schemas/tokens.js').StoredToken): Promise<void>;
  findByHash(hash: string): Promise<import('./schemas/tokens.js').StoredToken | undefined>;
}

/** One stream batch on the bus (EventBridge `messages` event detail). */
export interface BusEvent {
  readonly type: import('./schemas/streams.js').StreamTypeName;
  readonly stream_id: number;
  readonly batch_id: string;
  readonly messages: readonly import('../protocols/common/types.js').Message[];
  /** Messages of the batch the stream's validate_message left out (counted in the stream log). */
  readonly skipped?: number;
}

/**
 * An event about a device that streams with `"source": "intervals"` deliver (API.md, "Calculators
 * and intervals"): a calculator's interval changed, or the device connected or disconnected.
 */
export type DeviceEvent =
  | {
      readonly event: 'activated' | 'updated' | 'deactivated' | 'deleted';
      readonly calc_id: number;
      readonly device_id: number;
      readonly interval: Readonly<Record<string, unknown>>;
    }
  | { readonly event: 'online' | 'offline'; readonly device_id: number; readonly timestamp: number };

/** Where calculators and the connection directory hand their device events (the stream fan-out). */
export interface DeviceEventSink {
  publish(events: readonly DeviceEvent[]): Promise<void>;
}

/** EventBridge on AWS, an in-process dispatcher locally. Resolves once every event is accepted. */
export interface Bus {
  publish(events: readonly BusEvent[]): Promise<void>;
}

export interface StreamRepository {
  create(stream: import('./schemas/streams.js').Stream): Promise<void>;
  get(id: number): Promise<import('./schemas/streams.js').Stream | undefined>;
  list(): Promise<import('./schemas/streams.js').Stream[]>;
  update(stream: import('./schemas/streams.js').Stream): Promise<void>;
  delete(stream: import('./schemas/streams.js').Stream): Promise<void>;
}

export type SubscriptionKind = 'device' | 'channel';

export interface SubscriptionRepository {
  add(streamId: number, kind: SubscriptionKind, id: number): Promise<void>;
  remove(streamId: number, kind: SubscriptionKind, id: number): Promise<void>;
  /** What a stream is subscribed to. */
  subscribers(streamId: number): Promise<{ devices: number[]; channels: number[] }>;
}

/** A batch kept in a stream's buffer until the platform accepted it. */
export interface BufferedBatch {
  readonly sk: string;
  readonly batchId: string;
  readonly messages: readonly import('../protocols/common/types.js').Message[];
  /** When the hub accepted the batch (Unix seconds). */
  readonly enqueued: number;
  readonly attempts: number;
  /** The last failure was ambiguous (timeout): the platform may already have the batch. */
  readonly ambiguous?: boolean;
  /** Messages validate_message left out of this batch at fan-out. */
  readonly skipped?: number;
}

export interface DroppedBatch extends BufferedBatch {
  readonly dropped: number;
  readonly reason: string;
}

export interface StreamLogEntry {
  readonly timestamp: number;
  readonly batch_id: string;
  readonly read: number;
  readonly skipped: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly ack_latency: number;
  readonly error?: string;
}

/** Per-stream buffer, lease, status, logs and dropped batches. */
export interface StreamStateRepository {
  append(streamId: number, batch: BufferedBatch): Promise<void>;
  oldest(streamId: number, limit: number): Promise<BufferedBatch[]>;
  /** Rewrites a buffered batch's attempt counters. */
  touch(streamId: number, batch: BufferedBatch): Promise<void>;
  remove(streamId: number, sk: string): Promise<void>;
  removeMany(streamId: number, sks: readonly string[]): Promise<void>;
  /** Remembers delivered batch ids (idempotency keys) for a day. */
  markDelivered(streamId: number, batchIds: readonly string[], nowS: number): Promise<void>;
  wasDelivered(streamId: number, batchId: string): Promise<boolean>;
  count(streamId: number): Promise<{ batches: number; messages: number }>;
  /** Streams whose buffer is not empty. */
  backlogged(): Promise<number[]>;
  acquire(streamId: number, owner: string, untilS: number, nowS: number): Promise<boolean>;
  release(streamId: number, owner: string): Promise<void>;
  status(streamId: number): Promise<import('./schemas/streams.js').StreamStatus>;
  saveStatus(streamId: number, status: import('./schemas/streams.js').StreamStatus): Promise<void>;
  log(streamId: number, entry: StreamLogEntry): Promise<void>;
  logs(streamId: number, limit: number): Promise<StreamLogEntry[]>;
  drop(streamId: number, batch: DroppedBatch): Promise<void>;
  dropped(streamId: number): Promise<DroppedBatch[]>;
  removeDropped(streamId: number, sk: string): Promise<void>;
  /** Removes everything kept for a stream (on delete). */
  clear(streamId: number): Promise<void>;
}

export interface SettingsRepository {
  list(deviceId: number): Promise<import('./schemas/settings.js').SettingState[]>;
  put(deviceId: number, state: import('./schemas/settings.js').SettingState): Promise<void>;
  drop(deviceId: number): Promise<void>;
}

/** A queue record that failed ingest too many times. */
export interface DeadLetter {
  readonly id: string;
  /** When it was moved to the dead-letter queue (Unix seconds). */
  readonly failed: number;
  readonly receives: number;
  /** Frames it holds, and the channels and idents they came from. */
  readonly frames: number;
  readonly channel_ids: readonly number[];
  readonly idents: readonly string[];
  /** The queue message body (an envelope of frames). */
  readonly body: string;
}

/** The ingest dead-letter queue (SQS DLQ on AWS, a journal file locally). */
export interface DeadLetterStore {
  list(limit: number): Promise<DeadLetter[]>;
  /** Sends records back to the ingest queue (all, or the given ids); returns how many. */
  replay(ids?: readonly string[]): Promise<number>;
  /** Deletes records (all, or the given ids); returns how many. */
  discard(ids?: readonly string[]): Promise<number>;
}

export type { CalcRepository, CalcStateRecord, GeofenceRepository, PluginLink, PluginRepository, StoredInterval } from './analytics-ports.js';
