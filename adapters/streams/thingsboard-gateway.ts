/**
 * One ThingsBoard gateway connection per stream, shared by its target and its RPC joiner: the
 * platform delivers a device's RPC only on the gateway session that connected the device.
 * Devices are announced (`v1/gateway/connect` + attributes) once per MQTT connection.
 */
import type { Stream, ThingsboardConfig } from '../../core/schemas/streams.js';
import { deviceAttributes, deviceName, splitTelemetry, TB_TOPICS, type TelemetryEntry, telemetryEntry } from '../../core/streams/thingsboard-payload.js';
import type { StreamBatch, StreamDeps } from '../../core/streams/types.js';
import type { Message } from '../../protocols/common/types.js';
import { type MqttPublish, MqttSession, type MqttSessionOptions } from './mqtt-session.js';
import { identFromTopic } from './topics.js';

export type ThingsboardTuning = Pick<MqttSessionOptions, 'connectWaitMs' | 'ackWaitMs' | 'reconnectMs'>;

/** Device names remembered for RPC (name → ident); the oldest go first beyond this. */
const MAX_NAMES = 100_000;

export class ThingsboardGateway {
  readonly session: MqttSession;
  private readonly announced = new Set<string>();
  private readonly names = new Map<string, string>();
  private connection = 0;

  constructor(
    private readonly config: ThingsboardConfig,
    readonly stream: Stream,
    readonly deps: StreamDeps,
    tuning: ThingsboardTuning = {},
  ) {
    this.session = new MqttSession({
      ...tuning,
      uri: config.uri,
      username: config.access_token,
      insecure: config.insecure,
      logger: deps.logger,
      label: `thingsboard stream ${stream.id}`,
    });
    this.session.onConnect(() => {
      this.connection++;
      this.announced.clear();
    });
  }

  /** Announces new devices, then sends the batch's telemetry in publishes below the size limit (all QoS 1). */
  async deliver(batch: StreamBatch): Promise<void> {
    if (batch.messages.length === 0) return;
    await this.session.ready(); // a reconnection clears `announced`: decide what to announce after it
    const connection = this.connection;
    const entries: { device: string; entry: TelemetryEntry }[] = [];
    const fresh = new Map<string, Message>();
    for (const m of batch.messages) {
      const device = deviceName(this.config.device_name, m);
      const entry = telemetryEntry(m);
      if (!device || !entry) {
        this.deps.logger.warn('thingsboard: message skipped, no device name or timestamp', {
          streamId: batch.streamId,
          batchId: batch.batchId,
          ident: m.ident,
        });
        continue;
      }
      this.remember(device, m);
      if (!this.announced.has(device)) fresh.set(device, m);
      entries.push({ device, entry });
    }
    const split = splitTelemetry(entries);
    for (const o of split.oversize)
      this.deps.logger.warn('thingsboard: telemetry entry skipped, larger than one publish may be', {
        streamId: batch.streamId,
        device: o.device,
        ts: o.ts,
        bytes: o.bytes,
      });
    const publishes: MqttPublish[] = [];
    for (const [device, m] of fresh) {
      publishes.push({ topic: TB_TOPICS.connect, payload: JSON.stringify({ device }), qos: 1 });
      publishes.push({ topic: TB_TOPICS.attributes, payload: JSON.stringify({ [device]: deviceAttributes(m) }), qos: 1 });
    }
    for (const payload of split.payloads) publishes.push({ topic: TB_TOPICS.telemetry, payload, qos: 1 });
    await this.session.publish(publishes);
    if (connection === this.connection) for (const device of fresh.keys()) this.announced.add(device);
  }

  /** The ident of a device name: from delivered messages, else read back through the `device_name` template. */
  identOf(device: string): string | undefined {
    return this.names.get(device) ?? identFromTopic(this.config.device_name, device);
  }

  private remember(device: string, m: Message): void {
    const ident = m.ident;
    if (typeof ident !== 'string' || this.names.get(device) === ident) return;
    this.names.delete(device);
    this.names.set(device, ident);
    if (this.names.size > MAX_NAMES) this.names.delete(this.names.keys().next().value as string);
  }
}

function keyOf(config: ThingsboardConfig, stream: Stream): string {
  return `${stream.id}\n${JSON.stringify(config)}`;
}

/**
 * The gateway connections of a stream runtime (its target and its RPC joiner share one MQTT
 * connection per stream): owned by the runtime that created it (adapters/streams/runtime.ts),
 * not by the module, so two runtimes in one process never share or leak connections.
 */
export class ThingsboardGateways {
  private readonly shared = new Map<string, { gateway: ThingsboardGateway; refs: number }>();

  /** The stream's gateway connection, created on first use; release it when done. */
  acquire(config: ThingsboardConfig, stream: Stream, deps: StreamDeps, tuning?: ThingsboardTuning): ThingsboardGateway {
    const key = keyOf(config, stream);
    const entry = this.shared.get(key) ?? { gateway: new ThingsboardGateway(config, stream, deps, tuning), refs: 0 };
    entry.refs++;
    this.shared.set(key, entry);
    return entry.gateway;
  }

  /** Drops one use; the last one closes the connection. */
  async release(config: ThingsboardConfig, stream: Stream): Promise<void> {
    const key = keyOf(config, stream);
    const entry = this.shared.get(key);
    if (!entry) return;
    entry.refs--;
    if (entry.refs > 0) return;
    this.shared.delete(key);
    await entry.gateway.session.close();
  }
}
