import { crc16, CRC16 } from '../common/crc.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import { Reader } from '../common/reader.js';
import type { CommandReply, DecodeContext, Decoded, Message } from '../common/types.js';
import { Codec, MessageType, PRIORITY, TCP_HEADER_SIZE } from './constants.js';
import { GH3000_TABLE } from './gh3000.js';
import { IO_TABLE, type IoDef } from './io-map.js';

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
        out.messages.push(decodeAvlRecord(reader, layout, ctx.options?.settings?.extended === true));
      }
    }
    if (reader.remaining >= 1 && reader.u8() !== count) {
      out.errors.push(new CodecError(CodecErrorCode.Malformed, 'record counts N1 and N2 differ', reader.pos - 1));
    }
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
}

function decodeAvlRecord(r: Reader, layout: Layout, extended: boolean): Message {
  const m: Message = { timestamp: r.u64() / 1000 };
  const priority = r.u8();
  const lon = r.i32();
  const lat = r.i32();
  const alt = r.i16();
  const angle = r.u16();
  const sats = r.u8();
  const speed = r.u16();
  if (lat !== 0 || lon !== 0) {
    m['position.latitude'] = lat / 1e7;
    m['position.longitude'] = lon / 1e7;
    m['position.altitude'] = alt;
    m['position.direction'] = angle;
    m['position.speed'] = speed;
    m['position.satellites'] = sats;
    m['position.valid'] = sats > 0;
  }
  m['priority.enum'] = PRIORITY[priority] ?? priority;
  const eventId = layout.wideIds ? r.u16() : r.u8();
  if (eventId !== 0) m['event.enum'] = eventId;
  if (layout.generation) m['generation.type.enum'] = r.u8();
  if (layout.wideCounts) r.skip(2);
  else r.skip(1); // total IO count
  const bits = { din: -1, dout: -1 };
  for (const size of [1, 2, 4, 8]) readIoGroup(r, m, layout, size, bits);
  if (extended) readIoGroup(r, m, layout, 16, bits);
  if (layout.variable) readVariableGroup(r, m);
  if (bits.din >= 0) m.din = bits.din;
  if (bits.dout >= 0) m.dout = bits.dout;
  return m;
}

function readIoGroup(r: Reader, m: Message, layout: Layout, size: number, bits: { din: number; dout: number }): void {
  const count = layout.wideCounts ? r.u16() : r.u8();
  for (let j = 0; j < count; j++) {
    const id = layout.wideIds ? r.u16() : r.u8();
    const def = IO_TABLE[id];
    if (size > 8 || def?.kind === 'hex' || def?.kind === 'ascii') {
      const bytes = r.bytes(size);
      m[def ? def.name : `io.${id}`] = def?.kind === 'ascii' ? bytes.toString('latin1', 0, size) : bytes.toString('hex');
      continue;
    }
    const value = size === 8 ? readU64(r) : r.uint(size);
    if (!def) {
      m[`io.${id}`] = value;
      continue;
    }
    m[def.name] = convert(def, value, size);
    if (def.kind === 'bool' && def.name.length === 5) trackBit(bits, def.name, value !== 0);
  }
}

/** Sets din/dout bitmask bits from `din.N` / `dout.N` elements. */
function trackBit(bits: { din: number; dout: number }, name: string, on: boolean): void {
  const group = name.startsWith('din.') ? 'din' : name.startsWith('dout') ? 'dout' : undefined;
  if (!group) return;
  const bit = Number(name.slice(name.indexOf('.') + 1)) - 1;
  if (bits[group] < 0) bits[group] = 0;
  if (on) bits[group] |= 1 << bit;
}

function readU64(r: Reader): number | string {
  const at = r.pos;
  const hi = r.u32();
  const lo = r.u32();
  return hi <= MAX_SAFE_HI ? hi * TWO_POW_32 + lo : r.buf.toString('hex', at, at + 8);
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
    m[def ? def.name : `io.${id}`] = def?.kind === 'ascii' ? bytes.toString('latin1', 0, length) : bytes.toString('hex');
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
  for (const [bit, size] of [[0x02, 1], [0x04, 2], [0x08, 4]] as const) {
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
