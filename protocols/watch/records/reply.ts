import type { CommandReply, DecodeContext, Decoded, Message } from '../../common/types.js';
import { STATUS_REPLIES } from '../constants.js';
import type { Packet } from '../packet.js';
import { P, REPLY_VALUES } from '../params.js';

/**
 * The watch answers a server command with the command's word (SeTracker Part II: `[3G*...*UPLOAD]`
 * for UPLOAD, `CR` for CR, `VERNO,<version>` for VERNO, `TK,1|0` for a voice message): a command
 * reply correlated by the word, upper-cased (what `correlate` gives for the command), and a message
 * with the answer's text. `<WORD>,0` for the words that answer with a status is a failure.
 */
export function decodeReply(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const response = p.content.toString('utf8').trim();
  const word = p.type.trim().toUpperCase();
  const value = response.slice(p.type.length + 1);
  const m: Message = { [P.type]: p.type, [P.response]: response };
  if (ctx.receivedAt !== undefined) m.timestamp = ctx.receivedAt;
  const named = REPLY_VALUES[word];
  if (named && value.trim() !== '') m[named] = value.trim();
  out.messages.push(m);
  const reply: CommandReply = {
    response,
    correlation: word,
    executed: !(STATUS_REPLIES.has(word) && value.trim() === '0'),
    ...(ctx.receivedAt === undefined ? {} : { timestamp: ctx.receivedAt }),
  };
  out.commandReplies.push(reply);
}
