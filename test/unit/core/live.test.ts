import { describe, expect, it } from 'vitest';
import { MemoryLiveStore } from '../../../adapters/local/live-store.js';
import { ForbiddenError, ValidationError } from '../../../core/errors.js';
import { LiveFanout } from '../../../core/live/fanout.js';
import { frames, type LiveFrame, parseRequest } from '../../../core/live/frames.js';
import { byDevice, framesFor, newestValues, TelemetrySeen } from '../../../core/live/match.js';
import type { LiveEvent } from '../../../core/live/ports.js';
import { LiveService, MAX_DEVICES_PER_SUBSCRIPTION } from '../../../core/live/service.js';
import { paramMatches, parseTopic } from '../../../core/live/topics.js';
import { scope } from '../../../core/registry/access.js';
import type { Principal } from '../../../core/registry/auth.js';
import type { Message } from '../../../protocols/common/types.js';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const msg = (device: number, timestamp: number, extra: Record<string, number | string | boolean> = {}): Message =>
  ({ 'device.id': device, ident: `i${device}`, timestamp, ...extra }) as Message;

describe('core/live/topics', () => {
  describe('parseTopic', () => {
    it('parses the three topic kinds with their selectors and parameters', () => {
      expect(parseTopic('gw/devices/12/messages')).toEqual({ kind: 'messages', text: 'gw/devices/12/messages', devices: '12' });
      expect(parseTopic('gw/devices/all/telemetry/position.*,din')).toEqual({
        kind: 'telemetry',
        text: 'gw/devices/all/telemetry/position.*,din',
        devices: 'all',
        params: ['position.*', 'din'],
      });
      expect(parseTopic('gw/calcs/3/devices/name=truck*/intervals')).toEqual({
        kind: 'intervals',
        text: 'gw/calcs/3/devices/name=truck*/intervals',
        calcs: '3',
        devices: 'name=truck*',
      });
    });
    it('refuses other shapes, bad selectors and bad parameter names with a 400 naming the topic', () => {
      expect(() => parseTopic('gw/devices/12/positions')).toThrow(/^topic "gw\/devices\/12\/positions": expected gw\/devices/);
      expect(() => parseTopic('gw/devices/0/messages')).toThrow('topic gw/devices/0/messages: device selector "0": ids are positive integers');
      expect(() => parseTopic('gw/devices/1/telemetry/a*b')).toThrow(
        'topic gw/devices/1/telemetry/a*b: telemetry parameter "a*b": expected a name, a prefix ending in *, or *',
      );
      expect(() => parseTopic(42)).toThrow(ValidationError);
      expect(() => parseTopic(`gw/devices/${'1,'.repeat(300)}1/messages`)).toThrow('topic: longer than 512 characters');
    });
  });
  describe('paramMatches', () => {
    it('matches exact names, prefixes ending in * and *', () => {
      expect(['position.speed', 'position.speedx', 'din', 'position'].map((n) => paramMatches(['position.speed'], n))).toEqual([true, false, false, false]);
      expect(['position.speed', 'positions', 'din'].map((n) => paramMatches(['position.*'], n))).toEqual([true, false, false]);
      expect(['a', 'b.c'].map((n) => paramMatches(['*'], n))).toEqual([true, true]);
    });
  });
});

describe('core/live/frames', () => {
  describe('parseRequest', () => {
    it('accepts subscribe and unsubscribe with a topic', () => {
      expect(parseRequest('{"action":"subscribe","topic":"gw/devices/1/messages"}')).toEqual({ action: 'subscribe', topic: 'gw/devices/1/messages' });
    });
    it('names what is wrong', () => {
      expect(() => parseRequest('{"action":"publish","topic":"x"}')).toThrow(/^frame: action: /);
      expect(() => parseRequest('{"action":"subscribe"}')).toThrow(/^frame: topic: /);
      expect(() => parseRequest('[')).toThrow(/^frame: not JSON/);
      expect(() => parseRequest(`{"topic":"${'x'.repeat(9000)}"}`)).toThrow('frame: larger than 8192 bytes');
    });
  });
  describe('frames.error', () => {
    it('keeps a HubError status and reason, hides anything else as 500', () => {
      expect(frames.error(new ForbiddenError('no'), 't')).toEqual({ error: { code: 403, reason: 'no', topic: 't' } });
      expect(frames.error(new Error('secret detail'))).toEqual({ error: { code: 500, reason: 'internal error' } });
    });
  });
});

