import type { Message } from '../../protocols/common/types.js';
import { decide } from '../api/access.js';
import { HubError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Telemetry } from '../ports.js';
import type { Access } from '../registry/access.js';
import type { Principal } from '../registry/auth.js';
import { frames, type LiveFrame, type LiveIntervalEvent, parseRequest } from './frames.js';
import { framesFor, TelemetrySeen } from './match.js';
import type { LiveSender, LiveStore, LiveSubscription } from './ports.js';
import { paramMatches, parseTopic, type Topic } from './topics.js';

/** Devices one subscription may cover (an index item per device on AWS); narrow the selector above it. */
export const MAX_DEVICES_PER_SUBSCRIPTION = 1000;

/** The REST route whose ACL a topic kind falls under (`decide()` checks the token's entries for it). */
export const TOPIC_ROUTES = {
  messages: '/gw/devices/{sel}/messages',
  telemetry: '/gw/devices/{sel}/telemetry',
  intervals: '/gw/calcs/{sel}/devices/{sel}/intervals',
} as const satisfies Record<Topic['kind'], string>;

export interface LiveServiceDeps {
  readonly store: LiveStore;
  readonly sender: LiveSender;
  /** The devices a selector picks within an access (DeviceService.select). */
  readonly selectDevices: (selector: string, access: Access) => Promise<readonly { readonly id: number }[]>;
  /** The calculators a selector picks within an access (CalcService.select). */
  readonly selectCalcs: (selector: string, access: Access) => Promise<readonly { readonly id: number }[]>;
  /** The devices a calculator is assigned to (its state records). */
  readonly calcDevices: (calcId: number) => Promise<readonly number[]>;
  /** A device's current telemetry (the retained-like first frames of a telemetry subscription). */
  readonly telemetry: (deviceId: number) => Promise<Telemetry>;
  readonly logger: Logger;
  /** Unix seconds. */
  readonly now?: () => number;
}

export interface PushStats {
  readonly connections: number;
  readonly frames: number;
  readonly gone: number;
}

/**
 * Live push, the same on AWS and locally: a connection subscribes to topics (checked against its
 * token's ACL when made), and each stored batch of messages (and each batch of interval events)
 * becomes frames for the connections watching its devices (and calculators). The transports (API Gateway WebSocket routes + a push Lambda, or the
 * local `ws` server) only move text frames in and out.
 */
export class LiveService {
  /** Telemetry timestamps sent per connection (exact locally; per warm container on AWS). */
  private readonly seen = new TelemetrySeen();
  readonly stats = { pushes: 0, frames: 0, gone: 0 };

  constructor(private readonly deps: LiveServiceDeps) {}

  private now(): number {
    return (this.deps.now ?? (() => Date.now() / 1000))();
  }

  async connect(connectionId: string, principal: Principal): Promise<void> {
    await this.deps.store.connect({ id: connectionId, principal, connectedAt: this.now() });
  }

  async disconnect(connectionId: string): Promise<void> {
    this.seen.forget(connectionId);
    await this.deps.store.disconnect(connectionId);
  }

  /** Handles one client frame; answers (acks, current values, errors) go through the sender. */
  async receive(connectionId: string, text: string): Promise<void> {
    let topic: string | undefined;
    try {
      const request = parseRequest(text);
      topic = request.topic;
      const connection = await this.deps.store.connection(connectionId);
      if (!connection) throw new HubError(401, 'connection unknown or expired: reconnect');
      const reply =
        request.action === 'subscribe' ? await this.subscribe(connectionId, connection.principal, topic) : await this.unsubscribe(connectionId, topic);
      await this.send(connectionId, reply);
    } catch (err) {
      if (!(err instanceof HubError)) this.deps.logger.error('live request failed', { connection_id: connectionId, error: String(err) });
      await this.send(connectionId, [frames.error(err, topic)]);
    }
  }

