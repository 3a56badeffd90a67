import { NotFoundError } from '../errors.js';
import type { Clock, CommandRepository, ConnectionDirectory, ConnectionRecord, DeviceLogEntry, DeviceLogRepository } from '../ports.js';
import type { Channel } from '../schemas/channels.js';
import type { Device } from '../schemas/devices.js';
import type { Access } from './access.js';

/** Snapshots older than this many seconds are a dead listener's. */
export const CONNECTION_STALE_S = 90;

export class ConnectionService {
  constructor(
    private readonly directory: ConnectionDirectory,
    private readonly commands: CommandRepository,
    private readonly clock: Clock,
    private readonly selectChannels: (sel: string, access: Access) => Promise<Channel[]>,
  ) {}

  async list(selector: string, access: Access): Promise<ConnectionRecord[]> {
    const channels = await this.selectChannels(selector, access);
    const fresh = this.clock.now() - CONNECTION_STALE_S;
    return (await Promise.all(channels.map((c) => this.directory.list(c.id, fresh)))).flat();
  }

  /** Asks the listener holding each selected connection to close it (within its poll period). */
  async close(selector: string, connectionSelector: string, access: Access): Promise<ConnectionRecord[]> {
    const all = await this.list(selector, access);
    const ids = connectionSelector === 'all' ? undefined : new Set(decodeURIComponent(connectionSelector).split(','));
    const chosen = ids ? all.filter((c) => ids.has(c.id)) : all;
    const missing = ids ? [...ids].filter((id) => !all.some((c) => c.id === id)) : [];
    if (missing.length > 0) throw new NotFoundError(`connection selector "${connectionSelector}": no open connection ${missing.join(',')}`);
    for (const c of chosen) await this.commands.kick({ channelId: c.channel_id, connectionId: c.id });
    return chosen;
  }
}

export class DeviceLogService {
  constructor(
    private readonly logs: DeviceLogRepository,
    private readonly selectDevices: (sel: string, access: Access) => Promise<Device[]>,
  ) {}

  async list(selector: string, from: number, to: number, count: number, access: Access): Promise<(DeviceLogEntry & { device_id: number })[]> {
    const devices = await this.selectDevices(selector, access);
    const lists = await Promise.all(devices.map(async (d) => (await this.logs.list(d.id, from, to, count)).map((e) => ({ ...e, device_id: d.id }))));
    return lists
      .flat()
      .sort((a, b) => a.timestamp - b.timestamp)
      .slice(0, count);
  }
}
