import { crcVerdict, markCrcInvalid } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import { DEFAULT_CODEC_OPTIONS, type DecodeContext, type Decoded } from '../common/types.js';
import { ALIVE, LEGACY_REPORTS, ST4_REPORTS, ST9_REPORTS, UNIVERSAL_REPORTS } from './constants.js';
import { splitFrames } from './framer.js';
import { dataChecksum, kindOf, parseText, type TextPacket, zipChecksum } from './packet.js';
import { decodeBinary, decodeZip } from './records/binary.js';
import { decodeCrash } from './records/crash.js';
import { decodeLegacy } from './records/legacy.js';
import { decodeResponse } from './records/response.js';
import { decodeSt4 } from './records/st4.js';
import { decodeSt9 } from './records/st9.js';
import { decodeUniversal } from './records/universal.js';

/**
 * Decodes one Suntech frame (a UDP datagram may hold several reports) into messages and command
 * replies: zip and universal binary reports, legacy / ST4xx / ST910 / universal text reports,
 * CRR crash data and command answers. The 8-bit sum of UEX and CRR data follows the CRC policy.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  const reports = ctx.transport === 'udp' ? splitFrames(frame, ctx.options ?? DEFAULT_CODEC_OPTIONS) : [frame];
  for (const report of reports) {
    try {
      decodeReport(report, ctx, out);
    } catch (err) {
      out.errors.push(toCodecError(err));
    }
  }
  return out;
}

function decodeReport(frame: Buffer, ctx: DecodeContext, out: Decoded): void {
  const kind = kindOf(frame);
  if (kind === 'binary') {
    decodeBinary(frame, ctx, out);
    return;
  }
  const p = kind === 'zip' ? undefined : parseText(frame);
  if (p instanceof CodecError) {
    out.errors.push(p);
    return;
  }
  const sum = p ? dataChecksum(p) : zipChecksum(frame);
  const crc = sum && crcVerdict(sum.ok, ctx.options, 'data checksum (8-bit sum)', sum.offset);
  if (crc && !crc.pass) {
    if (crc.error) out.errors.push(crc.error);
    return;
  }
  const start = out.messages.length;
  if (p) decodeText(p, ctx, out);
  else decodeZip(frame, ctx, out);
  if (crc?.error) markCrcInvalid(out.messages.slice(start));
}

const KNOWN: Readonly<Record<TextPacket['family'], readonly string[]>> = {
  legacy: LEGACY_REPORTS,
  st4: ST4_REPORTS,
  st9: ST9_REPORTS,
  universal: UNIVERSAL_REPORTS,
  crash: ['CRR'],
  error: [],
};

function decodeText(p: TextPacket, ctx: DecodeContext, out: Decoded): void {
  if (p.response) {
    decodeResponse(p, out);
    return;
  }
  if (ALIVE.includes(p.type)) return;
  if (!KNOWN[p.family].includes(p.type)) {
    out.errors.push(new CodecError(CodecErrorCode.Unsupported, `${p.fields[0]} ${p.type} reports are not decoded`, 0));
    return;
  }
  if (p.family === 'legacy') decodeLegacy(p, ctx, out);
  else if (p.family === 'st4') decodeSt4(p, ctx, out);
  else if (p.family === 'st9') decodeSt9(p, ctx, out);
  else if (p.family === 'universal') decodeUniversal(p, ctx, out);
  else decodeCrash(p, ctx, out);
}
