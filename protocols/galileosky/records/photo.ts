import type { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';

/**
 * Photo part (packet 0x07): part number u8 + JPEG bytes; a part with no bytes ends the photo. Parts
 * are kept as hex so the image can be put together downstream (parts arrive in order on one connection).
 */
export function decodePhoto(r: Reader): Message {
  const part = r.u8();
  const data = r.bytes(r.remaining);
  return data.length === 0
    ? { 'galileosky.photo.part': part, 'galileosky.photo.end': true }
    : { 'galileosky.photo.part': part, 'galileosky.photo.data': data.toString('hex') };
}
