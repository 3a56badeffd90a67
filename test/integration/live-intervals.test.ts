import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient } from '../helpers/live-client.js';
import { api, eventually, startTestHub, TEST_TOKEN } from '../helpers/local-hub.js';

type Row = Record<string, unknown>;
const T0 = 1_700_000_000;

/** A message every 60 s from `from` (minutes after T0) for `n` minutes, ignition as given. */
const run = (from: number, n: number, ign: boolean): Row[] =>
  Array.from({ length: n }, (_, k) => ({
    timestamp: T0 + (from + k) * 60,
    'engine.ignition.status': ign,
    'position.speed': ign ? 50 : 0,
    'position.latitude': 54.6,
    'position.longitude': 25.2,
  }));

const calcOf = (name: string, expression: string) => ({
  name,
  selectors: [{ type: 'expression', expression, max_inactive: 120 }],
  counters: [{ type: 'messages', name: 'messages' }],
  update_delay: 0,
  intervals_ttl: 10 * 365 * 86400,
});

/**
 * Interval events on the live socket of a local hub (`gw/calcs/{sel}/devices/{sel}/intervals`):
 * messages injected through the REST API open and close a trip, the subscriber gets `activated`
 * then `deactivated` on the pair's concrete topic, and nothing of another calculator.
 */
describe('local hub live push of interval events', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let device: number;
  let trips: number;
  let speeding: number;

  const call = async (method: string, path: string, body?: unknown): Promise<Row[]> => {
    const r = await api(hub, method, path, body);
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.json)}`).toBe(200);
    return r.json.result as Row[];
  };

  beforeAll(async () => {
    hub = await startTestHub({ extra: { defaultChannel: false } });
    [{ id: device }] = (await call('POST', '/gw/devices', [{ name: 'truck', configuration: { ident: '351000000000077' } }])) as { id: number }[];
    [{ id: trips }, { id: speeding }] = (await call('POST', '/gw/calcs', [
      calcOf('trips', 'engine.ignition.status'),
      calcOf('moving', 'position.speed > 10'),
    ])) as { id: number }[];
    await call('POST', `/gw/calcs/${trips},${speeding}/devices/${device}`);
    await eventually(async () => ((await call('GET', `/gw/calcs/all/devices/${device}`)).every((a) => a.synced === true) ? true : undefined));
  }, 30_000);

  afterAll(async () => hub?.stop());

  it('sends activated then deactivated of the subscribed calculator on its concrete topic, nothing of the other one', async () => {
    const client = await LiveClient.connect(hub.apiUrl, TEST_TOKEN);
    try {
      const topic = `gw/calcs/${trips}/devices/all/intervals`;
      expect(await client.subscribe(topic)).toEqual({ subscribed: topic, devices: [device] });
      const concrete = `gw/calcs/${trips}/devices/${device}/intervals`;
      await call('POST', `/gw/devices/${device}/messages`, run(0, 3, true));
      const opened = await client.next((f) => f.topic !== undefined, 2000);
      const id = T0 * 1000;
      expect(opened).toEqual({
        topic: concrete,
        event: 'activated',
        calc_id: trips,
        device_id: device,
        // the interval as it was when it opened (its first message); later messages are `updated` events
        interval: expect.objectContaining({ id, calc_id: trips, device_id: device, begin: T0, end: T0, active: true, messages: 1 }),
      });
      await call('POST', `/gw/devices/${device}/messages`, run(3, 5, false));
      const closed = await client.next((f) => f.event === 'deactivated', 2000);
      expect(closed).toEqual({
        topic: concrete,
        event: 'deactivated',
        calc_id: trips,
        device_id: device,
        interval: expect.objectContaining({ id, begin: T0, end: T0 + 120, duration: 120, active: false, messages: 3 }),
      });
      await new Promise((r) => setTimeout(r, 300));
      // every frame after the ack, in order: all of the trips calculator, on its concrete topic
      const events = client.frames.filter((f) => f.topic !== undefined);
      expect(events.map((f) => [f.topic, f.event, f.calc_id, f.interval.id, f.interval.messages])).toEqual([
        [concrete, 'activated', trips, id, 1],
        [concrete, 'updated', trips, id, 3],
        [concrete, 'deactivated', trips, id, 3],
      ]);
      // the other calculator did see the trip (its events were published, not to this subscriber)
      const other = await call('GET', `/gw/calcs/${speeding}/devices/${device}/intervals/all`);
      expect(other.map((r) => [r.begin, r.end])).toEqual([[T0, T0 + 120]]);
    } finally {
      client.close();
    }
  });

  it('refuses a token without the calculators route (403 naming it) and a selector that picks no calculator (400)', async () => {
    const [{ key }] = await call('POST', '/platform/tokens', [{ info: 'devices only', acl: [{ uri: 'gw/devices', methods: ['GET'] }] }]);
    const limited = await LiveClient.connect(hub.apiUrl, String(key));
    const admin = await LiveClient.connect(hub.apiUrl, TEST_TOKEN);
    try {
      const topic = `gw/calcs/${trips}/devices/${device}/intervals`;
      expect(await limited.subscribe(topic)).toEqual({
        error: { code: 403, reason: expect.stringMatching(/may not GET \/gw\/calcs\/devices\/intervals$/), topic },
      });
      expect(await admin.subscribe('gw/calcs/name=nothing*/devices/all/intervals')).toEqual({
        error: {
          code: 400,
          reason: 'topic gw/calcs/name=nothing*/devices/all/intervals: selects no calculator',
          topic: 'gw/calcs/name=nothing*/devices/all/intervals',
        },
      });
    } finally {
      limited.close();
      admin.close();
    }
  });
});
