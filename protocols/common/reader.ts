import { ReadPastEndError } from './errors.js';

/**
 * A bounds-checked big-endian cursor over a frame. Reading past the end throws ReadPastEndError,
 * which every decoder catches at its edge and returns as a typed `truncated` error.
 */
export class Reader {
  pos: number;
  readonly end: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    const at = this.pos;
    if (at + n > this.end) throw new ReadPastEndError(at, n, this.end);
    this.pos = at + n;
    return at;
  }

  skip(n: number): void {
    this.need(n);
  }
  u8(): number {
    return this.buf[this.need(1)];
  }
  i8(): number {
    return this.buf.readInt8(this.need(1));
  }
  u16(): number {
    const at = this.need(2);
    return (this.buf[at] << 8) | this.buf[at + 1];
  }
  i16(): number {
    return this.buf.readInt16BE(this.need(2));
  }
  u16le(): number {
    const at = this.need(2);
    return this.buf[at] | (this.buf[at + 1] << 8);
  }
  i16le(): number {
    return this.buf.readInt16LE(this.need(2));
  }
  u24(): number {
    const at = this.need(3);
    return (this.buf[at] << 16) | (this.buf[at + 1] << 8) | this.buf[at + 2];
  }
  u32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }
  i32(): number {
    return this.buf.readInt32BE(this.need(4));
  }
  u32le(): number {
    return this.buf.readUInt32LE(this.need(4));
  }
  i32le(): number {
    return this.buf.readInt32LE(this.need(4));
  }
  /** Unsigned 64-bit as a JS number (exact up to 2^53; larger values lose low bits). */
  u64(): number {
    const at = this.need(8);
    return this.buf.readUInt32BE(at) * 4294967296 + this.buf.readUInt32BE(at + 4);
  }
  /** Signed 64-bit as a JS number (exact within ±2^53). */
  i64(): number {
    const at = this.need(8);
    return this.buf.readInt32BE(at) * 4294967296 + this.buf.readUInt32BE(at + 4);
  }
  /** Unsigned big-endian integer of 1..6 bytes. */
  uint(n: number): number {
    return this.buf.readUIntBE(this.need(n), n);
  }
  bytes(n: number): Buffer {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }
  ascii(n: number): string {
    const at = this.need(n);
    return this.buf.toString('latin1', at, at + n);
  }
}

/** Parses hex (spaces allowed); returns undefined for odd length or non-hex characters. */
export function fromHex(text: string): Buffer | undefined {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return undefined;
  return Buffer.from(clean, 'hex');
}

/** Packed BCD digits of a byte range as a string ("0864..."). */
export function bcd(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += (buf[i] >> 4).toString(16) + (buf[i] & 0x0f).toString(16);
  return s;
}
