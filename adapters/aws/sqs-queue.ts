import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { packEnvelopes, type QueuedFrame } from '../../core/envelope.js';
import type { FrameQueue } from '../../core/ports.js';

/** SQS allows 10 entries and 256 KiB per SendMessageBatch. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

/**
 * The ingest queue on SQS: frames are packed into as few messages as the size limit allows, and
 * messages into as few SendMessageBatch calls as possible. Resolves only when every entry was
 * accepted; entries SQS refused are retried, then the whole send fails (no ack to devices).
 */
export class SqsFrameQueue implements FrameQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly maxEnvelopeBytes = 250 * 1024,
  ) {}

  async send(frames: readonly QueuedFrame[]): Promise<void> {
    const bodies = packEnvelopes(frames, this.maxEnvelopeBytes);
    for (const group of groupBodies(bodies)) await this.sendGroup(group);
  }

  private async sendGroup(bodies: readonly string[]): Promise<void> {
    let entries = bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody }));
    for (let attempt = 0; entries.length > 0; attempt++) {
      if (attempt >= 3) throw new Error(`SQS refused ${entries.length} message(s) after ${attempt} attempts`);
      const r = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      const failed = new Set((r.Failed ?? []).map((f) => f.Id));
      entries = entries.filter((e) => failed.has(e.Id));
      if (entries.length > 0) await new Promise((res) => setTimeout(res, 50 * 2 ** attempt));
    }
  }
}

/**
 * The shard of a frame: FNV-1a over its device's ident (its peer address while the ident is not
 * known), so each device's frames always reach the same ingest queue and one invocation holds all
 * of that device's frames of its window.
 */
export function shardOf(frame: Pick<QueuedFrame, 'ident' | 'peer'>, shards: number): number {
  const key = frame.ident ?? frame.peer;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h % shards;
}

/**
 * Ingest queues sharded by device: each send splits the frames by shardOf and sends each part to
 * its queue at once; it resolves only when every part is durable (a device is acked after that).
 */
export class ShardedFrameQueue implements FrameQueue {
  constructor(private readonly shards: readonly FrameQueue[]) {
    if (shards.length === 0) throw new RangeError('ShardedFrameQueue needs at least one queue');
  }

  async send(frames: readonly QueuedFrame[]): Promise<void> {
    const parts = new Map<number, QueuedFrame[]>();
    for (const f of frames) {
      const s = shardOf(f, this.shards.length);
      const part = parts.get(s);
      if (part) part.push(f);
      else parts.set(s, [f]);
    }
    await Promise.all([...parts].map(([s, part]) => this.shards[s].send(part)));
  }
}

/** Groups message bodies into SendMessageBatch calls (≤ 10 entries, ≤ 256 KiB). */
export function groupBodies(bodies: readonly string[]): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const b of bodies) {
    const n = Buffer.byteLength(b);
    if (current.length > 0 && (current.length >= MAX_ENTRIES || size + n > MAX_BATCH_BYTES)) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(b);
    size += n;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
