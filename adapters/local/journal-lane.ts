import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import { HEADER, listSegments, type RecordSpan, readSegment, scanRecords, segmentPath } from './journal-format.js';
import { type DurableRecord, payloadOf } from './journal-writer.js';

/** A queue record: where it is in its lane's journal, its delivery state, its body while it fits the memory budget. */
export interface Rec {
  readonly lane: JournalLane;
  readonly id: string;
  readonly segment: number;
  readonly end: number;
  /** Payload length (bytes); the payload ends at `end`. */
  readonly len: number;
  body?: string;
  readonly sent: number;
  receives: number;
  state: 'ready' | 'inflight' | 'done';
  notBefore: number;
}

/** The bytes of waiting bodies kept in memory, shared by the lanes of a queue. */
export interface BodyBudget {
  /** Counts a body in; false when it should stay on disk only. */
  keep(len: number): boolean;
  free(len: number): void;
}

interface Position {
  readonly segment: number;
  readonly position: number;
}

/**
 * One journal directory of the local queue and its records in order: replayed from the committed
 * offset (`offset.json`) on open, fed by its writer (this process's, with the bodies at hand, or a
 * listener process's, read back from the files up to what it reported durable), committed past
 * the processed head, and trimmed of segments nobody needs any more.
 */
export class JournalLane {
  readonly records: Rec[] = [];
  private committed: Position = { segment: 1, position: 0 };
  /** How far the segments were read into records. */
  private read: Position = { segment: 1, position: 0 };
  /** The newest segment of the lane's writer: older ones are deleted once processed. */
  private writerSegment = 1;

  constructor(
    readonly dir: string,
    /** Prefix of record ids (empty for the queue's own directory: ids stay `segment:end`). */
    private readonly prefix: string,
    private readonly budget: BodyBudget,
    private readonly logger: Logger,
    private readonly unsafeNoSync: boolean,
  ) {}

  /** Records not yet processed. */
  get depth(): number {
    let n = 0;
    for (const r of this.records) if (r.state !== 'done') n++;
    return n;
  }

  /** On open, before any writer runs: the records after the committed offset; a torn record at a segment's end is cut off. */
  replay(): number {
    const offsetFile = join(this.dir, 'offset.json');
    if (existsSync(offsetFile)) this.committed = JSON.parse(readFileSync(offsetFile, 'utf8')) as Position;
    const segments = listSegments(this.dir);
    for (const seg of segments) if (seg < this.committed.segment) unlinkSync(segmentPath(this.dir, seg));
    let last: Position = this.committed;
    for (const seg of segments.filter((s) => s >= this.committed.segment)) last = { segment: seg, position: this.replaySegment(seg) };
    this.read = last;
    this.writerSegment = last.segment;
    return this.records.length;
  }

  private replaySegment(seg: number): number {
    const path = segmentPath(this.dir, seg);
    const from = seg === this.committed.segment ? this.committed.position : 0;
    const data = readSegment(path, from);
    const { records, valid } = scanRecords(data, from);
    this.push(seg, records, (r) => data.toString('utf8', r.end - r.len - from, r.end - from));
    if (valid < from + data.length) {
      this.logger.warn('local queue: cut a torn record at the end of a segment (it was never acknowledged)', {
        segment: seg,
        bytes: from + data.length - valid,
      });
      const fd = openSync(path, 'r+');
      try {
        ftruncateSync(fd, valid);
      } finally {
        closeSync(fd);
      }
    }
    return valid;
  }

  /** Records this process's writer made durable (their bytes at hand). */
  appended(segment: number, records: readonly DurableRecord[]): void {
    this.push(
      segment,
      records.map((r) => ({ end: r.end, len: r.buf.length - HEADER })),
      (_, i) => payloadOf(records[i].buf),
    );
    this.writerSegment = segment;
    this.read = { segment, position: records.at(-1)?.end ?? this.read.position };
  }

  /**
   * The lane's writer (another process) reports its records durable up to `end` of `segment`:
   * reads what is new. Older segments are first read to their last valid record, so that records
   * a writer made durable but died before reporting are delivered too.
   */
  advance(segment: number, end: number): number {
    const before = this.records.length;
    this.writerSegment = Math.max(this.writerSegment, segment);
    while (this.read.segment < segment) {
      if (existsSync(segmentPath(this.dir, this.read.segment))) this.take(this.read.segment, this.read.position);
      const next = listSegments(this.dir).find((s) => s > this.read.segment && s <= segment) ?? segment;
      this.read = { segment: next, position: 0 };
    }
    if (end > this.read.position) this.take(segment, this.read.position, end);
    return this.records.length - before;
  }

  private take(segment: number, from: number, to?: number): void {
    const data = readSegment(segmentPath(this.dir, segment), from, to);
    const { records, valid } = scanRecords(data, from, to);
    this.push(segment, records, (r) => data.toString('utf8', r.end - r.len - from, r.end - from));
    if (to !== undefined && valid < to) this.logger.error('local queue: a lane reported records that do not read back', { dir: this.dir, segment, valid, to });
    this.read = { segment, position: valid };
  }

  private push(segment: number, spans: readonly RecordSpan[], body: (span: RecordSpan, index: number) => string): void {
    const now = Date.now();
    for (const [i, s] of spans.entries()) {
      this.records.push({
        lane: this,
        id: `${this.prefix}${segment}:${s.end}`,
        segment,
        end: s.end,
        len: s.len,
        body: this.budget.keep(s.len) ? body(s, i) : undefined,
        sent: now,
        receives: 0,
        state: 'ready',
        notBefore: 0,
      });
    }
  }

  /** Advances the committed offset past the processed head; deletes segments before it that the writer left. */
  commit(): void {
    let advanced = false;
    while (this.records[0]?.state === 'done') {
      const r = this.records[0];
      this.records.shift();
      this.committed = { segment: r.segment, position: r.end };
      advanced = true;
    }
    if (!advanced) return;
    const file = join(this.dir, 'offset.json');
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(this.committed));
      if (!this.unsafeNoSync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    const head = this.records[0]?.segment ?? this.read.segment;
    for (const seg of listSegments(this.dir)) if (seg < head && seg < this.writerSegment) unlinkSync(segmentPath(this.dir, seg));
  }

  /** A record's body: from memory, or read back from its segment. */
  bodyOf(r: Rec): string {
    if (r.body !== undefined) return r.body;
    const fd = openSync(segmentPath(this.dir, r.segment), 'r');
    try {
      const buf = Buffer.allocUnsafe(r.len);
      readSync(fd, buf, 0, r.len, r.end - r.len);
      return buf.toString('utf8');
    } finally {
      closeSync(fd);
    }
  }

  /** Frees a processed record's body from the memory budget. */
  release(r: Rec): void {
    if (r.body === undefined) return;
    this.budget.free(r.len);
    r.body = undefined;
  }
}
