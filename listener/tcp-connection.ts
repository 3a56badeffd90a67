import type { Socket } from 'node:net';
import type { QueuedFrame } from '../core/envelope.js';
import type { Logger } from '../core/logger.js';
import { CodecError, CodecErrorCode } from '../protocols/common/errors.js';
import type { FrameResult, Inspection, SessionState } from '../protocols/common/types.js';
import type { FrameBatcher } from './batcher.js';
import type { ChannelContext, Session } from './session.js';

/** Frames of one connection waiting for durability before the socket is paused. */
const MAX_UNACKED = 256;
/** Bad-input log lines per connection (the rest are counted only). */
const MAX_ERROR_LOGS = 5;

export interface ConnectionHooks {
  readonly onIdent?: (session: Session) => void;
  readonly onClose?: (session: Session) => void;
  readonly onError?: (session: Session, error: CodecError) => void;
}

/**
 * One device's TCP connection: cuts frames, answers handshakes, hands data frames to the batcher
 * and sends each ack only once the frame is durable, in frame order. Bad input closes this
 * connection only; nothing here throws into the server.
 */
export class TcpConnection implements Session {
  readonly id: string;
  readonly state: SessionState;
  readonly peer: string;
  readonly established = Date.now() / 1000;
  lastActive = this.established;
  bytesIn = 0;
  bytesOut = 0;
  framesIn = 0;
  private buffer: Buffer | null = null;
  private replyChain: Promise<void> = Promise.resolve();
  private unacked = 0;
  private errorLogs = 0;
  private closed = false;

  constructor(
    readonly socket: Socket,
    private readonly ctx: ChannelContext,
    private readonly batcher: FrameBatcher,
    private readonly logger: Logger,
    private readonly hooks: ConnectionHooks = {},
    seq = 0,
  ) {
    this.id = `${ctx.listenerId}-${ctx.channel.id}-${seq}`;
    this.peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.state = { transport: 'tcp', vars: {} };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close('socket error'));
    socket.on('close', () => {
      this.closed = true;
      this.hooks.onClose?.(this);
    });
    socket.on('timeout', () => this.close('idle timeout'));
  }

  write(bytes: Buffer): void {
    if (this.closed || this.socket.destroyed) return;
    this.bytesOut += bytes.length;
    this.socket.write(bytes);
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.logger.debug('connection closed', { reason, ident: this.state.ident, peer: this.peer, channel_id: this.ctx.channel.id });
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.bytesIn += chunk.length;
    this.lastActive = Date.now() / 1000;
    let buf = this.buffer === null ? chunk : Buffer.concat([this.buffer, chunk]);
    while (buf.length > 0 && !this.closed) {
      let result: FrameResult;
      try {
        result = this.ctx.protocol.frame(buf, this.state, this.ctx.options);
      } catch (err) {
        result = { type: 'error', error: new CodecError(CodecErrorCode.Malformed, `framer failed: ${String(err)}`), consumed: 0 };
      }
      if (result.type === 'more') break;
      if (result.type === 'error') {
        this.badInput(result.error, buf.subarray(0, 64));
        if (result.consumed === 0) {
          this.close(`framing error: ${result.error.reason}`);
          break;
        }
        buf = buf.subarray(result.consumed);
        continue;
      }
      buf = buf.subarray(result.consumed);
      this.onFrame(result.frame);
    }
    if (this.closed) return;
    if (buf.length > this.ctx.options.maxFrameSize) {
      this.badInput(new CodecError(CodecErrorCode.Oversize, `more than ${this.ctx.options.maxFrameSize} bytes without a complete frame`), buf.subarray(0, 64));
      this.close('oversize');
      return;
    }
    // keep a copy of a partial frame: the chunk's memory may be large and shared
    this.buffer = buf.length === 0 ? null : Buffer.from(buf);
  }

  private onFrame(frame: Buffer): void {
    this.framesIn++;
    let inspection: Inspection;
    try {
      inspection = this.ctx.protocol.inspect(frame, this.state, this.ctx.options);
    } catch (err) {
      this.badInput(new CodecError(CodecErrorCode.Malformed, `inspect failed: ${String(err)}`), frame.subarray(0, 64));
      this.close('inspect failed');
      return;
    }
    if (inspection.ident && inspection.ident !== this.state.ident) {
      this.state.ident = inspection.ident;
      this.hooks.onIdent?.(this);
    }
    if (inspection.vars) Object.assign(this.state.vars, inspection.vars);
    if (inspection.error) this.badInput(inspection.error, frame.subarray(0, 64));
    const durable = inspection.store ? this.enqueue(frame) : Promise.resolve();
    const { reply, close } = inspection;
    if (!reply && !close) return;
    this.replyChain = this.replyChain
      .then(() => durable)
      .then(
        () => {
          if (reply) this.write(reply);
          if (close) this.socket.end();
        },
        () => this.close('queue unavailable: frame not acked'),
      );
  }

  private enqueue(frame: Buffer): Promise<void> {
    const queued: QueuedFrame = {
      ch: this.ctx.channel.id,
      p: this.ctx.protocol.id,
      t: 'tcp',
      id: this.state.ident,
      peer: this.peer,
      ts: Date.now() / 1000,
      v: Object.keys(this.state.vars).length > 0 ? { ...this.state.vars } : undefined,
      f: frame.toString('base64'),
      cid: `${this.id}-${this.framesIn}`,
    };
    this.unacked++;
    if (this.unacked >= MAX_UNACKED) this.socket.pause();
    const p = this.batcher.add(queued);
    p.then(
      () => this.acked(),
      () => this.acked(),
    );
    return p;
  }

  private acked(): void {
    this.unacked--;
    if (this.unacked < MAX_UNACKED && this.socket.isPaused()) this.socket.resume();
  }

  private badInput(error: CodecError, sample: Buffer): void {
    this.hooks.onError?.(this, error);
    if (this.errorLogs++ >= MAX_ERROR_LOGS) return;
    this.logger.warn('bad input from device', {
      error: `${error.code}: ${error.reason}`,
      ident: this.state.ident ?? null,
      peer: this.peer,
      channel_id: this.ctx.channel.id,
      sample: sample.toString('hex'),
    });
  }
}
