import type { RemoteInfo, Socket as UdpSocket } from 'node:dgram';
import type { Logger } from '../core/logger.js';
import { CodecError, CodecErrorCode } from '../protocols/common/errors.js';
import type { Inspection } from '../protocols/common/types.js';
import type { DurableSink, FrameBatcher } from './batcher.js';
import type { ChannelContext } from './session.js';

/** Sends a datagram's ack to its sender once the frame is durable. */
class UdpAck implements DurableSink {
  constructor(
    private readonly endpoint: UdpEndpoint,
    private readonly reply: Buffer | undefined,
    private readonly port: number,
    private readonly address: string,
  ) {}
  durable(_token: number, ok: boolean): void {
    this.endpoint.acked(ok, this.reply, this.port, this.address);
  }
}

/**
 * One channel's UDP socket: every datagram is a frame; the ack goes back to the sender once the
 * frame is durable (never when the queue refused it: the device resends). Identity travels in
 * each datagram (no sessions to keep).
 */
export class UdpEndpoint {
  private seq = 0;
  /** Set while draining: new datagrams are ignored (the devices resend them elsewhere). */
  holding = false;
  readonly stats = { datagrams: 0, errors: 0 };

  constructor(
    private readonly socket: UdpSocket,
    private readonly ctx: ChannelContext,
    private readonly batcher: FrameBatcher,
    private readonly logger: Logger,
  ) {
    socket.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
  }

  acked(ok: boolean, reply: Buffer | undefined, port: number, address: string): void {
    if (!ok) {
      this.ctx.counters.ackErrors++;
      return;
    }
    if (reply) this.sendTo(reply, port, address);
  }

  private sendTo(reply: Buffer, port: number, address: string): void {
    this.ctx.counters.bytesOut += reply.length;
    try {
      this.socket.send(reply, port, address);
    } catch {
      // socket closed while draining: the device resends
    }
  }

  private onDatagram(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.holding) return;
    this.stats.datagrams++;
    const counters = this.ctx.counters;
    counters.frames++;
    counters.bytesIn += msg.length;
    const peer = `${rinfo.address}:${rinfo.port}`;
    const state = { transport: 'udp' as const, vars: {} };
    let inspection: Inspection;
    try {
      if (msg.length > this.ctx.options.maxFrameSize) throw new CodecError(CodecErrorCode.Oversize, `datagram of ${msg.length} bytes`);
      inspection = this.ctx.protocol.inspect(msg, state, this.ctx.options);
    } catch (err) {
      inspection = { store: false, error: err instanceof CodecError ? err : new CodecError(CodecErrorCode.Malformed, String(err)) };
    }
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
    if (!inspection.store) {
      if (inspection.reply) this.sendTo(inspection.reply, rinfo.port, rinfo.address);
      return;
    }
    const vars = (inspection.vars ?? undefined) as Record<string, string | number | boolean> | undefined;
    this.batcher.push(
      {
        ch: this.ctx.channel.id,
        p: this.ctx.protocol.id,
        t: 'udp',
        id: inspection.ident,
        peer,
        ts: Date.now() / 1000,
        v: vars,
        f: msg.toString('base64'),
        cid: `${this.ctx.listenerId}-u${this.ctx.channel.id}-${++this.seq}`,
      },
      new UdpAck(this, inspection.reply, rinfo.port, rinfo.address),
      0,
    );
  }
}
