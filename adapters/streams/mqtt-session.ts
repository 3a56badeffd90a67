/**
 * One mqtt.js client with bounded waits: connects lazily, reconnects on its own (mqtt.js), and
 * never lets a publish wait forever — not connected within `connectWaitMs` or not every PUBACK
 * within `ackWaitMs` rejects with a reason.
 */
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from '../../core/logger.js';
import { reasonOf, TargetTimeoutError, TargetUnavailableError } from './errors.js';

export interface MqttSessionOptions {
  readonly uri: string;
  readonly username?: string;
  readonly password?: string;
  readonly clientId?: string;
  /** Accept any server certificate (mqtts). @default false */
  readonly insecure?: boolean;
  /** Longest wait for a connection before a publish or subscribe fails. @default 10000 */
  readonly connectWaitMs?: number;
  /** Longest wait for every PUBACK of one `publish` call. @default 10000 */
  readonly ackWaitMs?: number;
  /** Pause between reconnect attempts. @default 1000 */
  readonly reconnectMs?: number;
  readonly logger: Logger;
  /** Names the session in logs and reasons (e.g. `mqtt stream 4`). */
  readonly label: string;
}

export interface MqttPublish {
  readonly topic: string;
  readonly payload: string | Buffer;
  readonly qos: 0 | 1;
  readonly retain?: boolean;
}

/** A received publish; `retained` when the broker replayed a stored message on subscribe. */
export type MessageHandler = (topic: string, payload: Buffer, retained: boolean) => void;

export const MQTT_SESSION_DEFAULTS = { connectWaitMs: 10_000, ackWaitMs: 10_000, reconnectMs: 1_000 } as const;

export class MqttSession {
  private client: MqttClient | undefined;
  private lastError = '';
  private closed = false;
  private readonly connectHandlers: (() => void)[] = [];
  private readonly messageHandlers: MessageHandler[] = [];
  readonly where: string;

  constructor(private readonly opts: MqttSessionOptions) {
    const url = new URL(opts.uri);
    this.where = `${url.protocol}//${url.host}`;
  }

  get connected(): boolean {
    return this.client?.connected === true;
  }

  /** Runs on every (re)connection, before publishes waiting for it continue. */
  onConnect(handler: () => void): void {
    this.connectHandlers.push(handler);
    if (this.connected) handler();
  }

  onMessage(handler: MessageHandler): void {
    this.messageHandlers.push(handler);
  }

  /** The connected client; starts connecting on first use and waits at most `connectWaitMs`. */
  async ready(): Promise<MqttClient> {
    if (this.closed) throw new TargetUnavailableError(`${this.opts.label}: closed`);
    const client = this.open();
    if (client.connected) return client;
    const waitMs = this.opts.connectWaitMs ?? MQTT_SESSION_DEFAULTS.connectWaitMs;
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        client.off('connect', onConnect);
        client.off('end', onEnd);
        if (err) reject(err);
        else resolve();
      };
      const onConnect = () => done();
      const onEnd = () => done(new TargetUnavailableError(`${this.opts.label}: closed`));
      const timer = setTimeout(
        () =>
          done(
            new TargetUnavailableError(
              `${this.opts.label}: broker ${this.where} not connected within ${waitMs / 1000} s${this.lastError ? ` (${this.lastError})` : ''}`,
            ),
          ),
        waitMs,
      );
      client.on('connect', onConnect);
      client.on('end', onEnd);
    });
    return client;
  }

  /** Publishes in order; resolves when every QoS 1 publish has its PUBACK (QoS 0: once written). */
  async publish(items: readonly MqttPublish[]): Promise<void> {
    if (items.length === 0) return;
    const client = await this.ready();
    const waitMs = this.opts.ackWaitMs ?? MQTT_SESSION_DEFAULTS.ackWaitMs;
    let timer: NodeJS.Timeout | undefined;
    let onClose: (() => void) | undefined;
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TargetTimeoutError(`${this.opts.label}: not every PUBACK from ${this.where} within ${waitMs / 1000} s`)), waitMs);
      onClose = () => reject(new TargetUnavailableError(`${this.opts.label}: connection to ${this.where} closed before every PUBACK arrived`));
      client.once('close', onClose);
    });
    const sent = items.map((p) => client.publishAsync(p.topic, p.payload, { qos: p.qos, retain: p.retain ?? false }));
    try {
      await Promise.race([Promise.all(sent), bound]);
    } catch (err) {
      for (const p of sent) p.catch(() => undefined);
      if (err instanceof TargetTimeoutError || err instanceof TargetUnavailableError) throw err;
      throw new TargetUnavailableError(`${this.opts.label}: publish to ${this.where} failed: ${reasonOf(err)}`, false, { cause: err });
    } finally {
      clearTimeout(timer);
      if (onClose) client.off('close', onClose);
    }
  }

  /** Subscribes on every (re)connection (clean sessions forget); resolves on the first SUBACK. */
  async subscribe(filter: string, qos: 0 | 1): Promise<void> {
    let first: Promise<unknown> | undefined;
    const sub = (client: MqttClient) => {
      const p = client.subscribeAsync(filter, { qos });
      p.catch((err: unknown) => this.opts.logger.warn(`${this.opts.label}: subscribe failed`, { filter, reason: reasonOf(err) }));
      return p;
    };
    this.connectHandlers.push(() => {
      if (this.client) first = sub(this.client);
    });
    const client = await this.ready();
    await (first ?? sub(client));
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync(true).catch(() => undefined);
  }

  private open(): MqttClient {
    if (this.client) return this.client;
    const o = this.opts;
    const options: IClientOptions = {
      reconnectPeriod: o.reconnectMs ?? MQTT_SESSION_DEFAULTS.reconnectMs,
      connectTimeout: o.connectWaitMs ?? MQTT_SESSION_DEFAULTS.connectWaitMs,
      clean: true,
      resubscribe: false,
      reconnectOnConnackError: true,
      rejectUnauthorized: !o.insecure,
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.clientId !== undefined ? { clientId: o.clientId } : {}),
    };
    const client = connect(o.uri, options);
    client.on('connect', () => {
      this.lastError = '';
      o.logger.info(`${o.label}: connected`, { broker: this.where });
      for (const h of this.connectHandlers) h();
    });
    client.on('error', (err) => {
      const reason = reasonOf(err);
      if (reason !== this.lastError) o.logger.warn(`${o.label}: connection error`, { broker: this.where, reason });
      this.lastError = reason;
    });
    client.on('close', () => {
      if (!this.lastError) this.lastError = 'connection closed';
    });
    client.on('message', (topic, payload, packet) => {
      for (const h of this.messageHandlers) h(topic, payload, packet.retain === true);
    });
    this.client = client;
    return client;
  }
}
