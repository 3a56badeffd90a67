import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestHub } from '../helpers/local-hub.js';

/** The API under hostile input: any answer is a proper status with the error envelope, never a 5xx. */
describe('API input hardening (fuzz)', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  beforeAll(async () => {
    hub = await startTestHub();
    await api(hub, 'POST', '/gw/devices', [{ name: 'x', configuration: { ident: '123' } }]);
  });
  afterAll(async () => hub?.stop());

  const OK = [200, 400, 401, 403, 404, 405, 409, 413];

  function expectProper(status: number, json: unknown, what: string): void {
    expect(OK, `${what} → ${status} ${JSON.stringify(json).slice(0, 200)}`).toContain(status);
    if (status !== 200) expect((json as { errors: { code: number; reason: string }[] }).errors[0].reason, what).toEqual(expect.any(String));
  }

  it('answers random JSON bodies on every route with 2xx/4xx and a reason', async () => {
    const routes = hub.services.routes.filter((r) => r.method !== 'GET');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.json({ maxDepth: 4 }),
        fc.constantFrom('1', 'all', 'name=*', '%E2%9C%93', 'configuration.ident=%00*', '99999999999999999999'),
        async (route, body, sel) => {
          const path = route.path.replace(/\{[a-z]+\}/g, sel);
          const r = await api(hub, route.method, path, body);
          expectProper(r.status, r.json, `${route.method} ${path}`);
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);

  it('answers random query strings with 2xx/4xx', async () => {
    const routes = hub.services.routes.filter((r) => r.method === 'GET' && !r.public);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 }), { maxKeys: 4 }),
        async (route, query) => {
          const qs = new URLSearchParams(query).toString();
          const r = await api(hub, 'GET', route.path.replace(/\{[a-z]+\}/g, '1') + (qs ? `?${qs}` : ''));
          expectProper(r.status, r.json, `GET ${route.path}?${qs}`);
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);

  it('refuses deep nesting, huge bodies, broken UTF-8 and odd unicode cleanly', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expectProper((await api(hub, 'POST', '/gw/devices', deep)).status, (await api(hub, 'POST', '/gw/devices', deep)).json, 'deep nesting');
    const huge = JSON.stringify([{ name: 'x'.repeat(3 * 1024 * 1024), configuration: { ident: 'y' } }]);
    const big = await api(hub, 'POST', '/gw/devices', huge);
    expect(big.status).toBe(413);
    const emoji = await api(hub, 'POST', '/gw/devices', [{ name: '🚚 ☃ \u202e unicode', configuration: { ident: '🚚' } }]);
    expect(emoji.status).toBe(400);
    expect(emoji.json.errors[0].reason).toMatch(/configuration\.ident/);
    const named = await api(hub, 'POST', '/gw/devices', [{ name: '🚚 ☃ \u202e unicode', configuration: { ident: 'u-1' } }]);
    expect(named.status).toBe(200);
    expect((await api(hub, 'GET', `/gw/devices/${named.json.result[0].id}`)).json.result[0].name).toBe('🚚 ☃ \u202e unicode');
    const res = await fetch(`${hub.apiUrl}/gw/devices`, {
      method: 'POST',
      headers: { authorization: 'FlespiToken test-admin-token' },
      body: Buffer.from([0x5b, 0xff, 0xfe, 0x5d]),
    });
    expect(res.status).toBe(400);
    expect((await fetch(`${hub.apiUrl}/gw/devices/%ZZ`, { headers: { authorization: 'FlespiToken test-admin-token' } })).status).toBe(400);
  });
});
