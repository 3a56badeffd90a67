import { convertParam, unknownParamName } from '../../common/params.js';
import type { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { NO_COORDINATE } from '../constants.js';
import { type AlarmWhen, COMBINED, COMBINED_PART, FALLBACKS, IO_TABLE } from '../params.js';

const TWO_POW_32 = 4294967296;
const MAX_SAFE_HI = 0x1fffff; // high word of an 8-byte value that still fits in 2^53
const IO_SIZES = [1, 2, 4, 8] as const;

/** One message being built: merged records (command 68) add to it until it is finished. */
interface Building {
  readonly m: Message;
  readonly parts: Map<number, Buffer>;
  readonly alarms: string[];
}

/**
 * Records (command 1) and extended records (command 68): position records with their IO elements
 * (Ruptela protocol notes). Payload: records left u8 | count u8 | records. Command 68 records carry
 * a record-extension byte (high nibble: records merged into one, low nibble: this record's index);
 * a record with index 1..n continues the previous one, so several records can make one message.
 * Messages go to `out` as they start, so a truncated frame keeps the records before the cut.
 */
export function decodeRecords(r: Reader, extended: boolean, out: Message[]): void {
  const left = r.u8();
  const count = r.u8();
  const built: Building[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const timestamp = r.u32();
      const timestampExtension = r.u8();
      let merge = false;
      if (extended) {
        const ext = r.u8();
        const current = ext & 0x0f;
        merge = current > 0 && current <= ext >> 4 && built.length > 0;
      }
      let b = merge ? built[built.length - 1] : undefined;
      if (!b) {
        b = { m: { timestamp }, parts: new Map(), alarms: [] };
        if (timestampExtension !== 0) b.m['ruptela.timestamp.extension'] = timestampExtension;
        if (left > 0) b.m['ruptela.records.left'] = left;
        built.push(b);
        out.push(b.m);
      }
      readRecord(r, b, extended);
    }
  } finally {
    for (const b of built) finish(b); // records decoded before an error are kept, finished
  }
}

/** priority | lon, lat i32 ×1e-7 | alt u16 ×0.1 m | angle u16 ×0.01 | sats | speed u16 km/h | hdop ×0.1 | event | IO */
function readRecord(r: Reader, b: Building, extended: boolean): void {
  const m = b.m;
  m['priority.enum'] = r.u8();
  const lon = r.i32();
  const lat = r.i32();
  const altitude = r.u16();
  const angle = r.u16();
  const satellites = r.u8();
  const speed = r.u16();
  const hdop = r.u8();
  if (lon !== NO_COORDINATE && lat !== NO_COORDINATE) {
    m['position.longitude'] = lon / 1e7;
    m['position.latitude'] = lat / 1e7;
    m['position.altitude'] = altitude / 10;
    m['position.direction'] = angle / 100;
    m['position.satellites'] = satellites;
    m['position.speed'] = speed;
    m['position.hdop'] = hdop / 10;
    m['position.valid'] = lat !== 0 || lon !== 0;
  } else {
    m['position.valid'] = false;
  }
  const event = extended ? r.u16() : r.u8();
  if (event !== 0) m['event.enum'] = event;
  for (const size of IO_SIZES) {
    const n = r.u8();
    for (let j = 0; j < n; j++) readIo(r, b, extended ? r.u16() : r.u8(), size);
  }
}

function readIo(r: Reader, b: Building, id: number, size: number): void {
  if (COMBINED_PART.has(id)) {
    b.parts.set(id, r.bytes(size));
    return;
  }
  const def = IO_TABLE[id];
  if (def?.kind === 'hex' || def?.kind === 'ascii') {
    const bytes = r.bytes(size);
    b.m[def.name] = def.kind === 'hex' ? bytes.toString('hex') : text(bytes);
    return;
  }
  const raw = size === 8 ? readU64(r) : r.uint(size);
  if (!def) {
    b.m[unknownParamName(id)] = raw;
    return;
  }
  b.m[def.name] = convertParam(def, raw, size);
  if (def.alarm && typeof raw === 'number' && alarmOn(def.alarm[1], raw)) b.alarms.push(def.alarm[0]);
}

function alarmOn(when: AlarmWhen, raw: number): boolean {
  return when === 'nonzero' ? raw !== 0 : when === 'zero' ? raw === 0 : raw === 1;
}

function readU64(r: Reader): number | string {
  const at = r.pos;
  const hi = r.u32();
  const lo = r.u32();
  return hi <= MAX_SAFE_HI ? hi * TWO_POW_32 + lo : r.buf.toString('hex', at, at + 8);
}

/** ASCII without NUL padding. */
function text(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/\0/g, '').trim();
}

/** Joins parted elements, sets the `din` bitmask, applies fallbacks and the alarm flags. */
function finish(b: Building): void {
  const m = b.m;
  for (const c of COMBINED) {
    const present = c.ids.filter((id) => b.parts.has(id));
    if (present.length === 0) continue;
    if (present.length < c.ids.length) {
      for (const id of present) m[unknownParamName(id)] = b.parts.get(id)?.toString('hex') ?? '';
      continue;
    }
    const joined = Buffer.concat(c.ids.map((id) => b.parts.get(id) ?? Buffer.alloc(0)));
    const value = c.kind === 'hex' ? joined.toString('hex') : text(joined);
    if (value !== '' && !/^0+$/.test(value)) m[c.name] = value; // all-zero parts: no card / no VIN
  }
  let din = -1;
  for (let n = 1; n <= 4; n++) {
    const v = m[`din.${n}`];
    if (typeof v !== 'boolean') continue;
    if (din < 0) din = 0;
    if (v) din |= 1 << (n - 1);
  }
  if (din >= 0) m.din = din;
  for (const [name, from] of FALLBACKS) if (m[name] === undefined && m[from] !== undefined) m[name] = m[from];
  if (b.alarms.length > 0) {
    m['alarm.event.trigger'] = true;
    m['alarm.type'] = [...new Set(b.alarms)].join(',');
  }
}
