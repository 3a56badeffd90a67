import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, freePort, removeDir, startTestHub, tempDir } from '../helpers/local-hub.js';

const run = promisify(execFile);
const HUB = join(import.meta.dirname, '..', '..', 'bin', 'hub.ts');

/** `hub simulate …` as a user runs it; returns its JSON summary. */
async function simulate(args: string[]): Promise<Record<string, any>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', HUB, 'simulate', ...args], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/** `hub simulate …` that is expected to fail: its exit code and JSON summary. */
async function simulateFailing(args: string[]): Promise<{ code: number; summary: Record<string, any> }> {
  try {
    await run(process.execPath, ['--import', 'tsx', HUB, 'simulate', ...args], { timeout: 60_000 });
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, summary: JSON.parse(e.stdout.trim().split('\n').at(-1)!) };
  }
  throw new Error('hub simulate exited 0');
}

/** `hub simulate … --json-progress` in the background: its progress lines as they come, then its exit code and summary. */
function simulateLive(args: string[]): { lines: Record<string, any>[]; done: Promise<{ code: number | null; summary: Record<string, any> }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', HUB, 'simulate', ...args, '--json-progress'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, any>[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => {
    if (l.startsWith('{')) lines.push(JSON.parse(l));
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; summary: Record<string, any> }>((resolve) =>
    child.once('close', (code) => resolve({ code, summary: JSON.parse(out.trim().split('\n').at(-1)!) })),
  );
  return { lines, done };
}

describe('hub simulate against a local hub, one transport each', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  const ports = { udp: 0, http: 0 };

  beforeAll(async () => {
    hub = await startTestHub();
    ports.udp = await freePort();
    ports.http = await freePort();
    const created = await api(hub, 'POST', '/gw/channels', [
      { name: 'teltonika udp', protocol_name: 'teltonika', configuration: { port: ports.udp, transport: 'udp' } },
      { name: 'osmand', protocol_name: 'osmand', configuration: { port: ports.http } },
    ]);
    expect(created.status).toBe(200);
    await hub.syncChannels();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it.each([
    ['tcp', ['teltonika', '--source-addresses', '2']],
    ['udp', ['teltonika', '--transport', 'udp']],
    ['http', ['osmand']],
  ] as const)(
    '%s: every report sent is acked',
    async (transport, args) => {
      const port = transport === 'tcp' ? hub.channelPort : ports[transport];
      const summary = await simulate([...args, '--count', '20', '--rate', '20', '--duration', '2', '--port', String(port)]);
      expect(summary).toMatchObject({ transport, count: 20, connected: 20, loggedIn: 20, errors: 0, unacked: 0, disconnects: 0, reconnects: 0 });
      if (transport === 'udp') expect(summary.answered).toBe(20);
      expect(summary.sent).toBeGreaterThanOrEqual(20);
      expect(summary.acked).toBe(summary.sent);
    },
    90_000,
  );

  it.each([
    ['teltonika (acked)', 'teltonika', 0],
    ['meitrack (not acked)', 'meitrack', null],
  ] as const)(
    'udp, %s, against a port where only a TCP listener runs: nothing connected, the refusals are errors, exit code 1',
    async (_, protocol, connected) => {
      const { code, summary } = await simulateFailing([
        protocol,
        '--transport',
        'udp',
        '--count',
        '2',
        '--rate',
        '4',
        '--duration',
        '2',
        '--port',
        String(hub.channelPort),
      ]);
      expect(code).toBe(1);
      expect(summary).toMatchObject({ transport: 'udp', count: 2, connected, answered: connected, loggedIn: 0, acked: 0, disconnects: 0, reconnects: 0 });
      expect(summary.sent).toBeGreaterThanOrEqual(2);
      expect(summary.unacked).toBe(protocol === 'teltonika' ? summary.sent : 0);
      expect(summary.errors).toBeGreaterThan(0);
      expect(summary.errors_by_code).toEqual({ ECONNREFUSED: summary.errors });
    },
    90_000,
  );
});

describe('hub simulate over TCP when the hub goes away and comes back', () => {
  it('counts every device disconnected, reconnects each with backoff, logs in again and gets its reports acked', async () => {
    const dataDir = tempDir();
    const extra = { apiPort: await freePort(), defaultChannelPort: await freePort() };
    let hub = await startTestHub({ dataDir, extra });
    try {
      const port = String(extra.defaultChannelPort);
      const sim = simulateLive(['teltonika', '--count', '5', '--rate', '5', '--duration', '15', '--port', port]);
      await eventually(async () => sim.lines.find((l) => l.phase === 'report' && l.connected === 5 && l.acked >= 5), 30_000);
      const stoppedAt = sim.lines.length;
      await hub.stop();
      // the hub is gone: no device is connected, each disconnected once, nothing more can be acked
      const down = await eventually(async () => sim.lines.slice(stoppedAt).find((l) => l.connected === 0), 10_000);
      expect(down).toMatchObject({ loggedIn: 5, disconnects: 5, reconnects: 0 });
      hub = await startTestHub({ dataDir, extra });
      const { code, summary } = await sim.done;
      expect(code).toBe(0);
      expect(summary).toMatchObject({ count: 5, connected: 5, loggedIn: 5, disconnects: 5, reconnects: 5 });
      // reports after the restart were acked; the only unacked ones were in flight when the hub went
      expect(summary.acked).toBeGreaterThan(down.acked);
      expect(summary.unacked).toBe(down.unacked);
      expect(summary.acked + summary.unacked).toBe(summary.sent);
      const reconnected = sim.lines.filter((l) => l.reconnects === 5);
      expect(reconnected.length).toBeGreaterThan(0);
      expect(reconnected.at(-1)?.acked).toBeGreaterThan(reconnected[0].acked);
    } finally {
      await hub.stop();
      removeDir(dataDir);
    }
  }, 90_000);
});
