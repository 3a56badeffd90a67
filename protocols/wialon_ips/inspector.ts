import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import {
  Answer,
  D_FIELDS,
  DataCode,
  LoginCode,
  MessageCode,
  PacketType,
  PIPE,
  SD_FIELDS,
  SEMICOLON,
  SHORT_DATA_CHECKSUM,
  VERSION_1,
  VERSION_VAR,
} from './constants.js';
import { encodeAnswer } from './encoder.js';
import { blackBoxRecords, isRecordError, isV2, isV2Version, type Packet, parsePacket, parseRecord, payload, payloadCrc } from './packet.js';

/**
 * Identity and answer for one Wialon IPS line. Data packets are checked field group by field group
 * (cheap string checks, no message building) so that a bad packet gets the spec's answer code and
 * is not stored; a good one is stored and answered `1` once durable.
 */
export function inspect(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  const p = parsePacket(frame);
  if (p instanceof CodecError) return { store: false, error: p };
  if (p.type === PacketType.Login) return inspectLogin(p, options);
  if (p.prefixIdent !== undefined && !isValidIdent(p.prefixIdent)) {
    return { store: false, error: new CodecError(CodecErrorCode.Malformed, 'identity in front of the packet is empty or has invalid characters', 0) };
  }
  if (p.type === PacketType.Ping) return { store: false, ident: p.prefixIdent, reply: encodeAnswer(Answer.Ping) };
  if (p.prefixIdent === undefined && !state.ident) {
    return { store: false, close: state.transport === 'tcp', error: new CodecError(CodecErrorCode.Unidentified, `#${p.type}# packet before the login`) };
  }
  const v2 = isV2(p, state.vars);
  const result = inspectPacket(p, v2, options);
  return p.prefixIdent === undefined ? result : { ...result, ident: p.prefixIdent };
}

function inspectPacket(p: Packet, v2: boolean, options: CodecOptions): Inspection {
  switch (p.type) {
    case PacketType.ShortData:
      return inspectData(p, v2, options, Answer.ShortData, SD_FIELDS, SHORT_DATA_CHECKSUM);
    case PacketType.Data:
      return inspectData(p, v2, options, Answer.Data, D_FIELDS, DataCode.Checksum);
    case PacketType.BlackBox:
      return inspectBlackBox(p, v2, options);
    case PacketType.Message: {
      const crc = payloadCrc(payload(p, v2, SEMICOLON), options);
      if (!crc.pass) return { store: false, error: crc.error, reply: encodeAnswer(Answer.Message, MessageCode.Checksum) };
      return { store: true, reply: encodeAnswer(Answer.Message, MessageCode.Ok), error: crc.error };
    }
    default:
      return { store: false, error: new CodecError(CodecErrorCode.Unsupported, `#${p.type}# packets are not supported`, 1) };
  }
}

/** `#L#imei;password` or `#L#2.0;imei;password;crc16`. Passwords are not checked. */
function inspectLogin(p: Packet, options: CodecOptions): Inspection {
  const fields = p.frame.toString('utf8', p.bodyStart, p.bodyEnd).split(';');
  const v2 = fields.length >= 3 && fields[0].includes('.');
  const version = v2 ? fields[0] : VERSION_1;
  const crc = v2 && isV2Version(version) ? payloadCrc(payload(p, true, SEMICOLON), options) : undefined;
  if (crc && !crc.pass) return { store: false, error: crc.error, reply: encodeAnswer(Answer.Login, LoginCode.Checksum) };
  const ident = v2 ? fields[1] : fields[0];
  if (!isValidIdent(ident)) {
    return {
      store: false,
      close: true,
      reply: encodeAnswer(Answer.Login, LoginCode.Rejected),
      error: new CodecError(CodecErrorCode.Malformed, 'login identity is empty or has invalid characters', p.bodyStart),
    };
  }
  return { store: false, ident, vars: { [VERSION_VAR]: version }, reply: encodeAnswer(Answer.Login, LoginCode.Ok), error: crc?.error };
}

function inspectData(
  p: Packet,
  v2: boolean,
  options: CodecOptions,
  answer: typeof Answer.Data | typeof Answer.ShortData,
  fields: number,
  checksumCode: string,
): Inspection {
  const body = payload(p, v2, SEMICOLON);
  const crc = payloadCrc(body, options);
  if (!crc.pass) return { store: false, error: crc.error, reply: encodeAnswer(answer, checksumCode) };
  const record = parseRecord(body.text, fields);
  if (isRecordError(record)) {
    return {
      store: false,
      reply: encodeAnswer(answer, record.code),
      error: new CodecError(CodecErrorCode.Malformed, `#${p.type}# ${record.reason} (answer ${record.code})`, p.bodyStart),
    };
  }
  return { store: true, reply: encodeAnswer(answer, DataCode.Ok), error: crc.error };
}

/**
 * `#B#` answers the number of records accepted; a 2.0 checksum error gets `#AB#` with no number
 * (the spec's example; its text does not name the case). Bad records are not counted.
 */
function inspectBlackBox(p: Packet, v2: boolean, options: CodecOptions): Inspection {
  const body = payload(p, v2, PIPE);
  const crc = payloadCrc(body, options);
  if (!crc.pass) return { store: false, error: crc.error, reply: encodeAnswer(Answer.BlackBox) };
  const records = blackBoxRecords(body.text);
  const accepted = records.filter((r) => !isRecordError(parseRecord(r, 'any'))).length;
  const reply = encodeAnswer(Answer.BlackBox, String(accepted));
  const bad = records.length - accepted;
  const error =
    crc.error ?? (bad > 0 ? new CodecError(CodecErrorCode.Malformed, `${bad} of ${records.length} black-box record(s) are malformed`, p.bodyStart) : undefined);
  return { store: accepted > 0, reply, error };
}
