import { crcVerdict } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { bcd } from '../common/reader.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { ackKind, LOGIN_TZ_WEST, Msg, NOT_STORED } from './constants.js';
import { encodeAck, encodeAddressResponse, encodeWifiAck } from './encoder.js';
import { isDecodable, type Packet, parsePacket } from './packet.js';

/** Identity and acknowledgement of one GT06 frame, without decoding its content. */
export function inspect(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  const p = parsePacket(frame);
  if (p instanceof CodecError) return { store: false, error: p };
  const crc = crcVerdict(p.crcOk !== false, options, 'CRC-ITU (CRC-16/X-25)', p.crcAt);
  if (!crc.pass) return { store: false, error: crc.error };
  if (!p.long && p.type === Msg.Login) return withError(inspectLogin(frame, p), crc.error);
  if (!state.ident) {
    return { store: false, error: new CodecError(CodecErrorCode.Unidentified, `packet 0x${p.type.toString(16)} before the login packet`) };
  }
  const reply = replyFor(frame, p);
  const store = !NOT_STORED.has(p.type) && p.bodyEnd > p.bodyStart && isDecodable(p);
  return withError({ store, ...(reply ? { reply } : {}) }, crc.error);
}

function withError(i: Inspection, error: CodecError | undefined): Inspection {
  return error ? { ...i, error } : i;
}

/** Login: IMEI as 8 BCD bytes (leading 0 nibble), type code u16, optional timezone extension u16. */
function inspectLogin(frame: Buffer, p: Packet): Inspection {
  if (p.bodyEnd - p.bodyStart < 8) return { store: false, error: new CodecError(CodecErrorCode.Truncated, 'login packet without an 8-byte IMEI', p.bodyStart) };
  const imei = bcd(frame, p.bodyStart, p.bodyStart + 8).replace(/^0/, '');
  if (!/^\d+$/.test(imei) || !isValidIdent(imei)) {
    return { store: false, close: true, error: new CodecError(CodecErrorCode.Malformed, `login IMEI ${imei} is not BCD digits`, p.bodyStart) };
  }
  const vars: Record<string, number> = {};
  if (p.bodyEnd - p.bodyStart >= 10) vars.typeCode = frame.readUInt16BE(p.bodyStart + 8);
  if (p.bodyEnd - p.bodyStart >= 12) vars.tz = loginTimezone(frame.readUInt16BE(p.bodyStart + 10));
  const reply = p.serial === undefined ? undefined : encodeAck(Msg.Login, p.serial);
  return { store: false, ident: imei, vars, ...(reply ? { reply } : {}) };
}

/** Timezone extension bits: (hours*100 + minutes) << 4, bit 3 = west. Returns minutes east of UTC. */
export function loginTimezone(bits: number): number {
  const hm = bits >> 4;
  const minutes = Math.floor(hm / 100) * 60 + (hm % 100);
  return bits & LOGIN_TZ_WEST ? -minutes : minutes;
}

function replyFor(frame: Buffer, p: Packet): Buffer | undefined {
  switch (ackKind(p.long, p.type, p.lengthless)) {
    case 'short':
      return p.serial === undefined ? undefined : encodeAck(p.type, p.serial);
    case 'long':
      return p.serial === undefined ? undefined : encodeAck(p.type, p.serial, true);
    case 'wifi':
      return p.bodyEnd - p.bodyStart >= 6 ? encodeWifiAck(p.type, frame.subarray(p.bodyStart, p.bodyStart + 6)) : undefined;
    case 'address':
      return encodeAddressResponse();
    default:
      return undefined;
  }
}
