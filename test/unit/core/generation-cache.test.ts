import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../../core/cache.js';
import { GenerationWatch, REVALIDATED_MAX_AGE_MS } from '../../../core/generation.js';
import { GeofenceLookup } from '../../../core/registry/geofence-lookup.js';

const TTL = 120_000;

/** A generation the test raises, a clock it moves, and counts of generation reads and loads. */
function harness() {
  let t = 1_000_000;
  let generation = 7;
  const counts = { reads: 0, loads: 0 };
  const now = () => t;
  const watch = new GenerationWatch(
    {
      read: async () => {
        counts.reads++;
        return generation;
      },
    },
    TTL,
    REVALIDATED_MAX_AGE_MS,
    now,
  );
  const cache = new TtlCache<string, string>(TTL, 100, now, watch);
  const load = async (key: string) => {
    counts.loads++;
    return `${key}@${generation}`;
  };
  return {
    watch,
    cache,
    load,
    counts,
    advance: (ms: number) => (t += ms),
    bump: () => generation++,
  };
}

describe('TtlCache revalidated by the registry generation', () => {
  it('keeps an expired entry while the generation is unchanged: one generation read per TTL, no re-read', async () => {
    const h = harness();
    await h.watch.check();
    expect(await h.cache.get('a', h.load)).toBe('a@7');
    for (let i = 0; i < 5; i++) {
      h.advance(TTL + 1);
      await h.watch.check();
      expect(h.cache.has('a')).toBe(true);
      expect(await h.cache.get('a', h.load)).toBe('a@7');
    }
    expect(h.counts).toEqual({ reads: 6, loads: 1 });
    // checks within the TTL of the last read read nothing
    await h.watch.check();
    h.advance(TTL - 1);
    await h.watch.check();
    expect(h.counts.reads).toBe(6);
  });

  it('re-reads an expired entry once the generation changed', async () => {
    const h = harness();
    await h.watch.check();
    expect(await h.cache.get('a', h.load)).toBe('a@7');
    h.bump();
    // within the TTL the entry is served as before (the same bound as without a generation)
    h.advance(TTL - 1);
    await h.watch.check();
    expect(await h.cache.get('a', h.load)).toBe('a@7');
    h.advance(2);
    await h.watch.check();
    expect(h.cache.has('a')).toBe(false);
    expect(await h.cache.get('a', h.load)).toBe('a@8');
    expect(h.counts).toEqual({ reads: 2, loads: 2 });
    // reloaded at the new generation: kept again past the TTL
    h.advance(TTL + 1);
    await h.watch.check();
    expect(await h.cache.get('a', h.load)).toBe('a@8');
    expect(h.counts).toEqual({ reads: 3, loads: 2 });
  });

  it('a change reaches the cache within one TTL of the bump', async () => {
    const h = harness();
    await h.watch.check();
    await h.cache.get('a', h.load);
    h.advance(TTL + 1);
    await h.watch.check(); // confirms generation 7
    h.advance(30_000);
    h.bump(); // a registry write right after the confirmation
    h.advance(TTL - 30_000 - 1);
    await h.watch.check();
    expect(await h.cache.get('a', h.load)).toBe('a@7');
    h.advance(1);
    await h.watch.check();
    expect(await h.cache.get('a', h.load)).toBe('a@8');
  });

  it('re-reads an entry past the maximum age whatever the generation says (a lost bump)', async () => {
    const h = harness();
    await h.watch.check();
    await h.cache.get('a', h.load);
    while (true) {
      h.advance(TTL);
      if (h.counts.reads * TTL >= REVALIDATED_MAX_AGE_MS) break;
      await h.watch.check();
      expect(await h.cache.get('a', h.load)).toBe('a@7');
    }
    expect(h.counts.loads).toBe(1);
    await h.watch.check();
    expect(h.cache.has('a')).toBe(false);
    await h.cache.get('a', h.load);
    expect(h.counts.loads).toBe(2);
  });

  it('without a generation read (or a watch) entries expire after the TTL as before', async () => {
    const h = harness();
    await h.cache.get('a', h.load);
    h.advance(TTL + 1);
    await h.watch.check();
    // loaded before any generation was known: nothing confirms it
    await h.cache.get('a', h.load);
    expect(h.counts.loads).toBe(2);
    let t = 0;
    const plain = new TtlCache<string, string>(TTL, 100, () => t);
    await plain.get('a', h.load);
    t += TTL;
    await plain.get('a', h.load);
    expect(h.counts.loads).toBe(4);
  });

  it('stamps an entry with the generation read before the load, never a newer one', async () => {
    const h = harness();
    await h.watch.check();
    // the write and its bump land while the entry loads: it holds the new data but the old generation
    const value = await h.cache.get('a', async (key) => {
      h.bump();
      return h.load(key);
    });
    expect(value).toBe('a@8');
    h.advance(TTL + 1);
    await h.watch.check();
    await h.cache.get('a', h.load);
    expect(h.counts.loads).toBe(2);
  });

  it('concurrent checks share one read', async () => {
    const h = harness();
    await Promise.all([h.watch.check(), h.watch.check(), h.watch.check()]);
    expect(h.counts.reads).toBe(1);
  });

  it('the geofence index is kept past its TTL while the generation is unchanged, rebuilt once it changed', async () => {
    let t = 0;
    let generation = 1;
    let lists = 0;
    const watch = new GenerationWatch({ read: async () => generation }, TTL, REVALIDATED_MAX_AGE_MS, () => t);
    const lookup = new GeofenceLookup(
      {
        list: async () => {
          lists++;
          return [];
        },
      },
      TTL,
      () => t,
      watch,
    );
    await watch.check();
    await lookup.index();
    t += TTL + 1;
    await watch.check();
    await lookup.index();
    expect(lists).toBe(1);
    generation++;
    t += TTL + 1;
    await watch.check();
    await lookup.index();
    expect(lists).toBe(2);
  });
});
