import { CodecError } from '../common/errors.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { FrameKind, HEARTBEAT_REPLY, Keyword, LOGIN_REPLY } from './constants.js';
import { encodeAlarmAck } from './encoder.js';
import { readPacket } from './packet.js';

/**
 * Identity and acks of one GPS103 frame. Every sentence carries the IMEI, so no login is needed
 * before data. Answers: §1 login → `LOAD`, §2 heartbeat → `ON`, a `help me` report →
 * `**,imei:<IMEI>,E;` (cancel the alarm, sent once the report is stored). Other reports need none.
 */
export function inspect(frame: Buffer, _state: SessionState, _options: CodecOptions): Inspection {
  const p = readPacket(frame);
  if (p instanceof CodecError) return { store: false, error: p };
  if (p.kind === FrameKind.Login) return { ident: p.ident, store: false, reply: LOGIN_REPLY };
  const ack = p.report?.keyword === Keyword.HelpMe ? encodeAlarmAck(p.ident) : undefined;
  if (p.kind === FrameKind.Heartbeat) {
    if (!p.report) return { ident: p.ident, store: false, reply: HEARTBEAT_REPLY };
    return { ident: p.ident, store: true, reply: ack ? Buffer.concat([HEARTBEAT_REPLY, ack]) : HEARTBEAT_REPLY };
  }
  return ack ? { ident: p.ident, store: true, reply: ack } : { ident: p.ident, store: true };
}
