import { describe, expect, it } from 'vitest';
import type { DeviceLogEntry } from '../../../core/ports.js';
import type { Device } from '../../../core/schemas/devices.js';
import type { Session } from '../../../listener/session.js';
import { SessionLog } from '../../../listener/session-log.js';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } as never;

function session(ident: string): Session {
  return { state: { ident }, peer: `127.0.0.1:${ident}`, established: 0, bytesIn: 0, bytesOut: 0, framesIn: 0 } as unknown as Session;
}

/** A session log over recording fakes: idents 0..registered-1 are devices 1000+i. */
function harness(registered: number, requestsPerS = 200) {
  const lookups: number[] = [];
  const writes: number[] = [];
  const entries: { deviceId: number; entry: DeviceLogEntry }[] = [];
  const repo = {
    findByIdents: async (idents: readonly string[]) => {
      lookups.push(idents.length);
      const out = new Map<string, Device>();
      for (const i of idents) if (Number(i) < registered) out.set(i, { id: 1000 + Number(i) } as Device);
      return out;
    },
  };
  const logs = {
    append: async () => {
      throw new Error('entries are written in batches');
    },
    appendMany: async (batch: readonly { deviceId: number; entry: DeviceLogEntry }[]) => {
      writes.push(batch.length);
      entries.push(...batch);
    },
    list: async () => [],
  };
  const log = new SessionLog(repo, logs, { now: () => 1_700_000_000 }, quiet, requestsPerS);
  return { log, lookups, writes, entries };
}

describe('SessionLog', () => {
  it('looks up and writes the entries of 250 connects in chunks of 100 (batched requests), skipping unregistered idents', async () => {
    const { log, lookups, writes, entries } = harness(200, 10_000);
    for (let i = 0; i < 250; i++) log.connected(session(String(i)), 7);
    await log.flush(5000);
    expect(log.backlog).toBe(0);
    expect(lookups).toEqual([100, 100, 50]);
    expect(writes).toEqual([100, 100]);
    expect(entries.length).toBe(200);
    expect(entries[0]).toEqual({ deviceId: 1000, entry: { timestamp: 1_700_000_000, event: 'connected', channel_id: 7, ident: '0', peer: '127.0.0.1:0' } });
    expect(log.stats).toEqual({ written: 200, dropped: 0, lookups: 250 });
  });

  it('does not look up again the idents it cached (a disconnect after the connect), nor those known unregistered', async () => {
    const { log, lookups, writes } = harness(2, 10_000);
    for (const i of ['0', '1', '5']) log.connected(session(i), 7);
    await log.flush(5000);
    for (const i of ['0', '1', '5']) log.disconnected(session(i), 7);
    await log.flush(5000);
    expect(lookups).toEqual([3]);
    expect(writes).toEqual([2, 2]);
    expect(log.stats.written).toBe(4);
  });

  it('keeps within its request rate: 1,000 connects at 20 requests/s are not all written at once', async () => {
    const { log, writes } = harness(1000, 20);
    for (let i = 0; i < 1000; i++) log.connected(session(String(i)), 7);
    await new Promise((r) => setTimeout(r, 250));
    const early = writes.reduce((a, b) => a + b, 0);
    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(1000);
    await log.flush(5000);
    expect(writes.reduce((a, b) => a + b, 0)).toBe(1000);
  });
});
