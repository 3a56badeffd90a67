import type { CommandReply, Decoded } from '../../common/types.js';
import { commandKeyword } from '../packet.js';

const PRINTABLE = /^[\x20-\x7e\r\n\t]*$/;

/**
 * §2 the terminal's answers: `*@<COMMAND> ...` to a `*!` command (`*@SETOUT OK,1Y,2N`,
 * `*@DEV_RESET`), `*#<QUERY>...` to a `*?` query (`*#V:S-2651:01.00.72:13.05.20:RU`). Each is a
 * command reply — the text (trailing NULs dropped; binary answers also as hex), correlated by the
 * echoed keyword, executed when it says OK and not when it says ERR — and a message carrying
 * the text as `command.response`.
 */
export function decodeReply(data: Buffer, out: Decoded): void {
  let end = data.length;
  while (end > 2 && data[end - 1] === 0) end--;
  const printable = PRINTABLE.test(data.toString('latin1', 0, end));
  const body = printable ? data.subarray(0, end) : data; // a text answer may end with NULs; binary ones are kept whole
  const text = body.toString('latin1');
  const response = printable ? text.trim() : text.replace(/[^\x20-\x7e]/g, '.');
  const keyword = commandKeyword(text);
  const reply: CommandReply = {
    response,
    ...(printable ? {} : { hex: body.toString('hex') }),
    ...(/\bOK\b/.test(response) ? { executed: true } : /\bERR/i.test(response) ? { executed: false } : {}),
    ...(keyword ? { correlation: keyword } : {}),
  };
  out.commandReplies.push(reply);
  out.messages.push({ 'command.response': response });
}

/** Any other NTCB `*` message: kept whole (text, or hex when not printable), never dropped. */
export function decodeOther(data: Buffer, out: Decoded): void {
  const text = data.toString('latin1');
  out.messages.push(PRINTABLE.test(text) ? { 'navtelecom.ntcb.text': text } : { 'navtelecom.ntcb.data': data.toString('hex') });
}
