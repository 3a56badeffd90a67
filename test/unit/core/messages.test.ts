import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../../core/expressions/index.js';
import { pickFields } from '../../../core/messages/filter.js';
import { type Cursor, decodeCursor, encodeCursor, mergePacks, packRange, type StoredPack } from '../../../core/messages/merge.js';
import { buildPacks, compareKeyed, keyed, messageKey, PACK_SPAN_MS } from '../../../core/messages/pack.js';
import type { Message } from '../../../protocols/common/types.js';

async function* iterate(packs: StoredPack[], reverse: boolean): AsyncIterable<StoredPack> {
  const sorted = [...packs].sort((a, b) => (reverse ? b.firstMs - a.firstMs : a.firstMs - b.firstMs));
  for (const p of sorted) yield p;
}

const msg = (ts: number, extra: Record<string, number> = {}): Message => ({ timestamp: ts, ident: 'x', ...extra });

describe('core/messages', () => {
  describe('messageKey', () => {
    it('ignores the fields that change between deliveries of the same record', () => {
      const a = messageKey({ timestamp: 1, v: 2, 'server.timestamp': 10, peer: '1.2.3.4:5' });
      const b = messageKey({ timestamp: 1, v: 2, 'server.timestamp': 99, peer: '9.9.9.9:1' });
      expect(a).toBe(b);
      expect(messageKey({ timestamp: 1, v: 3 })).not.toBe(a);
    });
  });

  describe('buildPacks', () => {
    it('keeps each pack within the span and removes exact repeats', () => {
      const items = [0, 1000, PACK_SPAN_MS - 1, PACK_SPAN_MS, PACK_SPAN_MS + 5].map((ms) => keyed(msg(ms / 1000)));
      const packs = buildPacks([...items, items[1]]);
      expect(packs.map((p) => p.entries.length)).toEqual([3, 2]);
      for (const p of packs) expect(p.lastMs - p.firstMs).toBeLessThan(PACK_SPAN_MS);
    });
  });

  describe('mergePacks', () => {
    it('returns every message exactly once in time order across overlapping packs, page by page', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(fc.integer({ min: 0, max: 3 * PACK_SPAN_MS }), { minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 8 }),
          fc.integer({ min: 1, max: 15 }),
          fc.boolean(),
          async (batches, pageSize, reverse) => {
            // each batch is one ingest write: packed on its own (retries and late data overlap)
            const packs: StoredPack[] = batches.flatMap((ts) => buildPacks(ts.map((ms) => keyed(msg(ms / 1000, { n: ms % 7 })))));
            const distinct = new Map<string, number>();
            for (const p of packs) for (const e of p.entries) distinct.set(`${e.ts}:${e.key}`, e.ts);
            const seen: string[] = [];
            let after: Cursor | undefined;
            for (let guard = 0; guard < 1000; guard++) {
              const page = await mergePacks(iterate(packs, reverse), { fromMs: 0, toMs: 10 * PACK_SPAN_MS, reverse, count: pageSize, after });
              seen.push(...page.entries.map((e) => `${e.ts}:${e.key}`));
              for (let i = 1; i < page.entries.length; i++) expect((reverse ? -1 : 1) * compareKeyed(page.entries[i - 1], page.entries[i])).toBeLessThan(0);
              if (!page.next) break;
              after = page.next;
            }
            expect(new Set(seen).size).toBe(seen.length);
            expect(seen.length).toBe(distinct.size);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('applies the time range inclusively and a filter before counting', async () => {
      const packs = buildPacks([1, 2, 3, 4, 5].map((s) => keyed(msg(s, { speed: s * 30 }))));
      const page = await mergePacks(iterate(packs, false), {
        fromMs: 2000,
        toMs: 5000,
        reverse: false,
        count: 2,
        accept: (m) => compileExpression('speed>80', 'filter').test({ message: m }),
      });
      expect(page.entries.map((e) => e.ts)).toEqual([3000, 4000]);
      expect(page.next).toBeDefined();
    });

    it('asks the store only for packs that can hold the range', () => {
      expect(packRange(PACK_SPAN_MS * 2, PACK_SPAN_MS * 3)).toEqual({ fromMs: PACK_SPAN_MS + 1, toMs: PACK_SPAN_MS * 3 });
    });
  });

  describe('cursor', () => {
    it('round-trips and refuses anything else', () => {
      const c = { ts: 1700000000123, key: '0123456789abcdef' };
      expect(decodeCursor(encodeCursor(c))).toEqual(c);
      expect(decodeCursor('garbage')).toBeUndefined();
    });
  });

  describe('filter', () => {
    const m: Message = { 'position.speed': 90, 'engine.ignition.status': true, name: 'truck 7', din: 0 };
    it.each([
      ['position.speed>80', true],
      ['position.speed<=80', false],
      ['engine.ignition.status=true', true],
      ['engine.ignition.status', true],
      ['!engine.ignition.status', false],
      ['name=truck*', true],
      ['name="truck 7"', true],
      ['position.speed>80&&din=1', false],
      ['missing=null', true],
      ['din!=1', true],
    ])('%s → %s (old filters compile as expressions)', (expr, want) => {
      expect(compileExpression(expr, 'filter').test({ message: m })).toBe(want);
    });
    it.each(['', 'a>>1', '!a=1', 'a='])('refuses %j with a ValidationError', (expr) => {
      expect(() => compileExpression(expr, 'filter')).toThrow(/filter: /);
    });
    it('reads a>x as a comparison of two parameters (an expression; the old parser refused it)', () => {
      expect(compileExpression('a>x', 'filter').test({ message: { a: 2, x: 1 } })).toBe(true);
      expect(compileExpression('a>x', 'filter').test({ message: { a: 1, x: 2 } })).toBe(false);
    });
    it('narrows fields', () => {
      expect(pickFields(m, ['name', 'nope'])).toEqual({ name: 'truck 7' });
    });
  });
});
