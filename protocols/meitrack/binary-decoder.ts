import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import { Reader } from '../common/reader.js';
import type { Decoded, Message } from '../common/types.js';
import { CCC_RECORD_SIZE, CCE_EXTENDED_ID, COMMA, Y2K } from './constants.js';
import type { Header } from './header.js';
import { type BinaryType, CCC_RECORD, CCE_FIXED, CCE_VARIABLE, type VariableKind } from './params.js';

/** Record size and count of a CCC batch, for the ack (no decode). */
export function cccRecordCount(frame: Buffer, h: Header): number {
  if (h.end - h.body < 8) return 0;
  const size = frame.readUInt16LE(h.body + 2);
  return size < CCC_RECORD_SIZE ? 0 : Math.floor((h.end - h.body - 8) / size);
}

/** CCC (T622 protocol §3.45): version u16, record size u16, remaining cache u32, then fixed records (LE). */
export function decodeCcc(frame: Buffer, h: Header, out: Decoded): void {
  const r = new Reader(frame, h.body, h.end);
  const version = r.u16le();
  const size = r.u16le();
  const remaining = r.u32le();
  if (size < CCC_RECORD_SIZE) {
    throw new CodecError(
      CodecErrorCode.Unsupported,
      `CCC protocol 0x${version.toString(16)} has ${size}-byte records, ${CCC_RECORD_SIZE} expected`,
      h.body + 2,
    );
  }
  while (r.remaining >= size) {
    const start = r.pos;
    const m: Message = {};
    for (const [name, type, div] of CCC_RECORD) setBinary(m, name, type, readBinary(r, type), div);
    m['meitrack.cache.remaining'] = remaining;
    out.messages.push(m);
    r.pos = start + size;
  }
  if (r.remaining > 0) out.errors.push(new CodecError(CodecErrorCode.Truncated, `${r.remaining} byte(s) after the last CCC record`, r.pos));
}

function readBinary(r: Reader, type: BinaryType): number {
  switch (type) {
    case 'u8':
    case 'flag':
      return r.u8();
    case 'u16':
    case 'io':
      return r.u16le();
    case 'i16':
      return r.i16le();
    case 'u32':
    case 'time':
      return r.u32le();
    case 'i32':
      return r.i32le();
  }
}

function setBinary(m: Message, name: string, type: BinaryType, value: number, div?: number): void {
  if (type === 'io') {
    m.din = value & 0xff; // first byte on the wire: inputs (as in the text "IIOO" field)
    m.dout = value >> 8;
  } else if (type === 'flag') m[name] = value === 1;
  else if (type === 'time') m[name] = value + Y2K;
  else m[name] = div === undefined ? value : value / div;
}

/**
 * CCE (T366/T633L protocol): remaining cache u32, record count u16, then per record: length u16
 * (index + parameters), index u16, and four parameter groups — 1-, 2-, 4-byte values and
 * id/length/bytes — each a count byte and ids of one byte, or two when the first is 0xFE.
 */
export function decodeCce(frame: Buffer, h: Header, out: Decoded): void {
  const r = new Reader(frame, h.body, h.end);
  const remaining = r.u32le();
  const count = r.u16le();
  for (let i = 0; i < count; i++) {
    const length = r.u16le();
    const start = r.pos;
    const end = Math.min(start + length, h.end);
    try {
      const m = readCceRecord(new Reader(frame, start, end));
      m['meitrack.cache.remaining'] = remaining;
      out.messages.push(m);
    } catch (err) {
      out.errors.push(toCodecError(err));
    }
    if (start + length > h.end) {
      out.errors.push(new CodecError(CodecErrorCode.Truncated, `CCE record ${i + 1} of ${count} ends past the frame`, start));
      return;
    }
    r.pos = end;
  }
}

function readCceRecord(r: Reader): Message {
  const m: Message = { 'meitrack.record.index': r.u16le() };
  for (const size of [1, 2, 4] as const) {
    const n = r.u8();
    for (let j = 0; j < n; j++) {
      const id = readId(r);
      setFixed(m, size, id, size === 1 ? r.u8() : size === 2 ? r.u16le() : r.u32le());
    }
  }
  const n = r.u8();
  for (let j = 0; j < n; j++) {
    const id = readId(r);
    setVariable(m, id, r.bytes(r.u8()));
  }
  return m;
}

