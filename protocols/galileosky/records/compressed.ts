import { CodecError, CodecErrorCode, toCodecError } from '../../common/errors.js';
import type { Reader } from '../../common/reader.js';
import type { Decoded, Message } from '../../common/types.js';
import { TAGS } from '../params.js';
import { finishRecord, readTag } from './tags.js';

/** The minimal data set opening every compressed record: 10 bytes, bit fields MSB first. */
const MINIMAL_DATA_SET_SIZE = 10;
const DAY = 86400;

/**
 * Compressed records (packet 0x08, and Iridium payloads of terminals set to the compressed
 * format): minimal data set, tag count u8, that many tag ids, then their values in the same order
 * and with the same lengths as in an ordinary packet. `now` (ms) only picks the year the
 * "seconds since the start of the year" belong to.
 */
export function decodeCompressedRecords(r: Reader, out: Decoded, base: Message, now: number): void {
  try {
    while (r.remaining > 0) {
      const m: Message = { ...base };
      readMinimalDataSet(r.bytes(MINIMAL_DATA_SET_SIZE), m, now);
      const tags = r.bytes(r.u8());
      for (let i = 0; i < tags.length; i++) {
        const def = TAGS[tags[i]];
        if (!def) {
          finishRecord(m, out);
          throw new CodecError(CodecErrorCode.Unsupported, `unknown tag 0x${tags[i].toString(16)} in a compressed record`, r.pos);
        }
        readTag(r, def, m);
      }
      finishRecord(m, out);
    }
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
}

/**
 * Bits: 1 reserved | 25 seconds since 1 January 00:00 UTC | 1 invalid (0 = valid fix) |
 * 22 longitude (360·v/2^22 − 180) | 21 latitude (180·v/2^21 − 90) | 1 alarm | 9 not used.
 */
function readMinimalDataSet(bytes: Buffer, m: Message, now: number): void {
  const bits = new BitCursor(bytes);
  bits.read(1);
  m.timestamp = yearTime(bits.read(25), now);
  m['position.valid'] = bits.read(1) === 0;
  m['position.longitude'] = round6((360 * bits.read(22)) / 4194304 - 180);
  m['position.latitude'] = round6((180 * bits.read(21)) / 2097152 - 90);
  if (bits.read(1) === 1) m['alarm.event.trigger'] = true;
}

/** Seconds since the start of the year of `now`, or of the year before when that lands in the future. */
function yearTime(seconds: number, now: number): number {
  const year = new Date(now).getUTCFullYear();
  const t = Date.UTC(year, 0, 1) / 1000 + seconds;
  return t > now / 1000 + DAY ? Date.UTC(year - 1, 0, 1) / 1000 + seconds : t;
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

class BitCursor {
  private bit = 0;
  constructor(private readonly bytes: Buffer) {}

  read(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++, this.bit++) v = v * 2 + ((this.bytes[this.bit >> 3] >> (7 - (this.bit & 7))) & 1);
    return v;
  }
}
