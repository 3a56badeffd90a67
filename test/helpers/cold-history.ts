/**
 * The cold-history battery, run against each PackArchive adapter (file-backed and S3): a device's
 * history is written as ingest writes it, archived by the real HistoryArchiver, swept from the hot
 * table the way DynamoDB TTL would, and every query is compared with the same history kept in
 * DynamoDB only. The API's answers must not change.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPackStore } from '../../adapters/dynamodb/packs.js';
import { silentLogger } from '../../core/logger.js';
import { HistoryArchiver } from '../../core/messages/archiver.js';
import { MessageService } from '../../core/messages/service.js';
import type { MessageScope, OwnerId, PackArchive } from '../../core/ports.js';
import type { MessagesQuery } from '../../core/schemas/messages.js';
import type { Message } from '../../protocols/common/types.js';
import { manualClock, startTestDynamo, TEST_TABLES } from './dynamo.js';

const DAY = 86_400;
/** Midnight UTC, 2027-01-15. */
export const T0 = 1_800_000_000 - (1_800_000_000 % DAY);
const TTL_30_DAYS = 30 * DAY;

const q = (over: Partial<MessagesQuery> = {}): MessagesQuery => ({ from: 0, to: 9_999_999_999, count: 100_000, reverse: false, ...over });

/** A tracker message every 5 minutes, with a few fields that vary. */
export function trackerMessages(fromS: number, toS: number, stepS = 300): Message[] {
  const out: Message[] = [];
  for (let t = fromS; t < toS; t += stepS) {
    const k = (t - T0) / stepS;
    out.push({ timestamp: t, ident: 'A1', 'position.speed': k % 97, 'position.latitude': 54 + k * 1e-5, 'engine.ignition.status': k % 3 !== 0 });
  }
  return out;
}

/** Counts archive calls (to prove what a query does not touch). */
export function countingArchive(inner: PackArchive): PackArchive & { calls: Record<string, number> } {
  const calls: Record<string, number> = { days: 0, get: 0, put: 0, delete: 0, drop: 0 };
  const count = (name: string) => {
    calls[name]++;
  };
  return {
    calls,
    days: (...a) => {
      count('days');
      return inner.days(...a);
    },
    get: (...a) => {
      count('get');
      return inner.get(...a);
    },
    put: (...a) => {
      count('put');
      return inner.put(...a);
    },
    delete: (...a) => {
      count('delete');
      return inner.delete(...a);
    },
    drop: (...a) => {
      count('drop');
      return inner.drop(...a);
    },
  };
}

/** Deletes every item whose `ttl` passed, as DynamoDB's TTL sweeper would (dynalite has none). */
async function sweepTtl(doc: DynamoDBDocumentClient, nowS: number): Promise<number> {
  let swept = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const r = await doc.send(new ScanCommand({ TableName: TEST_TABLES.messages, ExclusiveStartKey: start }));
    const expired = (r.Items ?? []).filter((item) => Number(item.ttl) < nowS);
    for (let i = 0; i < expired.length; i += 25) {
      const chunk = expired.slice(i, i + 25).map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
      await doc.send(new BatchWriteCommand({ RequestItems: { [TEST_TABLES.messages]: chunk } }));
    }
    swept += expired.length;
    start = r.LastEvaluatedKey;
  } while (start);
  return swept;
}

const QUERIES: [string, Partial<MessagesQuery>][] = [
  ['everything, oldest first', {}],
  ['everything, newest first', { reverse: true }],
  ['a window across the cutoff', { from: T0 + 3 * DAY + 7777, to: T0 + 8 * DAY + 123 }],
  ['a window inside one archived day', { from: T0 + DAY + 3600, to: T0 + DAY + 7200 }],
  ['the latest 10', { reverse: true, count: 10 }],
  ['filtered, with fields', { filter: 'position.speed>90', fields: ['timestamp', 'position.speed'] }],
  ['filtered, newest first, 7 per page', { filter: 'engine.ignition.status=false', reverse: true, count: 7 }],
];

