import { CodecError, CodecErrorCode } from '../../common/errors.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { Keyword } from '../constants.js';
import { PHOTO_DATA_NAME, PHOTO_INDEX_NAME } from '../params.js';

/**
 * One part of a camera picture (TK303, after a `vt<n>` report): `imei:<IMEI>,vr,<hex>` where the
 * hex starts with the part index (u16, little-endian). Parts are kept one message each (index and
 * the payload after it, hex): the codec holds no state to join them.
 */
export function decodePhoto(fields: readonly string[], at: number, ctx: DecodeContext, out: Decoded): void {
  const hex = fields.slice(2).join(',').trim();
  if (!/^([0-9a-fA-F]{2}){2,}$/.test(hex)) throw new CodecError(CodecErrorCode.Malformed, 'picture part is not hex with a 2-byte index', at);
  const bytes = Buffer.from(hex, 'hex');
  const m: Message = { 'report.type': Keyword.PhotoPart, [PHOTO_INDEX_NAME]: bytes.readUInt16LE(0), [PHOTO_DATA_NAME]: bytes.toString('hex', 2) };
  if (ctx.receivedAt !== undefined) m.timestamp = ctx.receivedAt;
  out.messages.push(m);
}
