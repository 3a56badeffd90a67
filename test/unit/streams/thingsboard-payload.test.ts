import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deviceName,
  maxPayloadBytes,
  parseRpcRequest,
  splitTelemetry,
  TB_MAX_MESSAGE_BYTES,
  type TelemetryEntry,
  telemetryEntry,
} from '../../../core/streams/thingsboard-payload.js';

describe('thingsboard-payload', () => {
  describe('telemetryEntry', () => {
    it('turns a message into {ts in integer ms, values without ident/timestamp/null}', () => {
      expect(telemetryEntry({ ident: 'a', timestamp: 1700000000.1234, 'position.speed': 5, 'gsm.lac': null, tags: [1] })).toEqual({
        ts: 1700000000123,
        values: { 'position.speed': 5, tags: [1] },
      });
      expect(telemetryEntry({ ident: 'a' })).toBeUndefined();
    });
  });

  describe('deviceName', () => {
    it('expands the template and falls back to the ident when it expands to nothing', () => {
      expect(deviceName('%ident%', { ident: 'x1' })).toBe('x1');
      expect(deviceName('%device.name%', { ident: 'x1' })).toBe('x1');
      expect(deviceName('car %device.name%', { ident: 'x1', 'device.name': 'Bob' })).toBe('car Bob');
    });
  });

  describe('maxPayloadBytes', () => {
    it('leaves room for the PUBLISH header so the packet stays below 65,536 bytes', () => {
      const payload = maxPayloadBytes('v1/gateway/telemetry');
      const remaining = 2 + 20 + 2 + payload;
      expect(1 + 3 + remaining).toBe(TB_MAX_MESSAGE_BYTES - 1);
    });
  });

  describe('splitTelemetry', () => {
    const entry = (ts: number, note: string): TelemetryEntry => ({ ts, values: { note } });

    it('groups devices in one payload when they fit', () => {
      const { payloads } = splitTelemetry([
        { device: 'a', entry: entry(1, 'x') },
        { device: 'b', entry: entry(2, 'y') },
        { device: 'a', entry: entry(3, 'z') },
      ]);
      expect(payloads.map((p) => JSON.parse(p) as unknown)).toEqual([{ a: [entry(1, 'x'), entry(3, 'z')], b: [entry(2, 'y')] }]);
    });

    it('reports an entry larger than the limit instead of sending it', () => {
      const r = splitTelemetry([{ device: 'a', entry: entry(1, 'x'.repeat(200)) }], 100);
      expect(r.payloads).toEqual([]);
      expect(r.oversize).toEqual([{ device: 'a', ts: 1, bytes: expect.any(Number) }]);
    });

    it('never exceeds the limit, loses nothing and keeps each device in order (fuzz)', () => {
      const input = fc.array(
        fc.record({ device: fc.constantFrom('a', 'bé', '"q"', 'd/4'), ts: fc.nat(), note: fc.string({ maxLength: 120, unit: 'grapheme' }) }),
        { maxLength: 60 },
      );
      fc.assert(
        fc.property(input, fc.integer({ min: 150, max: 2000 }), (items, limit) => {
          const entries = items.map((i) => ({ device: i.device, entry: entry(i.ts, i.note) }));
          const { payloads, oversize } = splitTelemetry(entries, limit);
          const got = new Map<string, TelemetryEntry[]>();
          for (const p of payloads) {
            expect(Buffer.byteLength(p)).toBeLessThanOrEqual(limit);
            for (const [d, list] of Object.entries(JSON.parse(p) as Record<string, TelemetryEntry[]>)) got.set(d, [...(got.get(d) ?? []), ...list]);
          }
          const skipped = new Set(oversize.map((o) => `${o.device}/${o.ts}`));
          for (const d of new Set(entries.map((e) => e.device))) {
            const want = entries.filter((e) => e.device === d && !skipped.has(`${d}/${e.entry.ts}`)).map((e) => e.entry);
            expect(got.get(d) ?? []).toEqual(want);
          }
        }),
      );
    });
  });

  describe('parseRpcRequest', () => {
    it('accepts {device, data: {id, method, params}}, params as an object or a JSON string of one', () => {
      expect(parseRpcRequest('{"device":"d","data":{"id":3,"method":"m","params":{"a":1}}}')).toEqual({ device: 'd', id: 3, method: 'm', params: { a: 1 } });
      expect(parseRpcRequest('{"device":"d","data":{"id":3,"method":"m","params":"{\\"a\\":1}"}}')).toEqual({
        device: 'd',
        id: 3,
        method: 'm',
        params: { a: 1 },
      });
      expect(parseRpcRequest('{"device":"d","data":{"id":3,"method":"m","params":"on"}}')).toMatchObject({
        params: {},
        paramsError: 'params must be a JSON object, got "on"',
      });
    });

    it('marks replies (no data.method) as echoes and names what is wrong with the rest', () => {
      expect(parseRpcRequest('{"device":"d","id":3,"data":{"response":"ok"}}')).toEqual({ ignored: 'no data.method (a reply)', echo: true });
      expect(parseRpcRequest('{nope')).toEqual({ ignored: 'payload is not JSON', echo: false });
      expect(parseRpcRequest('{"device":"d","data":{"method":"m"}}')).toEqual({ ignored: '"data.id" must be a number or a string', echo: false });
    });

    it('never throws on any input (fuzz)', () => {
      fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (s) => void parseRpcRequest(s)));
    });
  });
});
