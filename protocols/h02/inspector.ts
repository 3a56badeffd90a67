import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { BinaryLength, Marker, SettingKey, TextType, VAR_BINARY_LENGTH } from './constants.js';
import { encodeHeartbeatEcho, encodeR12Ack, encodeV4Ack } from './encoder.js';
import { ackTime, binaryId, fixLayout, splitText, type TextFrame } from './packet.js';

/**
 * Identity and acks of one H02 frame. Every frame carries the device id. Replies (as Traccar):
 * V1 → `*HQ,<id>,V4,V1,<time>#`, NBR → `*HQ,<id>,V4,NBR,<time>#`, HTBT/V0 → echoed, other `V*`
 * reports → `*HQ,<id>,R12,hhmmss#` only with the `ack` setting; binary frames get none. The time
 * in a reply is the frame's own time (no clock); a frame without one gets no reply.
 */
export function inspect(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  if (frame[0] === Marker.Binary) return inspectBinary(frame);
  if (frame[0] === Marker.Text) return inspectText(frame, state, options);
  if (frame[0] === Marker.Alternative) {
    return { store: false, error: new CodecError(CodecErrorCode.Unsupported, 'alternative X frame (no ident) is not decoded', 0) };
  }
  return { store: false, error: new CodecError(CodecErrorCode.Malformed, 'not an H02 frame (*, $ or X)', 0) };
}

function inspectBinary(frame: Buffer): Inspection {
  if (frame.length < BinaryLength.Core)
    return { store: false, error: new CodecError(CodecErrorCode.Truncated, `binary frame of ${frame.length} bytes is shorter than ${BinaryLength.Core}`) };
  const ident = binaryId(frame);
  if (!ident) return { store: false, error: new CodecError(CodecErrorCode.Malformed, 'binary device id is not BCD digits', 1) };
  return { ident, store: true, vars: { [VAR_BINARY_LENGTH]: frame.length } };
}

function inspectText(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  const f = splitText(frame);
  if (!f) return { store: false, error: new CodecError(CodecErrorCode.Malformed, 'text frame is not *<maker>,<id>,<type>,...#', 0) };
  const ident = f.id === '' ? state.ident : f.id;
  if (ident === undefined)
    return { store: false, error: new CodecError(CodecErrorCode.Unidentified, 'text frame without a device id before any frame identified the device') };
  if (!/^\d+$/.test(ident) || !isValidIdent(ident)) return { store: false, error: new CodecError(CodecErrorCode.Malformed, 'device id is not digits', 4) };
  if (f.type === '') return { ident, store: false };
  const ack = options.settings?.[SettingKey.Ack];
  const reply = replyFor(f, ident, ack === true || ack === 'true');
  const store = !(f.type === TextType.Heartbeat || f.type === TextType.HeartbeatV0) || (f.args[0] ?? '').trim() !== '';
  return reply ? { ident, store, reply } : { ident, store };
}

function replyFor(f: TextFrame, id: string, ackAll: boolean): Buffer | undefined {
  switch (f.type) {
    case TextType.Heartbeat:
    case TextType.HeartbeatV0:
      return encodeHeartbeatEcho(f.maker, id, f.type);
    case TextType.Cells: {
      const time = ackTime(f.args[5 + Number(f.args[4]) * 3], f.args[0]);
      return time ? encodeV4Ack(id, f.type, time) : undefined;
    }
    case TextType.Vp1:
    case TextType.CellsV3:
      return undefined;
  }
  if (!f.type.startsWith('V') || (f.type !== TextType.Position && !ackAll)) return undefined;
  const layout = fixLayout(f.type, f.args);
  const time = layout && layout.valid > 0 ? f.args[layout.valid - 1] : undefined;
  if (f.type === TextType.Position) {
    const full = layout ? ackTime(f.args[layout.date], time) : undefined;
    return full ? encodeV4Ack(id, f.type, full) : undefined;
  }
  return time && /^\d{6}$/.test(time) ? encodeR12Ack(id, time) : undefined;
}
