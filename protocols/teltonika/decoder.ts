import { CRC16, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import { Reader } from '../common/reader.js';
import type { CommandReply, DecodeContext, Decoded, Message } from '../common/types.js';
import { Codec, MessageType, PRIORITY, TCP_HEADER_SIZE } from './constants.js';
import { type FastRecord, fastEnd, fastRecordFor, type Shape } from './fast-path.js';
import { GH3000_TABLE } from './gh3000.js';
import { IO_TABLE, type IoDef, unknownIoName } from './io-map.js';

const crcArc = crc16(CRC16.ARC);
const TWO_POW_32 = 4294967296;
const MAX_SAFE_HI = 0x1fffff; // high word of an 8-byte value that still fits in 2^53

/** Layout switches for the AVL codecs (8, 8E, 16): sizes of ids, counts and the event id. */
interface Layout {
  readonly wideIds: boolean;
  readonly wideCounts: boolean;
  readonly generation: boolean;
  readonly variable: boolean;
}
const LAYOUTS: Record<number, Layout> = {
  [Codec.C8]: { wideIds: false, wideCounts: false, generation: false, variable: false },
  [Codec.C8E]: { wideIds: true, wideCounts: true, generation: false, variable: true },
  [Codec.C16]: { wideIds: true, wideCounts: false, generation: true, variable: false },
};

/** Decodes one Teltonika frame (TCP packet, handshake, keep-alive, or UDP datagram) into messages. */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const messages: Message[] = [];
  const commandReplies: CommandReply[] = [];
  const errors: CodecError[] = [];
  const out = { messages, commandReplies, errors };
  if (ctx.transport === 'udp') {
    decodeUdp(frame, ctx, out);
    return out;
  }
  if (frame.length < TCP_HEADER_SIZE || frame.readUInt32BE(0) !== 0) return out; // handshake or keep-alive
  const crcOk = checkCrc(frame);
  if (!crcOk) {
    const crcError = new CodecError(CodecErrorCode.Checksum, 'CRC-16/ARC of the data does not match the packet', frame.length - 4);
    if (ctx.options?.crc !== 'lenient') {
      errors.push(crcError);
      return out;
    }
  }
  const reader = new Reader(frame, TCP_HEADER_SIZE, Math.max(TCP_HEADER_SIZE, frame.length - 4));
  decodeData(reader, ctx, out);
  if (!crcOk) for (const m of messages) m['crc.valid'] = false;
  return out;
}

/** True when the CRC in the last 4 bytes matches the data field (codec id .. record count 2). */
export function checkCrc(frame: Buffer): boolean {
  const length = frame.readUInt32BE(4);
  const end = TCP_HEADER_SIZE + length;
  if (end + 4 !== frame.length) return false;
  return crcArc(frame, TCP_HEADER_SIZE, end) === frame.readUInt32BE(end);
}

function decodeUdp(frame: Buffer, ctx: DecodeContext, out: Decoded): void {
  const reader = new Reader(frame);
  try {
    reader.skip(2 + 2 + 1 + 1); // length, packet id, packet type, AVL packet id
    reader.skip(reader.u16()); // IMEI
  } catch (err) {
    out.errors.push(toCodecError(err));
    return;
  }
  decodeData(reader, ctx, out);
}

