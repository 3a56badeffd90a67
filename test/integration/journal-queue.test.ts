import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalQueue } from '../../adapters/local/journal-queue.js';
import { JournalWriter } from '../../adapters/local/journal-writer.js';
import { captureLogger, removeDir, tempDir } from '../helpers/local-hub.js';

/** Bodies of different byte and character lengths (multi-byte UTF-8 included). */
const BODIES = Array.from({ length: 60 }, (_, i) => `{"n":${i},"text":"${'ąčę€'.repeat(i % 7)}${'x'.repeat(i * 3)}"}`);

describe('local journal queue with a backlog larger than its in-memory budget', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) removeDir(d);
  });

  function queue(
    dir: string,
    handler: (e: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] } | undefined>,
    maxReceives = 5,
  ): JournalQueue {
    return new JournalQueue({ dir, handler, logger: captureLogger(), maxBodyBytesInMemory: 500, maxReceives });
  }

  it('hands every body over exactly as written, from memory or read back from disk, also after a restart', async () => {
    const dir = tempDir('hub-journal-');
    dirs.push(dir);
    const first = queue(dir, async () => undefined);
    await first.open();
    await first.sendBodies(BODIES.slice(0, 40)); // not started: they wait, most beyond the 500-byte budget
    await first.close();

    const got: string[] = [];
    const second = queue(dir, async (e) => void got.push(...e.Records.map((r) => r.body)));
    await second.open(); // replays the 40 from the journal, again within the budget
    await second.sendBodies(BODIES.slice(40));
    second.start();
    await second.drain(10_000);
    await second.close();
    expect(got).toEqual(BODIES);
  });

  it('writes the exact body of a record held on disk to the dead-letter journal', async () => {
    const dir = tempDir('hub-journal-');
    dirs.push(dir);
    const q = queue(dir, async (e) => ({ batchItemFailures: e.Records.map((r) => ({ itemIdentifier: r.messageId })) }), 1);
    await q.open();
    await q.sendBodies(BODIES.slice(0, 30));
    q.start();
    await q.drain(10_000);
    await q.close();
    const dead = readFileSync(join(dir, 'dead-letter.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).body as string);
    expect(dead).toEqual(BODIES.slice(0, 30));
  });

  it('delivers a lane written by another writer once reported durable, and on the next open what it wrote but never reported', async () => {
    const dir = tempDir('hub-journal-');
    dirs.push(dir);
    const got: string[] = [];
    const first = queue(dir, async (e) => void got.push(...e.Records.map((r) => r.body)));
    await first.open();
    const lane = first.lane('listener-1');
    let reporting = true;
    // the listener process's writer; small segments so that the lane spans several
    const writer = new JournalWriter({
      dir: lane.dir,
      fresh: true,
      lock: true,
      segmentBytes: 300,
      onDurable: (segment, records) => reporting && lane.advance(segment, records.at(-1)?.end ?? 0),
    });
    await writer.open();
    first.start();
    for (const body of BODIES.slice(0, 20)) await writer.sendBodies([body]);
    await first.drain(10_000);
    expect(got).toEqual(BODIES.slice(0, 20));
    expect(first.stats.delivered).toBe(20);

    reporting = false; // durable, acked to devices, but the hub never heard of them (killed meanwhile)
    for (const body of BODIES.slice(20, 30)) await writer.sendBodies([body]);
    await writer.close();
    await first.close();
    expect(got).toHaveLength(20);
    const segments = readdirSync(lane.dir)
      .filter((f) => f.endsWith('.log'))
      .sort();
    expect(segments.length).toBeGreaterThan(1);
    const torn = Buffer.alloc(11);
    torn.writeUInt32LE(100, 0); // a record cut short by a crash mid-write: never acked
    appendFileSync(join(lane.dir, segments.at(-1) ?? ''), torn);

    const again: string[] = [];
    const second = queue(dir, async (e) => void again.push(...e.Records.map((r) => r.body)));
    await second.open();
    expect(second.stats.replayed).toBe(10);
    second.start();
    await second.drain(10_000);
    await second.close();
    expect(again).toEqual(BODIES.slice(20, 30));
  });
});
