import { crcVerdict } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { Cc, Mpip, Sc } from './constants.js';
import { encodeAlarmResponse, encodeFrame, encodeLoginResponse, encodeMpipAck } from './encoder.js';
import { hasNoData, isDecodable, type Packet, parsePacket, typeHex } from './packet.js';

/** Version byte Traccar writes into its answer to an MPIP (`$$`) 0x4001, which has none (-1 as a byte). */
const MPIP_VERSION = 0xff;
/** Offset of the UTC time in the login's §1.1.2.7 STAT_DATA (after the ACC-on time). */
const LOGIN_UTC_AT = 4;

/**
 * Identity and acks of one Castel frame, without decoding records. Every frame carries the device
 * id, so no login is needed before data. Acks: SC login 0x1001 → 0x9001 (the time in it is the
 * login's own UTC time: the codec reads no clock), heartbeat 0x1003 → 0x9003, alarm 0x4007 →
 * 0xC007 with its index; CC login 0x4001 → 0x8001, heartbeat 0x4206 → 0x8206; MPIP 0x4001 → 0x4001
 * and 0x2001 → 0x1001. Other messages get no answer. The session keeps the version for commands.
 */
export function inspect(frame: Buffer, _state: SessionState, options: CodecOptions): Inspection {
  const p = parsePacket(frame);
  if (p instanceof CodecError) return { store: false, error: p };
  const crc = crcVerdict(p.crcOk, options, 'CRC-16/X-25', p.crcAt);
  if (!crc.pass) return { store: false, error: crc.error };
  const vars = p.version === undefined ? undefined : { version: p.version };
  const reply = replyFor(frame, p);
  if (reply instanceof CodecError) return { ident: p.ident, store: false, error: reply };
  const store = isDecodable(p);
  const error = crc.error ?? (store || hasNoData(p) ? undefined : unsupported(p));
  return { ident: p.ident, store, ...(reply ? { reply } : {}), ...(vars ? { vars } : {}), ...(error ? { error } : {}) };
}

function replyFor(frame: Buffer, p: Packet): Buffer | CodecError | undefined {
  const version = p.version ?? MPIP_VERSION;
  const body = p.bodyEnd - p.bodyStart;
  switch (p.family) {
    case 'sc':
      if (p.type === Sc.Heartbeat) return encodeFrame(version, p.id, Sc.HeartbeatResponse);
      if (p.type === Sc.Login) {
        if (body < LOGIN_UTC_AT + 4) return truncated('login without its stat data', p);
        return encodeLoginResponse(version, p.id, frame.readUInt32LE(p.bodyStart + LOGIN_UTC_AT));
      }
      if (p.type === Sc.Alarm) {
        if (body < 4) return truncated('alarm without its index', p);
        return encodeAlarmResponse(version, p.id, frame.readUInt32LE(p.bodyStart));
      }
      return undefined;
    case 'cc':
      if (p.type === Cc.Login) return encodeFrame(version, p.id, Cc.LoginResponse);
      if (p.type === Cc.Heartbeat) return encodeFrame(version, p.id, Cc.HeartbeatResponse);
      return undefined;
    case 'mpip':
      if (p.type === Mpip.Position) return encodeFrame(MPIP_VERSION, p.id, Mpip.Position);
      if (p.type === Mpip.Report) return encodeMpipAck(p.id);
      return undefined;
  }
}

function truncated(reason: string, p: Packet): CodecError {
  return new CodecError(CodecErrorCode.Truncated, reason, p.bodyStart);
}

function unsupported(p: Packet): CodecError {
  return new CodecError(CodecErrorCode.Unsupported, `${p.family.toUpperCase()} message ${typeHex(p.type)} is not decoded`, p.bodyStart - 2);
}
