import { TtlCache } from '../core/cache.js';
import type { Logger } from '../core/logger.js';
import type { Clock, DeviceLogRepository, DeviceRepository } from '../core/ports.js';
import type { Device } from '../core/schemas/devices.js';
import type { Session } from './session.js';

/** Writes `connected` / `disconnected` entries into the device log of registered idents. */
export class SessionLog {
  private readonly devices: TtlCache<string, Device | undefined>;

  constructor(
    private readonly repo: Pick<DeviceRepository, 'findByIdent'>,
    private readonly logs: DeviceLogRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.devices = new TtlCache(30_000);
  }

  connected(session: Session, channelId: number): void {
    void this.write(session, channelId, 'connected', { peer: session.peer });
  }

  disconnected(session: Session, channelId: number): void {
    if (!session.state.ident) return;
    const duration = Math.round(this.clock.now() - session.established);
    void this.write(session, channelId, 'disconnected', { peer: session.peer, duration, bytes_in: session.bytesIn, bytes_out: session.bytesOut, frames_in: session.framesIn });
  }

  private async write(session: Session, channelId: number, event: string, extra: Record<string, unknown>): Promise<void> {
    const ident = session.state.ident;
    if (!ident) return;
    try {
      const device = await this.devices.get(ident, (i) => this.repo.findByIdent(i));
      if (device) await this.logs.append(device.id, { timestamp: this.clock.now(), event, channel_id: channelId, ident, ...extra });
    } catch (err) {
      this.logger.warn('device log write failed', { ident, event, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
