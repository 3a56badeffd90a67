import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedTracker } from '../e2e/tracker.js';
import { LiveClient } from '../helpers/live-client.js';
import { api, startTestHub, TEST_TOKEN } from '../helpers/local-hub.js';

/**
 * Live push on a local hub over WebSocket (`ws://…/live`), the protocol of the AWS WebSocket API:
 * a simulated Teltonika tracker reports over TCP, subscribed clients get the frames.
 */
describe('local hub live push (WebSocket /live)', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let truck: number;
  let van: number;
  let limitedKey: string;
  const now = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    hub = await startTestHub();
    const created = await api(hub, 'POST', '/gw/devices', [
      { name: 'Truck', configuration: { ident: '356307042441013' } },
      { name: 'Van', configuration: { ident: '356307042441021' } },
    ]);
    [truck, van] = created.json.result.map((d: { id: number }) => d.id);
    const token = await api(hub, 'POST', '/platform/tokens', [{ info: 'truck only', acl: [{ uri: 'gw/devices', methods: ['GET'], ids: [truck] }] }]);
    limitedKey = token.json.result[0].key;
  }, 30_000);

  afterAll(async () => {
    await hub?.stop();
  });

  it('refuses the upgrade with 401 for a bad or missing token', async () => {
    await expect(LiveClient.connect(hub.apiUrl, 'not-a-token')).rejects.toMatchObject({ status: 401 });
    await expect(LiveClient.connect(hub.apiUrl, undefined)).rejects.toMatchObject({ status: 401 });
  });

  it('pushes a message the tracker sent to a messages subscriber within 1 s', async () => {
    const client = await LiveClient.connect(hub.apiUrl, TEST_TOKEN);
    const tracker = await SimulatedTracker.connect(hub.channelPort, '356307042441013');
    try {
      expect(await client.subscribe(`gw/devices/${truck}/messages`)).toEqual({ subscribed: `gw/devices/${truck}/messages`, devices: [truck] });
      const sent = Date.now();
      await tracker.send([{ timestampMs: (now - 30) * 1000, latitude: 54.687157, longitude: 25.279652, speed: 42, satellites: 11 }]);
      const frame = await client.next((f) => f.topic === `gw/devices/${truck}/messages`, 1000);
      const latency = Date.now() - sent;
      expect(latency).toBeLessThan(1000);
      expect(Object.keys(frame).sort()).toEqual(['message', 'topic']);
      expect(frame.message).toMatchObject({
        'device.id': truck,
        'device.name': 'Truck',
        ident: '356307042441013',
        timestamp: now - 30,
        'position.latitude': 54.687157,
        'position.longitude': 25.279652,
        'position.speed': 42,
        'position.satellites': 11,
      });
      console.log(`[live push] message frame ${latency} ms after the tracker sent the record`);
    } finally {
      tracker.close();
      client.close();
    }
  });

  it('refuses a limited token a device outside its ACL (403 frame) and resolves all to the devices it may see', async () => {
    const client = await LiveClient.connect(hub.apiUrl, limitedKey);
    const truckTracker = await SimulatedTracker.connect(hub.channelPort, '356307042441013');
    const vanTracker = await SimulatedTracker.connect(hub.channelPort, '356307042441021');
    try {
      const denied = await client.subscribe(`gw/devices/${van}/messages`);
      expect(denied).toEqual({ error: { code: 403, reason: expect.stringContaining(`gw/devices ${van}`), topic: `gw/devices/${van}/messages` } });
      expect(await client.subscribe('gw/devices/all/messages')).toEqual({ subscribed: 'gw/devices/all/messages', devices: [truck] });
      await vanTracker.send([{ timestampMs: (now - 20) * 1000, latitude: 54.1, longitude: 25.1 }]);
      await truckTracker.send([{ timestampMs: (now - 20) * 1000, latitude: 54.2, longitude: 25.2 }]);
      const frame = await client.next((f) => 'topic' in f, 1000);
      expect(frame.topic).toBe(`gw/devices/${truck}/messages`);
      expect(frame.message['position.latitude']).toBe(54.2);
      await new Promise((r) => setTimeout(r, 200));
      expect(client.pending()).toEqual([]); // nothing of the van, and the truck's message once
    } finally {
      truckTracker.close();
      vanTracker.close();
      client.close();
    }
  });

  it('sends a telemetry subscriber the current values at once, then each newer value', async () => {
    const client = await LiveClient.connect(hub.apiUrl, TEST_TOKEN);
    const tracker = await SimulatedTracker.connect(hub.channelPort, '356307042441013');
    try {
      const topic = `gw/devices/${truck}/telemetry/position.latitude,position.speed`;
      expect(await client.subscribe(topic)).toEqual({ subscribed: topic, devices: [truck] });
      // the current values (the truck's last record, 20 s ago), by name
      expect(await client.next(() => true)).toEqual({ topic: `gw/devices/${truck}/telemetry/position.latitude`, value: 54.2, ts: now - 20 });
      expect(await client.next(() => true)).toEqual({ topic: `gw/devices/${truck}/telemetry/position.speed`, value: 0, ts: now - 20 });
      await tracker.send([{ timestampMs: (now - 10) * 1000, latitude: 54.3, longitude: 25.3, speed: 77 }]);
      expect(await client.next(() => true, 1000)).toEqual({ topic: `gw/devices/${truck}/telemetry/position.latitude`, value: 54.3, ts: now - 10 });
      expect(await client.next(() => true, 1000)).toEqual({ topic: `gw/devices/${truck}/telemetry/position.speed`, value: 77, ts: now - 10 });
      // an archive record older than what the client has is no update
      await tracker.send([{ timestampMs: (now - 300) * 1000, latitude: 50, longitude: 20, speed: 5 }]);
      await new Promise((r) => setTimeout(r, 300));
      expect(client.pending()).toEqual([]);
    } finally {
      tracker.close();
      client.close();
    }
  });

  it('unsubscribes, and answers bad frames and unknown topics with 400 error frames', async () => {
    const client = await LiveClient.connect(hub.apiUrl, TEST_TOKEN);
    const tracker = await SimulatedTracker.connect(hub.channelPort, '356307042441013');
    try {
      const topic = `gw/devices/${truck}/messages`;
      await client.subscribe(topic);
      client.send({ action: 'unsubscribe', topic });
      expect(await client.next(() => true)).toEqual({ unsubscribed: topic });
      await tracker.send([{ timestampMs: (now - 5) * 1000, latitude: 54.4, longitude: 25.4 }]);
      client.send('not json');
      expect(await client.next(() => true)).toEqual({ error: { code: 400, reason: expect.stringMatching(/^frame: not JSON/) } });
      expect(await client.subscribe('gw/devices/1/positions')).toEqual({
        error: { code: 400, reason: expect.stringMatching(/^topic "gw\/devices\/1\/positions": expected/), topic: 'gw/devices/1/positions' },
      });
      // interval events are published (live-intervals.test.ts); a calculator that does not exist is a 404
      expect(await client.subscribe(`gw/calcs/1/devices/${truck}/intervals`)).toEqual({
        error: { code: 404, reason: 'calc selector "1": no calc 1', topic: `gw/calcs/1/devices/${truck}/intervals` },
      });
      expect(client.pending()).toEqual([]); // no message frame after the unsubscribe
    } finally {
      tracker.close();
      client.close();
    }
  });
});
