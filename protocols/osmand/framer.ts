import { CodecError, CodecErrorCode } from '../common/errors.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { parseRequest } from './request.js';

const MORE: FrameResult = { type: 'more' };

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
    const reason = `request of ${buf.length} bytes exceeds the channel's frame limit of ${options.maxFrameSize} bytes`;
    return fail(new CodecError(CodecErrorCode.Oversize, reason, 0), buf.length);
  }
  const request = parseRequest(buf);
  if (request instanceof CodecError) return fail(request, buf.length);
  return { type: 'frame', frame: buf, consumed: buf.length };
}

function fail(error: CodecError, consumed: number): FrameResult {
  return { type: 'error', error, consumed };
}
