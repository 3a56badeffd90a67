import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { COMPACT_IDENTIFIER, TextHead } from './constants.js';
import { encodeHeartbeatAck, encodeSack } from './encoder.js';
import { binaryIdent, isBinary, parseSentence } from './packet.js';

/**
 * Identity and acknowledgement of one frame. Every text message carries the IMEI. `+ACK:GTHBD`
 * heartbeats are always answered with `+SACK:GTHBD,<version>,<count>$` and not stored; other
 * messages are stored and get `+SACK:<count>$` only when the channel setting `ack` is true.
 * Session vars: `version` (protocol version) and `model` (from its family).
 */
export function inspect(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  if (frame.length === 0) return { store: false, error: new CodecError(CodecErrorCode.Malformed, 'empty frame') };
  if (isBinary(frame)) return inspectBinary(frame, state);
  const s = parseSentence(frame);
  if (s instanceof CodecError) return { store: false, error: s };
  const vars = { version: s.version.toUpperCase(), ...(s.family.model ? { model: s.family.model } : {}) };
  if (s.head === TextHead.Ack && s.code === 'HBD') return { ident: s.imei, store: false, vars, reply: encodeHeartbeatAck(s.version, s.count) };
  const reply = options.settings?.ack === true ? encodeSack(s.count) : undefined;
  return { ident: s.imei, store: true, vars, ...(reply ? { reply } : {}) };
}

/** Offsets of the identity field (and of the mask that says whether it holds a name) per binary head. */
const ID_LAYOUT: Readonly<Record<string, { mask: 1 | 2 | 4; maskAt: number; idAt: number }>> = {
  '+RSP': { mask: 4, maskAt: 5, idAt: 16 },
  '+BSP': { mask: 4, maskAt: 5, idAt: 16 },
  '+EVT': { mask: 4, maskAt: 5, idAt: 16 },
  '+BVT': { mask: 4, maskAt: 5, idAt: 16 },
  '+INF': { mask: 2, maskAt: 5, idAt: 9 },
  '+BNF': { mask: 2, maskAt: 5, idAt: 9 },
  '+ACK': { mask: 1, maskAt: 5, idAt: 12 },
};

function inspectBinary(frame: Buffer, state: SessionState): Inspection {
  const ident = frame[1] === COMPACT_IDENTIFIER ? compactIdent(frame) : headIdent(frame);
  const head = frame.toString('latin1', 0, 4);
  if (head === '+HBD') return { store: false };
  if (frame[1] !== COMPACT_IDENTIFIER && !ID_LAYOUT[head]) {
    return { store: false, error: new CodecError(CodecErrorCode.Unsupported, `binary ${head} frames are not decoded`, 0) };
  }
  if (ident !== undefined && !isValidIdent(ident)) return { store: false, error: new CodecError(CodecErrorCode.Malformed, 'binary IMEI is not printable') };
  if (ident === undefined && !state.ident) {
    return { store: false, error: new CodecError(CodecErrorCode.Unidentified, 'binary frame names the device, not its IMEI, and no IMEI was seen yet') };
  }
  return { store: true, ...(ident ? { ident } : {}) };
}

function headIdent(frame: Buffer): string | undefined {
  const layout = ID_LAYOUT[frame.toString('latin1', 0, 4)];
  if (!layout || frame.length < layout.idAt + 8) return undefined;
  const mask = frame.readUIntBE(layout.maskAt, layout.mask);
  return binaryIdent(frame.subarray(layout.idAt, layout.idAt + 8), mask);
}

/** Compact frames: flags (bit 7: a u16 frame number follows), then the IMEI as 16 hex digits with a leading 0. */
function compactIdent(frame: Buffer): string | undefined {
  const at = frame[4] & 0x80 ? 7 : 5;
  if (frame.length < at + 8) return undefined;
  const digits = frame.toString('hex', at, at + 8).slice(1);
  return /^\d+$/.test(digits) ? digits : undefined;
}
