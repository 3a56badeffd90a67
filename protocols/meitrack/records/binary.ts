import { CodecError, CodecErrorCode, toCodecError } from '../../common/errors.js';
import { convertParam, unknownParamName } from '../../common/params.js';
import { Reader } from '../../common/reader.js';
import type { Decoded, Message } from '../../common/types.js';
import { CCC_RECORD_SIZE, CCE_EXTENDED_ID, Y2K } from '../constants.js';
import { type Header, parsePhotoPacket } from '../packet.js';
import { type BinaryType, CCC_RECORD, CCE_FIXED, CCE_VARIABLE, type VariableKind } from '../params.js';

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
    for (const [name, type, divisor] of CCC_RECORD) setBinary(m, name, type, readBinary(r, type), divisor);
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

function setBinary(m: Message, name: string, type: BinaryType, value: number, divisor?: number): void {
  if (type === 'io') {
    m.din = value & 0xff; // first byte on the wire: inputs (as in the text "IIOO" field)
    m.dout = value >> 8;
  } else if (type === 'flag') m[name] = value === 1;
  else if (type === 'time') m[name] = value + Y2K;
  else m[name] = divisor === undefined ? value : value / divisor;
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
  if (!def) m[unknownParamName(id)] = raw;
  else if (def.as === 'time') m[def.name] = raw + Y2K;
  else if (def.as === 'text') m[def.name] = String(raw);
  else m[def.name] = convertParam(def, raw, size);
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
  m[unknownParamName(id)] = bytes.toString('hex');
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

/** D00 picture packet (T622 protocol §3.46): one message with the file name, packet count and index, and the JPEG bytes as hex. */
export function decodePhoto(frame: Buffer, h: Header, out: Decoded): void {
  const packet = parsePhotoPacket(frame, h);
  if (packet instanceof CodecError) throw packet;
  out.messages.push({
    'meitrack.photo.file': packet.file,
    'meitrack.photo.packets': packet.total,
    'meitrack.photo.packet': packet.index,
    'meitrack.photo.data': packet.data.toString('hex'),
  });
}
