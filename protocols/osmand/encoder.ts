import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest } from '../common/types.js';

/**
 * Commands cannot be pushed to an HTTP device: a queued command goes back as the BODY of the 200
 * response to the device's next request (the listener puts these bytes there instead of the empty
 * body). Neither Traccar Client nor OsmAnd acts on named commands in a response body (Traccar
 * Client's own commands travel by push notification), so only `custom` exists: its text as is
 * (UTF-8), or its `hex` bytes.
 */
export function encodeCommand(command: CommandRequest): Buffer | CodecError {
  if (command.name !== 'custom') {
    return bad(`unknown command "${command.name}" for osmand: only "custom" (the response body) is supported`);
  }
  const { text, hex } = command.properties;
  if (hex !== undefined && hex !== null) {
    const bytes = fromHex(String(hex));
    return bytes && bytes.length > 0 ? bytes : bad('custom "hex" is not valid hex');
  }
  if (typeof text === 'string' && text.length > 0) return Buffer.from(text, 'utf8');
  return bad('custom needs "text" or "hex"');
}

/** OsmAnd clients echo no correlation id: replies are matched to the oldest sent command. */
export function correlate(_command: CommandRequest): string | undefined {
  return undefined;
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
