import { CodecError, toCodecError } from '../common/errors.js';
import type { DecodeContext, Decoded } from '../common/types.js';
import { ReportKind } from './constants.js';
import { type Report, readPacket } from './packet.js';
import { decodeAlternative } from './records/alternative.js';
import { decodeLocation } from './records/location.js';
import { decodeObd } from './records/obd.js';
import { decodePhoto } from './records/photo.js';

type RecordDecoder = (report: Report, ctx: DecodeContext, out: Decoded) => void;

/** Report layouts (packet.ts chooses one from the keyword or the shape) → their record decoders. */
const DECODERS: Readonly<Record<ReportKind, RecordDecoder>> = {
  [ReportKind.Location]: decodeLocation,
  [ReportKind.Obd]: (r, ctx, out) => decodeObd(r.fields, ctx, out),
  [ReportKind.Photo]: (r, ctx, out) => decodePhoto(r.fields, r.at, ctx, out),
  [ReportKind.Alternative]: (r, ctx, out) => decodeAlternative(r.fields, ctx, out),
};

/**
 * Decodes one GPS103 frame: a report (also one glued after a heartbeat) into a message and, when
 * its keyword echoes a server command, a command reply. Login and heartbeat carry no data. The
 * protocol has no checksum, so the channel's CRC policy does not apply. Never throws.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  try {
    const packet = readPacket(frame);
    if (packet instanceof CodecError) out.errors.push(packet);
    else if (packet.report) DECODERS[packet.report.kind](packet.report, ctx, out);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  return out;
}
