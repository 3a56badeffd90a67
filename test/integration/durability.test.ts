import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { avlPacket, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { api, eventually, freePort, removeDir, tempDir } from '../helpers/local-hub.js';

const TOKEN = 'durability-token';

/** Starts `hub start` as a child process (via tsx, from source) and waits until it is ready. */
async function startChild(dataDir: string, apiPort: number, channelPort: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bin/hub.ts',
      'start',
      '--data-dir',
      dataDir,
      '--api-port',
      String(apiPort),
      '--channel-port',
      String(channelPort),
      '--log-level',
      'warn',
    ],
    {
      cwd: process.cwd(),
      env: { ...process.env, HUB_ADMIN_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const until = Date.now() + 30_000;
  while (!out.includes('Press Ctrl-C')) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`hub did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

describe('acked means durable: a hub killed with SIGKILL loses no acked frame', () => {
  const dir = tempDir();
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    removeDir(dir);
  });

  it('stores every record it acked before the kill', async () => {
    const apiPort = await freePort();
    const channelPort = await freePort();
    const hub = { apiUrl: `http://127.0.0.1:${apiPort}` };
    child = await startChild(dir, apiPort, channelPort);
    const idents = Array.from({ length: 5 }, (_, i) => `86000000000000${i}`);
    const created = await api(
      hub,
      'POST',
      '/gw/devices',
      idents.map((ident) => ({ name: ident, configuration: { ident } })),
      TOKEN,
    );
    expect(created.status).toBe(200);

    const acked = new Map<string, number[]>();
    let stop = false;
    const run = async (ident: string) => {
      const dev = await TestDevice.connect(channelPort);
      dev.send(handshake(ident));
      await dev.read(1);
      const list: number[] = [];
      acked.set(ident, list);
      for (let n = 0; !stop; n++) {
        const ts = 1_700_000_000_000 + n * 1000;
        dev.send(avlPacket([{ timestampMs: ts, latitude: 54, longitude: 25, satellites: 5, speed: n % 200 }]));
        try {
          const ack = await dev.read(4, 2000);
          if (ack.readUInt32BE(0) === 1) list.push(ts / 1000);
        } catch {
          break; // killed: this frame was never acked
        }
      }
      dev.close();
    };
    const devices = Promise.all(idents.map(run));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    await once(child, 'exit');
    stop = true;
    await devices;
    const total = [...acked.values()].reduce((n, l) => n + l.length, 0);
    expect(total).toBeGreaterThan(20);

    child = await startChild(dir, apiPort, channelPort);
    for (const [i, ident] of idents.entries()) {
      const want = acked.get(ident)!;
      const stored = await eventually(async () => {
        const r = await api(hub, 'GET', `/gw/devices/${i + 1}/messages?fields=timestamp&count=100000`, undefined, TOKEN);
        const ts = (r.json.result as { timestamp: number }[]).map((m) => m.timestamp);
        return want.every((t) => ts.includes(t)) ? ts : undefined;
      }, 20_000);
      expect(stored.length).toBeGreaterThanOrEqual(want.length);
      expect(new Set(stored).size).toBe(stored.length);
    }
    child.kill('SIGTERM');
    await once(child, 'exit');
    child = undefined;
  }, 90_000);
});
