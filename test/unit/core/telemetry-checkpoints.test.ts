import { describe, expect, it } from 'vitest';
import { IngestService } from '../../../core/ingest.js';
import type { HistoryWrite, MessageService } from '../../../core/messages/service.js';
import type { Telemetry, TelemetryStore } from '../../../core/ports.js';
import { currentTelemetry, mergeTelemetry } from '../../../core/registry/telemetry.js';
import type { Device } from '../../../core/schemas/devices.js';
import type { MessagesQuery } from '../../../core/schemas/messages.js';
import { CHECKPOINT_MAX_MESSAGES } from '../../../core/telemetry-checkpoints.js';
import type { Message } from '../../../protocols/common/types.js';
import { deviceRecord } from '../../helpers/devices.js';
import { manualClock } from '../../helpers/dynamo.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

const device = (id: number, messagesTtl = 86_400): Device => deviceRecord(id, { messagesTtl });

/** Ingest with a telemetry store that records when each device's checkpoint is written. */
function harness(telemetryCheckpointS?: number) {
  const clock = manualClock(1_800_000_000);
  const stored = new Map<number, Telemetry>();
  const writes: { deviceId: number; at: number }[] = [];
  const telemetry: TelemetryStore = {
    get: async (id) => stored.get(id),
    update: async (id, merge) => {
      writes.push({ deviceId: id, at: clock.now() });
      stored.set(id, merge(stored.get(id) ?? {}));
    },
    drop: async (id) => void stored.delete(id),
  };
  // device history in memory: what ingest writes, read back as MessageService.query does (by timestamp)
  const history = new Map<number, Message[]>();
  const messages = {
    writeMany: async (writes: readonly HistoryWrite[]) => {
      for (const w of writes) if (w.scope === 'device') history.set(Number(w.id), [...(history.get(Number(w.id)) ?? []), ...w.messages]);
    },
    query: async (_scope: string, id: number, q: MessagesQuery) => {
      const ts = (m: Message) => m.timestamp as number;
      const all = (history.get(id) ?? []).filter((m) => ts(m) >= q.from && ts(m) <= q.to).sort((a, b) => (q.reverse ? ts(b) - ts(a) : ts(a) - ts(b)));
      return { messages: all.slice(0, q.count) };
    },
  } as unknown as MessageService;
  const start = () =>
    new IngestService({
      devices: { findByIdent: async () => undefined, findByIdents: async () => new Map() },
      channels: { get: async () => undefined },
      messages,
      telemetry,
      clock,
      logger: silent,
      telemetryCheckpointS,
    });
  let ingest = start();
  /** A new process (Lambda container) on the same stores: it remembers no checkpoint. */
  const restart = () => {
    ingest = start();
  };
  /** One message of the device at the clock's time. */
  const send = (d: Device, n = 1, fields: Message = {}) =>
    ingest.inject(
      d,
      Array.from({ length: n }, (_, i) => ({ timestamp: clock.now() - n + 1 + i, ...fields })),
    );
  const read = (id: number) => currentTelemetry(telemetry, messages, id);
  /** Telemetry as the stored history says it is: every message folded in. */
  const truth = (id: number) => mergeTelemetry({}, history.get(id) ?? []);
  return { clock, writes, stored, send, read, truth, restart };
}

