import { CodecErrorCode } from '../common/errors.js';
import { cut, fail, MORE } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { FLEX_CRC_SIZE, FlexType, NTCB_HEADER_SIZE, NTCB_PREAMBLE, NtcbHeader, Start } from './constants.js';
import { flexRecordSize } from './packet.js';

/**
 * Cuts one Navtelecom frame from a TCP stream: an NTCB frame (`@NTC` + 16-byte header + data of
 * the length field, §1.1), a FLEX keep-alive (`7F`), or a FLEX frame (§1.2.2), whose length follows
 * from its type and the record size negotiated by `*>FLEX` (session var `flex.size`): `~A` count
 * u8 + count records, `~T` index u32 + record, `~C` record, `~E` count u8 + (length u16 + bytes)*,
 * `~X` index u32 + length u16 + bytes, each + CRC-8. No frame has a resynchronisation marker, so
 * anything else (or a FLEX record before the negotiation) closes the connection.
 */
export function frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (buf.length === 0) return MORE;
  switch (buf[0]) {
    case Start.KeepAlive:
      return { type: 'frame', frame: buf.subarray(0, 1), consumed: 1 };
    case Start.Ntcb:
      return ntcb(buf, options);
    case Start.Flex:
      return flex(buf, state, options);
    default:
      return fail(CodecErrorCode.Malformed, `first byte 0x${buf[0].toString(16)} is not @ (NTCB), ~ (FLEX) or 7F (keep-alive)`);
  }
}

function ntcb(buf: Buffer, options: CodecOptions): FrameResult {
  const have = Math.min(buf.length, NTCB_PREAMBLE.length);
  if (!buf.subarray(0, have).equals(NTCB_PREAMBLE.subarray(0, have))) return fail(CodecErrorCode.Malformed, 'NTCB frame does not start with @NTC');
  if (buf.length < NTCB_HEADER_SIZE) return MORE;
  return cut(buf, 0, NTCB_HEADER_SIZE + buf.readUInt16LE(NtcbHeader.Length), options, 'NTCB frame');
}

function flex(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (buf.length < 2) return MORE;
  const type = buf[1];
  if (type === FlexType.ExtraArchive) return extraArchive(buf, options);
  if (type === FlexType.ExtraEvent) {
    if (buf.length < 8) return MORE;
    return cut(buf, 0, 8 + buf.readUInt16LE(6) + FLEX_CRC_SIZE, options, '~X frame');
  }
  if (type !== FlexType.Archive && type !== FlexType.Event && type !== FlexType.Current) {
    return fail(CodecErrorCode.Malformed, `FLEX message type 0x${type.toString(16)} is not A, T, C, E or X`, 0, 1);
  }
  const size = flexRecordSize(state.vars);
  if (size === undefined) return fail(CodecErrorCode.Unidentified, 'FLEX record before the *>FLEX negotiation: its size is unknown');
  if (type === FlexType.Event) return cut(buf, 0, 6 + size + FLEX_CRC_SIZE, options, '~T frame');
  if (type === FlexType.Current) return cut(buf, 0, 2 + size + FLEX_CRC_SIZE, options, '~C frame');
  if (buf.length < 3) return MORE;
  return cut(buf, 0, 3 + buf[2] * size + FLEX_CRC_SIZE, options, '~A frame');
}

/** `~E` count u8, then `count` records of length u16 + bytes, then the CRC: walked length by length. */
function extraArchive(buf: Buffer, options: CodecOptions): FrameResult {
  if (buf.length < 3) return MORE;
  let at = 3;
  for (let i = 0; i < buf[2] && at <= options.maxFrameSize; i++) {
    if (buf.length < at + 2) return MORE;
    at += 2 + buf.readUInt16LE(at);
  }
  return cut(buf, 0, at + FLEX_CRC_SIZE, options, '~E frame');
}
