import type { QueuedFrame } from '../core/envelope.js';
import type { Logger } from '../core/logger.js';
import type { Clock } from '../core/ports.js';
import type { FrameBatcher } from './batcher.js';
import type { ChannelContext, Session } from './session.js';

/**
 * Device online/offline as a change of state: a device is online while at least one of its
 * connections on this listener has its ident. The first such connection queues an `online`
 * connection event, the last one closing queues `offline` (a reconnect gives offline then online,
 * in order; a new connection that arrives before the old one closed gives neither). The events
 * travel the frame queue with the frames, so ingest publishes them to the `intervals` streams on
 * AWS and locally alike.
 */
export class Presence {
  private readonly open = new Map<string, number>();
  /** The ident each session was counted under (an ident learnt later does not move it). */
  private readonly counted = new WeakMap<Session, string>();

  constructor(
    private readonly queue: (frame: QueuedFrame) => void,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  connected(session: Session, ctx: ChannelContext): void {
    const ident = session.state.ident;
    if (ident === undefined || this.counted.has(session)) return;
    this.counted.set(session, ident);
    const n = this.open.get(ident) ?? 0;
    this.open.set(ident, n + 1);
    if (n === 0) this.queue(connectionEvent('online', ident, session, ctx, this.now()));
  }

  disconnected(session: Session, ctx: ChannelContext): void {
    const ident = this.counted.get(session);
    if (ident === undefined) return;
    this.counted.delete(session);
    const n = this.open.get(ident) ?? 0;
    if (n > 1) {
      this.open.set(ident, n - 1);
      return;
    }
    this.open.delete(ident);
    this.queue(connectionEvent('offline', ident, session, ctx, this.now()));
  }
}

function connectionEvent(event: 'online' | 'offline', ident: string, s: Session, ctx: ChannelContext, receivedAt: number): QueuedFrame {
  return {
    channelId: ctx.channel.id,
    protocolId: ctx.protocol.id,
    transport: s.state.transport,
    ident,
    peer: s.peer,
    receivedAt,
    frame: '',
    event,
    correlationId: `${s.id}-${event}`,
  };
}

/** Presence whose events go into the listener's frame batcher (a failure is logged: the event is lost, the device log still has the connect). */
export function queuedPresence(batcher: Pick<FrameBatcher, 'add'>, logger: Logger, clock: Clock): Presence {
  const queue = (frame: QueuedFrame) =>
    void batcher
      .add(frame)
      .catch((err) =>
        logger.warn('connection event not queued', { ident: frame.ident, event: frame.event, error: err instanceof Error ? err.message : String(err) }),
      );
  return new Presence(queue, () => clock.now());
}
