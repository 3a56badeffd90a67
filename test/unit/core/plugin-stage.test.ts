import { describe, expect, it } from 'vitest';
import { PluginStage } from '../../../core/plugin-stage.js';
import type { DeviceLogEntry, PluginLink } from '../../../core/ports.js';
import type { Device } from '../../../core/schemas/devices.js';
import type { Plugin } from '../../../core/schemas/plugins.js';
import type { Message } from '../../../protocols/common/types.js';
import { captureLogger } from '../../helpers/local-hub.js';

const device = (id: number): Device => ({
  id,
  name: `d${id}`,
  configuration: { ident: `35000000000000${id}` },
  device_type_id: null,
  protocol_id: null,
  messages_ttl: 86400,
  enabled: true,
  metadata: {},
});

function setup(plugins: Plugin[], links: Record<number, number[]>, history: Record<number, Message | undefined> = {}) {
  let now = 1_700_000_000;
  const logs: { deviceId: number; entry: DeviceLogEntry }[] = [];
  const reads: number[] = [];
  const calls = { pluginsOf: 0 };
  const stage = new PluginStage({
    plugins: {
      get: async (id) => plugins.find((p) => p.id === id),
      pluginsOf: async (deviceId): Promise<PluginLink[]> => {
        calls.pluginsOf++;
        return (links[deviceId] ?? []).map((pluginId, seq) => ({ pluginId, deviceId, seq }));
      },
    },
    messages: {
      query: async (_scope, id) => {
        reads.push(id as number);
        const m = history[id as number];
        return { messages: m ? [m] : [] };
      },
    },
    logs: { append: async (deviceId, entry) => void logs.push({ deviceId, entry }) },
    clock: { now: () => now },
    logger: captureLogger(),
    lastMessages: 2,
  });
  return { stage, logs, reads, calls, tick: (s: number) => (now += s) };
}

const SANITY: Plugin = { id: 1, name: 'no jumps', type: 'sanity', configuration: { max_speed: 100 }, enabled: true };
const SLOW: Plugin = { id: 2, name: 'fast only', type: 'filter', configuration: { expression: 'speed > 50' }, enabled: true };
const at = (timestamp: number, lat: number): Message => ({ timestamp, 'position.latitude': lat, 'position.longitude': 25 });

describe('PluginStage', () => {
  describe('run', () => {
    it('reads the previous message from history once per device on a miss, then keeps it in memory', async () => {
      const { stage, reads } = setup([SANITY], { 1: [1], 2: [1] }, { 1: at(1000, 54) });
      expect((await stage.run(device(1), at(1060, 55))).dropped?.reason).toMatch(/^jump of 111\.195 km in 60 s/);
      expect((await stage.run(device(1), at(1120, 54.001))).dropped).toBeUndefined();
      expect((await stage.run(device(1), at(1180, 54.002))).dropped).toBeUndefined();
      expect((await stage.run(device(2), at(1000, 10))).dropped).toBeUndefined(); // no history: nothing to compare with
      expect((await stage.run(device(2), at(1060, 11))).dropped?.plugin).toBe('sanity');
      expect(reads).toEqual([1, 2]);
    });

    it('never reads history for chains that do not need the previous message', async () => {
      const { stage, reads } = setup([SLOW], { 1: [2] });
      for (let k = 0; k < 5; k++) await stage.run(device(1), { timestamp: k, speed: 60 });
      expect(reads).toEqual([]);
    });

    it('forgets the least recently used devices beyond its bound (then reads their history again)', async () => {
      const { stage, reads } = setup([SANITY], { 1: [1], 2: [1], 3: [1] });
      for (const id of [1, 2, 3, 1]) await stage.run(device(id), at(1000, 54));
      expect(reads).toEqual([1, 2, 3, 1]);
    });

    it('caches a device chain until invalidated', async () => {
      const { stage, calls } = setup([SLOW], { 1: [2] });
      await stage.run(device(1), { speed: 60 });
      await stage.run(device(1), { speed: 60 });
      expect(calls.pluginsOf).toBe(1);
      stage.invalidate();
      await stage.run(device(1), { speed: 60 });
      expect(calls.pluginsOf).toBe(2);
    });

    it('skips disabled plugins', async () => {
      const { stage } = setup([{ ...SLOW, enabled: false }], { 1: [2] });
      expect(await stage.run(device(1), { speed: 1 })).toEqual({ message: { speed: 1 }, previous: undefined });
    });
  });

  describe('drop log', () => {
    it('writes at most 10 entries per device per minute and counts the rest in the next entry', async () => {
      const { stage, logs, tick } = setup([SLOW], { 1: [2], 2: [2] });
      for (let k = 0; k < 25; k++) await stage.run(device(1), { timestamp: k, speed: 1 });
      await stage.run(device(2), { timestamp: 0, speed: 1 });
      expect(logs.filter((l) => l.deviceId === 1)).toHaveLength(10);
      expect(logs.filter((l) => l.deviceId === 2)).toHaveLength(1);
      expect(logs[0]).toEqual({
        deviceId: 1,
        entry: {
          timestamp: 1_700_000_000,
          event: 'message_dropped',
          plugin_id: 2,
          plugin: 'filter',
          plugin_name: 'fast only',
          reason: 'expression is false: speed > 50',
          message_timestamp: 0,
        },
      });
      tick(60);
      await stage.run(device(1), { timestamp: 100, speed: 1 });
      expect(logs.at(-1)?.entry).toMatchObject({ message_timestamp: 100, unlogged: 15 });
    });
  });
});
