import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamoPorts } from '../../adapters/dynamodb/ports.js';
import { WriteBehindCalcs } from '../../adapters/local/write-behind-calcs.js';
import { createHub, type HubServices } from '../../core/hub.js';
import type { DeviceEvent } from '../../core/ports.js';
import { SYSTEM_ACCESS } from '../../core/registry/access.js';
import type { Device } from '../../core/schemas/devices.js';
import type { Message } from '../../protocols/common/types.js';
import { startTestDynamo, TEST_TABLES } from '../helpers/dynamo.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const T0 = 1_800_000_000;
const TRIPS = {
  name: 'trips',
  update_delay: 0,
  selectors: [{ type: 'expression', expression: 'engine.ignition.status' }],
  counters: [{ type: 'messages', name: 'messages' }],
};

/** `count` messages a minute apart from minute `from`, ignition `on`. */
const run = (from: number, count: number, on: boolean): Message[] =>
  Array.from({ length: count }, (_, i) => ({ timestamp: T0 + (from + i) * 60, 'engine.ignition.status': on, 'position.speed': on ? 40 : 0 }));

/**
 * The local write-behind store of calculator states (adapters/local/write-behind-calcs.ts) over a
 * real local DynamoDB: what it holds back, what forces it out, and that a process dying before a
 * flush loses no interval (the next process catches up from the stored messages and publishes the
 * events again: at least once).
 */
