import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avlPacket, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { api, captureLogger, freePort, startTestHub } from '../helpers/local-hub.js';

const IDLE_S = 10; // the smallest idle timeout a channel accepts
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const packet = (k: number) => avlPacket([{ timestampMs: 1_700_000_000_000 + k * 1000, latitude: 54, longitude: 25, satellites: 7, speed: k % 200 }]);

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

describe('listener: slow-loris, garbage and fire-hose connections do not delay a good device', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let port: number;
  let channelId: number;
  const logger = captureLogger();

  beforeAll(async () => {
    hub = await startTestHub({ logger });
    port = await freePort();
    const r = await api(hub, 'POST', '/gw/channels', [{ name: 'abuse', protocol_name: 'teltonika', configuration: { port, idle_timeout: IDLE_S } }]);
    expect(r.status).toBe(200);
    channelId = r.json.result[0].id;
    await hub.syncChannels();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('keeps the good device acked within a few ms, drops loris connections at the idle timeout and throttles the fire hose', async () => {
    let stop = false;
    const started = Date.now();

    // 1. slow-loris: dribbles its handshake one byte per second, never completing a frame
    const loris = await TestDevice.connect(port);
    let lorisClosedAt = 0;
    loris.socket.on('close', () => (lorisClosedAt = Date.now() - started));
    const hs = handshake('359000000000001');
    void (async () => {
      for (let i = 0; i < hs.length && !loris.closed; i++) {
        loris.send(hs.subarray(i, i + 1));
        await sleep(1000);
      }
    })();

    // 2. half a frame, then silence
    const half = await TestDevice.connect(port);
    half.send(handshake('359000000000002'));
    await half.read(1);
    half.send(packet(1).subarray(0, 20));
    let halfClosedAt = 0;
    half.socket.on('close', () => (halfClosedAt = Date.now() - started));

    // 3. garbage spewer: 64 KiB of random bytes per connection, reconnecting whenever it is cut off
    //    (random bytes may also announce a long handshake: such a connection waits for the idle timeout)
    let garbageConnections = 0;
    let garbageCut = 0;
    const spewer = (async () => {
      while (!stop) {
        garbageConnections++;
        await new Promise<void>((resolve) => {
          const s = connect({ port, host: '127.0.0.1' });
          const giveUp = setTimeout(() => s.destroy(), 2000);
          s.on('connect', () => s.write(randomBytes(64 * 1024)));
          s.on('error', () => undefined);
          s.on('end', () => garbageCut++);
          s.on('close', () => {
            clearTimeout(giveUp);
            resolve();
          });
        });
        await sleep(20);
      }
    })();

    // 4. fire hose: an identified device that floods keep-alive bytes (each a valid frame, none
    //    stored) as fast as TCP lets it
    const hose = await TestDevice.connect(port);
    hose.send(handshake('359000000000004'));
    await hose.read(1);
    let hoseSent = 0;
    const flood = (async () => {
      const burst = Buffer.alloc(16 * 1024, 0xff);
      while (!stop && !hose.closed) {
        hoseSent += burst.length;
        if (!hose.socket.write(burst)) {
          await new Promise<void>((r) => {
            const done = () => {
              hose.socket.off('drain', done);
              hose.socket.off('close', done);
              r();
            };
            hose.socket.once('drain', done);
            hose.socket.once('close', done);
          });
        }
      }
    })();

    // the good device: a packet every 50 ms for the whole idle timeout and a bit more
    const good = await TestDevice.connect(port);
    good.send(handshake('359000000000000'));
    await good.read(1);
    const latencies: number[] = [];
    for (let k = 0; Date.now() - started < (IDLE_S + 2.5) * 1000; k++) {
      const t = performance.now();
      good.send(packet(k));
      expect((await good.read(4, 2000)).readUInt32BE(0)).toBe(1);
      latencies.push(performance.now() - t);
      await sleep(50);
    }
    const hoseInfo = hub.listener.service!.listeners.connections(channelId).find((c) => c.ident === '359000000000004');
    const elapsedS = (Date.now() - started) / 1000;
    stop = true;
    good.close();
    hose.close();
    await Promise.all([spewer, flood]);

    process.stderr.write(
      `good device ack ms: p50 ${percentile(latencies, 50).toFixed(1)} p99 ${percentile(latencies, 99).toFixed(1)} max ${Math.max(...latencies).toFixed(1)}; hose read ${hoseInfo?.bytes_in} of ${hoseSent} bytes (${hoseInfo?.frames_in} frames); garbage connections ${garbageConnections}\n`,
    );
    expect(latencies.length).toBeGreaterThan(100);
    expect(percentile(latencies, 99)).toBeLessThan(100);
    expect(Math.max(...latencies)).toBeLessThan(500);
    // the loris and the half frame are cut at the idle timeout, not before, not long after
    expect(lorisClosedAt).toBeGreaterThanOrEqual(IDLE_S * 1000 - 500);
    expect(lorisClosedAt).toBeLessThan((IDLE_S + 2.5) * 1000);
    expect(halfClosedAt).toBeGreaterThanOrEqual(IDLE_S * 1000 - 500);
    expect(halfClosedAt).toBeLessThan((IDLE_S + 2.5) * 1000);
    // garbage connections were cut by the hub (the spewer only reconnects after a close)
    expect(garbageConnections).toBeGreaterThan(50);
    expect(garbageCut).toBeGreaterThan(garbageConnections * 0.8);
    // the fire hose stays connected but is served at its budget (1,000 frames/s), not at wire speed
    expect(hoseInfo).toBeDefined();
    expect(hoseInfo!.frames_in).toBeLessThan(1000 * (elapsedS + 1));
    expect(hoseInfo!.bytes_in).toBeLessThan((256 + 64) * 1024 * (elapsedS + 1));
    expect(hoseSent).toBeGreaterThan(hoseInfo!.bytes_in);
  }, 60_000);
});
