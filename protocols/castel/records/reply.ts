import { unknownParamName } from '../../common/params.js';
import type { Reader } from '../../common/reader.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { QUERY_FAILED_NAME, QUERY_PREFIX, REQUEST_INDEX_NAME, RESULT_NAME } from '../params.js';
import { keepRest, textOrHex } from './fields.js';

/**
 * 0xA002, the answer to a parameter query (0x2002): index u16 (the query's, echoed: the
 * correlation), response count u8, response number u8, failed count u8 and their tags u16, success
 * count u8 and tag u16 / length u16 / value each. A message with every value as
 * `castel.param.<tag>` and the last one as `command.response` (Traccar's `result`), and a command
 * reply with the values joined by `;` (executed when no tag failed). The answer has no time.
 */
export function decodeQueryResponse(_type: number, r: Reader, ctx: DecodeContext, out: Decoded): void {
  const index = r.u16le();
  r.u8(); // response count (an answer may come in several frames)
  r.u8(); // response number
  const failed: number[] = [];
  for (let n = r.u8(); n > 0; n--) failed.push(r.u16le());
  const m: Message = { [REQUEST_INDEX_NAME]: index };
  if (ctx.receivedAt !== undefined) m.timestamp = ctx.receivedAt;
  const values: string[] = [];
  for (let n = r.u8(); n > 0; n--) {
    const tag = r.u16le();
    const value = textOrHex(r.bytes(r.u16le()));
    m[unknownParamName(tag, QUERY_PREFIX)] = value;
    values.push(value);
  }
  if (failed.length > 0) m[QUERY_FAILED_NAME] = failed;
  if (values.length > 0) m[RESULT_NAME] = values[values.length - 1];
  keepRest(r, [m]);
  out.messages.push(m);
  out.commandReplies.push({
    response: values.join(';'),
    executed: failed.length === 0,
    correlation: String(index),
    ...(ctx.receivedAt !== undefined ? { timestamp: ctx.receivedAt } : {}),
  });
}
