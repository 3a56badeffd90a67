import { spawnSync } from 'node:child_process';
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