function readId(r: Reader): number {
  return r.buf[r.pos] === CCE_EXTENDED_ID ? r.u16() : r.u8();
}

function setFixed(m: Message, size: 1 | 2 | 4, id: number, raw: number): void {
  const def = CCE_FIXED[size].get(id);
  if (!def) {
    m[`io.${id}`] = raw;
    return;
  }
  const half = 2 ** (size * 8 - 1);
  const value = def.kind === 's' && raw >= half ? raw - 2 * half : raw;
  if (def.kind === 'bool') m[def.name] = raw > 0;
  else if (def.kind === 'time') m[def.name] = raw + Y2K;
  else if (def.kind === 'text') m[def.name] = String(raw);
  else m[def.name] = def.div === undefined ? value : value / def.div;
}

/** Variable-length parameters with a known layout; any other (or one that does not fit) is kept as `io.<id>` hex. */
function setVariable(m: Message, id: number, bytes: Buffer): void {
  const def = CCE_VARIABLE.get(id);
  if (def) {
    try {
      VARIABLE[def.kind](m, def.name, new Reader(bytes));
      return;
    } catch {
      // layout did not match: keep the raw bytes below
    }
  }
  m[`io.${id}`] = bytes.toString('hex');
}

const VARIABLE: Readonly<Record<VariableKind, (m: Message, name: string, r: Reader) => void>> = {
  cell: (m, name, r) => {
    const [mcc, mnc, lac, cellid, dbm] = [r.u16le(), r.u16le(), r.u16le(), r.u32le(), r.i16le()];
    Object.assign(m, { [`${name}.mcc`]: mcc, [`${name}.mnc`]: mnc, [`${name}.lac`]: lac, [`${name}.cellid`]: cellid, [`${name}.signal.dbm`]: dbm });
  },
  temperature: (m, name, r) => {
    r.u8(); // sensor label
    m[name] = r.i16le() / 100;
  },
  rfid: (m, name, r) => {
    const code = r.ascii(r.remaining).replace(/[\s|]/g, '');
    if (code) m[name] = code;
  },
  alarm: (m, name, r) => {
    const protocol = r.u8();
    m[`${name}.type`] = r.u8();
    m[`${name}.protocol`] = protocol;
    if (protocol !== 2 || r.remaining === 0) return;
    const file = r.ascii(r.remaining);
    const day = /^(\d{4})(\d{2})(\d{2})/.exec(file);
    m['image.file'] = day ? `${day[1]}-${day[2]}-${day[3]}/${file}` : file;
  },
  ble_tag: (m, name, r) => {
    r.u8(); // version
    m[`${name}.name`] = r.ascii(r.u8());
    m[`${name}.mac`] = r.bytes(6).toString('hex');
    m[`${name}.battery.level`] = r.u8();
    m[`${name}.temperature`] = r.i16le() / 256;
    m[`${name}.humidity`] = r.i16le() / 256;
  },
  batteries: (m, name, r) => {
    for (let k = 1; k <= 3; k++) {
      const present = r.u8();
      const level = r.u8();
      if (present > 0) m[k === 1 ? `${name}.level` : `${name}.${k}.level`] = level;
    }
    m['meitrack.battery.alert'] = r.u8();
  },
};

/** D00 picture packet: `D00,<file>,<packets>,<packet index>,<JPEG bytes>` (T622 protocol §3.46). */
export interface PhotoPacket {
  readonly file: string;
  readonly total: number;
  readonly index: number;
  readonly data: Buffer;
}

export function parsePhotoPacket(frame: Buffer, h: Header): PhotoPacket | CodecError {
  const c1 = frame.indexOf(COMMA, h.body);
  const c2 = c1 < 0 ? -1 : frame.indexOf(COMMA, c1 + 1);
  const c3 = c2 < 0 ? -1 : frame.indexOf(COMMA, c2 + 1);
  if (c3 < 0 || c3 > h.end) return new CodecError(CodecErrorCode.Malformed, 'D00 packet lacks file name, packet count or index', h.body);
  const total = Number(frame.toString('latin1', c1 + 1, c2));
  const index = Number(frame.toString('latin1', c2 + 1, c3));
  if (!Number.isInteger(total) || !Number.isInteger(index))
    return new CodecError(CodecErrorCode.Malformed, 'D00 packet count or index is not a number', c1 + 1);
  return { file: frame.toString('latin1', h.body, c1), total, index, data: frame.subarray(c3 + 1, h.end) };
}
