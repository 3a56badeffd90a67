import type { Logger } from '../core/logger.js';
import type { Clock, CommandRepository, PendingCommand } from '../core/ports.js';
import type { Command } from '../core/schemas/commands.js';
import { CodecError } from '../protocols/common/errors.js';
import type { ChannelListeners, LiveSession } from './channel-listeners.js';

export interface DispatcherOptions {
  readonly commands: CommandRepository;
  readonly listeners: ChannelListeners;
  readonly logger: Logger;
  readonly clock: Clock;
  /** How often the pending partition is read (ms). */
  readonly pollMs: number;
}

/**
 * Delivers queued commands to the devices connected to this listener. Every `pollMs` it reads the
 * small `pending` partition (one query per listener, whatever the number of devices) and writes
 * what is due to the sessions it holds; a device that identifies gets its queue at once. A
 * command is marked sent once (conditional write), so two listeners never both send it.
 * Pending kicks close connections held here.
 */
export class CommandDispatcher {
  private timer?: NodeJS.Timeout;
  private running = false;
  private busy: Promise<void> = Promise.resolve();
  readonly stats = { delivered: 0, failed: 0, expired: 0, polls: 0 };

  constructor(private readonly opts: DispatcherOptions) {}

  start(): void {
    this.timer = setInterval(() => this.nudge(), this.opts.pollMs);
    this.timer.unref?.();
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    return this.busy;
  }

  /** Polls now (local mode calls this when a command is queued). */
  nudge(): void {
    if (this.running) return;
    this.running = true;
    this.busy = this.poll()
      .catch((err) => this.opts.logger.error('command poll failed', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        this.running = false;
      });
  }

  /** A device identified on this listener: deliver what waits for it. */
  async onIdent(ident: string): Promise<void> {
    try {
      const pending = await this.opts.commands.pendingFor(ident);
      if (pending.length > 0) await this.deliverTo(ident, pending, this.opts.listeners.sessionsOf(ident));
    } catch (err) {
      this.opts.logger.error('command delivery on connect failed', { ident, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private async poll(): Promise<void> {
    this.stats.polls++;
    const { commands, kicks } = await this.opts.commands.pending();
    for (const kick of kicks) {
      if (this.opts.listeners.closeConnection(kick.channelId, kick.connectionId)) await this.opts.commands.clearKick(kick);
    }
    if (commands.length === 0) return;
    const live = this.opts.listeners.identified();
    const byIdent = new Map<string, PendingCommand[]>();
    for (const p of commands) if (live.has(p.ident)) byIdent.set(p.ident, [...(byIdent.get(p.ident) ?? []), p]);
    for (const [ident, pending] of byIdent) await this.deliverTo(ident, pending, live.get(ident)!);
  }

  private async deliverTo(ident: string, pending: readonly PendingCommand[], sessions: readonly LiveSession[]): Promise<void> {
    const target = sessions[sessions.length - 1];
    if (!target) return;
    const loaded = await Promise.all(pending.map((p) => this.opts.commands.get(p.deviceId, p.commandId)));
    const queue = loaded.filter((c): c is Command => c !== undefined && c.status === 'queued').sort((a, b) => b.priority - a.priority || a.id - b.id);
    const now = this.opts.clock.now();
    for (const command of queue) {
      if (command.expire <= now) {
        this.stats.expired++;
        await this.opts.commands.update({ ...command, status: 'expired', executed: false, response: 'expired before the device connected', timestamp: now }, ident);
        continue;
      }
      const bytes = target.ctx.protocol.encodeCommand({ name: command.name, properties: command.properties, id: command.id }, target.session.state);
      if (bytes instanceof CodecError) {
        this.stats.failed++;
        await this.opts.commands.update({ ...command, status: 'failed', executed: false, response: bytes.reason, timestamp: now }, ident);
        continue;
      }
      if (!(await this.opts.commands.markSent(command, ident, now))) continue;
      target.session.write(bytes);
      this.stats.delivered++;
      this.opts.logger.debug('command sent', { ident, command_id: command.id, name: command.name, bytes: bytes.length });
    }
  }
}
