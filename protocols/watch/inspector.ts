import { CodecError } from '../common/errors.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { Family, REPLIES, Var } from './constants.js';
import { encodeReply } from './encoder.js';
import { readPacket } from './packet.js';

/**
 * Identity and answers of one watch frame. Every frame carries the device id and there is no
 * login: the LK keep-alive opens the session (SeTracker Part I §1: "the server must reply all LK").
 * Answers (REPLIES in constants.ts) echo the frame's maker, id and index; UD, UD2 and the
 * watch's answers to commands get none. The maker and whether frames carry an index are kept for
 * the command encoder. A bare LK and the TKQ/TKQ2 requests are not stored.
 */
export function inspect(frame: Buffer, _state: SessionState, _options: CodecOptions): Inspection {
  const p = readPacket(frame);
  if (p instanceof CodecError) return { store: false, error: p };
  const vars = { [Var.Maker]: p.maker, [Var.Indexed]: p.index !== undefined };
  const answer = p.family === Family.Reply ? undefined : REPLIES[p.key];
  const bare = p.family === Family.KeepAlive && p.content.length === p.type.length;
  const store = !bare && p.family !== Family.Request && p.type.trim() !== '';
  return answer === undefined ? { ident: p.id, store, vars } : { ident: p.id, store, reply: encodeReply(p, answer), vars };
}
