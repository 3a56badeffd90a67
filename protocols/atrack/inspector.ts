import { crcVerdict } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { FrameKind } from './constants.js';
import { encodeAck } from './encoder.js';
import { readPacket } from './packet.js';

/**
 * Identity and acknowledgement of one ATrack frame. There is no login: every report and
 * keep-alive carries the unit id. Answers (Protocol Document §3): a keep-alive is echoed as is;
 * every report (binary, ASCII, photo chunk) is acknowledged `FE 02` + unit id + sequence once
 * stored; a report whose CRC-16/ARC does not match is neither acked nor stored under the strict
 * policy, so the unit sends it again. A command answer before any identified frame is refused.
 */
export function inspect(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  const p = readPacket(frame);
  if (p instanceof CodecError) return { store: false, error: p };
  if (p.kind === FrameKind.KeepAlive) return { ident: p.ident, store: false, reply: Buffer.from(frame) };
  if (p.kind === FrameKind.Reply) {
    if (!p.ident && !state.ident)
      return { store: false, error: new CodecError(CodecErrorCode.Unidentified, 'command answer before any report named the unit') };
    return p.ident ? { ident: p.ident, store: true } : { store: true };
  }
  const crc = crcVerdict(p.crcOk, options, 'CRC-16/ARC', p.crcAt);
  if (!crc.pass) return { store: false, error: crc.error };
  const reply = p.unitId === undefined || p.seq === undefined ? undefined : encodeAck(p.unitId, p.seq);
  return { ident: p.ident, store: true, ...(reply ? { reply } : {}), ...(crc.error ? { error: crc.error } : {}) };
}
