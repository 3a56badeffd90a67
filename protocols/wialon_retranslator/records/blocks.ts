import { CodecError, CodecErrorCode, toCodecError } from '../../common/errors.js';
import { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { BLOCK_HEADER_SIZE, BLOCK_TYPE, BlockName, DataType } from '../constants.js';
import { applyParam, type BlockValue } from '../params.js';
import { decodeImage, decodePosinfo } from './position.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The data blocks of a packet, one after another to its end (spec "Data block has the following
 * format"): `0x0BBB | size u32 | attribute u8 | type u8 | name 0x00 | value`. Each block is read
 * within its own size, so a block that cannot be read is reported and skipped and the blocks after
 * it still count; a wrong block type or a size past the end stops the walk (nothing after it can
 * be trusted).
 */
export function decodeBlocks(r: Reader, m: Message, errors: CodecError[]): void {
  while (r.remaining > 0) {
    const at = r.pos;
    if (r.remaining < BLOCK_HEADER_SIZE) {
      errors.push(new CodecError(CodecErrorCode.Truncated, `${r.remaining} byte(s) after the last block are not a block header`, at));
      return;
    }
    const type = r.u16();
    if (type !== BLOCK_TYPE) {
      errors.push(new CodecError(CodecErrorCode.Malformed, `block type 0x${type.toString(16).padStart(4, '0')} is not 0x0bbb`, at));
      return;
    }
    const size = r.u32();
    if (size > r.remaining) {
      errors.push(new CodecError(CodecErrorCode.Truncated, `block of ${size} bytes runs past the end of the packet (${r.remaining} left)`, at));
      return;
    }
    const end = r.pos + size;
    try {
      decodeBlock(new Reader(r.buf, r.pos, end), m);
    } catch (err) {
      errors.push(toCodecError(err));
    }
    r.pos = end;
  }
}

/** attribute u8 (visibility: ignored) | data type u8 | name 0x00 | value. */
function decodeBlock(b: Reader, m: Message): void {
  b.skip(1);
  const type = b.u8();
  const nameAt = b.pos;
  const name = text(b, true);
  if (name === '') throw new CodecError(CodecErrorCode.Malformed, 'block without a name', nameAt);
  if (type === DataType.Binary && name === BlockName.Posinfo) decodePosinfo(b, m);
  else if (type === DataType.Binary && name === BlockName.Image) decodeImage(b, m);
  else applyParam(m, name, readValue(b, type));
}

/** The value by its data type (spec "Block data type"); an unknown type keeps its bytes as hex. */
function readValue(b: Reader, type: number): BlockValue {
  switch (type) {
    case DataType.Text:
      return { type, value: text(b, false) };
    case DataType.Int32:
      return { type, value: b.i32() };
    case DataType.Double:
      return { type, value: b.bytes(8).readDoubleLE(0) };
    case DataType.Int64: {
      const v = b.bytes(8).readBigInt64BE(0);
      return { type, value: v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v.toString() };
    }
    default:
      return { type: DataType.Binary, value: b.bytes(b.remaining).toString('hex') };
  }
}

/**
 * Text up to its 0x00 (UTF-8: Wialon unit names and driver names are not only ASCII). A name must
 * end in 0x00; a text value may end at the end of its block.
 */
function text(b: Reader, terminated: boolean): string {
  const at = b.buf.subarray(b.pos, b.end).indexOf(0);
  const stop = at < 0 ? -1 : b.pos + at;
  if (stop < 0 && terminated) throw new CodecError(CodecErrorCode.Malformed, 'block name does not end in 0x00', b.pos);
  const end = stop < 0 ? b.end : stop;
  const s = b.buf.toString('utf8', b.pos, end);
  b.pos = stop < 0 ? end : stop + 1;
  return s;
}
