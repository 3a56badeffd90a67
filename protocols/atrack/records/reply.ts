import type { CommandReply, DecodeContext, Decoded, Message } from '../../common/types.js';
import { Reply } from '../constants.js';
import { ERROR_CODE, INFO_FIELDS, RESPONSE } from '../params.js';
import { numeric } from './custom.js';

/**
 * An answer to an AT$ command (Protocol Document §2.1): `$OK` (done), `$ERROR=<code>` (refused),
 * `$INFO=<unit id>,<model>,<firmware>,<IMEI>,<IMSI>,<ICCID>,<power>,<battery>,<satellites>,<GSM
 * status>,<signal>,<connection>,<antenna>` (AT$INFO=?), or `$<CMD>=<values>` (a read). The answer
 * names the command it answers for reads (`INFO`, `TRAC`: the correlation); `$OK` and `$ERROR`
 * name none, so they answer the oldest command sent.
 */
export function decodeReply(text: string, ctx: DecodeContext, out: Decoded): void {
  const m: Message = { [RESPONSE]: text };
  if (ctx.receivedAt !== undefined) m.timestamp = ctx.receivedAt;
  const executed = !text.startsWith(Reply.Error);
  const read = /^\$([A-Z0-9]+)=(.*)$/.exec(text);
  const correlation = read && !text.startsWith(Reply.Error) ? read[1] : undefined;
  if (!executed && read) m[ERROR_CODE] = numeric(read[2]) ?? read[2];
  if (text.startsWith(`${Reply.Info}=`)) {
    const values = text.slice(Reply.Info.length + 1).split(',');
    INFO_FIELDS.forEach(([name, conv, divisor], i) => {
      const raw = values[i]?.trim() ?? '';
      const n = conv === 'num' ? numeric(raw) : undefined;
      if (raw !== '') m[name] = n === undefined ? raw : n / (divisor ?? 1);
    });
  }
  const reply: CommandReply = {
    response: text,
    executed,
    ...(correlation ? { correlation } : {}),
    ...(ctx.receivedAt !== undefined ? { timestamp: ctx.receivedAt } : {}),
  };
  out.commandReplies.push(reply);
  out.messages.push(m);
}
