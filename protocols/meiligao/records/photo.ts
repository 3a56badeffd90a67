import { Reader } from '../../common/reader.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import type { Packet } from '../packet.js';
import { Name } from '../params.js';

/**
 * 0x9988 picture packet (camera models), after the tracker's 0x0800 upload request: picture
 * index, picture size u16 (bytes), packet count, packet index, then the JPEG bytes. Each packet is
 * kept as one message (the bytes as hex): the codec holds no state to join them; the position that
 * goes with the picture follows as 0x9977.
 */
export function decodePhotoData(frame: Buffer, p: Packet, ctx: DecodeContext, out: Decoded): void {
  const r = new Reader(frame, p.data, p.dataEnd);
  const m: Message = {
    [Name.PhotoIndex]: r.u8(),
    [Name.PhotoSize]: r.u16(),
    [Name.PhotoPackets]: r.u8(),
    [Name.PhotoPacket]: r.u8(),
  };
  m[Name.PhotoData] = r.bytes(r.remaining).toString('hex');
  if (ctx.receivedAt !== undefined) m.timestamp = ctx.receivedAt;
  out.messages.push(m);
}
