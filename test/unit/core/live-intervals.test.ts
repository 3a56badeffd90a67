import { describe, expect, it } from 'vitest';
import { MemoryLiveStore } from '../../../adapters/local/live-store.js';
import { LiveFanout } from '../../../core/live/fanout.js';
import type { LiveFrame, LiveIntervalEvent } from '../../../core/live/frames.js';
import { framesFor, TelemetrySeen } from '../../../core/live/match.js';
import type { LiveEvent } from '../../../core/live/ports.js';
import { LiveService, MAX_DEVICES_PER_SUBSCRIPTION } from '../../../core/live/service.js';
import { deviceTopic } from '../../../core/live/topics.js';
import { scope } from '../../../core/registry/access.js';
import type { Principal } from '../../../core/registry/auth.js';
import type { Message } from '../../../protocols/common/types.js';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const ev = (event: LiveIntervalEvent['event'], calc: number, device: number, id: number): LiveIntervalEvent => ({
  event,
  calc_id: calc,
  device_id: device,
  interval: { id, calc_id: calc, device_id: device, begin: id, end: id + 60, duration: 60, active: event === 'activated' },
});
const sub = (topic: string) => JSON.stringify({ action: 'subscribe', topic });

/** A LiveService over the memory store; devices 1-`deviceCount` exist, `assigned` maps each calculator to its devices. */
function harness(assigned: Record<number, number[]>, deviceCount = 3) {
  const sent = new Map<string, LiveFrame[]>();
  const store = new MemoryLiveStore();
  const devices = Array.from({ length: deviceCount }, (_, i) => ({ id: i + 1 }));
  const calcs = Object.keys(assigned).map((id) => ({ id: Number(id) }));
  const pick = <T extends { id: number }>(sel: string, items: T[]) => {
    const ids = sel === 'all' ? undefined : sel.split(',').map(Number);
    return { items: ids ? items.filter((d) => ids.includes(d.id)) : items, ids };
  };
  const service = new LiveService({
    store,
    sender: {
      send: async (id, list) => {
        sent.set(id, [...(sent.get(id) ?? []), ...list]);
        return true;
      },
    },
    selectDevices: async (sel, access) => {
      const p = pick(sel, devices);
      return scope(access, 'gw/devices', p.items, p.ids);
    },
    selectCalcs: async (sel, access) => {
      const p = pick(sel, calcs);
      return scope(access, 'gw/calcs', p.items, p.ids);
    },
    calcDevices: async (calcId) => assigned[calcId] ?? [],
    telemetry: async () => ({}),
    logger: quiet,
  });
  return { service, store, take: (id: string) => sent.get(id)?.splice(0) ?? [] };
}

const admin: Principal = { tokenId: 'admin' };
const devicesOnly: Principal = { tokenId: 7, acl: [{ uri: 'gw/devices', methods: ['GET'] }] };
const calcTwo: Principal = {
  tokenId: 8,
  acl: [
    { uri: 'gw/calcs', methods: ['GET'], ids: [2] },
    { uri: 'gw/devices', methods: ['GET'] },
  ],
};

describe('live intervals topic: matching', () => {
  it('names the concrete topic of a pair', () => {
    expect(deviceTopic.intervals(4, 12)).toBe('gw/calcs/4/devices/12/intervals');
  });
  it('gives an intervals watcher the events of its calculators only, once per connection, and nothing to message watchers', () => {
    const watchers = new Map([
      [
        1,
        [
          { connectionId: 'A', topic: 'gw/calcs/all/devices/1/intervals', calcs: [1, 2] },
          { connectionId: 'A', topic: 'gw/calcs/1/devices/all/intervals', calcs: [1] },
          { connectionId: 'B', topic: 'gw/calcs/2/devices/1/intervals', calcs: [2] },
          { connectionId: 'C', topic: 'gw/devices/1/messages' },
        ],
      ],
    ]);
    const events = [ev('activated', 1, 1, 100), ev('updated', 2, 1, 200), ev('activated', 1, 2, 300)];
    const out = framesFor([], watchers, new TelemetrySeen(), events);
    expect(out.get('A')).toEqual([
      { topic: 'gw/calcs/1/devices/1/intervals', ...events[0] },
      { topic: 'gw/calcs/2/devices/1/intervals', ...events[1] },
    ]);
    expect(out.get('B')).toEqual([{ topic: 'gw/calcs/2/devices/1/intervals', ...events[1] }]);
    expect([...out.keys()]).toEqual(['A', 'B']);
  });
});

