import { CodecError, CodecErrorCode, toCodecError } from '../../protocols/common/errors.js';
import type { CodecOptions, Decoded, FrameResult, Inspection, ProtocolCodec, SessionState, Transport } from '../../protocols/common/types.js';
import type { ConnectionOutput } from '../../protocols/index.js';

/**
 * The public entry's semantics in their plainest form, as `ConnectionCodec` implemented them
 * before it was optimised: frame (copying pending bytes), `inspect`, then the contract's `decode`
 * (never `decodeInspected`, so the checksum is computed again) with Teltonika's generated fast path
 * off, then messages copied into the output with the connection's ident. The entry must return
 * exactly what this returns (test/unit/protocols/connection.test.ts).
 */
export class ReferenceConnection {
  readonly state: SessionState;
  private pending: Buffer = Buffer.alloc(0);
  private closed = false;
  private readonly decodeOptions: CodecOptions;

  constructor(
    readonly protocol: ProtocolCodec,
    readonly options: CodecOptions,
    transport: Transport = protocol.transports[0],
  ) {
    this.state = { transport, vars: {} };
    this.decodeOptions = { ...options, settings: { ...options.settings, fast_path: false } };
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
      const result = this.frame(this.pending);
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

  private frame(buf: Buffer): FrameResult {
    try {
      return this.protocol.frame(buf, this.state, this.options);
    } catch (err) {
      return { type: 'error', error: toCodecError(err), consumed: 0 };
    }
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
      const decoded = this.decodeFrame(frame);
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

  private decodeFrame(frame: Buffer): Decoded {
    const { transport, ident, vars } = this.state;
    try {
      return this.protocol.decode(frame, { transport, ident, vars, options: this.decodeOptions, receivedAt: Date.now() / 1000 });
    } catch (err) {
      const error = err instanceof Error ? new CodecError(CodecErrorCode.Malformed, `decoder failed: ${err.message}`) : toCodecError(err);
      return { messages: [], commandReplies: [], errors: [error] };
    }
  }
}