  private async subscribe(connectionId: string, principal: Principal, text: string): Promise<LiveFrame[]> {
    const topic = parseTopic(text);
    const access = decide(principal, 'GET', TOPIC_ROUTES[topic.kind], false);
    const subscription = topic.kind === 'intervals' ? await this.pairs(topic, access) : { topic: text, devices: await this.devices(topic, access) };
    const devices = subscription.devices;
    if (devices.length > MAX_DEVICES_PER_SUBSCRIPTION)
      throw new ValidationError(`topic ${text}: selects ${devices.length} devices, more than ${MAX_DEVICES_PER_SUBSCRIPTION}; narrow the selector`);
    await this.deps.store.subscribe(connectionId, subscription);
    const out: LiveFrame[] = [frames.subscribed(text, devices)];
    if (topic.kind === 'telemetry') for (const id of devices) out.push(...(await this.currentValues(connectionId, id, topic.params)));
    return out;
  }

  private async devices(topic: Topic, access: Access): Promise<number[]> {
    return (await this.deps.selectDevices(topic.devices, access)).map((d) => d.id);
  }

  /**
   * An intervals topic: the assigned pairs among the selected calculators and devices (the
   * devices in the selector's order, each with its calculators); no calculator selected is a 400.
   */
  private async pairs(topic: Extract<Topic, { kind: 'intervals' }>, access: Access): Promise<LiveSubscription> {
    const calcs = await this.deps.selectCalcs(topic.calcs, access);
    if (calcs.length === 0) throw new ValidationError(`topic ${topic.text}: selects no calculator`);
    const devices = await this.devices(topic, access);
    const selected = new Set(devices);
    const byDevice = new Map<number, number[]>();
    for (const calc of [...calcs].sort((a, b) => a.id - b.id))
      for (const d of await this.deps.calcDevices(calc.id)) if (selected.has(d)) byDevice.set(d, [...(byDevice.get(d) ?? []), calc.id]);
    return { topic: topic.text, devices: devices.filter((d) => byDevice.has(d)), calcs: byDevice };
  }

  /** The device's current values of the subscribed parameters, by name. */
  private async currentValues(connectionId: string, deviceId: number, params: readonly string[]): Promise<LiveFrame[]> {
    const telemetry = await this.deps.telemetry(deviceId);
    const out: LiveFrame[] = [];
    for (const name of Object.keys(telemetry).sort()) {
      if (!paramMatches(params, name)) continue;
      const t = telemetry[name];
      this.seen.advance(connectionId, deviceId, name, t.ts);
      out.push(frames.telemetry(deviceId, name, t));
    }
    return out;
  }

  private async unsubscribe(connectionId: string, topic: string): Promise<LiveFrame[]> {
    if (!(await this.deps.store.unsubscribe(connectionId, topic))) throw new HubError(404, `topic ${topic}: not subscribed`);
    return [frames.unsubscribed(topic)];
  }

  /** Pushes a batch of stored messages and interval events to the connections watching their devices (and calculators). */
  async push(messages: readonly Message[], events: readonly LiveIntervalEvent[] = []): Promise<PushStats> {
    const ids = [...new Set([...messages.map((m) => m['device.id']), ...events.map((e) => e.device_id)].filter((id): id is number => typeof id === 'number'))];
    if (ids.length === 0) return { connections: 0, frames: 0, gone: 0 };
    const watchers = await this.deps.store.watchers(ids);
    if (watchers.size === 0) return { connections: 0, frames: 0, gone: 0 };
    const perConnection = framesFor(messages, watchers, this.seen, events);
    let sent = 0;
    let gone = 0;
    await Promise.all(
      [...perConnection].map(async ([connectionId, list]) => {
        try {
          if (await this.send(connectionId, list)) sent += list.length;
          else gone++;
        } catch (err) {
          this.deps.logger.warn('live frames not sent', { connection_id: connectionId, frames: list.length, error: String(err) });
        }
      }),
    );
    this.stats.pushes++;
    this.stats.frames += sent;
    this.stats.gone += gone;
    return { connections: perConnection.size, frames: sent, gone };
  }

  /** Sends frames; a connection found gone is removed with its subscriptions. */
  private async send(connectionId: string, list: readonly LiveFrame[]): Promise<boolean> {
    if (list.length === 0) return true;
    if (await this.deps.sender.send(connectionId, list)) return true;
    this.deps.logger.info('live connection gone, removed', { connection_id: connectionId });
    await this.disconnect(connectionId);
    return false;
  }
}
