import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avlPacket, handshake, type SimRecord } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { eventually, startTestHub } from '../helpers/local-hub.js';
import { channelMessages } from '../helpers/simulator-faults.js';

const DEVICES = 2000;
const BACKLOG = 3; // packets each device sends at once after reconnecting
const RECORDS = 2; // records per packet
const T0 = 1_700_000_000_000;

const ident = (i: number) => String(357_000_000_000_000 + i);
const rec = (i: number, k: number): SimRecord => ({ timestampMs: T0 + k * 1000, latitude: 54 + i * 1e-4, longitude: 25, satellites: 7, speed: k });

/** Connects and identifies, spread over 127.0.0.1-4 (several source addresses, as a real storm has). */
async function identify(port: number, i: number): Promise<TestDevice> {
  const dev = await TestDevice.connect(port, '127.0.0.1', `127.0.0.${(i % 4) + 1}`);
  dev.send(handshake(ident(i)));
  const ack = await dev.read(1, 45_000);
  if (ack[0] !== 1) throw new Error('handshake refused');
  return dev;
}

describe('listener: reconnect storm', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it(`takes ${DEVICES} devices reconnecting at once, each with a backlog, and stores every record exactly once`, async () => {
    // everyone is online, then the network drops every connection at once
    const first = await Promise.all(Array.from({ length: DEVICES }, (_, i) => identify(hub.channelPort, i)));
    for (const d of first) d.close();

    // all reconnect at once and each empties a backlog of packets sent back to back
    const started = Date.now();
    const acks = await Promise.all(
      Array.from({ length: DEVICES }, async (_, i) => {
        const dev = await identify(hub.channelPort, i);
        for (let p = 0; p < BACKLOG; p++) dev.send(avlPacket(Array.from({ length: RECORDS }, (_, r) => rec(i, p * RECORDS + r))));
        const got: number[] = [];
        for (let p = 0; p < BACKLOG; p++) got.push((await dev.read(4, 30_000)).readUInt32BE(0));
        dev.close();
        return got;
      }),
    );
    const stormMs = Date.now() - started;
    // every packet acked with its record count, in order
    expect(acks.every((a) => a.length === BACKLOG && a.every((n) => n === RECORDS))).toBe(true);
    expect(stormMs).toBeLessThan(30_000);

    const want = DEVICES * BACKLOG * RECORDS;
    const stored = await eventually(
      async () => {
        const all = await channelMessages(hub, 1);
        return all.length >= want ? all : undefined;
      },
      120_000,
      500,
    );
    expect(stored.length).toBe(want);
    expect(new Set(stored.map((m) => `${m.ident}@${m.timestamp}`)).size).toBe(want);
    for (const i of [0, 1, DEVICES / 2, DEVICES - 1]) expect(stored.filter((m) => m.ident === ident(i)).length).toBe(BACKLOG * RECORDS);
  }, 180_000);
});
