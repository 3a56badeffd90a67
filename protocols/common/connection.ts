import { CodecError, CodecErrorCode, toCodecError } from './errors.js';
import type { CodecOptions, CommandReply, DecodeContext, Decoded, Inspection, Message, ProtocolCodec, SessionState, Transport } from './types.js';
import { DEFAULT_CODEC_OPTIONS } from './types.js';

/** What one `decode(bytes)` call produced: the same shape as a `hub decode` output line. */
export interface ConnectionOutput {
  messages: Message[];
  /** Bytes the hub would send back (handshake answers, acks), in order. */
  replies: Buffer[];
  commandReplies: CommandReply[];
  errors: string[];
}

/** Nothing pending (zero-length, so nothing can be written into it). */
const NO_BYTES = Buffer.alloc(0);

/**
 * One device connection's worth of decoding, for library users and `hub decode`: bytes go in as
 * received (partial frames are kept for the next call); messages, replies and errors come out.
 * Each frame is framed, inspected (identity, ack, checksum) and, when the inspection stores it,
 * decoded with the inspection (`ProtocolCodec.decodeInspected` where the codec has it, so the
 * checksum is computed once per frame).
 */
export class ConnectionCodec {
  readonly state: SessionState;
  private pending: Buffer = NO_BYTES;
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
    const chunk = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.state.transport !== 'tcp') {
      this.handleFrame(chunk, out);
      return out;
    }
    // a chunk that completes nothing pending is framed in place (no copy)
    let buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (buf.length > 0 && !this.closed) {
      const result = safeFrame(this.protocol, buf, this.state, this.options);
      if (result.type === 'more') break;
      if (result.type === 'error') {
        out.errors.push(result.error.toString());
        if (result.consumed === 0) {
          this.closed = true;
          buf = NO_BYTES;
          break;
        }
        buf = rest(buf, result.consumed);
        continue;
      }
      buf = rest(buf, result.consumed);
      this.handleFrame(result.frame, out);
    }
    this.pending = buf;
    return out;
  }

  private handleFrame(frame: Buffer, out: ConnectionOutput): void {
    const state = this.state;
    let inspection: Inspection;
    try {
      inspection = this.protocol.inspect(frame, state, this.options);
    } catch (err) {
      out.errors.push(toCodecError(err).toString());
      return;
    }
    if (inspection.ident) state.ident = inspection.ident;
    if (inspection.vars) Object.assign(state.vars, inspection.vars);
    if (inspection.error) out.errors.push(inspection.error.toString());
    if (inspection.store) this.addDecoded(frame, inspection, out);
    if (inspection.reply) out.replies.push(inspection.reply);
    if (inspection.close) this.closed = true;
  }

  /** Decodes a stored frame into `out`: messages take the connection's ident (unless they carry one). */
  private addDecoded(frame: Buffer, inspection: Inspection, out: ConnectionOutput): void {
    const decoded = decodeInspected(this.protocol, frame, this.state, this.options, inspection);
    const messages = decoded.messages;
    const ident = this.state.ident;
    if (ident !== undefined) {
      for (let i = 0; i < messages.length; i++) if (messages[i].ident === undefined) messages[i].ident = ident;
    }
    // the decoder's own (fresh) array becomes the output when it is the first with messages: no copy
    if (out.messages.length === 0 && messages.length > 0) out.messages = messages;
    else for (let i = 0; i < messages.length; i++) out.messages.push(messages[i]);
    for (let i = 0; i < decoded.commandReplies.length; i++) out.commandReplies.push(decoded.commandReplies[i]);
    for (const e of decoded.errors) if (!inspection.error || e.code !== inspection.error.code) out.errors.push(e.toString());
  }
}

/** The bytes after the first `consumed` (the shared empty buffer when none are left). */
function rest(buf: Buffer, consumed: number): Buffer {
  return consumed >= buf.length ? NO_BYTES : buf.subarray(consumed);
}

function safeFrame(protocol: ProtocolCodec, buf: Buffer, state: SessionState, options: CodecOptions) {
  try {
    return protocol.frame(buf, state, options);
  } catch (err) {
    return { type: 'error' as const, error: toCodecError(err), consumed: 0 };
  }
}

/** `decodeInspected` when the codec has it, else `decode`; never throws (as `safeDecode`). */
function decodeInspected(protocol: ProtocolCodec, frame: Buffer, state: SessionState, options: CodecOptions, inspection: Inspection): Decoded {
  const ctx: DecodeContext = { transport: state.transport, ident: state.ident, vars: state.vars, options, receivedAt: Date.now() / 1000 };
  try {
    return protocol.decodeInspected ? protocol.decodeInspected(frame, ctx, inspection) : protocol.decode(frame, ctx);
  } catch (err) {
    return decoderFailure(err);
  }
}

/** A decoder must not throw; if one does, its exception becomes a typed error here. */
export function safeDecode(
  protocol: ProtocolCodec,
  frame: Buffer,
  state: Pick<SessionState, 'transport' | 'ident' | 'vars'>,
  options: CodecOptions,
  receivedAt?: number,
): Decoded {
  try {
    return protocol.decode(frame, { transport: state.transport, ident: state.ident, vars: state.vars, options, receivedAt: receivedAt ?? Date.now() / 1000 });
  } catch (err) {
    return decoderFailure(err);
  }
}

function decoderFailure(err: unknown): Decoded {
  const error = err instanceof Error ? new CodecError(CodecErrorCode.Malformed, `decoder failed: ${err.message}`) : toCodecError(err);
  return { messages: [], commandReplies: [], errors: [error] };
}
