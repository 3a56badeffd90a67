import { crcVerdict } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { DeviceCommand, KEEP_ALIVE, SERVER_SETTING } from './constants.js';
import { encodeHeartbeatAck, encodeLoginAck, encodePhotoEndAck, encodePhotoStartAck, encodeServerAddress } from './encoder.js';
import { CHECKSUM_NAME, type Packet, parsePacket } from './packet.js';

/**
 * Identity and acknowledgement of one Meiligao packet (GPRS protocol V2.1 §I, §III). Every packet
 * carries the tracker's ID, so data needs no login first. Answers: login 0x5000 → 0x4000 `01`,
 * heartbeat 0x0001 → 0x0001 `01`, server address 0x0002 → `host:port` (when the channel's
 * `server` setting gives one), picture start 0x0800 → 0x8801 + index, picture end 0x0F80 → 0x6688
 * (index, 0, 0); none of these is stored. Positions, alarms, OBD, picture packets and command
 * answers are stored without an answer. A lone 0x00 is the GPRS keep-alive.
 */
export function inspect(frame: Buffer, _state: SessionState, options: CodecOptions): Inspection {
  if (frame.length === 1 && frame[0] === KEEP_ALIVE) return { store: false };
  const p = parsePacket(frame);
  if (p instanceof CodecError) return { store: false, error: p };
  const crc = crcVerdict(p.checksumOk, options, CHECKSUM_NAME, p.dataEnd);
  if (!crc.pass) return { store: false, error: crc.error };
  const base = crc.error ? { ident: p.ident, error: crc.error } : { ident: p.ident };
  switch (p.command) {
    case DeviceCommand.Login:
      return { ...base, store: false, reply: encodeLoginAck(p.id) };
    case DeviceCommand.Heartbeat:
      return { ...base, store: false, reply: encodeHeartbeatAck(p.id) };
    case DeviceCommand.ServerAddress: {
      const server = options.settings?.[SERVER_SETTING];
      return typeof server === 'string' && server !== '' ? { ...base, store: false, reply: encodeServerAddress(p.id, server) } : { ...base, store: false };
    }
    case DeviceCommand.PhotoStart:
    case DeviceCommand.PhotoEnd:
      return photoAck(frame, p, base);
    default:
      return { ...base, store: true };
  }
}

/** The picture index is the first data byte. */
function photoAck(frame: Buffer, p: Packet, base: { ident: string; error?: CodecError }): Inspection {
  if (p.dataEnd <= p.data) return { ...base, store: false, error: new CodecError(CodecErrorCode.Truncated, 'picture packet without its index', p.data) };
  const index = frame[p.data];
  return { ...base, store: false, reply: p.command === DeviceCommand.PhotoStart ? encodePhotoStartAck(p.id, index) : encodePhotoEndAck(p.id, index) };
}
