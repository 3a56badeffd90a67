import { crcVerdict } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { BYTE_REPLIES, CRC_SIZE, FILE_PART, HEADER_SIZE, MessageType, TEXT_REPLIES } from './constants.js';
import { encodeAck, encodeFilePartRequest } from './encoder.js';
import { CRC_NAME, crcMatches, frameType, readIdent, tooShort } from './packet.js';

/** Device messages that are stored and acked with `100 + type` (records: 100) and `01`. */
const ACKED: ReadonlySet<number> = new Set([
  MessageType.Records,
  MessageType.ExtendedRecords,
  MessageType.Dtcs,
  MessageType.Identification,
  MessageType.DriverDlt,
]);

/** Identity and acknowledgement of one Ruptela frame: every frame carries the IMEI. */
export function inspect(frame: Buffer, _state: SessionState, options: CodecOptions): Inspection {
  const short = tooShort(frame);
  if (short) return { store: false, error: short };
  const ident = readIdent(frame);
  if (ident === undefined || !isValidIdent(ident)) return { store: false, error: new CodecError(CodecErrorCode.Malformed, 'IMEI is zero', 2) };
  const type = frameType(frame);
  const crc = crcVerdict(crcMatches(frame), options, CRC_NAME, frame.length - CRC_SIZE);
  if (!crc.pass) return { store: false, error: crc.error };
  const withError = crc.error ? { error: crc.error } : {};
  if (ACKED.has(type)) return { ident, store: true, reply: encodeAck(type), ...withError };
  if (type === MessageType.Heartbeat) return { ident, store: false, reply: encodeAck(type), ...withError };
  if (type === MessageType.Files) return { ident, store: true, reply: nextFilePart(frame), ...withError };
  if (TEXT_REPLIES.has(type) || BYTE_REPLIES.has(type)) return { ident, store: true, ...withError };
  return { ident, store: false, error: new CodecError(CodecErrorCode.Unsupported, `command ${type} is not supported`, HEADER_SIZE - 1) };
}

/** A file part (`02 | source | name 8 | parts u16 | part u16 | data`) that is not the last asks for the next. */
function nextFilePart(frame: Buffer): Buffer | undefined {
  const at = HEADER_SIZE;
  if (frame[at] !== FILE_PART || frame.length < at + 14 + CRC_SIZE) return undefined;
  const parts = frame.readUInt16BE(at + 10);
  const part = frame.readUInt16BE(at + 12);
  return part + 1 < parts ? encodeFilePartRequest(frame[at + 1], frame.subarray(at + 2, at + 10), part + 1) : undefined;
}
