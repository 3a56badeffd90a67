import type { Socket } from 'node:net';
import type { QueuedFrame } from '../core/envelope.js';
import type { Logger } from '../core/logger.js';
import { CodecError, CodecErrorCode } from '../protocols/common/errors.js';
import type { FrameResult, Inspection, SessionState } from '../protocols/common/types.js';
import type { DurableSink, FrameBatcher } from './batcher.js';
import { MAX_BAD_FRAMES, MAX_ERROR_LOGS, MAX_FRAMES_PER_TURN, MAX_UNACKED_FRAMES } from './constants.js';
import type { ChannelContext, Session } from './session.js';

/** Shared by every connection of a channel (one object per channel, not per connection). */
export interface ConnectionHooks {
  readonly onIdent?: (session: TcpConnection) => void;
  readonly onClose?: (session: TcpConnection) => void;
  /** The connection went over its read budget and paused itself; call `resumeBudget` later. */
  readonly onThrottle?: (session: TcpConnection) => void;
  /** The connection cut its turn short (frames left in its buffer); call `resumeTurn` soon. */
  readonly onYield?: (session: TcpConnection) => void;
}

/** A reply waiting for its frame (or an earlier frame) to become durable. */
interface PendingReply {
  readonly token: number;
  readonly reply: Buffer | undefined;
  readonly close: boolean;
  /** 0 waiting, 1 durable (or nothing to wait for), 2 refused */
  state: 0 | 1 | 2;
}

const CONN = Symbol('connection');
type Owned = Socket & { [CONN]?: TcpConnection };

// One set of socket handlers for all connections: no closures per connection.
function onSocketData(this: Owned, chunk: Buffer): void {
  this[CONN]?.onData(chunk);
}
function onSocketError(this: Owned): void {
  this[CONN]?.close('socket error');
}
function onSocketTimeout(this: Owned): void {
  this[CONN]?.idle();
}
function onSocketClose(this: Owned): void {
  this[CONN]?.closed();
}

/**
 * One device's TCP connection: cuts frames, answers handshakes, hands data frames to the batcher
 * and sends each ack only once the frame is durable, in frame order. Bad input closes this
 * connection only; nothing here throws into the server.
 *
 * Limits: a frame must complete within the idle timeout (a device dribbling a byte a second or
 * holding half a frame is dropped then, and costs one small buffer meanwhile); buffered bytes
 * without a complete frame are capped at the channel's max frame size; reading is paused for the
 * rest of the second once the connection used its budget (bytes/s or frames/s), and while
 * MAX_UNACKED_FRAMES frames wait for the queue; at most MAX_FRAMES_PER_TURN frames are handled
 * before the event loop serves the other connections (a 64 KiB chunk of 1-byte frames would
 * otherwise hold it for tens of milliseconds).
 */
export class TcpConnection implements Session, DurableSink {
  readonly id: string;
  readonly state: SessionState;
  readonly peer: string;
  readonly established = Date.now() / 1000;
  lastActive = this.established;
  bytesIn = 0;
  bytesOut = 0;
  framesIn = 0;
  private buffer: Buffer | null = null;
  private replies: PendingReply[] = [];
  private nextToken = 0;
  private unacked = 0;
  private errors = 0;
  private errorLogs = 0;
  private isClosed = false;
  private lastFrameMs = Date.now();
  private windowStart = 0;
  private windowBytes = 0;
  private windowFrames = 0;
  private pausedForAcks = false;
  private pausedForBudget = false;
  private pausedForTurn = false;
  private held = false;

