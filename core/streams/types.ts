import type { Message } from '../../protocols/common/types.js';
import type { Logger } from '../logger.js';
import type { Stream } from '../schemas/streams.js';

/** One batch for one stream: the messages in order, and a key that stays the same on retries. */
export interface StreamBatch {
  readonly streamId: number;
  /** Idempotency key: identical for every delivery attempt of this batch. */
  readonly batchId: string;
  readonly messages: readonly Message[];
}

/**
 * A delivery target (one per stream, long-lived while the stream's configuration is unchanged).
 * `deliver` resolves once the platform acknowledged every message of the batch (HTTP 2xx, MQTT
 * PUBACK for QoS 1, the retranslator's 0x11 per packet, IoT Publish 200) and rejects with an Error
 * whose message says why otherwise; the caller retries later with the same batch. A target
 * reconnects by itself after a failure and never throws synchronously.
 */
export interface StreamTarget {
  deliver(batch: StreamBatch): Promise<void>;
  close(): Promise<void>;
}

/** How commands from a platform reach devices, and how their results go back. */
export interface CommandGateway {
  /** Queues a command for the device with this ident; resolves with its id, rejects with a reason (unknown ident, invalid properties). */
  queue(ident: string, command: { name: string; properties: Record<string, unknown> }, origin: string): Promise<{ id: number; deviceId: number }>;
  /** The command's result once it has one (replied, failed or expired); undefined while waiting. */
  result(deviceId: number, commandId: number): Promise<{ executed: boolean; response: string; status: string } | undefined>;
}

/**
 * The reverse path of a stream (mqtt commands_topic, ThingsBoard server-side RPC): a long-lived
 * subscriber that turns platform requests into queued commands and publishes their results.
 */
export interface StreamJoiner {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface StreamDeps {
  readonly logger: Logger;
  readonly commands?: CommandGateway;
}

/** Expands `%ident%`, `%device.id%`, `%device.name%`, `%channel.id%` from a message. */
export function expandTemplate(template: string, m: Message): string {
  return template.replace(/%(ident|device\.id|device\.name|channel\.id)%/g, (_, key: string) => {
    const v = m[key];
    return v === undefined || v === null ? '' : String(v);
  });
}

/**
 * The stream type modules by name. Each module has its own configuration type; indexed by a runtime
 * name, TypeScript cannot correlate the name with that type, so the table erases it (the
 * configuration is parsed by the type's schema before it reaches the module).
 */
// biome-ignore lint/suspicious/noExplicitAny: see above; the one erased generic of the streams layer
export type StreamTypeModules = Readonly<Record<Stream['protocol_name'], StreamTypeModule<any>>>;

export interface StreamTypeModule<C> {
  readonly name: Stream['protocol_name'];
  createTarget(config: C, stream: Stream, deps: StreamDeps): StreamTarget;
  createJoiner?(config: C, stream: Stream, deps: StreamDeps): StreamJoiner | undefined;
}
