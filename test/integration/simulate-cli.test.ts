import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, freePort, startTestHub } from '../helpers/local-hub.js';

const run = promisify(execFile);
const HUB = join(import.meta.dirname, '..', '..', 'bin', 'hub.ts');

/** `hub simulate …` as a user runs it; returns its JSON summary. */
async function simulate(args: string[]): Promise<Record<string, any>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', HUB, 'simulate', ...args], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
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
      expect(summary).toMatchObject({ transport, count: 20, connected: 20, loggedIn: 20, errors: 0, unacked: 0 });
      expect(summary.sent).toBeGreaterThanOrEqual(20);
      expect(summary.acked).toBe(summary.sent);
    },
    90_000,
  );
});
