import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { BYTE_REPLIES, CRC_SIZE, FILE_PART, HEADER_SIZE, MessageType, TEXT_REPLIES } from './constants.js';
import { checkCrc, readIdent } from './decoder.js';
import { encodeAck, encodeFilePartRequest } from './encoder.js';

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
  if (frame.length < HEADER_SIZE + CRC_SIZE) {
    return { store: false, error: new CodecError(CodecErrorCode.Truncated, `frame of ${frame.length} bytes is shorter than a header and CRC`, 0) };
  }
  const ident = readIdent(frame);
  if (ident === undefined || !isValidIdent(ident)) return { store: false, error: new CodecError(CodecErrorCode.Malformed, 'IMEI is zero', 2) };
  const type = frame[HEADER_SIZE - 1];
  let error: CodecError | undefined;
  if (!checkCrc(frame)) {
    error = new CodecError(CodecErrorCode.Checksum, 'length field or CRC-16/KERMIT does not match the frame', frame.length - CRC_SIZE);
    if (options.crc !== 'lenient') return { store: false, error };
  }
  const withError = error ? { error } : {};
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
