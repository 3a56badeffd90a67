import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHub } from '../../local/runtime.js';
import { avlPacket, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { captureLogger, eventually, TEST_TOKEN } from '../helpers/local-hub.js';
import { channelMessages, FlakyQueue } from '../helpers/simulator-faults.js';

const DEVICES = 10;
const OUTAGE_MS = 10_000;
const T0 = 1_700_000_000_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ident = (i: number) => String(358_000_000_000_000 + i);

interface Ack {
  readonly ts: number;
  readonly at: number;
}

/**
 * A tracker as firmware behaves: sends its next record, waits for the ack, and on silence or a
 * closed connection reconnects and sends the same record again (nothing is dropped on its side).
 */
async function tracker(port: number, i: number, until: () => boolean, acks: Ack[]): Promise<number> {
  let dev: TestDevice | undefined;
  let k = 0;
  while (!until()) {
    try {
      if (!dev || dev.closed) {
        dev = await TestDevice.connect(port);
        dev.send(handshake(ident(i)));
        await dev.read(1, 2000);
      }
      const ts = T0 + k * 1000;
      dev.send(avlPacket([{ timestampMs: ts, latitude: 54 + i * 1e-3, longitude: 25, satellites: 6, speed: k % 100 }]));
      if ((await dev.read(4, 1500)).readUInt32BE(0) === 1) {
        acks.push({ ts: ts / 1000, at: Date.now() });
        k++;
      }
      await sleep(100);
    } catch {
      dev?.close();
      dev = undefined;
      await sleep(200);
    }
  }
  dev?.close();
  return k;
}

describe('listener: the queue failing for 10 s', () => {
  const logger = captureLogger();
  let flaky: FlakyQueue | undefined;
  let hub: Awaited<ReturnType<typeof startLocalHub>>;
  let port: number;

  beforeAll(async () => {
    hub = await startLocalHub({
      dataDir: '',
      memory: true,
      apiPort: 0,
      host: '127.0.0.1',
      adminToken: TEST_TOKEN,
      logger,
      defaultChannelPort: 0,
      portRange: [0, 0],
      channelSyncMs: 200,
      singleProcess: true, // the fault wraps the in-process queue
      wrapQueue: (q) => (flaky = new FlakyQueue(q)),
    });
    port = hub.listeners.channels[0].configuration.port;
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('acks nothing during the outage, loses nothing, and resumes delivery after it', async () => {
    let done = false;
    const acks: Ack[][] = Array.from({ length: DEVICES }, () => []);
    const devices = Array.from({ length: DEVICES }, (_, i) => tracker(port, i, () => done, acks[i]));
    await sleep(2000);
    const outageStart = Date.now();
    await flaky!.outage(OUTAGE_MS);
    const outageEnd = Date.now();
    await sleep(5000);
    done = true;
    const sentUpTo = await Promise.all(devices);

    const all = acks.flat();
    // before: acked; during (after the batches already accepted): nothing; after: acked again
    expect(all.filter((a) => a.at < outageStart).length).toBeGreaterThan(DEVICES * 5);
    expect(all.filter((a) => a.at > outageStart + 250 && a.at < outageEnd)).toEqual([]);
    const resumed = all.filter((a) => a.at >= outageEnd);
    expect(resumed.length).toBeGreaterThan(DEVICES * 5);
    expect(Math.min(...resumed.map((a) => a.at)) - outageEnd).toBeLessThan(3000);
    expect(flaky!.stats.refused).toBeGreaterThan(0);
    expect(logger.lines.some((l) => l.message.startsWith('queue refused a batch'))).toBe(true);

    // every acked record is stored exactly once; records never acked were resent until acked
    const wanted = acks.reduce((n, a) => n + a.length, 0);
    const stored = await eventually(
      async () => {
        const m = await channelMessages(hub, 1);
        return m.length >= wanted ? m : undefined;
      },
      30_000,
      200,
    );
    for (let i = 0; i < DEVICES; i++) {
      const mine = stored.filter((m) => m.ident === ident(i)).map((m) => m.timestamp);
      expect(new Set(mine).size).toBe(mine.length);
      expect(mine.sort((a, b) => a - b)).toEqual(acks[i].map((a) => a.ts));
      expect(acks[i].length).toBe(sentUpTo[i]);
    }
  }, 60_000);
});
