import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPackStore } from '../../adapters/dynamodb/packs.js';
import { MessageService } from '../../core/messages/service.js';
import type { MessagesQuery } from '../../core/schemas/messages.js';
import { manualClock, startTestDynamo, TEST_TABLES } from '../helpers/dynamo.js';

const q = (over: Partial<MessagesQuery> = {}): MessagesQuery => ({ from: 0, to: 9999999999, count: 1000, reverse: false, ...over });

describe('message history on dynalite', () => {
  let env: Awaited<ReturnType<typeof startTestDynamo>>;
  const clock = manualClock();
  let service: MessageService;
  beforeAll(async () => {
    env = await startTestDynamo();
    service = new MessageService(new DynamoPackStore(env.doc, TEST_TABLES.messages), clock);
  });
  afterAll(async () => env?.close());

  it('never returns messages past their ttl, before any sweeper removed them', async () => {
    clock.set(1_800_000_000);
    await service.write('device', 1, [{ timestamp: 100, a: 1 }], 3600);
    expect((await service.query('device', 1, q())).messages).toHaveLength(1);
    clock.advance(3599);
    expect((await service.query('device', 1, q())).messages).toHaveLength(1);
    clock.advance(2);
    expect((await service.query('device', 1, q())).messages).toHaveLength(0);
  });

  it('stores a retried batch once (idempotent writes)', async () => {
    const batch = [
      { timestamp: 10, v: 1 },
      { timestamp: 11, v: 2 },
    ];
    await service.write('device', 2, batch, 3600);
    await service.write('device', 2, batch, 3600);
    await service.write('device', 2, [batch[1], { timestamp: 12, v: 3 }], 3600);
    const r = await service.query('device', 2, q());
    expect(r.messages.map((m) => m.v)).toEqual([1, 2, 3]);
  });

  it('pages through 5,000 messages with cursors, each exactly once, forwards and backwards', async () => {
    for (let b = 0; b < 10; b++) {
      await service.write(
        'device',
        3,
        Array.from({ length: 500 }, (_, i) => ({ timestamp: 1000 + (i * 10 + b) * 0.5, i: b * 500 + i })),
        3600,
      );
    }
    for (const reverse of [false, true]) {
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await service.query('device', 3, q({ count: 700, reverse, cursor }));
        seen.push(...page.messages.map((m) => m.i as number));
        cursor = page.next;
      } while (cursor);
      expect(seen).toHaveLength(5000);
      expect(new Set(seen).size).toBe(5000);
      const ts = seen.map((i) => 1000 + ((i % 500) * 10 + Math.floor(i / 500)) * 0.5);
      expect(ts).toEqual([...ts].sort((a, b) => (reverse ? b - a : a - b)));
    }
  });

  it('deletes a time range and keeps the rest', async () => {
    await service.write(
      'device',
      4,
      [1, 2, 3, 4, 5].map((t) => ({ timestamp: t })),
      3600,
    );
    expect(await service.deleteRange('device', 4, 2, 4)).toBe(3);
    expect((await service.query('device', 4, q())).messages.map((m) => m.timestamp)).toEqual([1, 5]);
  });

  it('moves the history kept for an unregistered ident into a device', async () => {
    await service.write('ident', 'ABC', [{ timestamp: 7, ident: 'ABC' }], 3600);
    const moved = await service.adopt('ABC', 5, 3600, (m) => ({ ...m, 'device.id': 5 }));
    expect(moved).toHaveLength(1);
    expect((await service.query('device', 5, q())).messages).toEqual([{ timestamp: 7, ident: 'ABC', 'device.id': 5 }]);
    expect((await service.query('ident', 'ABC', q())).messages).toEqual([]);
  });
});
