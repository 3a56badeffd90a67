import { convertParam, unknownParamName } from '../../common/params.js';
import type { Reader } from '../../common/reader.js';
import type { CodecOptions, Message } from '../../common/types.js';
import { Codec, PRIORITY } from '../constants.js';
import { IO_TABLE } from '../params.js';
import type { FastRecords, Shape } from './fast-path.js';

/**
 * AVL records of codecs 8, 8E and 16 (Teltonika "Codec" notes: time, priority, GPS element, IO
 * element). Sizes of ids, counts and the event id depend on the codec (its layout).
 */
export interface Layout {
  readonly wideIds: boolean;
  readonly wideCounts: boolean;
  readonly generation: boolean;
  readonly variable: boolean;
}

export const LAYOUTS: Readonly<Record<number, Layout>> = {
  [Codec.C8]: { wideIds: false, wideCounts: false, generation: false, variable: false },
  [Codec.C8E]: { wideIds: true, wideCounts: true, generation: false, variable: true },
  [Codec.C16]: { wideIds: true, wideCounts: false, generation: true, variable: false },
};

/** The same layouts with 16-byte IO (the `extended` channel setting): distinct keys for the fast path. */
const EXTENDED = new Map<Layout, Layout>(Object.values(LAYOUTS).map((l) => [l, { ...l }]));

const TWO_POW_32 = 4294967296;
const MAX_SAFE_HI = 0x1fffff; // high word of an 8-byte value that still fits in 2^53

/**
 * `count` records of codec 8, 8E or 16 into `messages`. Each record first tries the generated
 * decoder of the last shape seen (per layout); a record of another shape is decoded generically and
 * its shape learnt. `fast_path: false` in the channel settings decodes every record generically.
 */
export function decodeAvlRecords(r: Reader, layout: Layout, count: number, settings: CodecOptions['settings'], fast: FastRecords, messages: Message[]): void {
  const extended = settings?.extended === true;
  if (settings?.fast_path === false) {
    for (let i = 0; i < count; i++) messages.push(decodeAvlRecord(r, layout, extended));
    return;
  }
  const key = (extended && EXTENDED.get(layout)) || layout;
  let last = fast.last.get(key);
  for (let i = 0; i < count; i++) {
    if (last !== undefined) {
      const m = last.decode(r.buf, r.pos, r.end);
      if (m !== undefined) {
        r.pos += last.size;
        messages.push(m);
        continue;
      }
    }
    const start = r.pos;
    messages.push(decodeAvlRecord(r, layout, extended));
    const shape = scanShape(r.buf, start, layout, extended);
    if (shape) {
      last = fast.for(shape);
      fast.last.set(key, last);
    }
  }
}

/** The shape (IO ids per group) of a well-formed record at `at`; undefined for variable-length IO. */
function scanShape(b: Buffer, at: number, layout: Layout, extended: boolean): Shape | undefined {
  const idSize = layout.wideIds ? 2 : 1;
  const countSize = layout.wideCounts ? 2 : 1;
  const int = (p: number, n: number) => (n === 1 ? b[p] : (b[p] << 8) | b[p + 1]);
  let p = at + 24;
  const event = int(p, idSize) !== 0;
  p += idSize + (layout.generation ? 1 : 0) + countSize;
  const groups: number[][] = [];
  for (const size of extended ? [1, 2, 4, 8, 16] : [1, 2, 4, 8]) {
    const count = int(p, countSize);
    p += countSize;
    const ids: number[] = [];
    for (let j = 0; j < count; j++, p += idSize + size) ids.push(int(p, idSize));
    groups.push(ids);
  }
  if (layout.variable && int(p, 2) !== 0) return undefined;
  return { ...layout, extended, event, groups };
}

/** din/dout bitmasks of one record, built while its IO elements are read (-1: no such element). */
interface Bits {
  din: number;
  dout: number;
}

