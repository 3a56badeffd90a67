import type { Decoded } from '../../common/types.js';
import { NtcbMessage } from '../constants.js';

const PRINTABLE = /^[\x20-\x7e\r\n\t]*$/;

/**
 * §2 `*@...`: the terminal's answer to a `*!` command — a command reply (its text after `*@`;
 * binary answers also as hex) and a message carrying it as `command.response`. Commands carry no
 * correlation id: replies match the oldest command sent.
 */
export function decodeReply(data: Buffer, out: Decoded): void {
  const body = data.subarray(NtcbMessage.Reply.length);
  const text = body.toString('latin1');
  const printable = PRINTABLE.test(text);
  const response = printable ? text.trim() : text.replace(/[^\x20-\x7e]/g, '.');
  out.commandReplies.push({ response, ...(printable ? {} : { hex: body.toString('hex') }) });
  out.messages.push({ 'command.response': response });
}

/** Any other NTCB `*` message: kept whole (text, or hex when not printable), never dropped. */
export function decodeOther(data: Buffer, out: Decoded): void {
  const text = data.toString('latin1');
  out.messages.push(PRINTABLE.test(text) ? { 'navtelecom.ntcb.text': text } : { 'navtelecom.ntcb.data': data.toString('hex') });
}