describe('core/live/match', () => {
  describe('byDevice / newestValues', () => {
    it('groups by device.id, skipping messages without one', () => {
      const m = [msg(1, 10), { ident: 'x', timestamp: 1 } as Message, msg(2, 11), msg(1, 12)];
      expect([...byDevice(m)].map(([id, l]) => [id, l.map((x) => x.timestamp)])).toEqual([
        [1, [10, 12]],
        [2, [11]],
      ]);
    });
    it('keeps the newest value per parameter by timestamp, whatever the order', () => {
      const v = newestValues([msg(1, 20, { a: 2 }), msg(1, 10, { a: 1, b: 5 })]);
      expect(v.get('a')).toEqual({ value: 2, ts: 20 });
      expect(v.get('b')).toEqual({ value: 5, ts: 10 });
    });
  });
  describe('framesFor', () => {
    it('gives message subscribers every message of their devices, once per connection even with overlapping topics', () => {
      const watchers = new Map([
        [
          1,
          [
            { connectionId: 'A', topic: 'gw/devices/1/messages' },
            { connectionId: 'A', topic: 'gw/devices/all/messages' },
            { connectionId: 'B', topic: 'gw/devices/1,2/messages' },
          ],
        ],
      ]);
      const out = framesFor([msg(1, 10), msg(2, 11), msg(1, 12)], watchers, new TelemetrySeen());
      expect(out.get('A')).toEqual([
        { topic: 'gw/devices/1/messages', message: msg(1, 10) },
        { topic: 'gw/devices/1/messages', message: msg(1, 12) },
      ]);
      expect(out.get('B')).toEqual(out.get('A'));
      expect([...out.keys()]).toEqual(['A', 'B']);
    });
    it('gives telemetry subscribers the newest matching values, only when newer than what they were sent', () => {
      const watchers = new Map([[7, [{ connectionId: 'C', topic: 'gw/devices/7/telemetry/position.*' }]]]);
      const seen = new TelemetrySeen();
      const first = framesFor([msg(7, 10, { 'position.speed': 5, din: 1 }), msg(7, 20, { 'position.speed': 9 })], watchers, seen);
      expect(first.get('C')).toEqual([{ topic: 'gw/devices/7/telemetry/position.speed', value: 9, ts: 20 }]);
      expect(framesFor([msg(7, 15, { 'position.speed': 1 })], watchers, seen).get('C')).toBeUndefined();
      expect(framesFor([msg(7, 21, { 'position.speed': 1 })], watchers, seen).get('C')).toEqual([
        { topic: 'gw/devices/7/telemetry/position.speed', value: 1, ts: 21 },
      ]);
    });
    it('ignores watchers of topics that no longer parse', () => {
      const out = framesFor([msg(1, 1)], new Map([[1, [{ connectionId: 'A', topic: 'garbage' }]]]), new TelemetrySeen());
      expect(out.size).toBe(0);
    });
  });
});