  constructor(
    readonly socket: Socket,
    private readonly ctx: ChannelContext,
    private readonly batcher: FrameBatcher,
    private readonly logger: Logger,
    private readonly hooks: ConnectionHooks,
    seq: number,
  ) {
    this.id = `${ctx.listenerId}-${ctx.channel.id}-${seq}`;
    this.peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.state = { transport: 'tcp', vars: {} };
    (socket as Owned)[CONN] = this;
    socket.setNoDelay(true);
    socket.setTimeout(ctx.idleMs);
    socket.on('data', onSocketData);
    socket.on('error', onSocketError);
    socket.on('timeout', onSocketTimeout);
    socket.on('close', onSocketClose);
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  write(bytes: Buffer): void {
    if (this.isClosed || this.socket.destroyed) return;
    this.bytesOut += bytes.length;
    this.ctx.counters.bytesOut += bytes.length;
    this.socket.write(bytes);
  }

  close(reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.logger.debug('connection closed', { reason, ident: this.state.ident, peer: this.peer, channel_id: this.ctx.channel.id });
    this.socket.destroy();
  }

  /** Ends the connection after what was written (graceful drain). */
  end(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.socket.end();
    this.socket.destroySoon();
  }

  /** The socket saw no traffic for the idle timeout; a connection still working through its buffer stays. */
  idle(): void {
    if (Date.now() - this.lastFrameMs < this.ctx.idleMs) this.socket.setTimeout(this.ctx.idleMs);
    else this.close('idle timeout');
  }

  /** Socket closed (by either side). */
  closed(): void {
    this.isClosed = true;
    (this.socket as Owned)[CONN] = undefined;
    this.buffer = null;
    this.hooks.onClose?.(this);
  }

  /** Stops reading for good (drain): frames not read yet are never acked, so the device resends them. */
  hold(): void {
    this.held = true;
    this.socket.pause();
  }

  /** Called by the listener's budget tick once the read window passed. */
  resumeBudget(now: number): boolean {
    if (!this.pausedForBudget) return true;
    if (now - this.windowStart < 1000) return false;
    this.pausedForBudget = false;
    this.windowStart = now;
    this.windowBytes = 0;
    this.windowFrames = 0;
    if (this.buffer !== null && !this.pausedForTurn && !this.held && !this.isClosed) this.process(now);
    this.maybeResume();
    return !this.pausedForBudget;
  }

  /** Called soon after the connection yielded: frames what is left in its buffer. */
  resumeTurn(): void {
    if (!this.pausedForTurn) return;
    this.pausedForTurn = false;
    if (this.buffer !== null && !this.pausedForBudget && !this.held && !this.isClosed) this.process(Date.now());
    this.maybeResume();
  }

  onData(chunk: Buffer): void {
    if (this.isClosed || this.held) return;
    const now = Date.now();
    this.bytesIn += chunk.length;
    this.ctx.counters.bytesIn += chunk.length;
    this.lastActive = now / 1000;
    this.spend(chunk.length, now);
    this.buffer = this.buffer === null ? chunk : Buffer.concat([this.buffer, chunk]);
    if (!this.pausedForTurn && !(this.pausedForBudget && this.windowFrames >= this.ctx.frameBudget)) this.process(now);
  }

  /**
   * Cuts and handles the frames in the buffer: at most MAX_FRAMES_PER_TURN before yielding to the
   * other connections, and no more than the connection's frames-per-second budget.
   */
  private process(now: number): void {
    let buf = this.buffer;
    if (!buf) return;
    this.buffer = null;
    const framesBefore = this.framesIn;
    let turn = 0;
    while (buf.length > 0 && !this.isClosed) {
      if (turn >= MAX_FRAMES_PER_TURN || this.windowFrames >= this.ctx.frameBudget) {
        this.buffer = buf; // continued soon: no copy
        if (this.framesIn !== framesBefore) this.lastFrameMs = now;
        this.socket.pause();
        if (this.windowFrames >= this.ctx.frameBudget) this.throttle();
        else {
          this.pausedForTurn = true;
          this.hooks.onYield?.(this);
        }
        return;
      }
      let result: FrameResult;
      try {
        result = this.ctx.protocol.frame(buf, this.state, this.ctx.options);
      } catch (err) {
        result = { type: 'error', error: new CodecError(CodecErrorCode.Malformed, `framer failed: ${String(err)}`), consumed: 0 };
      }
      if (result.type === 'more') break;
      turn++;
      this.windowFrames++;
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
    if (this.isClosed) return;
    if (this.framesIn !== framesBefore) this.lastFrameMs = now;
    else if (now - this.lastFrameMs > this.ctx.idleMs) {
      this.close('idle timeout: no complete frame');
      return;
    }
    if (buf.length > this.ctx.options.maxFrameSize) {
      this.badInput(new CodecError(CodecErrorCode.Oversize, `more than ${this.ctx.options.maxFrameSize} bytes without a complete frame`), buf.subarray(0, 64));
      this.close('oversize');
      return;
    }
    // keep a copy of a partial frame: the chunk's memory may be large and shared
    this.buffer = buf.length === 0 ? null : Buffer.from(buf);
  }

  /** The batcher's answer for one stored frame. */
  durable(token: number, ok: boolean): void {
    this.unacked--;
    if (!ok) this.ctx.counters.ackErrors++;
    const head = this.replies[0];
    if (head !== undefined) {
      const entry = this.replies[token - head.token];
      if (entry !== undefined && entry.token === token) entry.state = ok ? 1 : 2;
    }
    this.release();
    if (this.pausedForAcks && this.unacked < MAX_UNACKED_FRAMES) {
      this.pausedForAcks = false;
      this.maybeResume();
    }
  }

  private spend(bytes: number, now: number): void {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.windowBytes = 0;
      this.windowFrames = 0;
    }
    this.windowBytes += bytes;
    if (this.windowBytes > this.ctx.readBudget) this.throttle();
  }

  private throttle(): void {
    if (this.pausedForBudget) return;
    this.pausedForBudget = true;
    this.socket.pause();
    this.hooks.onThrottle?.(this);
  }

  private maybeResume(): void {
    if (!this.pausedForAcks && !this.pausedForBudget && !this.pausedForTurn && !this.held && !this.isClosed) this.socket.resume();
  }

  private onFrame(frame: Buffer): void {
    this.framesIn++;
    this.ctx.counters.frames++;
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
    if (inspection.error) {
      this.badInput(inspection.error, frame.subarray(0, 64));
      if (!inspection.store && ++this.errors >= MAX_BAD_FRAMES) {
        this.close('too many refused frames');
        return;
      }
    }
    const { reply, close } = inspection;
    if (inspection.store) {
      const token = this.nextToken++;
      this.replies.push({ token, reply, close: close === true, state: 0 });
      this.enqueue(frame, token);
    } else if (reply || close) {
      if (this.replies.length === 0) this.send(reply, close === true);
      else this.replies.push({ token: this.nextToken++, reply, close: close === true, state: 1 });
    }
  }

  /** Sends the replies whose frames (and every earlier frame) are durable; a refusal closes. */
  private release(): void {
    while (this.replies.length > 0) {
      const head = this.replies[0];
      if (head.state === 0) return;
      this.replies.shift();
      if (head.state === 2) {
        this.replies.length = 0;
        this.close('queue unavailable: frame not acked');
        return;
      }
      this.send(head.reply, head.close);
    }
  }

  private send(reply: Buffer | undefined, close: boolean): void {
    if (this.isClosed) return;
    if (reply) this.write(reply);
    if (close) this.end();
  }

  private enqueue(frame: Buffer, token: number): void {
    const vars = this.state.vars;
    const session: QueuedFrame['session'] = hasKeys(vars) ? { ...vars } : undefined;
    const queued: QueuedFrame = {
      channelId: this.ctx.channel.id,
      protocolId: this.ctx.protocol.id,
      transport: 'tcp',
      ident: this.state.ident,
      peer: this.peer,
      receivedAt: Date.now() / 1000,
      session,
      frame: frame.toString('base64'),
      correlationId: `${this.id}-${this.framesIn}`,
    };
    if (++this.unacked >= MAX_UNACKED_FRAMES && !this.pausedForAcks) {
      this.pausedForAcks = true;
      this.socket.pause();
    }
    this.batcher.push(queued, this, token);
  }

  private badInput(error: CodecError, sample: Buffer): void {
    this.ctx.counters.decodeErrors++;
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

function hasKeys(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}
