import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { avlPacket, codec12Text, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { api, eventually, freePort, removeDir, tempDir } from '../helpers/local-hub.js';
import { channelMessages, startChildHub } from '../helpers/simulator-faults.js';

const TOKEN = 'cluster-token';
const DEVICES = 20;
const T0 = 1_700_000_000_000;
const ident = (i: number) => String(356_100_000_000_000 + i);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('listener cluster (hub start --listener-workers 2): commands, connection table, SIGTERM drain', () => {
  const dir = tempDir();
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    removeDir(dir);
  });

  it('serves from two workers, delivers a command within 1 s, and on SIGTERM acks only what it stored, closes every socket and exits 0', async () => {
    const apiPort = await freePort();
    const port = await freePort();
    const hub = { apiUrl: `http://127.0.0.1:${apiPort}` };
    const args = ['--data-dir', dir, '--api-port', String(apiPort), '--channel-port', String(port), '--log-level', 'warn'];
    child = (await startChildHub([...args, '--listener-workers', '2'], { HUB_ADMIN_TOKEN: TOKEN })).child;

    // devices reporting continuously
    let stop = false;
    const acked = new Map<string, number[]>();
    const closedByHub: boolean[] = [];
    const run = async (i: number) => {
      const dev = await TestDevice.connect(port);
      dev.send(handshake(ident(i)));
      await dev.read(1);
      const list: number[] = [];
      acked.set(ident(i), list);
      for (let k = 0; !stop && !dev.closed; k++) {
        const ts = T0 + k * 1000;
        dev.send(avlPacket([{ timestampMs: ts, latitude: 54, longitude: 25 + i * 1e-3, satellites: 5, speed: k % 100 }]));
        try {
          if ((await dev.read(4, 5000)).readUInt32BE(0) === 1) list.push(ts / 1000);
        } catch {
          break; // closed by the drain: this frame was not acked
        }
        await sleep(20);
      }
      closedByHub[i] = dev.closed;
      dev.close();
    };
    const devices = Promise.all(Array.from({ length: DEVICES }, (_, i) => run(i)));

    // both workers hold connections; the connection table merges their snapshots
    const table = await eventually(
      async () => {
        const r = await api(hub, 'GET', '/gw/channels/1/connections', undefined, TOKEN);
        return r.json.result?.length === DEVICES ? (r.json.result as { id: string }[]) : undefined;
      },
      10_000,
      100,
    );
    expect(new Set(table.map((c) => c.id.split('-')[1])).size).toBe(2);

    // a queued command reaches a device held by a worker within 1 s
    const commanded = await TestDevice.connect(port);
    commanded.send(handshake('356199999999999'));
    await commanded.read(1);
    const dev = await api(hub, 'POST', '/gw/devices', [{ name: 'c', configuration: { ident: '356199999999999' }, device_type_id: 1 }], TOKEN);
    expect(dev.status).toBe(200);
    const queuedAt = Date.now();
    expect((await api(hub, 'POST', `/gw/devices/${dev.json.result[0].id}/commands-queue`, [{ name: 'getver' }], TOKEN)).status).toBe(200);
    const head = await commanded.read(8, 3000);
    const cmd = Buffer.concat([head, await commanded.read(head.readUInt32BE(4) + 4, 3000)]);
    expect(codec12Text(cmd)).toBe('getver');
    expect(Date.now() - queuedAt).toBeLessThan(1000);
    commanded.close();

    // SIGTERM while devices send
    await sleep(500);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    stop = true;
    await devices;
    expect(code).toBe(0);
    expect(closedByHub.filter(Boolean)).toHaveLength(DEVICES);
    const total = [...acked.values()].reduce((n, l) => n + l.length, 0);
    expect(total).toBeGreaterThan(DEVICES * 5);

    // every acked frame was stored (ingest replays the journal on the next start)
    child = (await startChildHub(args, { HUB_ADMIN_TOKEN: TOKEN })).child;
    const stored = await eventually(
      async () => {
        const m = await channelMessages(hub, 1, TOKEN);
        return m.length >= total ? m : undefined;
      },
      30_000,
      200,
    );
    for (const [id, list] of acked) {
      const mine = stored.filter((m) => m.ident === id).map((m) => m.timestamp);
      expect(new Set(mine).size).toBe(mine.length);
      for (const ts of list) expect(mine).toContain(ts);
    }
    child.kill('SIGTERM');
    await once(child, 'exit');
    child = undefined;
  }, 120_000);
});