/** A LiveService over the memory store, recording what each connection was sent; devices 1-`count` exist. */
function harness(telemetry: Record<number, Record<string, { value: number; ts: number }>> = {}, count = 3) {
  const sent = new Map<string, LiveFrame[]>();
  const gone = new Set<string>();
  const store = new MemoryLiveStore();
  const devices = Array.from({ length: count }, (_, i) => ({ id: i + 1 }));
  const service = new LiveService({
    store,
    sender: {
      send: async (id, list) => {
        if (gone.has(id)) return false;
        sent.set(id, [...(sent.get(id) ?? []), ...list]);
        return true;
      },
    },
    selectDevices: async (sel, access) => {
      const ids = sel === 'all' ? undefined : sel.split(',').map(Number);
      return scope(access, 'gw/devices', ids ? devices.filter((d) => ids.includes(d.id)) : devices, ids);
    },
    selectCalcs: async () => [],
    calcDevices: async () => [],
    telemetry: async (id) => telemetry[id] ?? {},
    logger: quiet,
  });
  return { service, store, sent, gone, take: (id: string) => sent.get(id)?.splice(0) ?? [] };
}

const admin: Principal = { tokenId: 'admin' };
const onlyTwo: Principal = { tokenId: 5, acl: [{ uri: 'gw/devices', methods: ['GET'], ids: [2] }] };
const noDevices: Principal = { tokenId: 6, acl: [{ uri: 'gw/channels', methods: ['GET'] }] };
const sub = (topic: string) => JSON.stringify({ action: 'subscribe', topic });

describe('core/live/service', () => {
  describe('LiveService.receive (subscribe: the ACL per subscription)', () => {
    it('subscribes an unrestricted token to what the selector picks now', async () => {
      const h = harness();
      await h.service.connect('a', admin);
      await h.service.receive('a', sub('gw/devices/all/messages'));
      expect(h.take('a')).toEqual([{ subscribed: 'gw/devices/all/messages', devices: [1, 2, 3] }]);
      expect([...(await h.store.watchedDevices())]).toEqual([1, 2, 3]);
    });
    it('answers 403 for a device outside the ACL and narrows all to the allowed devices', async () => {
      const h = harness();
      await h.service.connect('l', onlyTwo);
      await h.service.receive('l', sub('gw/devices/1,2/messages'));
      await h.service.receive('l', sub('gw/devices/all/telemetry/*'));
      expect(h.take('l')).toEqual([
        { error: { code: 403, reason: 'token 5 may not access gw/devices 1', topic: 'gw/devices/1,2/messages' } },
        { subscribed: 'gw/devices/all/telemetry/*', devices: [2] },
      ]);
      expect([...(await h.store.watchedDevices())]).toEqual([2]);
    });
    it('answers 403 when no ACL entry covers the topic route', async () => {
      const h = harness();
      await h.service.connect('n', noDevices);
      await h.service.receive('n', sub('gw/devices/all/messages'));
      expect(h.take('n')).toEqual([{ error: { code: 403, reason: 'token 6 may not GET /gw/devices/messages', topic: 'gw/devices/all/messages' } }]);
    });
    it('sends the current telemetry values of a new telemetry subscription, by name', async () => {
      const h = harness({ 2: { 'position.speed': { value: 40, ts: 100 }, 'position.latitude': { value: 54.1, ts: 100 }, din: { value: 1, ts: 90 } } });
      await h.service.connect('t', admin);
      await h.service.receive('t', sub('gw/devices/2/telemetry/position.*'));
      expect(h.take('t')).toEqual([
        { subscribed: 'gw/devices/2/telemetry/position.*', devices: [2] },
        { topic: 'gw/devices/2/telemetry/position.latitude', value: 54.1, ts: 100 },
        { topic: 'gw/devices/2/telemetry/position.speed', value: 40, ts: 100 },
      ]);
      await h.service.push([msg(2, 100, { 'position.speed': 40 }), msg(2, 101, { din: 0 })]);
      expect(h.take('t')).toEqual([]); // not newer than the values just sent; din is not subscribed
    });
    it('refuses an unknown connection and too wide a selection', async () => {
      const h = harness();
      await h.service.receive('ghost', sub('gw/devices/1/messages'));
      expect(h.take('ghost')).toEqual([{ error: { code: 401, reason: 'connection unknown or expired: reconnect', topic: 'gw/devices/1/messages' } }]);
      const wide = harness({}, MAX_DEVICES_PER_SUBSCRIPTION + 1);
      await wide.service.connect('w', admin);
      await wide.service.receive('w', sub('gw/devices/all/messages'));
      expect(wide.take('w')).toEqual([
        {
          error: {
            code: 400,
            reason: 'topic gw/devices/all/messages: selects 1001 devices, more than 1000; narrow the selector',
            topic: 'gw/devices/all/messages',
          },
        },
      ]);
      expect((await wide.store.watchedDevices()).size).toBe(0);
    });
    it('unsubscribes an exact topic and says 404 for one it does not hold', async () => {
      const h = harness();
      await h.service.connect('u', admin);
      await h.service.receive('u', sub('gw/devices/1/messages'));
      await h.service.receive('u', JSON.stringify({ action: 'unsubscribe', topic: 'gw/devices/1/messages' }));
      await h.service.receive('u', JSON.stringify({ action: 'unsubscribe', topic: 'gw/devices/1/messages' }));
      expect(h.take('u').slice(1)).toEqual([
        { unsubscribed: 'gw/devices/1/messages' },
        { error: { code: 404, reason: 'topic gw/devices/1/messages: not subscribed', topic: 'gw/devices/1/messages' } },
      ]);
      expect((await h.store.watchedDevices()).size).toBe(0);
    });
  });
  describe('LiveService.push', () => {
    it('sends each watcher its frames and removes connections found gone', async () => {
      const h = harness();
      await h.service.connect('a', admin);
      await h.service.connect('b', admin);
      await h.service.receive('a', sub('gw/devices/1/messages'));
      await h.service.receive('b', sub('gw/devices/1,3/messages'));
      h.take('a');
      h.take('b');
      h.gone.add('b');
      expect(await h.service.push([msg(1, 5), msg(3, 6), msg(2, 7)])).toEqual({ connections: 2, frames: 1, gone: 1 });
      expect(h.take('a')).toEqual([{ topic: 'gw/devices/1/messages', message: msg(1, 5) }]);
      expect(await h.store.connection('b')).toBeUndefined();
      expect([...(await h.store.watchedDevices())]).toEqual([1]);
    });
  });
});