export function decodeAvlRecord(r: Reader, layout: Layout, extended: boolean): Message {
  const m = readHead(r);
  const eventId = layout.wideIds ? r.u16() : r.u8();
  if (eventId !== 0) m['event.enum'] = eventId;
  if (layout.generation) m['generation.type.enum'] = r.u8();
  r.skip(layout.wideCounts ? 2 : 1); // total IO count
  const bits: Bits = { din: -1, dout: -1 };
  for (const size of extended ? [1, 2, 4, 8, 16] : [1, 2, 4, 8]) readIoGroup(r, m, layout, size, bits);
  if (layout.variable) readVariableGroup(r, m);
  if (bits.din >= 0) m.din = bits.din;
  if (bits.dout >= 0) m.dout = bits.dout;
  return m;
}

/** Time 8, priority 1, GPS element 15 (longitude, latitude, altitude, angle, satellites, speed). */
function readHead(r: Reader): Message {
  const b = r.buf;
  const at = r.pos;
  r.skip(24);
  const timestamp = (b.readUInt32BE(at) * TWO_POW_32 + b.readUInt32BE(at + 4)) / 1000;
  const priority = b[at + 8];
  const lon = b.readInt32BE(at + 9);
  const lat = b.readInt32BE(at + 13);
  const sats = b[at + 21];
  // every field parsed is kept: a record without a fix (0 satellites, or 0/0) has position.valid false
  return {
    timestamp,
    'position.latitude': lat / 1e7,
    'position.longitude': lon / 1e7,
    'position.altitude': b.readInt16BE(at + 17),
    'position.direction': (b[at + 19] << 8) | b[at + 20],
    'position.speed': (b[at + 22] << 8) | b[at + 23],
    'position.satellites': sats,
    'position.valid': sats > 0 && (lat !== 0 || lon !== 0),
    'priority.enum': PRIORITY[priority] ?? priority,
  };
}

function readIoGroup(r: Reader, m: Message, layout: Layout, size: number, bits: Bits): void {
  const count = layout.wideCounts ? r.u16() : r.u8();
  for (let j = 0; j < count; j++) {
    const id = layout.wideIds ? r.u16() : r.u8();
    const def = IO_TABLE[id];
    if (size > 8 || def?.kind === 'hex' || def?.kind === 'ascii') {
      const bytes = r.bytes(size);
      m[def ? def.name : unknownParamName(id)] = def?.kind === 'ascii' ? bytes.toString('latin1', 0, size) : bytes.toString('hex');
      continue;
    }
    const value = readInt(r, size);
    if (def === undefined) {
      m[unknownParamName(id)] = value;
      continue;
    }
    m[def.name] = convertParam(def, value, size);
    if (def.bitmask !== undefined) {
      if (bits[def.bitmask] < 0) bits[def.bitmask] = 0;
      if (value !== 0) bits[def.bitmask] |= 1 << (def.bit ?? 0);
    }
  }
}

/** An unsigned integer of 1, 2, 4 or 8 bytes; 8-byte values beyond 2^53 stay hex. */
function readInt(r: Reader, size: number): number | string {
  const b = r.buf;
  const at = r.pos;
  r.skip(size);
  if (size === 1) return b[at];
  if (size === 2) return (b[at] << 8) | b[at + 1];
  if (size === 4) return b.readUInt32BE(at);
  const hi = b.readUInt32BE(at);
  return hi <= MAX_SAFE_HI ? hi * TWO_POW_32 + b.readUInt32BE(at + 4) : b.toString('hex', at, at + 8);
}

/** Codec 8E: IO elements of variable length (id u16, length u16, bytes). */
function readVariableGroup(r: Reader, m: Message): void {
  const count = r.u16();
  for (let j = 0; j < count; j++) {
    const id = r.u16();
    const length = r.u16();
    const bytes = r.bytes(length);
    const def = IO_TABLE[id];
    m[def ? def.name : unknownParamName(id)] = def?.kind === 'ascii' ? bytes.toString('latin1', 0, length) : bytes.toString('hex');
  }
}
