import { describe, expect, it } from 'vitest';
import { ShardedFrameQueue, shardOf } from '../../../adapters/aws/sqs-queue.js';
import { ENV, hubEnv } from '../../../core/env.js';
import type { QueuedFrame } from '../../../core/envelope.js';

const frame = (ident: string | undefined, n: number): QueuedFrame => ({
  channelId: 1,
  protocolId: 1,
  transport: 'tcp',
  ident,
  peer: `10.0.0.${n % 250}:5000`,
  receivedAt: n,
  frame: 'AA==',
  correlationId: `c${n}`,
});

/** A queue that records what it was sent, and can refuse. */
function recorder(fail = false) {
  const sent: QueuedFrame[][] = [];
  return {
    sent,
    send: async (frames: readonly QueuedFrame[]) => {
      if (fail) throw new Error('SQS refused');
      sent.push([...frames]);
    },
  };
}

describe('ingest queues sharded by device (adapters/aws/sqs-queue.ts)', () => {
  it('puts every frame of a device in the same shard, by ident (by peer while the ident is unknown)', () => {
    expect(shardOf({ ident: '352000000000007', peer: 'a' }, 4)).toBe(shardOf({ ident: '352000000000007', peer: 'b' }, 4));
    expect(shardOf({ ident: undefined, peer: '10.0.0.1:5000' }, 4)).toBe(shardOf({ ident: undefined, peer: '10.0.0.1:5000' }, 4));
    expect(shardOf({ ident: 'x', peer: 'p' }, 1)).toBe(0);
    // FNV-1a: fixed values, so a redeployed listener routes each device as before
    expect([0, 1, 2, 3, 4].map((i) => shardOf({ ident: `35200000000000${i}`, peer: '' }, 4))).toEqual(
      [0, 1, 2, 3, 4].map((i) => {
        let h = 0x811c9dc5;
        for (const c of `35200000000000${i}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
        return h % 4;
      }),
    );
  });

  it('spreads a fleet about evenly over the shards', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 10_000; i++) counts[shardOf({ ident: String(352_000_000_000_000 + i * 7), peer: '' }, 4)]++;
    for (const c of counts) expect(Math.abs(c - 2500)).toBeLessThan(150);
  });

  it('sends each shard its frames in one call, and each frame exactly once', async () => {
    const shards = [recorder(), recorder(), recorder()];
    const q = new ShardedFrameQueue(shards);
    const frames = Array.from({ length: 60 }, (_, n) => frame(n % 7 === 0 ? undefined : `ident-${n % 20}`, n));
    await q.send(frames);
    const got = shards.flatMap((s, i) => s.sent.flat().map((f) => ({ f, i })));
    expect(got.map((g) => g.f.correlationId).sort()).toEqual(frames.map((f) => f.correlationId).sort());
    for (const s of shards) expect(s.sent.length).toBeLessThanOrEqual(1);
    for (const { f, i } of got) expect(i).toBe(shardOf(f, 3));
  });

  it('fails the send (no ack to devices) when any shard refuses', async () => {
    const q = new ShardedFrameQueue([recorder(), recorder(true)]);
    const frames = Array.from({ length: 40 }, (_, n) => frame(`ident-${n}`, n));
    await expect(q.send(frames)).rejects.toThrow('SQS refused');
  });

  it('reads the shard queue URLs of the listener environment in order', () => {
    expect(hubEnv({ HUB_INGEST_SHARD_QUEUE_URLS: 'https://q/0,https://q/1,https://q/2' })[ENV.ingestShardQueueUrls]).toEqual([
      'https://q/0',
      'https://q/1',
      'https://q/2',
    ]);
    expect(hubEnv({})[ENV.ingestShardQueueUrls]).toBeUndefined();
  });
});
