import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';

/** Runs `hub` from source (tsx), as `npx hub` would from the build. */
function hub(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bin/hub.ts', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/hub', () => {
  it('prints help without a command and for --help, and refuses an unknown command', () => {
    expect(hub([]).stdout).toMatch(/Usage: hub <command>/);
    expect(hub(['decode', '--help']).stdout).toMatch(/Usage: hub decode <protocol>/);
    expect(hub(['start', '--help']).stdout).toMatch(/--data-dir/);
    const bad = hub(['fly']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown command "fly"/);
  });

  describe('decode', () => {
    it('decodes a Teltonika session line by line, keeping the ident from the handshake', () => {
      const lines = [
        JSON.stringify({ hex: '000f333536333037303432343431303133' }),
        JSON.stringify({
          hex: '000000000000003608010000016B40D8EA30010000000000000000000000000000000105021503010101425E0F01F10000601A014E0000000000000000010000C7CF',
        }),
        'not json',
      ].join('\n');
      const r = hub(['decode', 'teltonika'], `${lines}\n`);
      expect(r.status).toBe(0);
      const out = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(out[0]).toEqual({ messages: [], replies: ['01'], errors: [] });
      expect(out[1].replies).toEqual(['00000001']);
      expect(out[1].messages[0]).toMatchObject({ ident: '356307042441013', timestamp: 1560161086, 'external.powersource.voltage': 24.079 });
      expect(out[2].errors[0]).toMatch(/not a JSON line/);
    });

    it('decodes an OsmAnd HTTP request given as {"http": ...}', () => {
      const r = hub(
        ['decode', 'osmand'],
        `${JSON.stringify({ http: { method: 'GET', path: '/?id=123456&lat=60.1&lon=30.2&timestamp=1700000000&speed=10', headers: {}, body: '' } })}\n`,
      );
      const [line] = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(line.messages[0]).toMatchObject({ ident: '123456', 'position.latitude': 60.1, 'position.longitude': 30.2, timestamp: 1700000000 });
      expect(line.replies).toEqual([]); // the 200 has an empty body: no reply bytes
    });

    it('refuses an unknown protocol with the list of known ones', () => {
      const r = hub(['decode', 'nmea']);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/teltonika, gt06/);
    });
  });

  describe('identify', () => {
    it('names the protocol of a GT06 login and of a Teltonika handshake', () => {
      const r = hub(['identify', '78780D01086471700328358100093F040D0A', '000f333536333037303432343431303133']);
      const [gt06, teltonika] = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(gt06.candidates[0]).toMatchObject({ protocol: 'gt06', confidence: 'high' });
      expect(teltonika.candidates[0]).toMatchObject({ protocol: 'teltonika', confidence: 'high' });
    });
    it('says so for input that is not hex', () => {
      expect(JSON.parse(hub(['identify', 'zz']).stdout).error).toMatch(/not an even-length hex/);
    });
  });
});

describe('bin/hub: honest usage', () => {
  it('prints the package version', () => {
    const r = hub(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(process.env.npm_package_version ?? '0.1.0');
  });

  it('exits 2 with a reason naming the command for every usage mistake', () => {
    const cases: [string[], RegExp][] = [
      [['start', '--bogus'], /^hub start: Unknown option '--bogus'/],
      [['start', '--api-port', 'x'], /^hub start: --api-port must be a port number, got "x"/],
      [['start', '--log-level', 'loud'], /^hub start: --log-level must be debug, info, warn or error, got "loud"/],
      [['decode'], /^hub decode: give a protocol: teltonika, /],
      [['decode', 'nosuch'], /^hub decode: unknown protocol "nosuch"; known: teltonika, /],
      [['decode', 'teltonika', '--crc', 'maybe'], /^hub decode: --crc must be strict or lenient/],
      [['dlq'], /^hub dlq: give an action: list, replay or discard/],
      [['dlq', 'explode'], /^hub dlq: unknown action "explode"/],
      [['simulate', 'nosuch'], /^hub simulate: unknown protocol "nosuch"/],
      [['simulate', 'teltonika', '--count', 'many'], /^hub simulate: --count must be a number from 1 to 1000000, got "many"/],
      [['simulate', 'teltonika', '--transport', 'http'], /^hub simulate: --transport must be tcp or udp, got "http"/],
      [['identify', '--bogus'], /^hub identify: Unknown option '--bogus'/],
    ];
    for (const [args, reason] of cases) {
      const r = hub(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(reason);
    }
  });

  it('dlq names the address and the cause when the hub cannot be reached, and ends its lines', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const r = hub(['dlq', 'list', '--api', `http://127.0.0.1:${closed}`, '--token', 't']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`hub dlq: cannot reach the hub at http://127.0.0.1:${closed}: ECONNREFUSED (is it running? --api or HUB_API give another address)\n`);
  });
});
