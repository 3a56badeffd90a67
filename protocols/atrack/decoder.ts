import { crcVerdict, markCrcInvalid } from '../common/crc-policy.js';
import { CodecError, toCodecError } from '../common/errors.js';
import type { DecodeContext, Decoded } from '../common/types.js';
import { FrameKind } from './constants.js';
import { type Packet, readPacket } from './packet.js';
import { decodeBinary } from './records/binary.js';
import { decodePhoto } from './records/photo.js';
import { decodeReply } from './records/reply.js';
import { decodeText } from './records/text.js';

type RecordDecoder = (frame: Buffer, p: Packet, ctx: DecodeContext, out: Decoded) => void;

/** Frame kinds with a CRC → their record decoders. */
const DECODERS: Readonly<Partial<Record<FrameKind, RecordDecoder>>> = {
  [FrameKind.Binary]: decodeBinary,
  [FrameKind.Photo]: decodePhoto,
  [FrameKind.Text]: (_frame, p, ctx, out) => decodeText(p, ctx, out),
};

/**
 * Decodes one ATrack frame: binary and ASCII reports into one message per record, `@R` photo
 * chunks, and command answers into command replies; keep-alives carry no data. Reports apply the
 * channel's CRC policy (CRC-16/ARC). Never throws.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  try {
    const p = readPacket(frame);
    if (p instanceof CodecError) out.errors.push(p);
    else if (p.kind === FrameKind.Reply) decodeReply(p.text ?? '', ctx, out);
    else decodeReport(frame, p, ctx, out);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  return out;
}

function decodeReport(frame: Buffer, p: Packet, ctx: DecodeContext, out: Decoded): void {
  const decoder = DECODERS[p.kind];
  if (!decoder) return;
  const crc = crcVerdict(p.crcOk, ctx.options, 'CRC-16/ARC', p.crcAt);
  if (!crc.pass) {
    if (crc.error) out.errors.push(crc.error);
    return;
  }
  try {
    decoder(frame, p, ctx, out);
  } finally {
    if (crc.error) markCrcInvalid(out.messages);
  }
}