describe('live intervals topic: subscribe', () => {
  it('resolves the assigned pairs among the selected calculators and devices, and keeps the calculators per device', async () => {
    const h = harness({ 1: [1, 2], 2: [2, 3], 3: [3] });
    await h.service.connect('a', admin);
    await h.service.receive('a', sub('gw/calcs/1,2/devices/1,2/intervals'));
    expect(h.take('a')).toEqual([{ subscribed: 'gw/calcs/1,2/devices/1,2/intervals', devices: [1, 2] }]);
    expect(await h.store.watchers([1, 2, 3])).toEqual(
      new Map([
        [1, [{ connectionId: 'a', topic: 'gw/calcs/1,2/devices/1,2/intervals', calcs: [1] }]],
        [2, [{ connectionId: 'a', topic: 'gw/calcs/1,2/devices/1,2/intervals', calcs: [1, 2] }]],
      ]),
    );
  });
  it('pushes the events of watched pairs on their concrete topics, in order; another calculator and device get nothing', async () => {
    const h = harness({ 1: [1, 2], 2: [1, 2] });
    await h.service.connect('a', admin);
    await h.service.receive('a', sub('gw/calcs/1/devices/all/intervals'));
    h.take('a');
    const events = [ev('activated', 1, 1, 10), ev('activated', 2, 1, 11), ev('deactivated', 1, 1, 10), ev('deleted', 1, 3, 12)];
    expect(await h.service.push([], events)).toEqual({ connections: 1, frames: 2, gone: 0 });
    expect(h.take('a')).toEqual([
      { topic: 'gw/calcs/1/devices/1/intervals', ...events[0] },
      { topic: 'gw/calcs/1/devices/1/intervals', ...events[2] },
    ]);
  });
  it('answers 403 naming the route to a token without the calculators route, and for a calculator outside its ACL', async () => {
    const h = harness({ 1: [1], 2: [1] });
    await h.service.connect('d', devicesOnly);
    await h.service.receive('d', sub('gw/calcs/1/devices/1/intervals'));
    expect(h.take('d')).toEqual([{ error: { code: 403, reason: 'token 7 may not GET /gw/calcs/devices/intervals', topic: 'gw/calcs/1/devices/1/intervals' } }]);
    await h.service.connect('c', calcTwo);
    await h.service.receive('c', sub('gw/calcs/1,2/devices/1/intervals'));
    await h.service.receive('c', sub('gw/calcs/all/devices/all/intervals'));
    expect(h.take('c')).toEqual([
      { error: { code: 403, reason: 'token 8 may not access gw/calcs 1', topic: 'gw/calcs/1,2/devices/1/intervals' } },
      { subscribed: 'gw/calcs/all/devices/all/intervals', devices: [1] },
    ]);
    expect(await h.store.watchers([1])).toEqual(new Map([[1, [{ connectionId: 'c', topic: 'gw/calcs/all/devices/all/intervals', calcs: [2] }]]]));
  });
  it('answers 400 when the selector picks no calculator, and when the pairs cover too many devices', async () => {
    const none = harness({});
    await none.service.connect('n', admin);
    await none.service.receive('n', sub('gw/calcs/all/devices/all/intervals'));
    expect(none.take('n')).toEqual([
      { error: { code: 400, reason: 'topic gw/calcs/all/devices/all/intervals: selects no calculator', topic: 'gw/calcs/all/devices/all/intervals' } },
    ]);
    const count = MAX_DEVICES_PER_SUBSCRIPTION + 1;
    const wide = harness({ 1: Array.from({ length: count }, (_, i) => i + 1), 2: [] }, count + 5);
    await wide.service.connect('w', admin);
    await wide.service.receive('w', sub('gw/calcs/all/devices/all/intervals'));
    expect(wide.take('w')).toEqual([
      {
        error: {
          code: 400,
          reason: 'topic gw/calcs/all/devices/all/intervals: selects 1001 devices, more than 1000; narrow the selector',
          topic: 'gw/calcs/all/devices/all/intervals',
        },
      },
    ]);
    // a calculator assigned to none of the selected devices: subscribed, covering nothing
    await wide.service.receive('w', sub('gw/calcs/2/devices/all/intervals'));
    expect(wide.take('w')).toEqual([{ subscribed: 'gw/calcs/2/devices/all/intervals', devices: [] }]);
    expect((await wide.store.watchedDevices()).size).toBe(0);
  });
});

describe('live intervals topic: LiveFanout', () => {
  const msg = (device: number, timestamp: number): Message => ({ 'device.id': device, ident: `i${device}`, timestamp }) as Message;
  it('carries the interval events of watched devices in the batch event, flushes a run without a batch, and ignores online/offline', async () => {
    const published: LiveEvent[] = [];
    const fanout = new LiveFanout({ watchedDevices: async () => new Set([1]) }, { publish: async (e) => void published.push(...e) }, quiet);
    const a = ev('activated', 5, 1, 100);
    await fanout.events([a, ev('activated', 5, 2, 101), { event: 'online', device_id: 1, timestamp: 5 }]);
    await fanout.publish([{ message: msg(1, 100), device: { id: 1 } as never }]);
    expect(published.map((e) => ({ messages: e.messages.map((m) => m.timestamp), events: e.events }))).toEqual([{ messages: [100], events: [a] }]);
    const d = ev('deactivated', 5, 1, 100);
    await fanout.events([d]);
    await fanout.flush();
    await fanout.flush(); // nothing left
    expect(published.slice(1).map((e) => ({ messages: e.messages, events: e.events }))).toEqual([{ messages: [], events: [d] }]);
    expect(fanout.stats).toMatchObject({ events: 2, messages: 1, intervalEvents: 2 });
  });
});
