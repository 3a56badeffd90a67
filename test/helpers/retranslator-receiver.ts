/**
 * A Wialon Retranslator receiver for tests, written from shared/streams/README.md (not from our
 * encoder): parses every packet byte by byte, checks every length and terminator, records what it
 * got and answers 0x11 per packet. `mode` simulates failures: `silent` (no ack), `close` (drops
 * the connection on the next packet).
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface ReceivedBlock {
  readonly attribute: number;
  readonly type: number;
  readonly name: string;
  /** text → string, int32/int64 → number|bigint, double → number, binary → Buffer */
  readonly value: string | number | bigint | Buffer;
}

export interface ReceivedPosition {
  readonly lon: number;
  readonly lat: number;
  readonly alt: number;
  readonly speed: number;
  readonly course: number;
  readonly satellites: number;
}

export interface ReceivedPacket {
  readonly raw: Buffer;
  readonly ident: string;
  readonly time: number;
  readonly flags: number;
  readonly blocks: readonly ReceivedBlock[];
  readonly position?: ReceivedPosition;
  /** index of the connection it arrived on (1 = first) */
  readonly connection: number;
}

export type ReceiverMode = 'ack' | 'silent' | 'close';

export class RetranslatorReceiver {
  readonly packets: ReceivedPacket[] = [];
  /** Protocol violations found (any entry fails a test that checks it). */
  readonly errors: string[] = [];
  mode: ReceiverMode = 'ack';
  /** The acknowledgement byte (0x11 per the protocol; change it to test a wrong answer). */
  ackByte = 0x11;
  connections = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(readonly port: number) {}

  async start(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const connection = ++this.connections;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4) {
        const size = buf.readUInt32LE(0);
        if (buf.length < 4 + size) return;
        const raw = buf.subarray(0, 4 + size);
        buf = buf.subarray(4 + size);
        if (this.mode === 'close') {
          socket.destroy();
          return;
        }
        if (this.receive(raw, connection) && this.mode === 'ack') socket.write(Buffer.of(this.ackByte));
      }
    });
  }

  /** Records one packet; false (and no ack) when it breaks the protocol. */
  private receive(raw: Buffer, connection: number): boolean {
    try {
      this.packets.push({ ...parsePacket(raw), raw, connection });
      return true;
    } catch (err) {
      this.errors.push(`${(err as Error).message} in ${raw.toString('hex')}`);
      return false;
    }
  }
}

/** Parses one whole packet (size field included); throws naming the first violation. */
export function parsePacket(raw: Buffer): Omit<ReceivedPacket, 'raw' | 'connection'> {
  const r = new Reader(raw);
  const size = r.u32le('size');
  if (size !== raw.length - 4) throw new Error(`size ${size} but ${raw.length - 4} bytes follow`);
  const ident = r.cstring('ident', raw.length);
  if (!/^[\x20-\x7e]+$/.test(ident)) throw new Error(`ident ${JSON.stringify(ident)} is not printable ASCII`);
  const time = r.u32be('time');
  const flags = r.u32be('flags');
  const blocks: ReceivedBlock[] = [];
  let position: ReceivedPosition | undefined;
  while (r.left() > 0) {
    const blockType = r.u16be('block type');
    if (blockType !== 0x0bbb) throw new Error(`block type 0x${blockType.toString(16)} at ${r.pos - 2}, expected 0x0bbb`);
    const blockSize = r.u32be('block size');
    const end = r.pos + blockSize;
    if (end > raw.length) throw new Error(`block size ${blockSize} runs past the packet end`);
    const attribute = r.u8('attribute');
    const type = r.u8('data type');
    const name = r.cstring('block name', end);
    const value = readValue(r, type, name, end);
    if (r.pos !== end) throw new Error(`block ${name}: value ends at ${r.pos}, block size says ${end}`);
    if (name === 'posinfo') {
      if (type !== 2 || blockSize !== 39) throw new Error(`posinfo must be type 2 with block size 39, got type ${type} size ${blockSize}`);
      position = readPosition(value as Buffer);
    }
    blocks.push({ attribute, type, name, value });
  }
  return { ident, time, flags, blocks, position };
}

function readValue(r: Reader, type: number, name: string, end: number): ReceivedBlock['value'] {
  switch (type) {
    case 1: {
      const text = r.cstring(`text of ${name}`, end);
      return text;
    }
    case 2:
      return r.bytes(end - r.pos, `binary of ${name}`);
    case 3:
      return r.i32be(`int32 of ${name}`);
    case 4:
      return r.f64le(`double of ${name}`);
    case 5:
      return r.i64be(`int64 of ${name}`);
    default:
      throw new Error(`block ${name}: unknown data type ${type}`);
  }
}

function readPosition(b: Buffer): ReceivedPosition {
  if (b.length !== 29) throw new Error(`posinfo value is ${b.length} bytes, expected 29`);
  return {
    lon: b.readDoubleLE(0),
    lat: b.readDoubleLE(8),
    alt: b.readDoubleLE(16),
    speed: b.readUInt16BE(24),
    course: b.readUInt16BE(26),
    satellites: b.readUInt8(28),
  };
}

class Reader {
  pos = 0;
  constructor(private readonly b: Buffer) {}
  left(): number {
    return this.b.length - this.pos;
  }
  private need(n: number, what: string): void {
    if (this.left() < n) throw new Error(`${what}: needs ${n} bytes at ${this.pos}, ${this.left()} left`);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.b.readUInt8(this.pos++);
  }
  u16be(what: string): number {
    this.need(2, what);
    const v = this.b.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32be(what: string): number {
    this.need(4, what);
    const v = this.b.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  u32le(what: string): number {
    this.need(4, what);
    const v = this.b.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  i32be(what: string): number {
    this.need(4, what);
    const v = this.b.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  i64be(what: string): bigint {
    this.need(8, what);
    const v = this.b.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  f64le(what: string): number {
    this.need(8, what);
    const v = this.b.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }
  bytes(n: number, what: string): Buffer {
    this.need(n, what);
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return Buffer.from(v);
  }
  /** Bytes up to a 0x00 before `end` (the terminator is consumed). */
  cstring(what: string, end: number): string {
    const zero = this.b.indexOf(0, this.pos);
    if (zero < 0 || zero >= end) throw new Error(`${what}: no 0x00 terminator before ${end}`);
    const s = this.b.subarray(this.pos, zero).toString('utf8');
    this.pos = zero + 1;
    return s;
  }
}
