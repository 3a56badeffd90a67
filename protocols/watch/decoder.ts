import { CodecError, toCodecError } from '../common/errors.js';
import type { DecodeContext, Decoded } from '../common/types.js';
import { Family } from './constants.js';
import { type Packet, readPacket } from './packet.js';
import { decodeLocation } from './records/location.js';
import { decodeMedia } from './records/media.js';
import { decodeReply } from './records/reply.js';
import { decodeHealth, decodeInfo, decodeKeepAlive } from './records/status.js';

type RecordDecoder = (p: Packet, ctx: DecodeContext, out: Decoded) => void;

/** Record families (packet.ts chooses one from the content type) → their record decoders. */
const DECODERS: Readonly<Record<Family, RecordDecoder>> = {
  [Family.Location]: decodeLocation,
  [Family.KeepAlive]: decodeKeepAlive,
  [Family.Health]: decodeHealth,
  [Family.Audio]: decodeMedia,
  [Family.Photo]: decodeMedia,
  [Family.Info]: decodeInfo,
  [Family.Request]: () => undefined, // TKQ/TKQ2 and WIFIINFOUP: answered, nothing to keep
  [Family.Reply]: decodeReply,
};

/**
 * Decodes one watch frame into messages and, for the watch's answers to server commands, command
 * replies. The protocol has no checksum, so the channel's CRC policy does not apply. Never throws.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  try {
    const packet = readPacket(frame);
    if (packet instanceof CodecError) out.errors.push(packet);
    else if (packet.type.trim() !== '') DECODERS[packet.family](packet, ctx, out);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  return out;
}
