import type { RemoteInfo, Socket as UdpSocket } from 'node:dgram';
import type { Logger } from '../core/logger.js';
import { CodecError, CodecErrorCode } from '../protocols/common/errors.js';
import type { Inspection } from '../protocols/common/types.js';
import type { DurableSink, FrameBatcher } from './batcher.js';
import { MAX_UDP_SESSIONS } from './constants.js';
import type { ChannelContext } from './session.js';
import { type UdpLink, type UdpSession, UdpSessionTable } from './udp-session.js';

/** Sends a datagram's ack to its sender once the frame is durable. */
class UdpAck implements DurableSink {
  constructor(
    private readonly endpoint: UdpEndpoint,
    private readonly reply: Buffer | undefined,
    private readonly port: number,
    private readonly address: string,
    private readonly session: UdpSession | undefined,
  ) {}
  durable(_token: number, ok: boolean): void {
    this.endpoint.acked(ok, this.reply, this.port, this.address, this.session);
  }
}

export interface UdpEndpointHooks {
  /** A device got a session (its first identifying datagram since its last session ended). */
  readonly onOpen?: (session: UdpSession) => void;
  /** A session ended (expired, dropped over the bound, kicked, channel stopped). */
  readonly onClose?: (session: UdpSession) => void;
  /**
   * An identifying datagram was handled: acked (once durable) or answered. The moment to send the
   * device's queued commands, while its NAT mapping is open.
   */
  readonly onDatagram?: (session: UdpSession) => void;
  /** Sessions kept at most (default MAX_UDP_SESSIONS). */
  readonly maxSessions?: number;
}

/**
 * One channel's UDP socket: every datagram is a frame; the ack goes back to the sender once the
 * frame is durable (never when the queue refused it: the device resends). Identity travels in
 * each datagram; a datagram that identifies a device creates or refreshes its session (UdpSession:
 * last address, vars), which expires after the channel's idle timeout.
 */
export class UdpEndpoint implements UdpLink {
  private seq = 0;
  /** Set while draining: new datagrams are ignored (the devices resend them elsewhere). */
  holding = false;
  readonly stats = { datagrams: 0, errors: 0 };
  readonly sessions: UdpSessionTable;

  constructor(
    private readonly socket: UdpSocket,
    private readonly ctx: ChannelContext,
    private readonly batcher: FrameBatcher,
    private readonly logger: Logger,
    private readonly hooks: UdpEndpointHooks = {},
  ) {
    this.sessions = new UdpSessionTable(this, {
      idPrefix: `${ctx.listenerId}-${ctx.channel.id}`,
      idleMs: ctx.idleMs,
      max: hooks.maxSessions ?? MAX_UDP_SESSIONS,
      onOpen: (s) => hooks.onOpen?.(s),
      onClose: (s, reason) => {
        this.logger.debug('udp session closed', { reason, ident: s.state.ident, peer: s.peer, channel_id: ctx.channel.id });
        hooks.onClose?.(s);
      },
    });
    socket.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
  }

  acked(ok: boolean, reply: Buffer | undefined, port: number, address: string, session: UdpSession | undefined): void {
    if (!ok) {
      this.ctx.counters.ackErrors++;
      return;
    }
    if (reply) this.reply(reply, port, address, session);
    if (session?.isOpen) this.hooks.onDatagram?.(session);
  }

  /** UdpLink: bytes to a device. */
  send(bytes: Buffer, port: number, address: string): void {
    this.ctx.counters.bytesOut += bytes.length;
    try {
      this.socket.send(bytes, port, address);
    } catch {
      // socket closed while draining: the device resends
    }
  }

  /** UdpLink: a session is kicked or its channel stops. */
  close(session: UdpSession, reason: string): void {
    this.sessions.remove(session, reason);
  }

  /** Ends every session (the channel stops). */
  stop(): void {
    this.sessions.closeAll('channel stopped');
  }

  private reply(bytes: Buffer, port: number, address: string, session: UdpSession | undefined): void {
    if (session) session.bytesOut += bytes.length;
    this.send(bytes, port, address);
  }

  private onDatagram(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.holding) return;
    this.stats.datagrams++;
    const counters = this.ctx.counters;
    counters.frames++;
    counters.bytesIn += msg.length;
    const peer = `${rinfo.address}:${rinfo.port}`;
    const inspection = this.inspect(msg);
    if (inspection.error) {
      this.stats.errors++;
      counters.decodeErrors++;
      this.logger.warn('bad datagram from device', {
        error: inspection.error.toString(),
        ident: inspection.ident ?? null,
        peer,
        channel_id: this.ctx.channel.id,
      });
    }
    // a refused datagram does not move a device's session
    const session =
      inspection.ident !== undefined && (inspection.store || !inspection.error)
        ? this.sessions.touch(inspection.ident, rinfo.address, rinfo.port, msg.length)
        : undefined;
    if (session && inspection.vars) Object.assign(session.state.vars, inspection.vars);
    if (!inspection.store) {
      if (inspection.reply) this.reply(inspection.reply, rinfo.port, rinfo.address, session);
      if (session) this.hooks.onDatagram?.(session);
      return;
    }
    const vars = (inspection.vars ?? undefined) as Record<string, string | number | boolean> | undefined;
    this.batcher.push(
      {
        channelId: this.ctx.channel.id,
        protocolId: this.ctx.protocol.id,
        transport: 'udp',
        ident: inspection.ident,
        peer,
        receivedAt: Date.now() / 1000,
        session: vars,
        frame: msg.toString('base64'),
        correlationId: `${this.ctx.listenerId}-u${this.ctx.channel.id}-${++this.seq}`,
      },
      new UdpAck(this, inspection.reply, rinfo.port, rinfo.address, session),
      0,
    );
  }

  /** The protocol's verdict on one datagram; each is inspected on its own (identity travels in every one). */
  private inspect(msg: Buffer): Inspection {
    const state = { transport: 'udp' as const, vars: {} };
    try {
      if (msg.length > this.ctx.options.maxFrameSize) throw new CodecError(CodecErrorCode.Oversize, `datagram of ${msg.length} bytes`);
      return this.ctx.protocol.inspect(msg, state, this.ctx.options);
    } catch (err) {
      return { store: false, error: err instanceof CodecError ? err : new CodecError(CodecErrorCode.Malformed, String(err)) };
    }
  }
}
