import { CodecError, CodecErrorCode, toCodecError } from './errors.js';
import type { CodecOptions, CommandReply, Inspection, Message, ProtocolCodec, SessionState, Transport } from './types.js';
import { DEFAULT_CODEC_OPTIONS } from './types.js';

/** What one `decode(bytes)` call produced: the same shape as a `hub decode` output line. */
export interface ConnectionOutput {
  messages: Message[];
  /** Bytes the hub would send back (handshake answers, acks), in order. */
  replies: Buffer[];
  commandReplies: CommandReply[];
  errors: string[];
}

/**
 * One device connection's worth of decoding, for library users and `hub decode`: bytes go in as
 * received (partial frames are kept for the next call); messages, replies and errors come out.
 */
export class ConnectionCodec {
  readonly state: SessionState;
  private pending: Buffer = Buffer.alloc(0);
  private closed = false;

  constructor(
    readonly protocol: ProtocolCodec,
    readonly options: CodecOptions = DEFAULT_CODEC_OPTIONS,
    transport: Transport = protocol.transports[0],
  ) {
    this.state = { transport, vars: {} };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  decode(bytes: Uint8Array): ConnectionOutput {
    const out: ConnectionOutput = { messages: [], replies: [], commandReplies: [], errors: [] };
    if (this.closed) {
      out.errors.push('closed: the connection was closed after an earlier frame');
      return out;
    }
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.state.transport !== 'tcp') {
      this.handleFrame(chunk, out);
      return out;
    }
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length > 0 && !this.closed) {
      const result = safeFrame(this.protocol, this.pending, this.state, this.options);
      if (result.type === 'more') break;
      if (result.type === 'error') {
        out.errors.push(result.error.toString());
        if (result.consumed === 0) {
          this.closed = true;
          this.pending = Buffer.alloc(0);
          break;
        }
        this.pending = this.pending.subarray(result.consumed);
        continue;
      }
      this.pending = this.pending.subarray(result.consumed);
      this.handleFrame(result.frame, out);
    }
    return out;
  }

  private handleFrame(frame: Buffer, out: ConnectionOutput): void {
    let inspection: Inspection;
    try {
      inspection = this.protocol.inspect(frame, this.state, this.options);
    } catch (err) {
      out.errors.push(toCodecError(err).toString());
      return;
    }
    if (inspection.ident) this.state.ident = inspection.ident;
    if (inspection.vars) Object.assign(this.state.vars, inspection.vars);
    if (inspection.error) out.errors.push(inspection.error.toString());
    if (inspection.store) {
      const decoded = safeDecode(this.protocol, frame, this.state, this.options);
      for (const m of decoded.messages) {
        if (this.state.ident !== undefined && m.ident === undefined) m.ident = this.state.ident;
        out.messages.push(m);
      }
      out.commandReplies.push(...decoded.commandReplies);
      for (const e of decoded.errors) if (!inspection.error || e.code !== inspection.error.code) out.errors.push(e.toString());
    }
    if (inspection.reply) out.replies.push(inspection.reply);
    if (inspection.close) this.closed = true;
  }
}

function safeFrame(protocol: ProtocolCodec, buf: Buffer, state: SessionState, options: CodecOptions) {
  try {
    return protocol.frame(buf, state, options);
  } catch (err) {
    return { type: 'error' as const, error: toCodecError(err), consumed: 0 };
  }
}

/** A decoder must not throw; if one does, its exception becomes a typed error here. */
export function safeDecode(
  protocol: ProtocolCodec,
  frame: Buffer,
  state: Pick<SessionState, 'transport' | 'ident' | 'vars'>,
  options: CodecOptions,
  receivedAt?: number,
) {
  try {
    return protocol.decode(frame, { transport: state.transport, ident: state.ident, vars: state.vars, options, receivedAt: receivedAt ?? Date.now() / 1000 });
  } catch (err) {
    const error = err instanceof Error ? new CodecError(CodecErrorCode.Malformed, `decoder failed: ${err.message}`) : toCodecError(err);
    return { messages: [], commandReplies: [], errors: [error] };
  }
}