/** codec id, N1, records, N2 */
function decodeData(reader: Reader, ctx: DecodeContext, out: Decoded): void {
  try {
    const codec = reader.u8();
    const count = reader.u8();
    for (let i = 0; i < count; i++) {
      if (codec === Codec.C12 || codec === Codec.C13 || codec === Codec.C14) {
        const reply = decodeResponse(reader, codec);
        if (reply) {
          out.commandReplies.push(reply);
          const m: Message = { 'command.response': reply.response };
          if (reply.timestamp !== undefined) m.timestamp = reply.timestamp;
          out.messages.push(m);
        }
      } else if (codec === Codec.C7) {
        out.messages.push(decodeGh3000Record(reader));
      } else {
        const layout = LAYOUTS[codec];
        if (!layout) throw new CodecError(CodecErrorCode.Unsupported, `codec 0x${codec.toString(16)} is not supported`, reader.pos - 2);
        const extended = ctx.options?.settings?.extended === true;
        out.messages.push(ctx.options?.settings?.fast_path === false ? decodeAvlRecord(reader, layout, extended) : decodeAvlFast(reader, layout, extended));
      }
    }
    if (reader.remaining >= 1 && reader.u8() !== count) {
      out.errors.push(new CodecError(CodecErrorCode.Malformed, 'record counts N1 and N2 differ', reader.pos - 1));
    }
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
}

/** The record decoder generated for the last record shape seen, per layout. */
const lastFast = new Map<Layout, FastRecord>();

/** Tries the generated decoder of the last shape; on a different shape decodes generically and learns it. */
function decodeAvlFast(r: Reader, layout: Layout, extended: boolean): Message {
  const key = (extended && EXTENDED.get(layout)) || layout;
  const fast = lastFast.get(key);
  if (fast) {
    const m = fast(r.buf, r.pos, r.end);
    if (m) {
      r.pos = fastEnd.pos;
      return m;
    }
  }
  const start = r.pos;
  const m = decodeAvlRecord(r, layout, extended);
  const shape = scanShape(r.buf, start, layout, extended);
  if (shape) lastFast.set(key, fastRecordFor(shape));
  return m;
}

const EXTENDED = new Map(Object.values(LAYOUTS).map((l) => [l, { ...l }]));

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
  const position = b.readInt32BE(at + 9) !== 0 || b.readInt32BE(at + 13) !== 0;
  return { ...layout, extended, position, event, groups };
}

function decodeAvlRecord(r: Reader, layout: Layout, extended: boolean): Message {
  const b = r.buf;
  const at = r.pos;
  r.skip(24); // time 8, priority 1, GPS element 15
  const timestamp = (b.readUInt32BE(at) * TWO_POW_32 + b.readUInt32BE(at + 4)) / 1000;
  const priority = b[at + 8];
  const lon = b.readInt32BE(at + 9);
  const lat = b.readInt32BE(at + 13);
  const sats = b[at + 21];
  const m: Message =
    lat !== 0 || lon !== 0
      ? {
          timestamp,
          'position.latitude': lat / 1e7,
          'position.longitude': lon / 1e7,
          'position.altitude': b.readInt16BE(at + 17),
          'position.direction': (b[at + 19] << 8) | b[at + 20],
          'position.speed': (b[at + 22] << 8) | b[at + 23],
          'position.satellites': sats,
          'position.valid': sats > 0,
          'priority.enum': PRIORITY[priority] ?? priority,
        }
      : { timestamp, 'priority.enum': PRIORITY[priority] ?? priority };
  const eventId = layout.wideIds ? r.u16() : r.u8();
  if (eventId !== 0) m['event.enum'] = eventId;
  if (layout.generation) m['generation.type.enum'] = r.u8();
  r.skip(layout.wideCounts ? 2 : 1); // total IO count
  bits.din = -1;
  bits.dout = -1;
  readIoGroup(r, m, layout, 1);
  readIoGroup(r, m, layout, 2);
  readIoGroup(r, m, layout, 4);
  readIoGroup(r, m, layout, 8);
  if (extended) readIoGroup(r, m, layout, 16);
  if (layout.variable) readVariableGroup(r, m);
  if (bits.din >= 0) m.din = bits.din;
  if (bits.dout >= 0) m.dout = bits.dout;
  return m;
}

/** din/dout bitmasks of the record being decoded (decoding is synchronous, so one scratch pair serves). */
const bits = { din: -1, dout: -1 };

function readIoGroup(r: Reader, m: Message, layout: Layout, size: number): void {
  const count = layout.wideCounts ? r.u16() : r.u8();
  const b = r.buf;
  for (let j = 0; j < count; j++) {
    const id = layout.wideIds ? r.u16() : r.u8();
    const def = IO_TABLE[id];
    if (size > 8 || (def !== undefined && (def.kind === 'hex' || def.kind === 'ascii'))) {
      const bytes = r.bytes(size);
      m[def ? def.name : unknownIoName(id)] = def?.kind === 'ascii' ? bytes.toString('latin1', 0, size) : bytes.toString('hex');
      continue;
    }
    const at = r.pos;
    r.skip(size);
    let value: number | string;
    if (size === 1) value = b[at];
    else if (size === 2) value = (b[at] << 8) | b[at + 1];
    else if (size === 4) value = b.readUInt32BE(at);
    else {
      const hi = b.readUInt32BE(at);
      value = hi <= MAX_SAFE_HI ? hi * TWO_POW_32 + b.readUInt32BE(at + 4) : b.toString('hex', at, at + 8);
    }
    if (def === undefined) {
      m[unknownIoName(id)] = value;
      continue;
    }
    m[def.name] = convert(def, value, size);
    if (def.bitmask !== undefined) {
      if (bits[def.bitmask] < 0) bits[def.bitmask] = 0;
      if (value !== 0) bits[def.bitmask] |= 1 << (def.bit ?? 0);
    }
  }
}

