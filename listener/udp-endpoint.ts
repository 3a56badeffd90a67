import type { RemoteInfo, Socket as UdpSocket } from 'node:dgram';
import type { Logger } from '../core/logger.js';
import { CodecError, CodecErrorCode } from '../protocols/common/errors.js';
import type { Inspection } from '../protocols/common/types.js';
import type { FrameBatcher } from './batcher.js';
import type { ChannelContext } from './session.js';

/**
 * One channel's UDP socket: every datagram is a frame; the ack goes back to the sender once the
 * frame is durable. Identity travels in each datagram (no sessions to keep).
 */
export class UdpEndpoint {
  private seq = 0;
  readonly stats = { datagrams: 0, errors: 0 };

  constructor(
    private readonly socket: UdpSocket,
    private readonly ctx: ChannelContext,
    private readonly batcher: FrameBatcher,
    private readonly logger: Logger,
  ) {
    socket.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
  }

  private onDatagram(msg: Buffer, rinfo: RemoteInfo): void {
    this.stats.datagrams++;
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
      this.logger.warn('bad datagram from device', { error: inspection.error.toString(), ident: inspection.ident ?? null, peer, channel_id: this.ctx.channel.id });
    }
    const durable = inspection.store
      ? this.batcher.add({ ch: this.ctx.channel.id, p: this.ctx.protocol.id, t: 'udp', id: inspection.ident, peer, ts: Date.now() / 1000, f: msg.toString('base64'), cid: `${this.ctx.listenerId}-u${this.ctx.channel.id}-${++this.seq}` })
      : Promise.resolve();
    const reply = inspection.reply;
    if (!reply) return;
    durable.then(
      () => this.socket.send(reply, rinfo.port, rinfo.address),
      () => undefined,
    );
  }
}
