import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStreamRepository, DynamoSubscriptionRepository } from '../../adapters/dynamodb/streams.js';
import type { Bus, BusEvent } from '../../core/ports.js';
import type { Device } from '../../core/schemas/devices.js';
import type { Stream } from '../../core/schemas/streams.js';
import { StreamFanout } from '../../core/streams/fanout.js';
import { startTestDynamo, TEST_TABLES } from '../helpers/dynamo.js';

const DEVICE = { id: 5, name: 'truck', configuration: { ident: '1' } } as unknown as Device;
const stream = (id: number, enabled = true) =>
  ({ id, name: `s${id}`, protocol_name: 'http', enabled, queue_ttl: 86400, configuration: {} }) as unknown as Stream;
const batch = (t: number) => [{ message: { timestamp: t, ident: '1', 'device.id': 5 }, device: DEVICE }];

describe('stream fan-out reads subscriptions as a snapshot (dynalite)', () => {
  let db: Awaited<ReturnType<typeof startTestDynamo>>;
  beforeAll(async () => {
    db = await startTestDynamo();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('sees a new subscription after the refresh period or at once when invalidated, and skips disabled streams', async () => {
    const streams = new DynamoStreamRepository(db.doc, TEST_TABLES.registry);
    const subs = new DynamoSubscriptionRepository(db.doc, TEST_TABLES.registry);
    const published: BusEvent[] = [];
    const bus: Bus = { publish: async (events) => void published.push(...events) };
    let now = 1_000_000;
    const fanout = new StreamFanout(streams, subs, bus, 30_000, () => now);

    await fanout.publish(batch(1)); // snapshot: nothing subscribed
    await streams.create(stream(1));
    await streams.create(stream(2, false));
    await subs.add(1, 'device', DEVICE.id);
    await subs.add(2, 'device', DEVICE.id);
    now += 29_000;
    await fanout.publish(batch(2));
    expect(published).toEqual([]); // still the old snapshot
    now += 1_000;
    await fanout.publish(batch(3));
    expect(published.map((e) => [e.stream_id, e.messages.map((m) => m.timestamp)])).toEqual([[1, [3]]]);

    await subs.remove(1, 'device', DEVICE.id);
    fanout.invalidate();
    await fanout.publish(batch(4));
    expect(published).toHaveLength(1);
    expect(fanout.stats.reloads).toBe(3);
  });
});
