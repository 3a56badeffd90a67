import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fail, MORE, whole } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { parseRequest } from './packet.js';

/**
 * HTTP has no byte-stream framing here: the listener parses the HTTP request and offers it whole,
 * serialised as `{"method","path","headers","body"}` JSON (common/types.ts `Transport`). The framer
 * returns that request whole when it has the shape, and a typed error otherwise (a truncated or
 * mangled request is `malformed`, one above the channel limit `oversize`); the request is then
 * dropped (`consumed` = its length) and the listener answers 400.
 */
export function frame(buf: Buffer, _state: SessionState, options: CodecOptions): FrameResult {
  if (buf.length === 0) return MORE;
  if (buf.length > options.maxFrameSize) {
    return fail(CodecErrorCode.Oversize, `request of ${buf.length} bytes exceeds the channel's frame limit of ${options.maxFrameSize} bytes`, buf.length);
  }
  const request = parseRequest(buf);
  if (request instanceof CodecError) return { type: 'error', error: request, consumed: buf.length };
  return whole(buf);
}
