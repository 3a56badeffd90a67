import { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { FLEX_FIELDS } from '../params.js';
import { readFlexRecord } from './flex.js';

/**
 * FLEX 2.0 additional records (`~E` / `~X`, §1.2.2): length u16, then the record. A record that
 * starts with version 0x0A and the length of its static part holds, in that part, FLEX fields 1,
 * 2, 3, 8-15 (index, event, event time, navigation state, fix time, coordinates, altitude, speed,
 * course, mileage); the bytes after it (the dynamic part) are kept as hex. Any other record is
 * kept whole as hex.
 */
const STATIC_VERSION = 0x0a;
const STATIC_FIELDS = [1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15].map((n) => FLEX_FIELDS[n - 1]);
const STATIC_SIZE = STATIC_FIELDS.reduce((n, f) => n + f.size, 0);
const EXTRA_DATA = 'navtelecom.extra.data';

export function readExtraRecord(r: Reader): Message {
  const body = r.bytes(r.u16le());
  const staticLength = body[1];
  if (body.length < 2 || body[0] !== STATIC_VERSION || staticLength < STATIC_SIZE || body.length < 2 + staticLength) {
    return { [EXTRA_DATA]: body.toString('hex') };
  }
  const m = readFlexRecord(new Reader(body, 2, 2 + STATIC_SIZE), STATIC_FIELDS);
  if (body.length > 2 + staticLength) m[EXTRA_DATA] = body.toString('hex', 2 + staticLength);
  return m;
}
