import { describe, expect, it } from 'vitest';
import type { BusEvent, DeviceEvent } from '../../../core/ports.js';
import type { Device } from '../../../core/schemas/devices.js';
import type { Stream } from '../../../core/schemas/streams.js';
import { EVENT_FIELD, eventTime, flattenEvent, payloadJson } from '../../../core/streams/events.js';
import { StreamFanout } from '../../../core/streams/fanout.js';
import { telemetryEntry } from '../../../core/streams/thingsboard-payload.js';

const DEVICE = { id: 5, name: 'truck', configuration: { ident: '8600' }, metadata: { limit: 90 } } as unknown as Device;
const stream = (id: number, source: Stream['source'], validate_message?: string): Stream => ({
  id,
  name: `s${id}`,
  protocol_name: 'http',
  source,
  configuration: {},
  queue_ttl: 86400,
  enabled: true,
  ...(validate_message ? { validate_message } : {}),
});

const trip: DeviceEvent = { event: 'activated', calc_id: 2, device_id: 5, interval: { id: 1000, begin: 1000, end: 1000, duration: 0, active: true } };
const tripEnd: DeviceEvent = {
  event: 'deactivated',
  calc_id: 2,
  device_id: 5,
  interval: { id: 1000, begin: 1000, end: 1900, duration: 900, active: false, route: [{ t: 1000, lat: 54, lon: 25 }], tags: ['a', 'b'] },
};
const online: DeviceEvent = { event: 'online', device_id: 5, timestamp: 2000.25 };

/** A fan-out over fixed streams and subscriptions, recording what it puts on the bus. */
function setup(streams: Stream[], subs: Record<number, { devices: number[]; channels: number[] }>) {
  const published: BusEvent[] = [];
  const fanout = new StreamFanout(
    { list: async () => streams },
    { subscribers: async (id) => subs[id] ?? { devices: [], channels: [] } },
    { publish: async (events) => void published.push(...events) },
    30_000,
    () => 5_000_000,
    undefined,
    async (id) => (id === DEVICE.id ? DEVICE : undefined),
  );
  return { fanout, published };
}

describe('core/streams/fanout', () => {
  describe('routing by source', () => {
    it('sends messages only to messages streams (a stream stored without source is one) and events only to intervals streams', async () => {
      const { fanout, published } = setup([stream(1, 'messages'), stream(2, 'intervals'), stream(3, undefined)], {
        1: { devices: [5], channels: [] },
        2: { devices: [5], channels: [] },
        3: { devices: [5], channels: [] },
      });
      await fanout.publish([{ message: { timestamp: 10, ident: '8600', 'device.id': 5 }, device: DEVICE }]);
      expect(published.map((e) => e.stream_id)).toEqual([1, 3]);
      published.length = 0;
      await fanout.publishEvents([trip, tripEnd]);
      expect(published.map((e) => [e.stream_id, e.messages.length])).toEqual([[2, 2]]);
      expect(published[0].messages.map(payloadJson).map((j) => JSON.parse(j))).toEqual([trip, tripEnd]);
      expect(fanout.stats.deviceEvents).toBe(2);
    });

    it('routes online/offline by device and by the channel they happened on; interval events by device only', async () => {
      const { fanout, published } = setup([stream(1, 'intervals'), stream(2, 'intervals')], {
        1: { devices: [5], channels: [] },
        2: { devices: [], channels: [9] },
      });
      await fanout.publishRouted([{ event: online, channelId: 9 }]);
      expect(published.map((e) => e.stream_id)).toEqual([1, 2]);
      published.length = 0;
      await fanout.publishEvents([trip]);
      expect(published.map((e) => e.stream_id)).toEqual([1]);
      published.length = 0;
      await fanout.publishEvents([{ ...trip, device_id: 6 }]);
      expect(published).toEqual([]);
    });

    it("puts the device's ident, name and channel into the record (topic templates) and keeps publish order in the buffer", async () => {
      const { fanout, published } = setup([stream(1, 'intervals')], { 1: { devices: [5], channels: [] } });
      await fanout.publishRouted([{ event: online, channelId: 9 }]);
      await fanout.publishEvents([trip]);
      await fanout.publishEvents([tripEnd]);
      await fanout.publishRouted([{ event: { event: 'offline', device_id: 5, timestamp: 2001 }, channelId: 9 }]);
      const records = published.flatMap((e) => e.messages);
      expect(records[0]).toEqual({
        [EVENT_FIELD]: JSON.stringify(online),
        ident: '8600',
        'device.id': 5,
        'device.name': 'truck',
        'channel.id': 9,
        'server.timestamp': 2000.25,
        timestamp: 2000.25,
      });
      // online/offline are placed at their own time, interval events at the hub's clock, and never before the previous event
      expect(records.map((r) => r['server.timestamp'])).toEqual([2000.25, 5000, 5000.001, 5000.002]);
      expect(records.map((r) => r.timestamp)).toEqual([2000.25, 1000, 1900, 2001]);
    });

    it('gives the same batch id to the same events (a retried publish is deduplicated by delivery)', async () => {
      const a = setup([stream(1, 'intervals')], { 1: { devices: [5], channels: [] } });
      const b = setup([stream(1, 'intervals')], { 1: { devices: [5], channels: [] } });
      await a.fanout.publishEvents([trip, tripEnd]);
      await b.fanout.publishEvents([trip, tripEnd]);
      expect(a.published[0].batch_id).toBe(b.published[0].batch_id);
      await b.fanout.publishEvents([tripEnd]);
      expect(b.published[1].batch_id).not.toBe(a.published[0].batch_id);
    });

    it('applies validate_message to event fields and counts what it skips', async () => {
      const { fanout, published } = setup([stream(1, 'intervals', "event == 'deactivated' && interval.duration > metadata('limit')")], {
        1: { devices: [5], channels: [] },
      });
      await fanout.publishEvents([trip, tripEnd]);
      expect(published.map((e) => [e.messages.map((m) => JSON.parse(payloadJson(m)).event), e.skipped])).toEqual([[['deactivated'], 1]]);
      published.length = 0;
      await fanout.publishEvents([trip]);
      expect(published.map((e) => [e.messages.length, e.skipped])).toEqual([[0, 1]]);
    });
  });
});

describe('core/streams/events', () => {
  it('flattens an event into parameters (routes as JSON text)', () => {
    expect(flattenEvent(tripEnd)).toEqual({
      event: 'deactivated',
      calc_id: 2,
      device_id: 5,
      'interval.id': 1000,
      'interval.begin': 1000,
      'interval.end': 1900,
      'interval.duration': 900,
      'interval.active': false,
      'interval.route': '[{"t":1000,"lat":54,"lon":25}]',
      'interval.tags': ['a', 'b'],
    });
    expect(flattenEvent(online)).toEqual({ event: 'online', device_id: 5, timestamp: 2000.25 });
  });

  it('dates an activation by its begin, other changes by their end, online/offline by their timestamp', () => {
    expect([eventTime(trip), eventTime(tripEnd), eventTime(online)]).toEqual([1000, 1900, 2000.25]);
  });

  it('gives ThingsBoard telemetry at the event time in ms with the flattened event as values', () => {
    const record = { [EVENT_FIELD]: JSON.stringify(online), ident: '8600', 'device.id': 5, 'server.timestamp': 5000, timestamp: 2000.25 };
    expect(telemetryEntry(record)).toEqual({ ts: 2000250, values: { event: 'online', device_id: 5, timestamp: 2000.25 } });
  });
});
