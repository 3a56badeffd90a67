import { type CrcVerdict, crcVerdict, markCrcInvalid } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import { Reader } from '../common/reader.js';
import type { DecodeContext, Decoded, Inspection, Message } from '../common/types.js';
import { Codec, TCP_HEADER_SIZE } from './constants.js';
import { crcMatches, isDataPacket, readUdpHeader } from './packet.js';
import { decodeAvlRecords, LAYOUTS } from './records/avl.js';
import type { FastRecords } from './records/fast-path.js';
import { decodeGh3000Record } from './records/gh3000.js';
import { decodeResponse } from './records/response.js';

/**
 * Decodes one Teltonika frame (TCP packet, handshake, keep-alive, or UDP datagram) into messages.
 * `fast` is the codec's cache of generated record decoders (records/fast-path.ts). `inspected`:
 * the inspector's verdict on this frame (`decodeInspected`), whose CRC is then not computed again.
 */
export function decode(frame: Buffer, ctx: DecodeContext, fast: FastRecords, inspected?: Inspection): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  if (ctx.transport === 'udp') {
    const header = readUdpHeader(frame);
    if (header instanceof CodecError) out.errors.push(header);
    else decodeData(new Reader(frame, header.dataAt), ctx, out, fast);
    return out;
  }
  if (!isDataPacket(frame)) return out; // handshake or keep-alive
  const crc = inspected?.store ? inspectedCrc(inspected) : crcVerdict(crcMatches(frame), ctx.options, 'CRC-16/ARC of the data', frame.length - 4);
  if (!crc.pass) {
    if (crc.error) out.errors.push(crc.error);
    return out;
  }
  decodeData(new Reader(frame, TCP_HEADER_SIZE, Math.max(TCP_HEADER_SIZE, frame.length - 4)), ctx, out, fast);
  if (crc.error) markCrcInvalid(out.messages);
  return out;
}

/**
 * The CRC verdict of a TCP data packet the inspector stored: it stores one only when the CRC
 * matched or the policy is lenient, and then reports the mismatch as its (only) error.
 */
function inspectedCrc(inspection: Inspection): CrcVerdict {
  return inspection.error?.code === CodecErrorCode.Checksum ? { pass: true, error: inspection.error } : CRC_OK;
}

const CRC_OK: CrcVerdict = { pass: true };

/** The AVL data field: codec id, N1, records, N2 (Teltonika "Codec" notes). */
function decodeData(reader: Reader, ctx: DecodeContext, out: Decoded, fast: FastRecords): void {
  try {
    const codec = reader.u8();
    const count = reader.u8();
    const layout = LAYOUTS[codec];
    if (layout) decodeAvlRecords(reader, layout, count, ctx.options?.settings, fast, out.messages);
    else for (let i = 0; i < count; i++) decodeRecord(reader, codec, out);
    if (reader.remaining >= 1 && reader.u8() !== count) {
      out.errors.push(new CodecError(CodecErrorCode.Malformed, 'record counts N1 and N2 differ', reader.pos - 1));
    }
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
}

/** One record of the codecs without an AVL layout: command replies (12, 13, 14) and GH3000 (7). */
function decodeRecord(reader: Reader, codec: number, out: Decoded): void {
  if (codec === Codec.C12 || codec === Codec.C13 || codec === Codec.C14) {
    const reply = decodeResponse(reader, codec);
    if (!reply) return;
    out.commandReplies.push(reply);
    const m: Message = { 'command.response': reply.response };
    if (reply.timestamp !== undefined) m.timestamp = reply.timestamp;
    out.messages.push(m);
    return;
  }
  if (codec === Codec.C7) {
    out.messages.push(decodeGh3000Record(reader));
    return;
  }
  throw new CodecError(CodecErrorCode.Unsupported, `codec 0x${codec.toString(16)} is not supported`, reader.pos - 2);
}
