import type { CommandReply, Decoded } from '../../common/types.js';
import type { Header } from '../packet.js';

/**
 * A reply to a server command (any type that is not a report: `C01,OK`, `D03,OK`, `D82,0`...): the
 * text from the command type to `*`, correlated by the flag the command carried (GPRS protocol §1.1).
 */
export function decodeReply(frame: Buffer, h: Header, out: Decoded): void {
  const response = frame.toString('latin1', h.typeAt, h.end);
  const executed = /,OK$/i.test(response) ? true : /,(error|fail(ed)?)$/i.test(response) ? false : undefined;
  const reply: CommandReply = { response, correlation: h.flag, ...(executed === undefined ? {} : { executed }) };
  out.commandReplies.push(reply);
  out.messages.push({ 'command.response': response });
}
