import { unknownParamName } from '../../common/params.js';
import type { Message } from '../../common/types.js';
import { PRIORITY } from '../constants.js';
import { IO_TABLE } from '../params.js';

/**
 * A fast path for AVL records. Trackers send records of the same shape (the same IO ids in the
 * same order) again and again; for a shape seen once, a record decoder is generated that checks
 * the shape byte by byte and builds the message as one object literal, which V8 creates as
 * cheaply as JSON.parse does. A record of another shape returns `undefined` and takes the
 * generic path. The generated code holds only property names from IO_TABLE and numbers.
 */
export interface Shape {
  readonly wideIds: boolean;
  readonly wideCounts: boolean;
  readonly generation: boolean;
  readonly variable: boolean;
  readonly extended: boolean;
  readonly event: boolean;
  /** IO ids per group, groups in wire order (1, 2, 4, 8 and, when extended, 16 bytes). */
  readonly groups: readonly (readonly number[])[];
}

/** A generated decoder for one record shape: every record of the shape is `size` bytes long. */
export interface FastRecord {
  /** Decodes the record at `at`, or undefined when the bytes there have another shape. */
  readonly decode: (b: Buffer, at: number, end: number) => Message | undefined;
  readonly size: number;
}

const SIZES = [1, 2, 4, 8, 16];
const MAX_SHAPES = 512;

/** The generated decoders of the shapes a codec has seen: a cache the codec owns (protocols/teltonika/index.ts). */
export class FastRecords {
  private readonly shapes = new Map<string, FastRecord>();
  /** The decoder of the last shape seen, per layout key: the first one tried for the next record. */
  readonly last = new Map<object, FastRecord>();

  for(shape: Shape): FastRecord {
    const key = shapeKey(shape);
    let fn = this.shapes.get(key);
    if (!fn) {
      if (this.shapes.size >= MAX_SHAPES) this.shapes.clear();
      fn = compile(shape);
      this.shapes.set(key, fn);
    }
    return fn;
  }
}

export function shapeKey(s: Shape): string {
  return `${+s.wideIds}${+s.wideCounts}${+s.generation}${+s.variable}${+s.extended}${+s.event}|${s.groups.map((g) => g.join(',')).join('|')}`;
}

function u64(b: Buffer, at: number): number | string {
  const hi = b[at] * 16777216 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
  return hi <= 0x1fffff ? hi * 4294967296 + (b[at + 4] * 16777216 + ((b[at + 5] << 16) | (b[at + 6] << 8) | b[at + 7])) : b.toString('hex', at, at + 8);
}

/** Character codes of the first and the second hex digit of each byte value (lower case, as `toString('hex')`). */
const HEX_HI = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0').charCodeAt(0));
const HEX_LO = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0').charCodeAt(1));

// The generated code reads the bytes itself: the length check at its start covers every read, and
// inline arithmetic is cheaper than Buffer's checked readers; strings of fixed size are built with
// one String.fromCharCode (a flat string, without Buffer#toString's argument checks and slicing).
const int = (at: number, n: number) => (n === 1 ? `b[p+${at}]` : `((b[p+${at}]<<8)|b[p+${at + 1}])`);
const u32 = (at: number) => `(b[p+${at}]*16777216+((b[p+${at + 1}]<<16)|(b[p+${at + 2}]<<8)|b[p+${at + 3}]))`;
const i32 = (at: number) => `((b[p+${at}]<<24)|(b[p+${at + 1}]<<16)|(b[p+${at + 2}]<<8)|b[p+${at + 3}])`;
const i16 = (at: number) => `(((b[p+${at}]<<24)|(b[p+${at + 1}]<<16))>>16)`;
const offsets = (at: number, size: number) => Array.from({ length: size }, (_, i) => `p+${at + i}`);
const hex = (at: number, size: number) => `String.fromCharCode(${offsets(at, size).map((o) => `H[b[${o}]],L[b[${o}]]`)})`;
const latin1 = (at: number, size: number) => `String.fromCharCode(${offsets(at, size).map((o) => `b[${o}]`)})`;

