import { CRC16, crc16 } from '../common/crc.js';
import type { DeviceSimulator } from '../common/types.js';
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

/** The AVL data array: codec, count, records, count. */
export function avlData(records: readonly SimRecord[], codec: typeof Codec.C8 | typeof Codec.C8E = Codec.C8): Buffer {
  const wide = codec === Codec.C8E;
  const parts: Buffer[] = [Buffer.from([codec, records.length])];
  for (const r of records) parts.push(record(r, wide));
  parts.push(Buffer.from([records.length]));
  return Buffer.concat(parts);
}

/** A TCP AVL packet (preamble, length, codec, records, CRC) in Codec 8 or 8 Extended. */
export function avlPacket(records: readonly SimRecord[], codec: typeof Codec.C8 | typeof Codec.C8E = Codec.C8): Buffer {
  const data = avlData(records, codec);
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
  const groups = [
    [1, r.io1],
    [2, r.io2],
    [4, r.io4],
    [8, r.io8],
  ] as const;
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

/**
 * A UDP datagram: `length u16 | packet id u16 | 0x01 (no ack requested: 0x00) | AVL packet id u8 |
 * IMEI length u16 | IMEI | AVL data` (no CRC: UDP checks its own). The server answers
 * `0005 | packet id | 01 | AVL packet id | number of records`.
 */
export function udpPacket(
  imei: string,
  records: readonly SimRecord[],
  packetId: number,
  avlPacketId: number,
  codec: typeof Codec.C8 | typeof Codec.C8E = Codec.C8,
): Buffer {
  return udpDatagram(imei, avlData(records, codec), packetId, avlPacketId);
}

/** A device's Codec 12 response (type 0x06) carrying `text`, over UDP: the data field in the UDP channel header. */
export function udpCodec12Response(imei: string, text: string, packetId: number, avlPacketId: number): Buffer {
  const response = codec12Response(text);
  return udpDatagram(imei, response.subarray(8, response.length - 4), packetId, avlPacketId);
}

/** The command text inside a server's Codec 12 command datagram (UDP), or undefined if it is not one. */
export function udpCodec12Text(datagram: Buffer): string | undefined {
  if (datagram.length < 8) return undefined;
  const at = 8 + datagram.readUInt16BE(6);
  if (datagram.length < at + 8 || datagram[at] !== Codec.C12 || datagram[at + 2] !== 0x05) return undefined;
  return datagram.toString('latin1', at + 7, at + 7 + datagram.readUInt32BE(at + 3));
}

function udpDatagram(imei: string, data: Buffer, packetId: number, avlPacketId: number): Buffer {
  const b = Buffer.alloc(2 + 2 + 1 + 1 + 2 + imei.length + data.length);
  b.writeUInt16BE(b.length - 2, 0);
  b.writeUInt16BE(packetId & 0xffff, 2);
  b[4] = 0x01;
  b[5] = avlPacketId & 0xff;
  b.writeUInt16BE(imei.length, 6);
  b.write(imei, 8, 'latin1');
  data.copy(b, 8 + imei.length);
  return b;
}

/** A plausible record for simulated device `n`, report `seq`. */
export function simRecord(n: number, seq: number, atMs: number): SimRecord {
  return {
    timestampMs: atMs,
    latitude: 54.6 + (n % 1000) * 1e-3 + seq * 1e-5,
    longitude: 25.2 + Math.floor(n / 1000) * 1e-3,
    altitude: 120,
    angle: (seq * 7) % 360,
    satellites: 9,
    speed: 30 + (seq % 50),
    io1: { 239: 1, 240: 1 },
    io2: { 66: 12800 },
  };
}

/**
 * A simulated Teltonika tracker (hub simulate): IMEI handshake (answered `01`), then Codec 8
 * packets of one record, each acked with the record count (4 bytes). UDP datagrams carry the IMEI
 * and get a 7-byte ack.
 */
export const simulator: DeviceSimulator = {
  transports: ['tcp', 'udp'],
  identFor: (n) => String(356_000_000_000_000 + n),
  login: (ident) => handshake(ident),
  report(ident, n, seq, atMs, transport) {
    const rec = simRecord(n, seq, atMs);
    return transport === 'udp' ? udpPacket(ident, [rec], seq, seq) : avlPacket([rec]);
  },
  expected(_ident, n, seq, atMs) {
    const r = simRecord(n, seq, atMs);
    return {
      timestamp: r.timestampMs / 1000,
      'position.latitude': Math.round(r.latitude * 1e7) / 1e7,
      'position.longitude': Math.round(r.longitude * 1e7) / 1e7,
      'position.altitude': 120,
      'position.direction': (seq * 7) % 360,
      'position.satellites': 9,
      'position.speed': 30 + (seq % 50),
      'engine.ignition.status': true,
      'movement.status': true,
      'external.powersource.voltage': 12.8,
    };
  },
  replyLength: (buf, loggedIn) => (buf.length >= (loggedIn ? 4 : 1) ? (loggedIn ? 4 : 1) : undefined),
  loginAcked: true,
  reportsAcked: true,
};