describe('core/live/fanout', () => {
  describe('LiveFanout.publish', () => {
    it('publishes one event per batch with only the watched devices, nothing when none is watched, and re-reads the snapshot after refreshMs', async () => {
      const events: LiveEvent[] = [];
      let watched = new Set<number>();
      let reads = 0;
      let t = 0;
      const fanout = new LiveFanout(
        {
          watchedDevices: async () => {
            reads++;
            return watched;
          },
        },
        { publish: async (e) => void events.push(...e) },
        quiet,
        10_000,
        () => t,
      );
      const batch = [1, 2, 1].map((d, i) => ({ message: msg(d, i), device: { id: d } as never }));
      await fanout.publish(batch);
      expect(events).toEqual([]);
      watched = new Set([1]);
      t = 5_000;
      await fanout.publish(batch);
      expect(events).toEqual([]); // still the old snapshot
      t = 10_000;
      await fanout.publish(batch);
      expect(events.map((e) => e.messages.map((m) => [m['device.id'], m.timestamp]))).toEqual([
        [
          [1, 0],
          [1, 2],
        ],
      ]);
      expect(events[0].batch_id).toMatch(/^[0-9a-f]{20}$/);
      expect(reads).toBe(2);
    });
    it('logs and swallows a publishing failure (the ingest batch does not fail)', async () => {
      const warned: string[] = [];
      const fanout = new LiveFanout(
        { watchedDevices: async () => new Set([1]) },
        {
          publish: async () => {
            throw new Error('bus down');
          },
        },
        { ...quiet, warn: (m, e) => void warned.push(`${m}: ${String(e?.error)}`) },
      );
      await fanout.publish([{ message: msg(1, 1), device: { id: 1 } as never }]);
      expect(warned).toEqual(['live push event not published: bus down']);
      expect(fanout.stats.failures).toBe(1);
    });
  });
});
