import { crc16, CRC16 } from '../common/crc.js';
import { Codec } from './constants.js';

/**
 * The device side of Teltonika, for simulators, tests and benchmarks: builds what a tracker sends
 * (handshake, Codec 8 / 8E AVL packets) from plain records.
 */
export interface SimRecord {
  /** ms since epoch */
  readonly timestampMs: number;
  readonly latitude: number;
  readonly longitude: number;
  readonly altitude?: number;
  readonly angle?: number;
  readonly satellites?: number;
  readonly speed?: number;
  readonly priority?: number;
  readonly eventId?: number;
  /** IO elements by size: id → value */
  readonly io1?: Readonly<Record<number, number>>;
  readonly io2?: Readonly<Record<number, number>>;
  readonly io4?: Readonly<Record<number, number>>;
  readonly io8?: Readonly<Record<number, number>>;
}

const crcArc = crc16(CRC16.ARC);

export function handshake(imei: string): Buffer {
  const b = Buffer.alloc(2 + imei.length);
  b.writeUInt16BE(imei.length, 0);
  b.write(imei, 2, 'latin1');
  return b;
}

/** A TCP AVL packet (preamble, length, codec, records, CRC) in Codec 8 or 8 Extended. */
export function avlPacket(records: readonly SimRecord[], codec: typeof Codec.C8 | typeof Codec.C8E = Codec.C8): Buffer {
  const wide = codec === Codec.C8E;
  const parts: Buffer[] = [Buffer.from([codec, records.length])];
  for (const r of records) parts.push(record(r, wide));
  parts.push(Buffer.from([records.length]));
  const data = Buffer.concat(parts);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 4);
  data.copy(out, 8);
  out.writeUInt32BE(crcArc(data), 8 + data.length);
  return out;
}

function record(r: SimRecord, wide: boolean): Buffer {
  const head = Buffer.alloc(8 + 1 + 15);
  head.writeUInt32BE(Math.floor(r.timestampMs / 2 ** 32), 0);
  head.writeUInt32BE(r.timestampMs % 2 ** 32, 4);
  head[8] = r.priority ?? 0;
  head.writeInt32BE(Math.round(r.longitude * 1e7), 9);
  head.writeInt32BE(Math.round(r.latitude * 1e7), 13);
  head.writeInt16BE(r.altitude ?? 0, 17);
  head.writeUInt16BE(r.angle ?? 0, 19);
  head[21] = r.satellites ?? 0;
  head.writeUInt16BE(r.speed ?? 0, 22);
  const groups = [[1, r.io1], [2, r.io2], [4, r.io4], [8, r.io8]] as const;
  const total = groups.reduce((n, [, g]) => n + Object.keys(g ?? {}).length, 0);
  const io: number[] = [];
  const push = (v: number, n: number) => {
    for (let i = n - 1; i >= 0; i--) io.push(Math.floor(v / 256 ** i) % 256);
  };
  push(r.eventId ?? 0, wide ? 2 : 1);
  push(total, wide ? 2 : 1);
  for (const [size, group] of groups) {
    const entries = Object.entries(group ?? {});
    push(entries.length, wide ? 2 : 1);
    for (const [id, value] of entries) {
      push(Number(id), wide ? 2 : 1);
      push(value, size);
    }
  }
  if (wide) push(0, 2); // no variable-length elements
  return Buffer.concat([head, Buffer.from(io)]);
}

/** A device's Codec 12 response (type 0x06) carrying `text`. */
export function codec12Response(text: string): Buffer {
  const payload = Buffer.from(text, 'latin1');
  const dataLength = 1 + 1 + 1 + 4 + payload.length + 1;
  const b = Buffer.alloc(8 + dataLength + 4);
  b.writeUInt32BE(dataLength, 4);
  b[8] = Codec.C12;
  b[9] = 1;
  b[10] = 0x06;
  b.writeUInt32BE(payload.length, 11);
  payload.copy(b, 15);
  b[15 + payload.length] = 1;
  b.writeUInt32BE(crcArc(b, 8, 8 + dataLength), 8 + dataLength);
  return b;
}

/** The command text inside a server's Codec 12 command packet, or undefined if it is not one. */
export function codec12Text(packet: Buffer): string | undefined {
  if (packet.length < 20 || packet.readUInt32BE(0) !== 0 || packet[8] !== Codec.C12 || packet[10] !== 0x05) return undefined;
  const size = packet.readUInt32BE(11);
  return packet.toString('latin1', 15, 15 + size);
}