function convert(def: IoDef, raw: number | string, size: number): number | boolean | string {
  if (typeof raw === 'string') return raw;
  if (def.kind === 'bool') return raw !== 0;
  let v = raw;
  if (def.kind === 's' && size < 8) {
    const half = 2 ** (size * 8 - 1);
    if (v >= half) v -= half * 2;
  }
  return def.div === undefined ? v : v / def.div;
}

function readVariableGroup(r: Reader, m: Message): void {
  const count = r.u16();
  for (let j = 0; j < count; j++) {
    const id = r.u16();
    const length = r.u16();
    const bytes = r.bytes(length);
    const def = IO_TABLE[id];
    m[def ? def.name : unknownIoName(id)] = def?.kind === 'ascii' ? bytes.toString('latin1', 0, length) : bytes.toString('hex');
  }
}

/** Codec 12/13/14 record: type, size, [timestamp], payload. */
function decodeResponse(r: Reader, codec: number): CommandReply | undefined {
  const type = r.u8();
  let size = r.u32();
  let timestamp: number | undefined;
  if (codec === Codec.C13) {
    timestamp = r.u32();
    size -= 4;
  }
  if (codec === Codec.C14 && type !== MessageType.Camera) {
    r.skip(8); // IMEI as BCD digits
    size -= 8;
  }
  const payload = r.bytes(Math.max(0, size));
  if (type === MessageType.Camera) return undefined; // DualCam file transfer, not a command reply
  const printable = payload.every((b) => b >= 32 || b === 0x0d || b === 0x0a);
  const reply: CommandReply = {
    response: printable ? payload.toString('latin1', 0, payload.length).trim() : payload.toString('hex'),
    executed: type !== MessageType.Nack,
    ...(printable ? {} : { hex: payload.toString('hex') }),
    ...(timestamp !== undefined ? { timestamp } : {}),
  };
  return reply;
}

/** GH3000 (codec 7): 30-bit time since 2007, masks select the GPS fields and IO groups present. */
function decodeGh3000Record(r: Reader): Message {
  const m: Message = { timestamp: (r.u32() & 0x3fffffff) + 1167609600 };
  const globalMask = r.u8();
  if (globalMask & 0x01) {
    const mask = r.u8();
    if (mask & 0x01) {
      const lat = r.buf.readFloatBE(r.pos);
      const lon = r.buf.readFloatBE(r.pos + 4);
      r.skip(8);
      m['position.latitude'] = Math.round(lat * 1e7) / 1e7;
      m['position.longitude'] = Math.round(lon * 1e7) / 1e7;
      m['position.valid'] = true;
    }
    if (mask & 0x02) m['position.altitude'] = r.u16();
    if (mask & 0x04) m['position.direction'] = Math.round((r.u8() * 360) / 256);
    if (mask & 0x08) m['position.speed'] = r.u8();
    if (mask & 0x10) m['position.satellites'] = r.u8();
    if (mask & 0x20) {
      m['gsm.lac'] = r.u16();
      m['gsm.cellid'] = r.u16();
    }
    if (mask & 0x40) m['gsm.signal.level'] = r.u8();
    if (mask & 0x80) m['gsm.operator.code'] = r.u32();
  }
  for (const [bit, size] of [
    [0x02, 1],
    [0x04, 2],
    [0x08, 4],
  ] as const) {
    if (!(globalMask & bit)) continue;
    const count = r.u8();
    for (let j = 0; j < count; j++) {
      const id = r.u8();
      const value = r.uint(size);
      const def = GH3000_TABLE[id];
      m[def ? def.name : `io.${id}`] = def ? convert(def, value, size) : value;
    }
  }
  return m;
}
