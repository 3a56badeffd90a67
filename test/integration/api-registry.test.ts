import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, freePort, startTestHub } from '../helpers/local-hub.js';

describe('registry API over local HTTP (channels, devices)', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub?.stop());

  describe('auth', () => {
    it('answers 401 without a token, with an unknown token, and accepts both header forms', async () => {
      expect((await api(hub, 'GET', '/gw/devices/all', undefined, null)).status).toBe(401);
      const wrong = await api(hub, 'GET', '/gw/devices/all', undefined, 'nope');
      expect(wrong.status).toBe(401);
      expect(wrong.json.errors[0]).toMatchObject({ code: 401 });
      const bearer = await fetch(`${hub.apiUrl}/gw/channels/all`, { headers: { authorization: 'Bearer test-admin-token' } });
      expect(bearer.status).toBe(200);
    });
  });

  describe('devices', () => {
    it('creates devices from an array and answers with their ids', async () => {
      const r = await api(hub, 'POST', '/gw/devices', [
        { name: 'a', configuration: { ident: '100000000000001' } },
        { name: 'b', configuration: { ident: '100000000000002' }, messages_ttl: 3600, metadata: { fleet: 'north' } },
      ]);
      expect(r.status).toBe(200);
      expect(r.json.result.map((d: { id: number }) => d.id)).toEqual([1, 2]);
      expect(r.json.result[1]).toMatchObject({
        name: 'b',
        configuration: { ident: '100000000000002' },
        messages_ttl: 3600,
        enabled: true,
        metadata: { fleet: 'north' },
        device_type_id: null,
      });
    });

    it('refuses a duplicate ident with 409 and creates none of the batch', async () => {
      const r = await api(hub, 'POST', '/gw/devices', [
        { name: 'c', configuration: { ident: '100000000000003' } },
        { name: 'dup', configuration: { ident: '100000000000001' } },
      ]);
      expect(r.status).toBe(409);
      expect(r.json.errors[0].reason).toMatch(/100000000000001.*device 1/);
      const all = await api(hub, 'GET', '/gw/devices/all?fields=id');
      expect(all.json.result).toEqual([{ id: 1 }, { id: 2 }]);
    });

    it.each([
      [{ name: 'x' }, /\[0\]\.configuration: /],
      [{ name: 'x', configuration: { ident: 'has space' } }, /\[0\]\.configuration\.ident: must be printable/],
      [{ name: 'x', configuration: { ident: 'ok1' }, messages_ttl: 5 }, /\[0\]\.messages_ttl: /],
      [{ name: 'x', configuration: { ident: 'ok2' }, colour: 'red' }, /\[0\]: unknown field\(s\) "colour"/],
      [{ name: 'x', configuration: { ident: 'ok3' }, device_type_id: 999 }, /\[0\]\.device_type_id: no device type 999/],
    ])('answers 400 naming the field for %j', async (body, reason) => {
      const r = await api(hub, 'POST', '/gw/devices', [body]);
      expect(r.status).toBe(400);
      expect(r.json.errors[0].reason).toMatch(reason);
    });

    it('answers 400 for a body that is not JSON or not an array', async () => {
      const notJson = await api(hub, 'POST', '/gw/devices', '{nope');
      expect(notJson.status).toBe(400);
      expect(notJson.json.errors[0].reason).toMatch(/^body: not valid JSON/);
      const notArray = await api(hub, 'POST', '/gw/devices', { name: 'x' });
      expect(notArray.status).toBe(400);
      expect(notArray.json.errors[0].reason).toMatch(/expected array/);
    });

    it('selects by ids, all, and field expressions with wildcards; a pattern matching nothing is empty, a missing id 404', async () => {
      expect((await api(hub, 'GET', '/gw/devices/2,1?fields=name')).json.result).toEqual([{ name: 'a' }, { name: 'b' }]);
      expect((await api(hub, 'GET', '/gw/devices/configuration.ident=*002')).json.result.map((d: { id: number }) => d.id)).toEqual([2]);
      expect((await api(hub, 'GET', '/gw/devices/name=a*')).json.result).toHaveLength(1);
      expect(await api(hub, 'GET', '/gw/devices/name=zzz*')).toEqual({ status: 200, json: { result: [] } });
      const missing = await api(hub, 'GET', '/gw/devices/1,9999');
      expect(missing.status).toBe(404);
      expect(missing.json.errors[0].reason).toBe('device selector "1,9999": no device 9999');
      expect((await api(hub, 'GET', '/gw/devices/a;b')).status).toBe(400);
    });

    it('changes devices with PUT and refuses taking another device ident', async () => {
      const r = await api(hub, 'PUT', '/gw/devices/1', { name: 'renamed', metadata: { x: 1 } });
      expect(r.json.result[0]).toMatchObject({ id: 1, name: 'renamed', metadata: { x: 1 }, configuration: { ident: '100000000000001' } });
      const clash = await api(hub, 'PUT', '/gw/devices/1', { configuration: { ident: '100000000000002' } });
      expect(clash.status).toBe(409);
      const bad = await api(hub, 'PUT', '/gw/devices/1', { messages_ttl: 'long' });
      expect(bad.status).toBe(400);
      expect(bad.json.errors[0].reason).toMatch(/^messages_ttl: /);
    });

    it('validates message queries', async () => {
      const r = await api(hub, 'GET', '/gw/devices/1/messages?count=abc');
      expect(r.status).toBe(400);
      expect(r.json.errors[0].reason).toMatch(/^count: /);
      expect((await api(hub, 'GET', '/gw/devices/1/messages?from=10&to=5')).json.errors[0].reason).toMatch(/^from: /);
      expect((await api(hub, 'GET', '/gw/devices/1/messages?bogus=1')).json.errors[0].reason).toBe('query: unknown query parameter(s) "bogus"');
      expect((await api(hub, 'GET', '/gw/devices/1/messages?filter=speed>>1')).json.errors[0].reason).toMatch(/^filter: /);
      expect((await api(hub, 'GET', '/gw/devices/1/messages')).json).toEqual({ result: [] });
    });

    it('deletes devices', async () => {
      expect((await api(hub, 'DELETE', '/gw/devices/2')).status).toBe(200);
      expect((await api(hub, 'GET', '/gw/devices/2')).status).toBe(404);
      const again = await api(hub, 'POST', '/gw/devices', [{ name: 'b again', configuration: { ident: '100000000000002' } }]);
      expect(again.status).toBe(200);
    });
  });

  describe('channels', () => {
    it('lists the default Teltonika channel', async () => {
      const r = await api(hub, 'GET', '/gw/channels/all');
      expect(r.json.result[0]).toMatchObject({ id: 1, protocol_name: 'teltonika', protocol_id: 1, enabled: true, uri: `127.0.0.1:${hub.channelPort}` });
    });

    it('creates a channel whose listener starts serving within 2 s, and stops it on DELETE', async () => {
      const port = await freePort();
      const r = await api(hub, 'POST', '/gw/channels', [{ name: 'second', protocol_name: 'teltonika', configuration: { port } }]);
      expect(r.status).toBe(200);
      const id = r.json.result[0].id;
      const { connect } = await import('node:net');
      const reachable = () =>
        new Promise<boolean>((resolve) => {
          const s = connect(port, '127.0.0.1');
          s.once('connect', () => {
            s.destroy();
            resolve(true);
          });
          s.once('error', () => resolve(false));
        });
      const started = Date.now();
      while (!(await reachable())) {
        expect(Date.now() - started).toBeLessThan(2000);
        await new Promise((res) => setTimeout(res, 50));
      }
      expect((await api(hub, 'DELETE', `/gw/channels/${id}`)).status).toBe(200);
      const stopped = Date.now();
      while (await reachable()) {
        expect(Date.now() - stopped).toBeLessThan(2000);
        await new Promise((res) => setTimeout(res, 50));
      }
    });

    it('refuses an unknown protocol, a taken port and unknown fields with the field named', async () => {
      expect((await api(hub, 'POST', '/gw/channels', [{ name: 'x', protocol_name: 'nmea' }])).json.errors[0].reason).toMatch(/^\[0\]\.protocol_name: /);
      const taken = await api(hub, 'POST', '/gw/channels', [{ name: 'x', protocol_name: 'teltonika', configuration: { port: hub.channelPort } }]);
      expect(taken.status).toBe(409);
      expect(taken.json.errors[0].reason).toMatch(/port/);
      expect((await api(hub, 'POST', '/gw/channels', [{ name: 'x', protocol_id: 1, configuration: { speed: 1 } }])).json.errors[0].reason).toMatch(
        /^\[0\]\.configuration: unknown field/,
      );
    });
  });

  describe('routes', () => {
    it('answers 404 for an unknown route and 405 for a wrong method', async () => {
      expect((await api(hub, 'GET', '/gw/nothing')).status).toBe(404);
      expect((await api(hub, 'PATCH', '/gw/devices/1', {})).status).toBe(405);
      const list = await api(hub, 'GET', '/gw/devices');
      expect(list.status).toBe(405);
      expect(list.json.errors[0].reason).toBe('method GET is not allowed on /gw/devices; GET /gw/devices/all lists them');
    });
    it('answers 413 for a body over 1 MiB', async () => {
      const r = await api(hub, 'POST', '/gw/devices', JSON.stringify([{ name: 'x'.repeat(1100 * 1024) }]));
      expect(r.status).toBe(413);
    });
    it('lists protocols and device types', async () => {
      const p = await api(hub, 'GET', '/gw/protocols');
      expect(p.json.result.map((x: { name: string }) => x.name)).toContain('teltonika');
      const t = await api(hub, 'GET', '/gw/protocols/teltonika/device-types');
      expect(t.json.result[0]).toMatchObject({ id: 1, name: 'teltonika', protocol_id: 1 });
      expect(t.json.result[0].commands.map((c: { name: string }) => c.name)).toContain('setdigout');
    });
  });
});
