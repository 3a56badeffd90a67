import { crcVerdict, markCrcInvalid } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import type { DecodeContext, Decoded } from '../common/types.js';
import { DeviceCommand, isAnswerCode, KEEP_ALIVE, Layout } from './constants.js';
import { CHECKSUM_NAME, codeText, type Packet, parsePacket } from './packet.js';
import { decodeAlarm, decodeLogged, decodePosition, decodePositionImage, decodeRetransmission, decodeRfid } from './records/location.js';
import { decodeObdAccumulated, decodeObdDtc, decodeObdRealtime } from './records/obd.js';
import { decodePhotoData } from './records/photo.js';
import { decodeReply } from './records/reply.js';

type RecordDecoder = (frame: Buffer, p: Packet, ctx: DecodeContext, out: Decoded) => void;
const NOTHING: RecordDecoder = () => undefined;
const REPLY: RecordDecoder = (f, p, _c, out) => decodeReply(f, p, out);
const UNKNOWN: RecordDecoder = (_f, p, _c, out) => {
  out.errors.push(
    new CodecError(CodecErrorCode.Unsupported, `command 0x${codeText(p.command)} is neither a report nor an answer to a server command`, Layout.Command),
  );
};

/** Tracker command codes (GPRS protocol V2.1 §II) → their record decoders; answer codes (constants.ts) are command replies. */
const DECODERS: ReadonlyMap<number, RecordDecoder> = new Map<number, RecordDecoder>([
  [DeviceCommand.Position, (f, p, _c, out) => decodePosition(f, p, out)],
  [DeviceCommand.Alarm, (f, p, _c, out) => decodeAlarm(f, p, out)],
  [DeviceCommand.Logged, (f, p, _c, out) => decodeLogged(f, p, out)],
  [DeviceCommand.PositionImage, (f, p, _c, out) => decodePositionImage(f, p, out)],
  [DeviceCommand.Retransmission, (f, p, _c, out) => decodeRetransmission(f, p, out)],
  [DeviceCommand.Rfid, (f, p, _c, out) => decodeRfid(f, p, out)],
  [DeviceCommand.ObdRealtime, decodeObdRealtime],
  [DeviceCommand.ObdAccumulated, decodeObdAccumulated],
  [DeviceCommand.ObdDtc, decodeObdDtc],
  [DeviceCommand.PhotoData, decodePhotoData],
  // handshakes: answered by the inspector, no data
  [DeviceCommand.Login, NOTHING],
  [DeviceCommand.Heartbeat, NOTHING],
  [DeviceCommand.ServerAddress, NOTHING],
  [DeviceCommand.PhotoStart, NOTHING],
  [DeviceCommand.PhotoEnd, NOTHING],
]);

/**
 * Decodes one Meiligao packet: positions, alarms, logged and retransmitted positions, RFID, OBD
 * and picture packets into messages; 0x41xx-0x5Fxx and 0x9001-0x9003 as answers to server commands;
 * any other code is `unsupported`.
 * Applies the channel's CRC policy to the CRC-CCITT. Never throws.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  if (frame.length === 1 && frame[0] === KEEP_ALIVE) return out;
  const p = parsePacket(frame);
  if (p instanceof CodecError) {
    out.errors.push(p);
    return out;
  }
  const crc = crcVerdict(p.checksumOk, ctx.options, CHECKSUM_NAME, p.dataEnd);
  if (!crc.pass) {
    if (crc.error) out.errors.push(crc.error);
    return out;
  }
  try {
    (DECODERS.get(p.command) ?? (isAnswerCode(p.command) ? REPLY : UNKNOWN))(frame, p, ctx, out);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  if (crc.error) markCrcInvalid(out.messages);
  return out;
}
