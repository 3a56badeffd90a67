import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, eventually, freePort, removeDir, tempDir } from '../helpers/local-hub.js';

/**
 * The README's tour, typed in order as a newcomer would: the shell block between the
 * `tour:start`/`tour:end` markers runs with bash against `hub start`, with only the hub's address,
 * data directory and ports replaced by free ones. Then the hub must show what the tour promises: a
 * device with messages, telemetry, a connection and a filtered result, a second channel, a stream
 * that delivered, a token.
 */
function tourScript(api: string, dataDir: string, outDir: string, channelPort: number, receiverPort: number): string {
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const block = /<!-- tour:start -->\s*```sh\n([\s\S]*?)```\s*<!-- tour:end -->/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no tour block between <!-- tour:start --> and <!-- tour:end -->');
  return block
    .replace(/^API=.*$/m, `API=${api}`)
    .replace(/^DATA=.*$/m, `DATA=${dataDir}`)
    .replace(/^OUT=.*$/m, `OUT=${outDir}`)
    .replaceAll('--port 5027', `--port ${channelPort}`)
    .replaceAll('9000', String(receiverPort));
}

/** The calculator recipes (between `recipes:start`/`recipes:end`), with the tour's `API` and `H`. */
function recipesScript(api: string, dataDir: string): string {
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const block = /<!-- recipes:start -->\s*```bash\n([\s\S]*?)```\s*<!-- recipes:end -->/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no recipes block between <!-- recipes:start --> and <!-- recipes:end -->');
  return `set -e\nAPI=${api}\nH="Authorization: FlespiToken $(cat ${dataDir}/admin-token)"\n${block}`;
}

describe('the README tour, as written', () => {
  const dir = tempDir('tour-');
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) {
      try {
        if (c.pid) process.kill(-c.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    removeDir(dir);
  });

  it('shows a device with messages, telemetry, a connection and a filtered result', async () => {
    const [apiPort, channelPort, receiverPort] = [await freePort(), await freePort(), await freePort()];
    const hub = spawn(
      process.execPath,
      ['dist/bin/hub.js', 'start', '--data-dir', join(dir, 'data'), '--api-port', String(apiPort), '--channel-port', String(channelPort)],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HUB_ADMIN_TOKEN: '' },
      },
    );
    children.push(hub);
    let banner = '';
    hub.stdout?.on('data', (d) => {
      banner += d;
    });
    await eventually(async () => (banner.includes('Press Ctrl-C') ? true : undefined), 60_000, 100);
    const base = `http://127.0.0.1:${apiPort}`;
    const script = tourScript(base, join(dir, 'data'), dir, channelPort, receiverPort);
    // a user's second terminal in the checkout: no npm_* variables of the test runner's own npm (they confuse npx)
    const terminal = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
    const tour = spawn('bash', ['-c', script], { cwd: process.cwd(), detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: terminal });
    children.push(tour);
    let out = '';
    tour.stdout?.on('data', (d) => {
      out += d;
    });
    tour.stderr?.on('data', (d) => {
      out += d;
    });
    const code = await new Promise<number | null>((resolve) => tour.on('exit', resolve));
    expect(code, out).toBe(0);
    expect(out, out).not.toMatch(/"errors":\s*\[/); // an API error answer, not a stream's error counter

    const token = readFileSync(join(dir, 'data', 'admin-token'), 'utf8').trim();
    const get = async (path: string) => (await api({ apiUrl: base }, 'GET', path, undefined, token)).json.result;
    expect(await get('/gw/devices/1')).toEqual([expect.objectContaining({ name: 'truck 1', device_type_id: 1 })]);
    expect((await get('/gw/devices/1/messages?count=100')).length).toBeGreaterThan(0);
    expect(Object.keys((await get('/gw/devices/1/telemetry/position'))[0].telemetry)).toContain('position.latitude');
    expect((await get('/gw/channels/1/connections')).length).toBeGreaterThan(0);
    expect((await get('/gw/devices/1/messages?filter=position.speed>30&count=100')).length).toBeGreaterThan(0);
    expect((await get('/gw/channels/all')).map((c: { protocol_name: string }) => c.protocol_name)).toEqual(['teltonika', 'gt06']);
    expect((await get('/platform/tokens/all')).map((t: { info: string }) => t.info)).toEqual(['truck 1 viewer']);
    const received = await eventually(async () => {
      const text = readFileSync(join(dir, 'received.jsonl'), 'utf8');
      return text.includes('356000000000000') ? text : undefined;
    }, 15_000);
    expect(received).toContain('"device.id":1');

    // then the calculator recipes, on the device the tour made: six calculators, assigned, synced, exported
    const recipes = spawn('bash', ['-c', recipesScript(base, join(dir, 'data'))], {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: terminal,
    });
    children.push(recipes);
    let rout = '';
    recipes.stdout?.on('data', (d) => {
      rout += d;
    });
    recipes.stderr?.on('data', (d) => {
      rout += d;
    });
    expect(await new Promise<number | null>((resolve) => recipes.on('exit', resolve)), rout).toBe(0);
    expect(rout, rout).not.toMatch(/"errors":\s*\[/);
    expect((await get('/gw/calcs/all')).map((c: { name: string }) => c.name)).toEqual(['trips', 'moving', 'stops', 'depot visits', 'overspeed', 'silence']);
    const synced = await eventually(async () => {
      const list = (await get('/gw/calcs/all/devices/1')) as { synced: boolean }[];
      return list.length === 6 && list.every((a) => a.synced) ? list : undefined;
    }, 60_000);
    expect(synced).toHaveLength(6);
    expect(readFileSync(join(dir, 'trips.csv'), 'utf8').split('\n')[0]).toMatch(/^id,/);
    expect(readFileSync(join(dir, 'trips.gpx'), 'utf8')).toContain('<gpx');
  }, 240_000);
});
