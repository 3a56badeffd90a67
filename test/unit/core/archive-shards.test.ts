import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.js';
import type { ArchiverDeps } from '../../../core/messages/archiver.js';
import { HistoryArchiver, shardOf } from '../../../core/messages/archiver.js';

/** Owners only: no hot packs, so a run counts the owners of its shard and writes nothing. */
function archiver(devices: number, channels: number, seen: string[]): HistoryArchiver {
  const deps = {
    packs: {
      read: (scope: string, id: number) => {
        seen.push(`${scope}/${id}`);
        return (async function* () {})();
      },
    },
    archive: {},
    devices: { list: async () => Array.from({ length: devices }, (_, i) => ({ id: i + 1 })) },
    channels: { list: async () => Array.from({ length: channels }, (_, i) => ({ id: i + 1 })) },
    clock: { now: () => Date.UTC(2027, 0, 20) },
    logger: silentLogger,
    afterDays: 2,
  } as unknown as ArchiverDeps;
  return new HistoryArchiver(deps);
}

describe('HistoryArchiver shards (one nightly run per shard, lib/archive.ts)', () => {
  it('splits the owners into disjoint shards that together cover each owner once', async () => {
    const seen: string[] = [];
    const a = archiver(1000, 3, seen);
    const stats = [];
    for (let index = 0; index < 4; index++) stats.push(await a.run({ index, count: 4 }));
    expect(stats.reduce((n, s) => n + s.owners, 0)).toBe(1003);
    expect(new Set(seen).size).toBe(1003);
    expect(seen).toHaveLength(1003);
    // FNV-1a spreads sequential ids evenly enough: each shard within 20 % of a quarter
    for (const s of stats) expect(Math.abs(s.owners - 1003 / 4)).toBeLessThan(50);
  });

  it('places an owner by its scope and id only', () => {
    expect(shardOf('device', 17, 4)).toBe(shardOf('device', 17, 4));
    expect(shardOf('device', 17, 1)).toBe(0);
    expect([...new Set(Array.from({ length: 64 }, (_, i) => shardOf('device', i, 4)))].sort()).toEqual([0, 1, 2, 3]);
  });

  it('without a shard archives every owner, and refuses a shard outside its count', async () => {
    const seen: string[] = [];
    expect(await archiver(10, 1, seen).run()).toEqual({ owners: 11, daysWritten: 0, messages: 0, failures: 0 });
    await expect(archiver(1, 0, []).run({ index: 4, count: 4 })).rejects.toThrow(RangeError);
    await expect(archiver(1, 0, []).run({ index: 0, count: 0 })).rejects.toThrow(/shard 0 of 0/);
  });
});
