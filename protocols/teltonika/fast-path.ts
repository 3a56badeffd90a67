import type { Message } from '../common/types.js';
import { PRIORITY } from './constants.js';
import { IO_TABLE, unknownIoName } from './io-map.js';

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
  readonly position: boolean;
  readonly event: boolean;
  /** IO ids per group, groups in wire order (1, 2, 4, 8 and, when extended, 16 bytes). */
  readonly groups: readonly (readonly number[])[];
}

/** Decodes one record at `at`; sets `fastEnd.pos` to the byte after it. Undefined when the shape differs. */
export type FastRecord = (b: Buffer, at: number, end: number) => Message | undefined;

export const fastEnd = { pos: 0 };
const SIZES = [1, 2, 4, 8, 16];
const MAX_SHAPES = 512;
const shapes = new Map<string, FastRecord>();

export function shapeKey(s: Shape): string {
  return `${+s.wideIds}${+s.wideCounts}${+s.generation}${+s.variable}${+s.extended}${+s.position}${+s.event}|${s.groups.map((g) => g.join(',')).join('|')}`;
}

export function fastRecordFor(shape: Shape): FastRecord {
  const key = shapeKey(shape);
  let fn = shapes.get(key);
  if (!fn) {
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    fn = compile(shape);
    shapes.set(key, fn);
  }
  return fn;
}

function u64(b: Buffer, at: number): number | string {
  const hi = b.readUInt32BE(at);
  return hi <= 0x1fffff ? hi * 4294967296 + b.readUInt32BE(at + 4) : b.toString('hex', at, at + 8);
}

function compile(s: Shape): FastRecord {
  const checks: string[] = [];
  const fields: string[] = [];
  const bits = { din: [] as string[], dout: [] as string[] };
  let off = 24; // time 8, priority 1, GPS 15
  const int = (at: number, n: number) => (n === 1 ? `b[p+${at}]` : `((b[p+${at}]<<8)|b[p+${at + 1}])`);
  const idSize = s.wideIds ? 2 : 1;
  const countSize = s.wideCounts ? 2 : 1;
  fields.push(`timestamp:(b.readUInt32BE(p)*4294967296+b.readUInt32BE(p+4))/1000`);
  if (s.position) {
    fields.push(
      `'position.latitude':b.readInt32BE(p+13)/1e7`,
      `'position.longitude':b.readInt32BE(p+9)/1e7`,
      `'position.altitude':b.readInt16BE(p+17)`,
      `'position.direction':${int(19, 2)}`,
      `'position.speed':${int(22, 2)}`,
      `'position.satellites':b[p+21]`,
      `'position.valid':b[p+21]>0`,
    );
  }
  fields.push(`'priority.enum':PRIORITY[b[p+8]]??b[p+8]`);
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
fastEnd.pos=p+${off};
return {${fields.join(',\n')}};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function('PRIORITY', 'u64', 'fastEnd', `return function fastRecord(b,p,end){${body}}`);
  return factory(PRIORITY, u64, fastEnd) as FastRecord;
}

function valueField(id: number, size: number, at: number, bits: { din: string[]; dout: string[] }): string {
  const def = IO_TABLE[id];
  const name = JSON.stringify(def ? def.name : unknownIoName(id));
  if (size > 8 || def?.kind === 'hex') return `${name}:b.toString('hex',p+${at},p+${at + size})`;
  if (def?.kind === 'ascii') return `${name}:b.toString('latin1',p+${at},p+${at + size})`;
  const raw = size === 1 ? `b[p+${at}]` : size === 2 ? `((b[p+${at}]<<8)|b[p+${at + 1}])` : size === 4 ? `b.readUInt32BE(p+${at})` : `u64(b,p+${at})`;
  if (!def) return `${name}:${raw}`;
  if (def.bitmask) bits[def.bitmask].push(`(${raw}!==0?${1 << (def.bit ?? 0)}:0)`);
  if (def.kind === 'bool') return `${name}:${raw}!==0`;
  let v = raw;
  if (def.kind === 's' && size < 8) {
    const half = 2 ** (size * 8 - 1);
    v = `((x)=>x>=${half}?x-${half * 2}:x)(${raw})`;
  }
  if (size === 8) v = `((x)=>typeof x==='string'?x:x${def.div ? `/${def.div}` : ''})(${raw})`;
  else if (def.div) v = `(${v})/${def.div}`;
  return `${name}:${v}`;
}
