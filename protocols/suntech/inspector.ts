import { crcVerdict } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { ALIVE, BINARY_HEADER, BinaryType, LEGACY_REPORTS, ST4_REPORTS, ST9_REPORTS, UNIVERSAL_REPORTS, ZipType } from './constants.js';
import { encodeUdpAck, encodeZipAck } from './encoder.js';
import { splitFrames } from './framer.js';
import { binaryIdent, dataChecksum, kindOf, parseText, type TextPacket, zipChecksum, zipComplete, zipIdent } from './packet.js';

/**
 * Identity and acknowledgement of one Suntech frame. There is no login: every report carries the
 * device id. Over TCP nothing is acked. Over UDP a unit set with UDP_ACK resends a report until the
 * server acks it (ADP notes): reports are answered `<hdr>ACK;<id>` (zip: `15 | id BCD`; universal:
 * `ACK;<id>`) unless the channel setting `udp_ack` is false; keep-alives and command answers are
 * not (the manual's table). Session vars: `prefix` (the legacy header, `ST300`) and `universal`,
 * which the command encoder follows.
 */
export function inspect(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  if (frame.length === 0) return refuse(CodecErrorCode.Malformed, 'empty frame');
  if (state.transport !== 'udp') return inspectReport(frame, state, options);
  const reports = splitFrames(frame, options).map((f) => inspectReport(f, state, options));
  if (reports.length <= 1) return reports[0] ?? refuse(CodecErrorCode.Malformed, 'datagram holds no report');
  const ident = reports.find((r) => r.ident)?.ident;
  const reply = reports.find((r) => r.reply)?.reply;
  const error = reports.find((r) => r.error)?.error;
  const vars = Object.assign({}, ...reports.map((r) => r.vars ?? {}));
  return { store: reports.some((r) => r.store), ...(ident ? { ident } : {}), ...(reply ? { reply } : {}), ...(error ? { error } : {}), vars };
}

function inspectReport(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  const kind = kindOf(frame);
  if (kind === 'zip') return inspectZip(frame, state, options);
  if (kind === 'binary') return inspectBinary(frame);
  const p = parseText(frame);
  if (p instanceof CodecError) return { store: false, error: p };
  if (p.family === 'error') {
    return state.ident ? { store: true } : refuse(CodecErrorCode.Unidentified, `"${p.type.slice(0, 20)}" before the device sent its id`);
  }
  const ident = p.ident ?? '';
  const vars: Record<string, string | boolean> =
    p.family === 'universal' ? { universal: true } : p.prefix && p.family !== 'st9' ? { universal: false, prefix: p.prefix } : {};
  if (p.response) return { ident, store: true, vars };
  if (ALIVE.includes(p.type)) return { ident, store: false, vars };
  if (!known(p)) return { ident, store: false, vars, error: new CodecError(CodecErrorCode.Unsupported, `${p.fields[0]} ${p.type} reports are not decoded`, 0) };
  const sum = dataChecksum(p);
  const crc = crcVerdict(sum?.ok ?? true, options, 'data checksum (8-bit sum)', sum?.offset);
  if (!crc.pass) return { ident, store: false, vars, error: crc.error };
  const reply = ackWanted(state, options) ? encodeUdpAck(ident, p.family === 'universal' ? undefined : p.prefix) : undefined;
  return { ident, store: true, vars, ...(reply ? { reply } : {}), ...(crc.error ? { error: crc.error } : {}) };
}

function known(p: TextPacket): boolean {
  if (p.family === 'legacy') return LEGACY_REPORTS.includes(p.type);
  if (p.family === 'st4') return ST4_REPORTS.includes(p.type);
  if (p.family === 'st9') return ST9_REPORTS.includes(p.type);
  if (p.family === 'universal') return UNIVERSAL_REPORTS.includes(p.type);
  return p.family === 'crash';
}

function inspectZip(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  if (!zipComplete(frame)) return refuse(CodecErrorCode.Malformed, 'zip frame length does not match PKT_LEN or it does not end with ETX');
  const ident = zipIdent(frame);
  if (!ident || !isValidIdent(ident)) return refuse(CodecErrorCode.Malformed, 'zip device id is not BCD digits', 4);
  const type = frame[3];
  if (type === ZipType.Alive) return { ident, store: false };
  if (type < ZipType.Status || type > ZipType.Uex || type === ZipType.Ack) {
    return { ident, store: false, error: new CodecError(CodecErrorCode.Unsupported, `zip report 0x${type.toString(16)} is not decoded`, 3) };
  }
  const sum = zipChecksum(frame);
  const crc = crcVerdict(sum?.ok ?? true, options, 'data checksum (8-bit sum)', sum?.offset);
  if (!crc.pass) return { ident, store: false, error: crc.error };
  const reply = ackWanted(state, options) ? encodeZipAck(ident) : undefined;
  return { ident, store: true, ...(reply ? { reply } : {}), ...(crc.error ? { error: crc.error } : {}) };
}

function inspectBinary(frame: Buffer): Inspection {
  if (frame.length < BINARY_HEADER + 8 || frame.readUInt16BE(1) + BINARY_HEADER !== frame.length) {
    return refuse(CodecErrorCode.Malformed, 'binary frame length does not match its length field');
  }
  const ident = binaryIdent(frame);
  if (!ident) return refuse(CodecErrorCode.Malformed, 'binary device id is not BCD digits', BINARY_HEADER);
  if (frame[0] !== BinaryType.Status && frame[0] !== BinaryType.Alert) {
    return { ident, store: false, error: new CodecError(CodecErrorCode.Unsupported, `binary report 0x${frame[0].toString(16)} is not decoded`, 0) };
  }
  return { ident, store: true, vars: { universal: true } };
}

function ackWanted(state: SessionState, options: CodecOptions): boolean {
  return state.transport === 'udp' && options.settings?.udp_ack !== false;
}

function refuse(code: CodecErrorCode, reason: string, offset?: number): Inspection {
  return { store: false, error: new CodecError(code, reason, offset) };
}
