import type { Reader } from '../../common/reader.js';
import type { CommandReply } from '../../common/types.js';
import { TEXT_REPLIES } from '../constants.js';

/** Replies to server commands. Text replies (2, 3, 4, 7): the payload as ASCII. Result replies (5, 6, 17): one byte. */
export function decodeReply(type: number, r: Reader): CommandReply {
  const payload = r.bytes(r.remaining);
  if (TEXT_REPLIES.has(type)) return { response: payload.toString('latin1').replace(/\0/g, '').trim() };
  const result = payload.length > 0 ? payload[0] : 0;
  return { response: String(result), hex: payload.toString('hex') };
}
