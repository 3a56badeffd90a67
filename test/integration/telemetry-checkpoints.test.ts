import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPackStore } from '../../adapters/dynamodb/packs.js';
import { DynamoTelemetryStore } from '../../adapters/dynamodb/telemetry.js';
import { IngestService } from '../../core/ingest.js';
import { MessageService } from '../../core/messages/service.js';
import type { Telemetry } from '../../core/ports.js';
import { currentTelemetry, mergeTelemetry } from '../../core/registry/telemetry.js';
import type { Device } from '../../core/schemas/devices.js';
import type { Message } from '../../protocols/common/types.js';
import { deviceRecord } from '../helpers/devices.js';
import { manualClock, startTestDynamo, TEST_TABLES } from '../helpers/dynamo.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

const device = (id: number): Device => deviceRecord(id, { messagesTtl: 30 * 86_400 });

describe('telemetry checkpoints on dynalite (DynamoTelemetryStore, MessageService, IngestService)', () => {
  let env: Awaited<ReturnType<typeof startTestDynamo>>;
  const clock = manualClock(1_800_000_000);
  let store: DynamoTelemetryStore;
  let messages: MessageService;
  beforeAll(async () => {
    env = await startTestDynamo();
    store = new DynamoTelemetryStore(env.doc, TEST_TABLES.registry);
    messages = new MessageService(new DynamoPackStore(env.doc, TEST_TABLES.messages), clock);
  });
  afterAll(async () => env?.close());

  /** Every stored message of the device, oldest first. */
  async function history(deviceId: number): Promise<Message[]> {
    const out: Message[] = [];
    let cursor: string | undefined;
    do {
      const page = await messages.query('device', deviceId, { from: 0, to: 9_999_999_999, count: 1000, reverse: false, cursor });
      out.push(...page.messages);
      cursor = page.next;
    } while (cursor);
    return out;
  }
  /** What telemetry must answer: every stored message folded in. */
  const truth = async (deviceId: number) => mergeTelemetry({}, await history(deviceId));

  it('stores a checkpoint compressed, within one write unit, and reads one stored as plain JSON', async () => {
    const telemetry: Telemetry = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`io.param_${i}`, { value: 1000 + i * 37, ts: 1_800_000_000 + i }]));
    expect(JSON.stringify(telemetry).length).toBeGreaterThan(1500);
    await store.update(1, () => telemetry);
    const raw = (await env.doc.send(new GetCommand({ TableName: TEST_TABLES.registry, Key: { pk: 'tm#1', sk: '_' } }))).Item ?? {};
    expect(Object.keys(raw).sort()).toEqual(['pk', 'sk', 'v', 'z']);
    expect((raw.z as Uint8Array).length).toBeLessThan(1024 - 20);
    expect(await store.get(1)).toEqual(telemetry);
    // an item written before compression
    await env.doc.send(new PutCommand({ TableName: TEST_TABLES.registry, Item: { pk: 'tm#2', sk: '_', j: JSON.stringify({ a: { value: 1, ts: 5 } }), v: 3 } }));
    expect(await store.get(2)).toEqual({ a: { value: 1, ts: 5 } });
    await store.update(2, (t) => mergeTelemetry(t, [{ timestamp: 6, b: 2 }]));
    expect(await store.get(2)).toEqual({ a: { value: 1, ts: 5 }, b: { value: 2, ts: 6 }, timestamp: { value: 6, ts: 6 } });
  });

  it('answers exactly between checkpoints an hour apart, parameters sent only between them included', async () => {
    const writes: number[] = [];
    const counting = {
      get: (id: number) => store.get(id),
      update: (id: number, merge: (t: Telemetry) => Telemetry) => {
        writes.push(clock.now());
        return store.update(id, merge);
      },
      drop: (id: number) => store.drop(id),
    };
    const ingest = new IngestService({
      devices: { findByIdent: async () => undefined, findByIdents: async () => new Map() },
      channels: { get: async () => undefined },
      messages,
      telemetry: counting,
      clock,
      logger: silent,
      telemetryCheckpointS: 3600,
    });
    const d = device(10);
    clock.set(1_800_000_000);
    const start = clock.now();
    for (let t = 0; t < 150; t++) {
      const m: Message = { timestamp: clock.now(), 'position.speed': t % 90, ...(t % 41 === 7 ? { [`event.${t}`]: t } : {}) };
      await ingest.inject(d, [m]);
      if (t % 10 === 0 || t === 149) expect(await currentTelemetry(store, messages, 10)).toEqual(await truth(10));
      clock.advance(30);
    }
    expect(writes.map((w) => w - start)).toEqual([0, 3600]);
    // the second checkpoint holds the parameters sent only between the two
    const stored = (await store.get(10)) ?? {};
    expect(Object.keys(stored).filter((k) => k.startsWith('event.'))).toEqual(['event.7', 'event.48', 'event.89']);
  });

  it('folds every message newer than the checkpoint, past one page of 5,000', async () => {
    clock.set(1_800_100_000);
    await store.update(20, () => mergeTelemetry({}, [{ timestamp: 1_800_000_000, speed: 1, din: 0 }]));
    // 6,000 newer messages (10 per second), the last 1,000 with a parameter of their own
    for (let b = 0; b < 6; b++)
      await messages.write(
        'device',
        20,
        Array.from({ length: 1000 }, (_, i) => ({ timestamp: 1_800_000_001 + (b * 1000 + i) / 10, speed: b * 1000 + i, ...(b === 5 ? { din: 1 } : {}) })),
        86_400,
      );
    const t = await currentTelemetry(store, messages, 20);
    expect(t.speed).toEqual({ value: 5999, ts: 1_800_000_001 + 599.9 });
    expect(t.din).toEqual({ value: 1, ts: 1_800_000_001 + 599.9 });
    expect(t).toEqual(mergeTelemetry((await store.get(20)) ?? {}, await history(20)));
  });
});
