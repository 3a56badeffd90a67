import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * The local queue's journal on disk: numbered segment files (`00000001.log`, ...) of records
 * `length u32 LE | CRC-32 of the payload u32 LE | payload` (the payload is an SQS message body).
 * A record whose length runs past the end of the file or whose CRC does not match ends the valid
 * part of a segment (a torn write: never acknowledged).
 */
export const HEADER = 8;

/** A record as written: its bytes, header included. */
export function encodeRecord(body: string): Buffer {
  const payload = Buffer.from(body);
  const buf = Buffer.allocUnsafe(HEADER + payload.length);
  buf.writeUInt32LE(payload.length, 0);
  buf.writeUInt32LE(crc32(payload), 4);
  payload.copy(buf, HEADER);
  return buf;
}

/** Where a record's payload ends in its segment, and its length. */
export interface RecordSpan {
  readonly end: number;
  readonly len: number;
}

/**
 * The valid records of `data` (bytes of a segment from file offset `base`), up to `limit` bytes
 * of the file when given; `valid` is the file offset where the valid part ends.
 */
export function scanRecords(data: Buffer, base: number, limit = Infinity): { records: RecordSpan[]; valid: number } {
  const records: RecordSpan[] = [];
  let pos = 0;
  while (pos + HEADER <= data.length && base + pos + HEADER <= limit) {
    const len = data.readUInt32LE(pos);
    const end = pos + HEADER + len;
    if (end > data.length || base + end > limit || crc32(data.subarray(pos + HEADER, end)) !== data.readUInt32LE(pos + 4)) break;
    records.push({ end: base + end, len });
    pos = end;
  }
  return { records, valid: base + pos };
}

/** Bytes of a segment from `from` to `to` (or its end). */
export function readSegment(path: string, from: number, to?: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = to ?? fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(Math.max(0, size - from));
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** The numbers of the segments in `dir`, ascending. */
export function listSegments(dir: string): number[] {
  return readdirSync(dir)
    .map((f) => /^(\d{8})\.log$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

export function segmentPath(dir: string, segment: number): string {
  return join(dir, `${String(segment).padStart(8, '0')}.log`);
}
