import type { Logger } from '../core/logger.js';
import type { Clock, CommandRepository, PendingCommand } from '../core/ports.js';
import type { Command } from '../core/schemas/commands.js';
import { CodecError } from '../protocols/common/errors.js';
import type { ChannelContext, LiveSession, Session } from './session.js';

/** The sessions the dispatcher can write to. */
export interface SessionDirectory {
  sessionsOf(ident: string): readonly LiveSession[];
  identified(): ReadonlyMap<string, readonly LiveSession[]>;
  closeConnection(channelId: number, connectionId: string): boolean;
}

export interface DispatcherOptions {
  readonly commands: CommandRepository;
  readonly listeners: SessionDirectory;
  readonly logger: Logger;
  readonly clock: Clock;
  /** How often the pending partition is read (ms). */
  readonly pollMs: number;
}

/**
 * Delivers queued commands to the devices connected to this listener. Every `pollMs` it reads the
 * small `pending` partition (one query per listener, whatever the number of devices) and writes
 * what is due to the sessions it holds. A device that identifies gets its queue at once when the
 * last poll saw markers for its ident — no query per connect, so a reconnect storm of 50,000
 * devices costs no extra reads; a command queued since the last poll reaches it on the next one.
 * A command is marked sent once (conditional write), so two listeners never both send it.
 * Pending kicks close connections held here. HTTP devices cannot be pushed to: `commandFor`
 * hands their next response the oldest queued command. UDP devices can only be reached right after
 * a datagram (their NAT mapping is open then): polls skip their sessions (`deferred`) and each
 * identifying datagram calls `onIdent` with its session, a map lookup when nothing waits.
 */
export class CommandDispatcher {
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private busy: Promise<void> = Promise.resolve();
  /** Pending markers by ident, from the last poll. */
  private pendingByIdent = new Map<string, PendingCommand[]>();
  readonly stats = { delivered: 0, failed: 0, expired: 0, polls: 0 };

  constructor(private readonly opts: DispatcherOptions) {}

  start(): void {
    this.timer = setInterval(() => this.nudge(), this.opts.pollMs);
    this.timer.unref?.();
    this.nudge();
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    return this.busy;
  }

  /** Polls now (local mode calls this when a command is queued). */
  nudge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.busy = this.poll()
      .catch((err) => this.opts.logger.error('command poll failed', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /**
   * A device identified on this listener (a TCP connection's login, or any UDP datagram of it):
   * deliver what the last poll saw waiting for it, to `target` when given (the UDP session the
   * datagram came through), else to its newest connection.
   */
  async onIdent(ident: string, target?: LiveSession): Promise<void> {
    const pending = this.pendingByIdent.get(ident);
    if (!pending) return;
    try {
      await this.deliverTo(ident, pending, target ? [target] : pushable(this.opts.listeners.sessionsOf(ident)));
    } catch (err) {
      this.opts.logger.error('command delivery on connect failed', { ident, error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** The next queued command of an HTTP device, marked sent, as the bytes of its response body. */
  async commandFor(ident: string, session: Session, ctx: ChannelContext): Promise<Buffer | undefined> {
    const pending = this.pendingByIdent.get(ident);
    if (!pending) return undefined;
    let out: Buffer | undefined;
    await this.deliverTo(ident, pending, [{ session: { ...sessionFacade(session), write: (b: Buffer) => (out = b) }, ctx }], 1);
    return out;
  }

  private async poll(): Promise<void> {
    this.stats.polls++;
    const { commands, kicks } = await this.opts.commands.pending();
    for (const kick of kicks) {
      if (this.opts.listeners.closeConnection(kick.channelId, kick.connectionId)) await this.opts.commands.clearKick(kick);
    }
    const byIdent = new Map<string, PendingCommand[]>();
    for (const p of commands) {
      const list = byIdent.get(p.ident);
      if (list) list.push(p);
      else byIdent.set(p.ident, [p]);
    }
    this.pendingByIdent = byIdent;
    if (commands.length === 0) return;
    const live = this.opts.listeners.identified();
    for (const [ident, pending] of byIdent) {
      const sessions = live.get(ident);
      if (sessions && sessions.length > 0) await this.deliverTo(ident, pending, pushable(sessions));
    }
  }

  private async deliverTo(ident: string, pending: readonly PendingCommand[], sessions: readonly LiveSession[], max = Infinity): Promise<void> {
    const target = sessions[sessions.length - 1];
    if (!target) return;
    const loaded = await Promise.all(pending.map((p) => this.opts.commands.get(p.deviceId, p.commandId)));
    const queue = loaded.filter((c): c is Command => c !== undefined && c.status === 'queued').sort((a, b) => b.priority - a.priority || a.id - b.id);
    const now = this.opts.clock.now();
    let sent = 0;
    let rest = false;
    for (const command of queue) {
      if (sent >= max) {
        rest = true;
        break;
      }
      if (command.expire <= now) {
        this.stats.expired++;
        await this.opts.commands.update(
          { ...command, status: 'expired', executed: false, response: 'expired before the device connected', timestamp: now },
          ident,
        );
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
      sent++;
      this.stats.delivered++;
      this.opts.logger.debug('command sent', { ident, command_id: command.id, name: command.name, bytes: bytes.length });
    }
    // what was handled is no longer pending here (the next poll refreshes the set anyway)
    if (!rest) this.pendingByIdent.delete(ident);
  }
}

/** The sessions commands can be pushed to now (UDP sessions wait for their device's next datagram). */
function pushable(sessions: readonly LiveSession[]): readonly LiveSession[] {
  return sessions.some((l) => l.session.deferred) ? sessions.filter((l) => !l.session.deferred) : sessions;
}

function sessionFacade(s: Session): Session {
  return {
    id: s.id,
    state: s.state,
    peer: s.peer,
    established: s.established,
    lastActive: s.lastActive,
    bytesIn: s.bytesIn,
    bytesOut: s.bytesOut,
    framesIn: s.framesIn,
    write: () => undefined,
    close: (r) => s.close(r),
  };
}