/** The battery; `makeArchive` opens an empty archive for the suite and `close` ends it. */
export function coldHistoryBattery(name: string, open: () => Promise<{ archive: PackArchive; close(): Promise<void> }>): void {
  describe(`cold history over ${name}`, { timeout: 120_000 }, () => {
    let env: Awaited<ReturnType<typeof startTestDynamo>>;
    let archive: ReturnType<typeof countingArchive>;
    let closeArchive: () => Promise<void>;
    const clock = manualClock(T0);
    let cold: MessageService;
    let hot: MessageService;
    let archiver: HistoryArchiver;
    const owners = { devices: [1, 3], channels: [7] };
    /** Device 1 (cold) against device 2 (hot only): every page of every query. */
    const same = async (query: Partial<MessagesQuery>, a: [MessageScope, OwnerId] = ['device', 1], b: [MessageScope, OwnerId] = ['device', 2]) => {
      const pages = async (svc: MessageService, scope: MessageScope, id: OwnerId) => {
        const out: Message[][] = [];
        let cursor: string | undefined;
        do {
          const page = await svc.query(scope, id, q({ ...query, cursor }));
          out.push(page.messages);
          cursor = page.next;
        } while (cursor && out.length < 50);
        return out;
      };
      const [got, want] = [await pages(cold, ...a), await pages(hot, ...b)];
      expect(want.flat().length).toBeGreaterThan(0);
      expect(got).toEqual(want);
      return want.flat().length;
    };

    beforeAll(async () => {
      env = await startTestDynamo();
      const opened = await open();
      archive = countingArchive(opened.archive);
      closeArchive = opened.close;
      const packs = new DynamoPackStore(env.doc, TEST_TABLES.messages);
      cold = new MessageService(packs, clock, { archive, afterDays: 2 });
      hot = new MessageService(packs, clock);
      archiver = new HistoryArchiver({
        packs,
        archive,
        afterDays: 2,
        clock,
        logger: silentLogger,
        devices: { list: async () => owners.devices.map((id) => ({ id }) as never) },
        channels: { list: async () => owners.channels.map((id) => ({ id }) as never) },
      });
      // seven days of history written as ingest writes it: a batch every hour
      for (let t = T0; t < T0 + 7 * DAY; t += 3600) {
        clock.set(t + 3600);
        const batch = trackerMessages(t, t + 3600);
        await cold.write('device', 1, batch, TTL_30_DAYS);
        await hot.write('device', 2, batch, TTL_30_DAYS);
        await cold.write('device', 3, batch, 3 * DAY);
        await hot.write('device', 4, batch, 3 * DAY);
        await cold.write('channel', 7, batch, TTL_30_DAYS);
      }
    }, 120_000);
    afterAll(async () => {
      await closeArchive?.();
      await env?.close();
    });

    it('archives whole days older than 2 days, one object per owner and day, and a rerun writes nothing', async () => {
      clock.set(T0 + 7 * DAY + 3600);
      const first = await archiver.run();
      // cutoff: start of day 5; device 1 and channel 7 have days 0-4, device 3 only day 4 (the rest expired)
      expect(first).toEqual({ owners: 3, daysWritten: 5 + 5 + 1, messages: 5 * 288 * 2 + 288, failures: 0 });
      expect(await archive.days('device', 1, '2000-01-01', '2100-01-01')).toEqual(['2027-01-15', '2027-01-16', '2027-01-17', '2027-01-18', '2027-01-19']);
      const rerun = await archiver.run();
      expect(rerun).toEqual({ owners: 3, daysWritten: 0, messages: 0, failures: 0 });
    });

    it('answers every query as before while the days are in both tiers', async () => {
      for (const [, query] of QUERIES) await same(query);
    });

    it('answers every query as before once the hot copies are gone (TTL)', async () => {
      clock.set(T0 + 9 * DAY + 3600);
      expect(await archiver.run()).toMatchObject({ daysWritten: 2 + 2 + 1, failures: 0 });
      expect(await sweepTtl(env.doc, clock.now())).toBeGreaterThan(0);
      for (const [, query] of QUERIES) await same(query);
      expect(await same({}, ['channel', 7])).toBe(7 * 288);
      // expired messages stay invisible, archived or not (device 3: 3 days of TTL)
      expect(await same({}, ['device', 3], ['device', 4])).toBe(288);
    });

    it('reads the latest messages without touching the archive', async () => {
      const recent = trackerMessages(T0 + 9 * DAY - 3600, T0 + 9 * DAY + 3600);
      await cold.write('device', 1, recent, TTL_30_DAYS);
      await hot.write('device', 2, recent, TTL_30_DAYS);
      const before = { ...archive.calls };
      const latest = await cold.query('device', 1, q({ reverse: true, count: 10 }));
      expect(latest.messages.map((m) => m.timestamp)).toEqual(
        recent
          .slice(-10)
          .map((m) => m.timestamp)
          .reverse(),
      );
      expect(archive.calls).toEqual(before);
      await same({ reverse: true, count: 10 });
    });

    it('merges late messages (old timestamps written now) into their archived day', async () => {
      const late = trackerMessages(T0 + DAY + 150, T0 + DAY + 3600, 600).map((m) => ({ ...m, late: true }));
      await cold.write('device', 1, late, TTL_30_DAYS);
      await hot.write('device', 2, late, TTL_30_DAYS);
      await same({});
      expect(await archiver.run()).toEqual({ owners: 3, daysWritten: 1, messages: late.length, failures: 0 });
      clock.set(T0 + 15 * DAY);
      expect(await archiver.run()).toMatchObject({ daysWritten: 2, messages: 24, failures: 0 });
      await sweepTtl(env.doc, clock.now());
      for (const [, query] of QUERIES.slice(0, 4)) await same(query);
    });

    it('deletes a time range from both tiers, counting each message once', async () => {
      const from = T0 + 2 * DAY - 1000;
      const to = T0 + 2 * DAY + 1000;
      const removed = await cold.deleteRange('device', 1, from, to);
      expect(removed).toBe(await hot.deleteRange('device', 2, from, to));
      expect(removed).toBe(7);
      await same({ from: T0 + DAY, to: T0 + 3 * DAY });
    });

    it('drops an owner from both tiers', async () => {
      await cold.drop('device', 1);
      expect(await archive.days('device', 1, '2000-01-01', '2100-01-01')).toEqual([]);
      expect((await cold.query('device', 1, q())).messages).toEqual([]);
      expect(await archive.days('channel', 7, '2000-01-01', '2100-01-01')).toHaveLength(7);
    });
  });
}
