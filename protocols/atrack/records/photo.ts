import { Reader } from '../../common/reader.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import type { Packet } from '../packet.js';
import { PHOTO_COUNT, PHOTO_DATA, PHOTO_INDEX } from '../params.js';

/**
 * One `@R` photo chunk (Protocol Document §3, camera units): time u32, chunk index u8, chunk
 * count u8, data length u16, JPEG data. Each chunk is one message (index, count, data as hex):
 * the codec keeps no state to join them.
 */
export function decodePhoto(frame: Buffer, p: Packet, ctx: DecodeContext, out: Decoded): void {
  const r = new Reader(frame, p.bodyAt, p.bodyEnd);
  const time = r.u32();
  const m: Message = {};
  const ts = time || ctx.receivedAt;
  if (ts !== undefined) m.timestamp = ts;
  m[PHOTO_INDEX] = r.u8();
  m[PHOTO_COUNT] = r.u8();
  m[PHOTO_DATA] = r.bytes(r.u16()).toString('hex');
  out.messages.push(m);
}
