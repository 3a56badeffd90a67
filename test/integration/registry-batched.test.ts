import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeviceLogRepository } from '../../adapters/dynamodb/logs.js';
import { DynamoDeviceRepository } from '../../adapters/dynamodb/registry.js';
import type { Device } from '../../core/schemas/devices.js';
import { deviceRecord } from '../helpers/devices.js';
import { startTestDynamo, TEST_TABLES } from '../helpers/dynamo.js';

const device = (id: number, ident: string): Device => deviceRecord(id, { ident });

describe('batched registry reads and device log writes (dynalite)', () => {
  let env: Awaited<ReturnType<typeof startTestDynamo>>;
  let devices: DynamoDeviceRepository;
  beforeAll(async () => {
    env = await startTestDynamo();
    devices = new DynamoDeviceRepository(env.doc, TEST_TABLES.registry);
  });
  afterAll(async () => env?.close());

  it('findByIdents finds what findByIdent finds, for 250 idents (more than one BatchGetItem), repeated idents included', async () => {
    for (let i = 1; i <= 230; i++) await devices.create(device(i, `id-${i}`));
    // a stale claim (an interrupted swap): its device has another ident now
    await env.doc.send(new PutCommand({ TableName: TEST_TABLES.registry, Item: { pk: 'ident', sk: 'id-stale', device_id: 5 } }));
    const idents = [...Array.from({ length: 250 }, (_, i) => `id-${i + 1}`), 'id-stale', 'id-7'];
    const found = await devices.findByIdents(idents);
    expect(found.size).toBe(230);
    expect(found.get('id-1')).toEqual(device(1, 'id-1'));
    expect(found.get('id-230')?.id).toBe(230);
    expect(found.has('id-231')).toBe(false);
    expect(found.has('id-stale')).toBe(false);
    expect(await devices.findByIdent('id-stale')).toBeUndefined();
    for (const ident of ['id-1', 'id-100', 'id-230', 'id-231']) expect(found.get(ident)).toEqual(await devices.findByIdent(ident));
  });

  it('appendMany writes the entries of many devices (more than one BatchWriteItem), listed as append wrote them', async () => {
    const logs = new DynamoDeviceLogRepository(env.doc, TEST_TABLES.registry);
    const t = Date.now() / 1000;
    const entries = Array.from({ length: 60 }, (_, i) => ({ deviceId: 900 + (i % 3), entry: { timestamp: t + i, event: 'connected', n: i } }));
    await logs.appendMany(entries);
    const of901 = await logs.list(901, t - 1, t + 100, 100);
    expect(of901.map((e) => e.n)).toEqual(Array.from({ length: 20 }, (_, k) => 1 + 3 * k));
    expect(of901[0]).toEqual({ timestamp: t + 1, event: 'connected', n: 1 });
  });
});
