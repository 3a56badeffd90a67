import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { avlPacket, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { eventually, freePort, removeDir, startTestHub, tempDir } from '../helpers/local-hub.js';

/** `npm start` as a supervisor runs it, with its output collected. */
function npmStart(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn('npm', ['start', '--silent', '--', ...args], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HUB_ADMIN_TOKEN: 'npm-start-token' },
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  return { child, output: () => out };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start under a supervisor', () => {
  const dir = tempDir('npm-start-');
  let started: ReturnType<typeof npmStart> | undefined;
  afterAll(() => {
    started?.child.kill('SIGKILL');
    removeDir(dir);
  });

  it('drains and exits on SIGTERM to the npm process, one hub per data directory, nothing acked lost', async () => {
    const [apiPort, channelPort] = [await freePort(), await freePort()];
    started = npmStart(['--data-dir', dir, '--api-port', String(apiPort), '--channel-port', String(channelPort)]);
    await eventually(async () => (started?.output().includes('Press Ctrl-C') ? true : undefined), 180_000, 100);
    const hubPid = Number(readFileSync(join(dir, 'hub.pid'), 'utf8'));
    expect(hubPid).not.toBe(started.child.pid);

    const second = spawnSync(process.execPath, ['dist/bin/hub.js', 'start', '--data-dir', dir, '--api-port', '0', '--channel-port', '0'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`data directory ${dir} is in use by pid ${hubPid}`);
    expect(second.stderr).not.toMatch(/Database is closed|\n\s+at /);

    const dev = await TestDevice.connect(channelPort);
    dev.send(handshake('356000000000777'));
    await dev.read(1);
    const at = Math.floor(Date.now() / 1000) * 1000;
    for (let i = 0; i < 5; i++) {
      dev.send(avlPacket([{ timestampMs: at + i * 1000, latitude: 54.7, longitude: 25.3, satellites: 8 }]));
      await dev.read(4);
    }
    dev.close();

    started.child.kill('SIGTERM'); // to npm, not to the hub
    await eventually(async () => (started?.child.exitCode !== null ? true : undefined), 30_000, 100);
    await eventually(async () => (!alive(hubPid) ? true : undefined), 30_000, 100);
    expect(started.output()).toMatch(/stopped cleanly/);

    const hub = await startTestHub({ dataDir: dir });
    try {
      const stored = await eventually(async () => {
        const r = await fetch(`${hub.apiUrl}/gw/channels/all/messages?count=100`, { headers: { authorization: 'FlespiToken test-admin-token' } });
        const m = ((await r.json()) as { result: { ident: string }[] }).result.filter((x) => x.ident === '356000000000777');
        return m.length >= 5 ? m : undefined;
      });
      expect(stored).toHaveLength(5);
    } finally {
      await hub.stop();
    }
  }, 300_000);
});
