import { NotFoundError } from '../errors.js';
import type { Clock, CommandRepository, ConnectionDirectory, ConnectionRecord, DeviceLogEntry, DeviceLogRepository } from '../ports.js';
import type { Channel } from '../schemas/channels.js';
import type { Device } from '../schemas/devices.js';

/** Snapshots older than this many seconds are a dead listener's. */
export const CONNECTION_STALE_S = 90;

export class ConnectionService {
  constructor(
    private readonly directory: ConnectionDirectory,
    private readonly commands: CommandRepository,
    private readonly clock: Clock,
    private readonly selectChannels: (sel: string) => Promise<Channel[]>,
  ) {}

  async list(selector: string): Promise<ConnectionRecord[]> {
    const channels = await this.selectChannels(selector);
    const fresh = this.clock.now() - CONNECTION_STALE_S;
    return (await Promise.all(channels.map((c) => this.directory.list(c.id, fresh)))).flat();
  }

  /** Asks the listener holding each selected connection to close it (within its poll period). */
  async close(selector: string, connectionSelector: string): Promise<ConnectionRecord[]> {
    const all = await this.list(selector);
    const ids = connectionSelector === 'all' ? undefined : new Set(decodeURIComponent(connectionSelector).split(','));
    const chosen = ids ? all.filter((c) => ids.has(c.id)) : all;
    if (chosen.length === 0) throw new NotFoundError(`connection selector "${connectionSelector}" matched nothing`);
    for (const c of chosen) await this.commands.kick({ channelId: c.channel_id, connectionId: c.id });
    return chosen;
  }
}

export class DeviceLogService {
  constructor(
    private readonly logs: DeviceLogRepository,
    private readonly selectDevices: (sel: string) => Promise<Device[]>,
  ) {}

  async list(selector: string, from: number, to: number, count: number): Promise<(DeviceLogEntry & { device_id: number })[]> {
    const devices = await this.selectDevices(selector);
    const lists = await Promise.all(devices.map(async (d) => (await this.logs.list(d.id, from, to, count)).map((e) => ({ ...e, device_id: d.id }))));
    return lists
      .flat()
      .sort((a, b) => a.timestamp - b.timestamp)
      .slice(0, count);
  }
}
