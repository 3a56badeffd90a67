import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILES } from '../../bin/commands/simulate.js';
import { positionRequest } from '../../protocols/osmand/device.js';
import { api, eventually, freePort, startTestHub } from '../helpers/local-hub.js';
import { channelMessages } from '../helpers/simulator-faults.js';

/** Sends one datagram and collects what comes back within `waitMs`. */
async function exchange(port: number, datagram: Buffer, waitMs: number): Promise<Buffer[]> {
  const s = createSocket('udp4');
  const got: Buffer[] = [];
  s.on('message', (m) => got.push(m));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  s.send(datagram, port, '127.0.0.1');
  const until = Date.now() + waitMs;
  while (Date.now() < until && got.length === 0) await new Promise((r) => setTimeout(r, 10));
  s.close();
  return got;
}

/** UDP datagram → expected answer (undefined: the protocol does not answer this report). */
const UDP_CASES: readonly { protocol: string; settings?: Record<string, boolean>; answer: (d: Buffer, ident: string) => string | undefined }[] = [
  { protocol: 'teltonika', answer: (d) => `0005${d.toString('hex', 2, 4)}01${d.toString('hex', 5, 6)}01` },
  {
    protocol: 'h02',
    answer: (d) =>
      Buffer.from(d.toString('latin1').replace(/^\*HQ,(\d+),V1,(\d{6}),.*,(\d\d)(\d\d)(\d\d),[0-9A-F]+#$/, '*HQ,$1,V4,V1,20$5$4$3$2#')).toString('hex'),
  },
  { protocol: 'meitrack', answer: () => undefined },
  { protocol: 'queclink', settings: { ack: true }, answer: () => Buffer.from('+SACK:0001$').toString('hex') },
  { protocol: 'wialon_ips', answer: () => Buffer.from('#AD#1\r\n').toString('hex') },
];

describe('listener: UDP for every protocol with a UDP transport, HTTP for OsmAnd', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  const channels = new Map<string, { id: number; port: number }>();

  beforeAll(async () => {
    hub = await startTestHub();
    const body = [];
    for (const c of UDP_CASES) {
      const port = await freePort();
      channels.set(c.protocol, { id: 0, port });
      body.push({
        name: `${c.protocol}-udp`,
        protocol_name: c.protocol,
        configuration: { port, transport: 'udp', ...(c.settings ? { settings: c.settings } : {}) },
      });
    }
    const httpPort = await freePort();
    channels.set('osmand', { id: 0, port: httpPort });
    body.push({ name: 'osmand', protocol_name: 'osmand', configuration: { port: httpPort, max_frame_size: 1024 } });
    const r = await api(hub, 'POST', '/gw/channels', body);
    expect(r.status).toBe(200);
    for (const c of r.json.result) channels.get(c.protocol_name)!.id = c.id;
    expect(r.json.result.find((c: { protocol_name: string }) => c.protocol_name === 'osmand').configuration.transport).toBe('http');
    await hub.syncChannels();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  for (const c of UDP_CASES) {
    it(`${c.protocol}: a real datagram is stored${c.protocol === 'meitrack' ? ' (AAA reports get no answer)' : ' and answered once durable'}`, async () => {
      const profile = PROFILES[c.protocol];
      const ident = profile.identFor(1);
      const at = Math.floor(Date.now() / 1000) * 1000;
      const datagram = profile.report!(ident, 1, 1, at, 'udp');
      const { id, port } = channels.get(c.protocol)!;
      const want = c.answer(datagram, ident);
      const replies = await exchange(port, datagram, want === undefined ? 300 : 3000);
      if (want === undefined) expect(replies).toEqual([]);
      else expect(replies.map((b) => b.toString('hex'))).toEqual([want]);
      const stored = await eventually(async () => {
        const m = await channelMessages(hub, id);
        return m.length > 0 ? m : undefined;
      });
      expect(stored).toEqual([expect.objectContaining({ ident, timestamp: at / 1000 })]);
    });
  }

  describe('OsmAnd over HTTP', () => {
    const post = (path: string, body = '', headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${channels.get('osmand')!.port}${path}`, { method: 'POST', body, headers }).then(async (r) => ({
        status: r.status,
        text: await r.text(),
      }));
    const ident = 'osm-device-1';
    const fix = (k: number) => ({ atMs: (1_700_000_000 + k) * 1000, latitude: 54.7, longitude: 25.3, speed: 10, bearing: 90 });

    it('answers 200 once the position is durable, and stores it', async () => {
      const r = positionRequest(ident, fix(1));
      expect(await post(r.path)).toEqual({ status: 200, text: '' });
      const stored = await eventually(async () => {
        const m = await channelMessages(hub, channels.get('osmand')!.id);
        return m.some((x) => x.timestamp === 1_700_000_001) ? m : undefined;
      });
      expect(stored.filter((m) => m.ident === ident)).toHaveLength(1);
    });

    it('puts a queued command in the next 200 body and marks it sent', async () => {
      const types = await api(hub, 'GET', '/gw/protocols/osmand/device-types');
      const typeId = types.json.result.find((t: { name: string }) => t.name === 'osmand').id;
      const dev = await api(hub, 'POST', '/gw/devices', [{ name: 'phone', configuration: { ident }, device_type_id: typeId }]);
      expect(dev.status).toBe(200);
      const deviceId = dev.json.result[0].id;
      const q = await api(hub, 'POST', `/gw/devices/${deviceId}/commands-queue`, [{ name: 'custom', properties: { text: 'hello phone' } }]);
      expect(q.status).toBe(200);
      const answer = await eventually(
        async () => {
          const r = await post(positionRequest(ident, fix(2)).path);
          return r.text !== '' ? r : undefined;
        },
        5000,
        100,
      );
      expect(answer).toEqual({ status: 200, text: 'hello phone' });
      expect(await post(positionRequest(ident, fix(3)).path)).toEqual({ status: 200, text: '' });
      const result = await api(hub, 'GET', `/gw/devices/${deviceId}/commands-result`);
      expect(result.json.result.find((x: { id: number }) => x.id === q.json.result[0].id)).toMatchObject({ status: 'sent' });
    });

    it('refuses a body above the channel frame size with 413 and a request without a device id with 400', async () => {
      expect((await post('/', `id=${ident}&lat=1&lon=2&x=${'a'.repeat(2000)}`, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(413);
      expect((await post('/?lat=54&lon=25')).status).toBe(400);
      expect((await post(positionRequest(ident, fix(4)).path)).status).toBe(200);
    });
  });
});
