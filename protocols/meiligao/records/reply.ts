import type { CommandReply, Decoded } from '../../common/types.js';
import { BINARY_ANSWERS, INTERVAL_RESULT } from '../constants.js';
import { codeText, type Packet } from '../packet.js';
import { printable } from './sentence.js';

/**
 * A tracker's answer to a server command (GPRS protocol V2.1 §III): the command code (0x4102 is
 * answered with 0x5100) and its data. Set commands answer one flag byte, 0x01 done and 0x00
 * failed (0x5100: the flag first); read commands answer their value (0x9001 `SN,IMEI` text, 0x9002
 * the interval u16). The response reads `<code>` or `<code>,<data>` (text as sent, else hex); the
 * code is the correlation.
 */
export function decodeReply(frame: Buffer, p: Packet, out: Decoded): void {
  const data = frame.subarray(p.data, p.dataEnd);
  const code = codeText(p.command);
  const text = data.toString('latin1');
  const isText = data.length > 1 && !BINARY_ANSWERS.includes(p.command) && printable(text) === text;
  const response = data.length === 0 ? code : `${code},${isText ? text : data.toString('hex')}`;
  const flagged = data.length === 1 || (p.command === INTERVAL_RESULT && data.length > 0);
  const executed = flagged && data[0] <= 1 ? data[0] === 1 : undefined;
  const reply: CommandReply = {
    response,
    correlation: code,
    ...(executed === undefined ? {} : { executed }),
    ...(isText || data.length === 0 ? {} : { hex: data.toString('hex') }),
  };
  out.commandReplies.push(reply);
  out.messages.push({ 'command.response': response });
}
