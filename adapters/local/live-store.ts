import type { LiveConnection, LiveStore, LiveSubscription, LiveWatcher } from '../../core/live/ports.js';

/**
 * Live connections and subscriptions of the local hub, in memory: they live exactly as long as
 * the sockets of this process (a restart closes them all), so nothing is written to disk.
 */
export class MemoryLiveStore implements LiveStore {
  private readonly connections = new Map<string, { connection: LiveConnection; subs: Map<string, LiveSubscription> }>();
  /** device id → connection id → topic → the calculators watched for the device (intervals topics). */
  private readonly index = new Map<number, Map<string, Map<string, readonly number[] | undefined>>>();

  async connect(connection: LiveConnection): Promise<void> {
    this.connections.set(connection.id, { connection, subs: new Map() });
  }

  async connection(id: string): Promise<LiveConnection | undefined> {
    return this.connections.get(id)?.connection;
  }

  async subscribe(connectionId: string, sub: LiveSubscription): Promise<void> {
    const entry = this.connections.get(connectionId);
    if (!entry) return;
    const previous = entry.subs.get(sub.topic);
    if (previous) this.unindex(connectionId, previous);
    entry.subs.set(sub.topic, sub);
    for (const d of sub.devices) {
      const byConnection = this.index.get(d) ?? new Map<string, Map<string, readonly number[] | undefined>>();
      this.index.set(d, byConnection);
      const topics = byConnection.get(connectionId) ?? new Map<string, readonly number[] | undefined>();
      byConnection.set(connectionId, topics);
      topics.set(sub.topic, sub.calcs?.get(d));
    }
  }

  async unsubscribe(connectionId: string, topic: string): Promise<boolean> {
    const entry = this.connections.get(connectionId);
    const sub = entry?.subs.get(topic);
    if (!entry || !sub) return false;
    entry.subs.delete(topic);
    this.unindex(connectionId, sub);
    return true;
  }

  async watchers(deviceIds: readonly number[]): Promise<ReadonlyMap<number, readonly LiveWatcher[]>> {
    const out = new Map<number, LiveWatcher[]>();
    for (const id of deviceIds) {
      const byConnection = this.index.get(id);
      if (!byConnection) continue;
      out.set(
        id,
        [...byConnection].flatMap(([connectionId, topics]) =>
          [...topics].map(([topic, calcs]) => (calcs ? { connectionId, topic, calcs } : { connectionId, topic })),
        ),
      );
    }
    return out;
  }

  async watchedDevices(): Promise<ReadonlySet<number>> {
    return new Set(this.index.keys());
  }

  async disconnect(connectionId: string): Promise<void> {
    const entry = this.connections.get(connectionId);
    if (!entry) return;
    for (const sub of entry.subs.values()) this.unindex(connectionId, sub);
    this.connections.delete(connectionId);
  }

  private unindex(connectionId: string, sub: LiveSubscription): void {
    for (const d of sub.devices) {
      const byConnection = this.index.get(d);
      const topics = byConnection?.get(connectionId);
      if (!byConnection || !topics) continue;
      topics.delete(sub.topic);
      if (topics.size === 0) byConnection.delete(connectionId);
      if (byConnection.size === 0) this.index.delete(d);
    }
  }
}