describe('IngestService telemetry checkpoints', () => {
  it('writes a device checkpoint once per interval (300 s unless told), not per batch', async () => {
    const h = harness();
    const d = device(1);
    for (let t = 0; t < 900; t += 30) {
      await h.send(d);
      h.clock.advance(30);
    }
    expect(h.writes.map((w) => w.at - 1_800_000_000)).toEqual([0, 300, 600]);
  });

  it('writes once per profile interval (3600 s), so a slow profile writes a twelfth as often', async () => {
    const h = harness(3600);
    const d = device(2);
    for (let t = 0; t < 7200; t += 30) {
      await h.send(d);
      h.clock.advance(30);
    }
    expect(h.writes.map((w) => w.at - 1_800_000_000)).toEqual([0, 3600]);
  });

  it('writes at least every half messages_ttl (the history a read folds in has not expired)', async () => {
    const h = harness(3600);
    const d = device(3, 600);
    for (let t = 0; t < 1200; t += 30) {
      await h.send(d);
      h.clock.advance(30);
    }
    expect(h.writes.map((w) => w.at - 1_800_000_000)).toEqual([0, 300, 600, 900]);
  });

  it(`writes once ${CHECKPOINT_MAX_MESSAGES} messages arrived since the last checkpoint (a read folds one page)`, async () => {
    const h = harness(3600);
    const d = device(4);
    await h.send(d); // checkpoint at 0
    for (let i = 0; i < 4; i++) {
      h.clock.advance(300);
      await h.send(d, 300); // 300, 600, 900: not due; the fourth batch would make 1,200
    }
    expect(h.writes.map((w) => w.at - 1_800_000_000)).toEqual([0, 1200]);
  });

  it('writes at once for a batch older than the last checkpoint (black-box data the fold would not see)', async () => {
    const h = harness(3600);
    const d = device(5);
    await h.send(d, 1, { speed: 10 });
    h.clock.advance(30);
    await h.send(d, 1, { speed: 20 });
    h.clock.advance(30);
    await h.send(d, 1, { speed: 30 });
    expect(h.writes).toHaveLength(1);
    h.clock.advance(30);
    // a record from before the checkpoint's newest message
    await h.send(d, 1, { timestamp: 1_800_000_000 - 100, speed: 5 });
    expect(h.writes).toHaveLength(2);
    expect(h.stored.get(5)?.speed).toEqual({ value: 30, ts: 1_800_000_060 });
  });

  it('folds the batches between two checkpoints into the next one (a parameter sent only between them is kept)', async () => {
    const h = harness(3600);
    const d = device(6);
    const all: Message[] = [];
    for (let t = 0; t < 3; t++) {
      const m = { timestamp: h.clock.now(), speed: t, ...(t === 1 ? { din: 1 } : {}) };
      all.push(m);
      await h.send(d, 1, m);
      h.clock.advance(1800);
    }
    // checkpoints at 0 and 3600 s; the second holds the message of 1800 s too
    expect(h.writes.map((w) => w.at - 1_800_000_000)).toEqual([0, 3600]);
    expect(h.stored.get(6)).toEqual(h.truth(6));
    expect(h.stored.get(6)?.din).toEqual({ value: 1, ts: 1_800_001_800 });
  });

  it('answers reads exactly between checkpoints, whatever the interval', async () => {
    for (const interval of [300, 3600]) {
      const h = harness(interval);
      const d = device(7);
      const all: Message[] = [];
      for (let t = 0; t < 200; t++) {
        const m: Message = { timestamp: h.clock.now(), speed: t % 90, ...(t % 37 === 5 ? { [`event.${t}`]: t } : {}) };
        all.push(m);
        await h.send(d, 1, m);
        expect(await h.read(7)).toEqual(h.truth(7));
        expect(Object.keys(h.truth(7)).filter((k) => k.startsWith('event.'))).toHaveLength(
          all.filter((x) => Object.keys(x).some((k) => k.startsWith('event.'))).length,
        );
        h.clock.advance(30);
      }
    }
  });

  it('does not rewrite, from a new process, a checkpoint written less than an interval ago (container churn)', async () => {
    const h = harness(1800);
    const d = device(8);
    for (let t = 0; t < 120; t++) {
      // a new container every 10 batches (5 minutes)
      if (t % 10 === 0) h.restart();
      await h.send(d, 1, { speed: t, ...(t % 13 === 4 ? { [`event.${t}`]: t } : {}) });
      expect(await h.read(8)).toEqual(h.truth(8));
      h.clock.advance(30);
    }
    // every 1800 s, as from one process; not once per container
    expect(h.writes.map((w) => w.at - 1_800_000_000)).toEqual([0, 1800]);
  });

  it('writes from a new process when the batch is older than the stored checkpoint', async () => {
    const h = harness(1800);
    const d = device(9);
    await h.send(d, 1, { speed: 1 });
    h.clock.advance(30);
    h.restart();
    await h.send(d, 1, { timestamp: 1_800_000_000 - 600, speed: 0, din: 1 });
    expect(h.writes).toHaveLength(2);
    expect(await h.read(9)).toEqual(h.truth(9));
    expect(h.stored.get(9)?.din).toEqual({ value: 1, ts: 1_800_000_000 - 600 });
  });
});
