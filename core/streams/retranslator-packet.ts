/**
 * Wialon Retranslator packet encoder (pure): one message → one packet, byte for byte as described
 * in shared/streams/README.md ("Wialon Retranslator").
 *
 *   size u32 LE (bytes that follow) | ident ASCII 0x00 | time u32 BE | flags u32 BE | blocks…
 *   block: 0x0BBB u16 BE | size u32 BE (bytes after it) | attribute u8 | type u8 | name 0x00 | value
 */
import type { Message, MessageValue } from '../../protocols/common/types.js';

export const RETRANSLATOR_ACK = 0x11;
export const BLOCK_TYPE = 0x0bbb;
/** Attribute byte: 1 = visible. */
export const ATTR_VISIBLE = 1;

export const DATA_TYPES = { text: 1, binary: 2, int32: 3, double: 4, int64: 5 } as const;
export type DataType = (typeof DATA_TYPES)[keyof typeof DATA_TYPES];

export const FLAGS = { location: 0x01, digitalInputs: 0x02, digitalOutputs: 0x04, alarm: 0x10, driverId: 0x20 } as const;

/** Our dotted names → Wialon parameter names (the others: dots replaced by `_`). */
export const PARAM_NAMES = {
  'external.powersource.voltage': 'pwr_ext',
  din: 'avl_inputs',
  dout: 'avl_outputs',
} as const satisfies Record<string, string>;

/** Message fields that go into the `posinfo` block (and are not repeated as parameters). */
export const POSINFO_FIELDS = [
  'position.longitude',
  'position.latitude',
  'position.altitude',
  'position.speed',
  'position.direction',
  'position.satellites',
] as const;

/**
 * Hub metadata not sent as parameters: `ident`/`timestamp` are in the packet header; the others
 * describe the hub (Wialon keeps its own reception time and unit names), not the unit.
 */
export const SKIPPED_FIELDS = [
  'ident',
  'timestamp',
  'server.timestamp',
  'peer',
  'channel.id',
  'protocol.id',
  'device.id',
  'device.name',
  'device.type.id',
] as const;

const SKIPPED: ReadonlySet<string> = new Set<string>([...SKIPPED_FIELDS, ...POSINFO_FIELDS]);
const INT32 = { min: -0x8000_0000, max: 0x7fff_ffff } as const;

/** A message that cannot become a packet (no ident, no valid timestamp): retrying cannot help. */
export class RetranslatorEncodeError extends Error {
  override readonly name = 'RetranslatorEncodeError';
}

/** One data block's content before framing. */
export interface RetranslatorParam {
  readonly name: string;
  readonly type: DataType;
  readonly value: Buffer;
}

/** The Wialon parameter name for one of our names. */
export function paramName(name: string): string {
  return (PARAM_NAMES as Record<string, string>)[name] ?? name.replace(/\./g, '_');
}

/** Type and value bytes for one message value; undefined when it has no Wialon form (null, arrays). */
export function encodeValue(v: MessageValue): { type: DataType; value: Buffer } | undefined {
  if (typeof v === 'boolean') return { type: DATA_TYPES.int32, value: int32(v ? 1 : 0) };
  if (typeof v === 'string') return { type: DATA_TYPES.text, value: Buffer.concat([Buffer.from(v.replace(/\0/g, ''), 'utf8'), Buffer.of(0)]) };
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  if (Number.isInteger(v) && v >= INT32.min && v <= INT32.max) return { type: DATA_TYPES.int32, value: int32(v) };
  if (Number.isSafeInteger(v)) {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(v));
    return { type: DATA_TYPES.int64, value: b };
  }
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return { type: DATA_TYPES.double, value: b };
}

/** The `posinfo` value (29 bytes) when the message has a latitude and a longitude. */
export function encodePosinfo(m: Message): Buffer | undefined {
  const lat = m['position.latitude'];
  const lon = m['position.longitude'];
  if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon)) return undefined;
  const b = Buffer.alloc(29);
  b.writeDoubleLE(lon, 0);
  b.writeDoubleLE(lat, 8);
  b.writeDoubleLE(num(m['position.altitude']), 16);
  b.writeUInt16BE(clamp(num(m['position.speed']), 0xffff), 24);
  b.writeUInt16BE(clamp(num(m['position.direction']), 0xffff), 26);
  b.writeUInt8(clamp(num(m['position.satellites']), 0xff), 28);
  return b;
}

/** The parameters of a message in its key order; a name that two fields map to is kept once (first wins). */
export function messageParams(m: Message): RetranslatorParam[] {
  const out: RetranslatorParam[] = [];
  const seen = new Set<string>(['posinfo']);
  for (const [key, v] of Object.entries(m)) {
    if (SKIPPED.has(key)) continue;
    const name = paramName(key);
    const encoded = encodeValue(v);
    if (!encoded || seen.has(name) || name.includes('\0')) continue;
    seen.add(name);
    out.push({ name, ...encoded });
  }
  return out;
}

/** The packet flags: location, digital inputs/outputs, alarm. */
export function packetFlags(m: Message, hasPosition: boolean): number {
  let flags = 0;
  if (hasPosition) flags |= FLAGS.location;
  if (typeof m.din === 'number') flags |= FLAGS.digitalInputs;
  if (typeof m.dout === 'number') flags |= FLAGS.digitalOutputs;
  if (m['alarm.event.trigger'] === true) flags |= FLAGS.alarm;
  return flags;
}

/** One data block: 0x0BBB, size, attribute, type, name 0x00, value. */
export function encodeBlock(name: string, type: DataType, value: Buffer): Buffer {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  const head = Buffer.alloc(8);
  head.writeUInt16BE(BLOCK_TYPE, 0);
  head.writeUInt32BE(2 + nameBytes.length + value.length, 2);
  head.writeUInt8(ATTR_VISIBLE, 6);
  head.writeUInt8(type, 7);
  return Buffer.concat([head, nameBytes, value]);
}

/** The whole packet for one message; throws RetranslatorEncodeError when it has no ident or time. */
export function encodeRetranslatorPacket(m: Message): Buffer {
  const ident = m.ident;
  if (typeof ident !== 'string' || !/^[\x20-\x7e]{1,255}$/.test(ident))
    throw new RetranslatorEncodeError(`ident ${JSON.stringify(ident)} is not 1-255 printable ASCII characters`);
  const ts = m.timestamp;
  if (typeof ts !== 'number' || !(ts >= 0 && ts < 2 ** 32))
    throw new RetranslatorEncodeError(`timestamp ${JSON.stringify(ts)} of ${ident} is not Unix seconds within u32`);
  const pos = encodePosinfo(m);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(Math.floor(ts), 0);
  header.writeUInt32BE(packetFlags(m, pos !== undefined), 4);
  const blocks = messageParams(m).map((p) => encodeBlock(p.name, p.type, p.value));
  if (pos) blocks.unshift(encodeBlock('posinfo', DATA_TYPES.binary, pos));
  const body = Buffer.concat([Buffer.from(`${ident}\0`, 'ascii'), header, ...blocks]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(body.length);
  return Buffer.concat([size, body]);
}

function int32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
}

function num(v: MessageValue | undefined): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function clamp(v: number, max: number): number {
  return Math.min(max, Math.max(0, Math.round(v)));
}
