import { crcVerdict, markCrcInvalid } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import { Reader } from '../common/reader.js';
import type { CommandReply, DecodeContext, Decoded } from '../common/types.js';
import { BYTE_REPLIES, CRC_SIZE, HEADER_SIZE, MessageType, TEXT_REPLIES } from './constants.js';
import { CRC_NAME, crcMatches, frameType, tooShort } from './packet.js';
import { decodeDriverDlt } from './records/driver.js';
import { decodeDtcs } from './records/dtc.js';
import { decodeFile } from './records/file.js';
import { decodeIdentification } from './records/identification.js';
import { decodeRecords } from './records/location.js';
import { decodeReply } from './records/reply.js';

/**
 * Decodes one Ruptela frame: `len u16 | IMEI u64 | command u8 | payload | CRC u16`. The payload is
 * read up to the CRC (the last two bytes), whatever the length field says.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  const short = tooShort(frame);
  if (short) {
    out.errors.push(short);
    return out;
  }
  const crc = crcVerdict(crcMatches(frame), ctx.options, CRC_NAME, frame.length - CRC_SIZE);
  if (!crc.pass) {
    if (crc.error) out.errors.push(crc.error);
    return out;
  }
  const r = new Reader(frame, HEADER_SIZE, frame.length - CRC_SIZE);
  try {
    decodePayload(frameType(frame), r, out);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  if (crc.error) markCrcInvalid(out.messages);
  return out;
}

function decodePayload(type: number, r: Reader, out: Decoded): void {
  if (TEXT_REPLIES.has(type) || BYTE_REPLIES.has(type)) {
    addReply(out, decodeReply(type, r), type);
    return;
  }
  switch (type) {
    case MessageType.Records:
    case MessageType.ExtendedRecords:
      decodeRecords(r, type === MessageType.ExtendedRecords, out.messages);
      return;
    case MessageType.Dtcs:
      decodeDtcs(r, out.messages);
      return;
    case MessageType.Identification:
      out.messages.push(decodeIdentification(r));
      return;
    case MessageType.Heartbeat:
      return; // keep-alive, nothing to report
    case MessageType.DriverDlt:
      out.messages.push(decodeDriverDlt(r));
      return;
    case MessageType.Files:
      out.messages.push(decodeFile(r));
      return;
    default:
      throw new CodecError(CodecErrorCode.Unsupported, `command ${type} is not supported`, HEADER_SIZE - 1);
  }
}

/** The reply goes to `commandReplies` and, with the command id it answers, to a message. */
function addReply(out: Decoded, reply: CommandReply, type: number): void {
  out.commandReplies.push(reply);
  out.messages.push({ 'command.response': reply.response, 'ruptela.command': type });
}
