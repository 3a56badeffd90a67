import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SqsDeadLetters } from '../../adapters/aws/sqs-dead-letters.js';
import { packEnvelopes } from '../../core/envelope.js';
import { SqsStandIn } from '../helpers/sqs-stand-in.js';

/** Two queues (the ingest queue and its DLQ) behind one client, routed by QueueUrl. */
function setup(n: number) {
  const queue = new SqsStandIn('https://sqs.local/000000000000/ingest');
  const dlq = new SqsStandIn('https://sqs.local/000000000000/ingest-dlq');
  const route = {
    handle: (request: { headers: Record<string, string>; body?: unknown }) => {
      const text = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body as Uint8Array);
      return (String((JSON.parse(text) as { QueueUrl?: string }).QueueUrl).endsWith('-dlq') ? dlq : queue).handle(request);
    },
  };
  const sqs = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, requestHandler: route });
  for (let i = 0; i < n; i++) {
    const [body] = packEnvelopes([
      {
        channelId: 1,
        protocolId: 1,
        transport: 'tcp',
        ident: `35600000000${String(i).padStart(4, '0')}`,
        peer: '1.2.3.4:5',
        receivedAt: 1_700_000_000 + i,
        frame: 'AA==',
        correlationId: `c${i}`,
      },
    ]);
    dlq.put(body);
  }
  return { queue, dlq, store: new SqsDeadLetters(sqs, dlq.url, queue.url) };
}

describe('adapters/aws/sqs-dead-letters against an SQS with visibility timeouts', () => {
  it('replays everything a list just showed, back to back (the list leaves the messages visible)', async () => {
    const { queue, dlq, store } = setup(25);
    const listed = await store.list(1000);
    expect(listed).toHaveLength(25);
    expect(dlq.visibleCount()).toBe(25);
    expect(await store.replay()).toBe(25);
    expect(queue.size).toBe(25);
    expect(dlq.size).toBe(0);
  });

  it('releases at once what a replay by ids did not choose', async () => {
    const { queue, dlq, store } = setup(12);
    const listed = await store.list(1000);
    const chosen = listed.slice(0, 3).map((l) => l.id);
    expect(await store.replay(chosen)).toBe(3);
    expect(queue.size).toBe(3);
    expect(dlq.visibleCount()).toBe(9);
    expect((await store.list(1000)).map((l) => l.id).sort()).toEqual(
      listed
        .slice(3)
        .map((l) => l.id)
        .sort(),
    );
  });

  it('long-polls: a sampled short poll that answers empty does not hide waiting messages', async () => {
    const { dlq, store } = setup(4);
    dlq.shortPollMisses = 5;
    expect(await store.list(1000)).toHaveLength(4);
    expect(dlq.calls.filter((c) => c === 'ReceiveMessage').length).toBeGreaterThan(0);
  });

  it('discards by ids and leaves the others visible', async () => {
    const { dlq, store } = setup(5);
    const listed = await store.list(1000);
    expect(await store.discard([listed[0].id])).toBe(1);
    expect(dlq.size).toBe(4);
    expect(dlq.visibleCount()).toBe(4);
  });
});
