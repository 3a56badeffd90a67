import { CodecError, toCodecError } from '../common/errors.js';
import type { DecodeContext, Decoded } from '../common/types.js';
import { identifiedPayload } from './packet.js';
import { decodeJson } from './records/json.js';
import { decodeQuery } from './records/query.js';

/**
 * Decodes one OsmAnd request frame: the JSON form (Transistorsoft) or the query/form form. A request
 * without a device id decodes to nothing (an `unidentified` error), even on a connection that sent
 * one before: every request must carry its id, as the listener answers it 400.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  try {
    const request = identifiedPayload(frame);
    if (request instanceof CodecError) {
      out.errors.push(request);
      return out;
    }
    const { payload } = request;
    if (payload.kind === 'json') decodeJson(payload.root, payload.params, out);
    else decodeQuery(payload.params, ctx.options, out);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  return out;
}