describe('calculator states written behind (local mode)', () => {
  let db: Awaited<ReturnType<typeof startTestDynamo>>;
  const open: WriteBehindCalcs[] = [];

  /** A hub process over the shared store: its own write-behind calculator store and event log. */
  const process_ = () => {
    const stored = dynamoPorts(db.doc, TEST_TABLES, silent);
    const calcs = new WriteBehindCalcs(stored.calcs, { flushMs: 3_600_000, logger: silent });
    open.push(calcs);
    const hub = createHub({ ...stored, calcs }, { publicHost: 'test', portRange: [20000, 20001], adminToken: 'test' });
    const events: DeviceEvent[] = [];
    vi.spyOn(hub.deviceEvents, 'publish').mockImplementation(async (e) => void events.push(...e));
    return { hub, calcs, stored: stored.calcs, events };
  };
  const spans = async (hub: HubServices, calc: number, device: number) =>
    (await hub.ports.calcs.intervals(calc, device)).map((i) => [(i.begin - T0) / 60, (i.end - T0) / 60, i.messages, i.active]);

  beforeAll(async () => {
    db = await startTestDynamo();
  });
  afterAll(async () => {
    for (const c of open) await c.close().catch(() => undefined);
    await db?.close();
  });

  const setUp = async (hub: HubServices, ident: string): Promise<{ device: Device; calc: number }> => {
    const [device] = await hub.devices.create([{ name: ident, configuration: { ident } }]);
    const [calc] = await hub.calcs.create([TRIPS]);
    await hub.calcs.assign(String(calc.id), String(device.id), true, SYSTEM_ACCESS);
    await hub.calcSync.run();
    return { device, calc: calc.id };
  };

  it('holds the state and intervals until a flush; reading the intervals stores the pair first', async () => {
    const a = process_();
    const { device, calc } = await setUp(a.hub, '359000000000001');
    await a.hub.ingest.inject(device, run(0, 5, true));
    await a.hub.ingest.inject(device, run(5, 3, true));
    expect(a.calcs.stats()).toEqual({ held: 1, dirty: 1 });
    expect((await a.stored.getState(calc, device.id))?.state.lastTs).toBeNull();
    expect(await a.stored.intervals(calc, device.id)).toEqual([]);
    expect((await a.calcs.getState(calc, device.id))?.state.lastTs).toBe(T0 + 7 * 60);

    expect(await spans(a.hub, calc, device.id)).toEqual([[0, 7, 8, true]]);
    expect(a.calcs.stats()).toEqual({ held: 1, dirty: 0 });
    expect((await a.stored.getState(calc, device.id))?.state.lastTs).toBe(T0 + 7 * 60);

    await a.hub.ingest.inject(device, run(8, 2, false));
    await a.calcs.close();
    expect((await a.stored.intervals(calc, device.id)).map((i) => [(i.end - T0) / 60, i.active])).toEqual([[7, false]]);
  });

  it('loses nothing when the process dies before a flush: the next one catches up from the stored messages and publishes the events again', async () => {
    const a = process_();
    const { device, calc } = await setUp(a.hub, '359000000000002');
    await a.hub.ingest.inject(device, run(0, 5, true));
    await a.calcs.flush();
    // trip 1 ends and trip 2 begins in memory only; then the process dies (nothing more is stored)
    await a.hub.ingest.inject(device, [...run(5, 5, false), ...run(10, 3, true)]);
    expect(a.events.map((e) => e.event)).toEqual(['activated', 'updated', 'deactivated', 'activated', 'updated']);
    expect((await a.stored.getState(calc, device.id))?.state.lastTs).toBe(T0 + 4 * 60);

    const b = process_();
    await b.hub.ingest.inject(device, run(13, 2, true));
    expect(await spans(b.hub, calc, device.id)).toEqual([
      [0, 4, 5, false],
      [10, 14, 5, true],
    ]);
    expect(b.events.map((e) => `${e.event}:${((e as unknown as { interval: { begin: number } }).interval.begin - T0) / 60}`)).toEqual([
      'deactivated:0',
      'activated:10',
      'updated:10',
    ]);
  });

  it('keeps user fields of an interval through later writes of the interval (they live in their own item)', async () => {
    const a = process_();
    const { device, calc } = await setUp(a.hub, '359000000000004');
    await a.hub.ingest.inject(device, run(0, 3, true));
    await a.calcs.setUserFields(calc, device.id, T0 * 1000, { driver: 'Ona' });
    await a.hub.ingest.inject(device, run(3, 3, true));
    await a.calcs.flush();
    const [trip] = await a.stored.intervals(calc, device.id);
    expect(trip).toMatchObject({ id: T0 * 1000, messages: 6, driver: 'Ona' });
    await a.calcs.setUserFields(calc, device.id, T0 * 1000, { driver: null });
    expect((await a.stored.intervals(calc, device.id))[0]).not.toHaveProperty('driver');
  });

  it('stores an interval as one JSON string and still reads an interval stored as a map (items written before)', async () => {
    const a = process_();
    const { device, calc } = await setUp(a.hub, '359000000000009');
    await a.hub.ingest.inject(device, run(0, 3, true));
    await a.calcs.flush();
    const key = { pk: `civ#${calc}#${device.id}`, sk: String(T0 * 1000).padStart(16, '0') };
    const { Item } = await db.doc.send(new GetCommand({ TableName: TEST_TABLES.messages, Key: key }));
    expect(Item).toMatchObject({ ...key, j: expect.any(String) });
    expect(Item).not.toHaveProperty('iv');
    const stored = JSON.parse(String(Item?.j));
    expect(stored).toMatchObject({ id: T0 * 1000, messages: 3 });
    // an item as written before: the interval as a map
    await db.doc.send(new PutCommand({ TableName: TEST_TABLES.messages, Item: { ...key, iv: { ...stored, messages: 99 }, ttl: Item?.ttl } }));
    expect(await a.stored.intervals(calc, device.id)).toEqual([{ ...stored, messages: 99, calc_id: calc, device_id: device.id }]);
  });

  it('on the AWS path (no write-behind), a batch redelivered after a crash between the state write and the events writes and publishes them', async () => {
    const stored = dynamoPorts(db.doc, TEST_TABLES, silent);
    const hub = createHub(stored, { publicHost: 'test', portRange: [20000, 20001], adminToken: 'test' });
    const [device] = await hub.devices.create([{ name: 'aws', configuration: { ident: '359000000000005' } }]);
    const [calc] = await hub.calcs.create([TRIPS]);
    await hub.calcs.assign(String(calc.id), String(device.id), true, SYSTEM_ACCESS);
    await hub.calcSync.run();
    const publish = vi.spyOn(hub.deviceEvents, 'publish');
    // the crash: the interval writes and the publication fail after the state was written
    const putIntervals = vi.spyOn(stored.calcs, 'putIntervals').mockRejectedValueOnce(new Error('process died'));
    const batch = run(0, 4, true);
    await expect(hub.ingest.inject(device, batch)).rejects.toThrow('process died');
    expect(publish).not.toHaveBeenCalled();
    expect(await stored.calcs.intervals(calc.id, device.id)).toEqual([]);
    putIntervals.mockRestore();
    const events: DeviceEvent[] = [];
    publish.mockImplementation(async (e) => void events.push(...e));
    await hub.ingest.inject(device, batch); // the redelivery
    expect(events.map((e) => e.event)).toEqual(['activated', 'updated']);
    expect((await stored.calcs.intervals(calc.id, device.id)).map((i) => [i.id, i.messages, i.active])).toEqual([[T0 * 1000, 4, true]]);
  });

  it("lists a calculator's states from memory after the first read (the tick asks every few seconds), assignments included", async () => {
    const a = process_();
    const { device, calc } = await setUp(a.hub, '359000000000006');
    const listed = vi.spyOn(a.stored, 'statesOf');
    const first = await a.calcs.statesOf(calc);
    expect(first.map((r) => r.deviceId)).toEqual([device.id]);
    const [second] = await a.hub.devices.create([{ name: 'second', configuration: { ident: '359000000000007' } }]);
    await a.hub.calcs.assign(String(calc), String(second.id), true, SYSTEM_ACCESS);
    expect((await a.calcs.statesOf(calc)).map((r) => [r.deviceId, r.synced])).toEqual([
      [device.id, true],
      [second.id, false],
    ]);
    await a.hub.calcs.assign(String(calc), String(device.id), false, SYSTEM_ACCESS);
    expect((await a.calcs.statesOf(calc)).map((r) => r.deviceId)).toEqual([second.id]);
    // read once, by the backfill run in setUp, before the spy
    expect(listed).not.toHaveBeenCalled();
    expect((await a.stored.statesOf(calc)).map((r) => r.deviceId)).toEqual([second.id]);
  });

  it('stores at once what a restart could not redo: late data recalculated, a reset', async () => {
    const a = process_();
    const { device, calc } = await setUp(a.hub, '359000000000008');
    await a.hub.ingest.inject(device, [...run(0, 3, true), ...run(3, 3, false), ...run(6, 3, true)]);
    expect(await a.stored.intervals(calc, device.id)).toEqual([]);
    // a black-box message from minute 4.5, ignition on: a third trip between the two
    await a.hub.ingest.inject(device, [{ timestamp: T0 + 270, 'engine.ignition.status': true, 'position.speed': 40 }]);
    expect((await a.stored.intervals(calc, device.id)).map((i) => (i.begin - T0) / 60)).toEqual([0, 4.5, 6]);
    // (other tests' pairs, listed by this process's backfill run, may be dirty: this one is stored)
    const held = await a.calcs.getState(calc, device.id);
    expect(await a.stored.getState(calc, device.id)).toMatchObject({ state: held?.state, synced: true });
    // DELETE of intervals resets the pair: stored at once too
    await a.hub.intervals.delete(String(calc), String(device.id), 'all', SYSTEM_ACCESS);
    expect(await a.stored.intervals(calc, device.id)).toEqual([]);
    expect(await a.stored.getState(calc, device.id)).toMatchObject({ synced: false, updated: null });
  });

  it('a pair removed while held is not written back by a later flush', async () => {
    const a = process_();
    const { device, calc } = await setUp(a.hub, '359000000000003');
    await a.hub.ingest.inject(device, run(0, 3, true));
    await a.hub.calcs.assign(String(calc), String(device.id), false, SYSTEM_ACCESS);
    await a.calcs.flush();
    expect(await a.stored.getState(calc, device.id)).toBeUndefined();
    expect(await a.stored.intervals(calc, device.id)).toEqual([]);
  });
});
