import { crcVerdict, markCrcInvalid } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import { Reader } from '../common/reader.js';
import type { DecodeContext, Decoded } from '../common/types.js';
import { FLEX_CRC_SIZE, FlexType, NtcbHeader, NtcbMessage, Start } from './constants.js';
import { CSD_NAME, CSP_NAME, FLEX_CRC_NAME, flexCrcMatches, flexLayout, ntcbKind, readNtcb } from './packet.js';
import { readExtraRecord } from './records/extra.js';
import { readFlexRecord } from './records/flex.js';
import { decodeNtcbArchive, decodeNtcbTelemetry } from './records/ntcb.js';
import { decodeOther, decodeReply } from './records/text.js';

/**
 * Decodes one Navtelecom frame: NTCB telemetry (`*>T`, `*>A`), command answers (`*@`) and other
 * `*` messages, or FLEX data (`~A`, `~T`, `~C` under the negotiated mask from `ctx.vars`; `~E`,
 * `~X` additional records). Identification and negotiation frames decode to nothing (the
 * inspector answers them). Checksums follow the channel's CRC policy.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  try {
    if (frame[0] === Start.Ntcb) decodeNtcb(frame, ctx, out);
    else if (frame[0] === Start.Flex) decodeFlex(frame, ctx, out);
    else if (frame[0] !== Start.KeepAlive || frame.length !== 1) throw new CodecError(CodecErrorCode.Malformed, 'not an NTCB or FLEX frame', 0);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  return out;
}

function decodeNtcb(frame: Buffer, ctx: DecodeContext, out: Decoded): void {
  const p = readNtcb(frame);
  if (p instanceof CodecError) throw p;
  const crc = crcVerdict(p.headerOk && p.dataOk, ctx.options, p.headerOk ? CSD_NAME : CSP_NAME, p.headerOk ? NtcbHeader.DataXor : NtcbHeader.HeaderXor);
  if (crc.error) out.errors.push(crc.error); // reported under both policies
  if (!crc.pass) return;
  try {
    switch (ntcbKind(p.data)) {
      case NtcbMessage.Telemetry:
        decodeNtcbTelemetry(p.data, out);
        break;
      case NtcbMessage.Archive:
        decodeNtcbArchive(p.data, out);
        break;
      case NtcbMessage.Reply:
      case NtcbMessage.Answer:
        decodeReply(p.data, out);
        break;
      case NtcbMessage.Ident:
      case NtcbMessage.Flex:
        break; // answered by the inspector; nothing to store
      default:
        if (p.data.length > 0) decodeOther(p.data, out);
    }
  } finally {
    if (crc.error) markCrcInvalid(out.messages);
  }
}

function decodeFlex(frame: Buffer, ctx: DecodeContext, out: Decoded): void {
  if (frame.length < 2 + FLEX_CRC_SIZE) throw new CodecError(CodecErrorCode.Truncated, `FLEX frame of ${frame.length} bytes`, 0);
  const crc = crcVerdict(flexCrcMatches(frame), ctx.options, FLEX_CRC_NAME, frame.length - FLEX_CRC_SIZE);
  if (crc.error) out.errors.push(crc.error);
  if (!crc.pass) return;
  const r = new Reader(frame, 2, frame.length - FLEX_CRC_SIZE);
  try {
    readFlexBody(frame[1], r, ctx, out);
    if (r.remaining > 0) out.errors.push(new CodecError(CodecErrorCode.Malformed, `${r.remaining} byte(s) after the last FLEX record`, r.pos));
  } finally {
    if (crc.error) markCrcInvalid(out.messages);
  }
}

function readFlexBody(type: number, r: Reader, ctx: DecodeContext, out: Decoded): void {
  if (type === FlexType.ExtraArchive || type === FlexType.ExtraEvent) {
    const index = type === FlexType.ExtraEvent ? r.u32le() : undefined;
    const count = index === undefined ? r.u8() : 1;
    for (let i = 0; i < count; i++) out.messages.push({ ...readExtraRecord(r), ...(index === undefined ? {} : { 'navtelecom.event.index': index }) });
    return;
  }
  const layout = flexLayout(ctx.vars);
  if (!layout) throw new CodecError(CodecErrorCode.Unidentified, 'FLEX record before the *>FLEX negotiation: the mask is unknown', 1);
  switch (type) {
    case FlexType.Archive: {
      const count = r.u8();
      for (let i = 0; i < count; i++) out.messages.push(readFlexRecord(r, layout.fields));
      return;
    }
    case FlexType.Event: {
      const index = r.u32le();
      out.messages.push({ ...readFlexRecord(r, layout.fields), 'navtelecom.event.index': index });
      return;
    }
    case FlexType.Current:
      out.messages.push(readFlexRecord(r, layout.fields));
      return;
    default:
      throw new CodecError(CodecErrorCode.Unsupported, `FLEX message type 0x${type.toString(16)} is not A, T, C, E or X`, 1);
  }
}
