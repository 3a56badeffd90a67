import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RequestCounter } from '../../adapters/aws/request-counter.js';
import { createDocumentClient } from '../../adapters/dynamodb/client.js';
import { dynamoPorts } from '../../adapters/dynamodb/ports.js';
import type { QueuedFrame } from '../../core/envelope.js';
import { createHub, type HubServices } from '../../core/hub.js';
import { SYSTEM_ACCESS } from '../../core/registry/access.js';
import type { Device } from '../../core/schemas/devices.js';
import { getProtocol } from '../../protocols/index.js';
import { avlPacket } from '../../protocols/teltonika/device.js';
import { startTestDynamo, TEST_TABLES } from '../helpers/dynamo.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const TTL_MS = 120_000;
const TRIPS = {
  name: 'trips',
  update_delay: 0,
  selectors: [{ type: 'expression', expression: 'position.speed > 0' }],
  counters: [{ type: 'messages', name: 'messages' }],
};
/** Partition keys (or their prefixes) of the registry items ingest's caches look up. */
const LOOKUPS = [/^ident$/, /^device$/, /^channel$/, /^plug#d#/, /^plugin$/, /^calc#d#/, /^calc$/, /^geofence$/];

/** The partition keys a read names: GetItem's or Query's, or every key of a BatchGetItem. */
function readKeys(input: unknown): string[] {
  const i = input as {
    Key?: { pk?: string };
    ExpressionAttributeValues?: { ':pk'?: string };
    RequestItems?: Record<string, { Keys?: { pk?: string }[] }>;
  };
  if (i.RequestItems) return Object.values(i.RequestItems).flatMap((r) => (r.Keys ?? []).map((k) => String(k.pk)));
  return [String(i.Key?.pk ?? i.ExpressionAttributeValues?.[':pk'] ?? '')];
}

/**
 * The registry generation on dynalite through the real adapters, as on AWS: the API and ingest in
 * separate processes (no local-mode invalidation), ingest's cached lookups past their TTL kept by
 * one generation read instead of re-read, and changes made through the API services reaching
 * ingest within the TTL.
 */
describe('ingest caches revalidated by the registry generation', () => {
  let db: Awaited<ReturnType<typeof startTestDynamo>>;
  let api: HubServices;
  let ingest: HubServices;
  const reads: string[] = [];
  let counting = false;
  let channelId = 0;
  let device: Device;
  let spare: Device;
  let seq = 0;

  const protocolId = getProtocol('teltonika')?.id ?? 0;
  const frame = (ident: string): QueuedFrame => {
    const at = Date.now() / 1000;
    seq++;
    return {
      channelId,
      protocolId,
      transport: 'tcp',
      ident,
      peer: '127.0.0.1:1',
      receivedAt: at,
      frame: avlPacket([{ timestampMs: Math.floor(at) * 1000, latitude: 54.6, longitude: 25.2, speed: 30 + seq }]).toString('base64'),
    };
  };
  const send = async (ident = device.configuration.ident) => {
    const r = await ingest.ingest.ingest({ v: 1, frames: [frame(ident)] });
    expect(r.stats.stored).toBe(1);
    return r.messages[0].message;
  };
  const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);
  const lookups = () => reads.filter((pk) => LOOKUPS.some((re) => re.test(pk)));
  const generationReads = () => reads.filter((pk) => pk === 'gen').length;

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_800_000_000_000);
    db = await startTestDynamo();
    api = createHub(dynamoPorts(db.doc, TEST_TABLES, silent), { publicHost: 'test', portRange: [20000, 20001], adminToken: 'test' });
    const counter = new RequestCounter({
      onResponse: ({ operation, input }) => {
        if (counting && ['GetItem', 'BatchGetItem', 'Query'].includes(operation)) reads.push(...readKeys(input));
      },
    });
    const doc = counter.attach(createDocumentClient({ endpoint: db.dynamo.endpoint }));
    ingest = createHub(dynamoPorts(doc, TEST_TABLES, silent), { publicHost: 'test', portRange: [20000, 20001], adminToken: 'test' });
    const [channel] = await api.channels.create([{ name: 'trackers', protocol_name: 'teltonika', configuration: { port: 20000 } }]);
    channelId = channel.id;
    [device] = await api.devices.create([{ name: 'truck', configuration: { ident: '352000000000001' } }]);
    [spare] = await api.devices.create([{ name: 'spare', configuration: { ident: '352000000000002' } }]);
  });
  afterAll(async () => {
    vi.useRealTimers();
    await db?.close();
  });

  it('past the TTL, a warm ingest reads the generation once and no registry lookup', async () => {
    await send(); // types the device (a registry write: the generation moves)
    await send('352000000000002');
    advance(TTL_MS + 1_000);
    await send(); // the typing's bump is seen: re-read once
    await send('352000000000002');
    for (let round = 0; round < 3; round++) {
      advance(TTL_MS + 1_000);
      reads.length = 0;
      counting = true;
      expect((await send())['device.name']).toBe('truck');
      expect((await send('352000000000002'))['device.name']).toBe('spare');
      counting = false;
      expect(lookups()).toEqual([]);
      expect(generationReads()).toBe(1);
    }
  });

  it('a device changed through the API reaches ingest within the TTL', async () => {
    await api.devices.update(String(device.id), { name: 'renamed truck' }, SYSTEM_ACCESS);
    advance(TTL_MS - 1_000);
    expect((await send())['device.name']).toBe('truck'); // the TTL allows it, as before
    advance(2_000);
    expect((await send())['device.name']).toBe('renamed truck');
  });

  it('a plugin assignment reaches ingest within the TTL', async () => {
    const [plugin] = await api.plugins.create([{ name: 'fleet', type: 'static', configuration: { parameters: { fleet: 'north' } } }]);
    advance(TTL_MS + 1_000);
    expect((await send()).fleet).toBeUndefined();
    await api.plugins.assign(String(plugin.id), String(device.id), true, SYSTEM_ACCESS);
    advance(TTL_MS + 1_000);
    expect((await send()).fleet).toBe('north');
    await api.plugins.assign(String(plugin.id), String(device.id), false, SYSTEM_ACCESS);
    advance(TTL_MS + 1_000);
    expect((await send()).fleet).toBeUndefined();
  });

  it('a calculator assignment reaches ingest within the TTL', async () => {
    const [calc] = await api.calcs.create([TRIPS]);
    await api.calcs.assign(String(calc.id), String(device.id), true, SYSTEM_ACCESS);
    await api.calcSync.run(); // the backfill (the tick Lambda): the pair is synced
    expect((await api.ports.calcs.getState(calc.id, device.id))?.synced).toBe(true);
    const before = (await api.ports.calcs.getState(calc.id, device.id))?.state.lastTs;
    advance(TTL_MS + 1_000);
    const m = await send();
    expect((await api.ports.calcs.getState(calc.id, device.id))?.state.lastTs).toBe(m.timestamp);
    expect(m.timestamp).not.toBe(before);
  });

  it('past the maximum age (15 minutes) entries are re-read although the generation is unchanged', async () => {
    advance(TTL_MS + 1_000);
    await send('352000000000002'); // the generation moved since its last load: re-read now
    let reloaded = 0;
    for (let minute = 2; minute <= 20 && !reloaded; minute += 2) {
      advance(TTL_MS);
      reads.length = 0;
      counting = true;
      await send('352000000000002');
      counting = false;
      if (lookups().includes('ident')) reloaded = minute;
    }
    expect(reloaded).toBe(16);
    expect(lookups().filter((pk) => pk !== 'channel')).toEqual(['ident', 'device', `plug#d#${spare.id}`, `calc#d#${spare.id}`]);
  });
});