function compile(s: Shape): FastRecord {
  const checks: string[] = [];
  const fields: string[] = [];
  const bits = { din: [] as string[], dout: [] as string[] };
  let off = 24; // time 8, priority 1, GPS 15
  const idSize = s.wideIds ? 2 : 1;
  const countSize = s.wideCounts ? 2 : 1;
  fields.push(...headFields());
  const eventAt = off;
  off += idSize;
  checks.push(s.event ? `${int(eventAt, idSize)}!==0` : `${int(eventAt, idSize)}===0`);
  if (s.event) fields.push(`'event.enum':${int(eventAt, idSize)}`);
  if (s.generation) fields.push(`'generation.type.enum':b[p+${off++}]`);
  off += countSize; // total IO count (not checked, as in the generic path)
  s.groups.forEach((ids, g) => {
    const size = SIZES[g];
    checks.push(`${int(off, countSize)}===${ids.length}`);
    off += countSize;
    for (const id of ids) {
      checks.push(`${int(off, idSize)}===${id}`);
      off += idSize;
      fields.push(valueField(id, size, off, bits));
      off += size;
    }
  });
  if (s.variable) {
    checks.push(`${int(off, 2)}===0`);
    off += 2;
  }
  if (bits.din.length > 0) fields.push(`din:${bits.din.join('|')}`);
  if (bits.dout.length > 0) fields.push(`dout:${bits.dout.join('|')}`);
  const body = `if(p+${off}>end)return undefined;
if(!(${checks.join('&&')}))return undefined;
return {${fields.join(',\n')}};`;
  // generated from the shape's numbers and IO_TABLE's names only: no text from the wire reaches it
  const factory = new Function('PRIORITY', 'u64', 'H', 'L', `return function fastRecord(b,p,end){${body}}`);
  return { decode: factory(PRIORITY, u64, HEX_HI, HEX_LO) as FastRecord['decode'], size: off };
}

function headFields(): string[] {
  const fields = [`timestamp:(${u32(0)}*4294967296+${u32(4)})/1000`];
  // every field parsed is kept: a record without a fix (0 satellites, or 0/0) has position.valid false
  fields.push(
    `'position.latitude':${i32(13)}/1e7`,
    `'position.longitude':${i32(9)}/1e7`,
    `'position.altitude':${i16(17)}`,
    `'position.direction':${int(19, 2)}`,
    `'position.speed':${int(22, 2)}`,
    `'position.satellites':b[p+21]`,
    `'position.valid':b[p+21]>0&&(${i32(9)}|${i32(13)})!==0`,
  );
  fields.push(`'priority.enum':PRIORITY[b[p+8]]??b[p+8]`);
  return fields;
}

function valueField(id: number, size: number, at: number, bits: { din: string[]; dout: string[] }): string {
  const def = IO_TABLE[id];
  const name = JSON.stringify(def ? def.name : unknownParamName(id));
  if (size > 8 || def?.kind === 'hex') return `${name}:${hex(at, size)}`;
  if (def?.kind === 'ascii') return `${name}:${latin1(at, size)}`;
  const raw = size === 1 ? `b[p+${at}]` : size === 2 ? `((b[p+${at}]<<8)|b[p+${at + 1}])` : size === 4 ? u32(at) : `u64(b,p+${at})`;
  if (!def) return `${name}:${raw}`;
  if (def.bitmask) bits[def.bitmask].push(`(${raw}!==0?${1 << (def.bit ?? 0)}:0)`);
  if (def.kind === 'bool') return `${name}:${raw}!==0`;
  let v = raw;
  if (def.kind === 's' && size < 8) {
    const half = 2 ** (size * 8 - 1);
    v = `((x)=>x>=${half}?x-${half * 2}:x)(${raw})`;
  }
  if (size === 8) v = `((x)=>typeof x==='string'?x:x${def.divisor ? `/${def.divisor}` : ''})(${raw})`;
  else if (def.divisor) v = `(${v})/${def.divisor}`;
  return `${name}:${v}`;
}
