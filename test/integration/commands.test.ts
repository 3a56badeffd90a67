import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avlPacket, codec12Response, codec12Text, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { api, eventually, startTestHub } from '../helpers/local-hub.js';

const ONLINE = '351111111111111';
const OFFLINE = '352222222222222';

/** Reads one Codec 12 command packet from the hub (header first, then the rest). */
async function readCommand(dev: TestDevice, timeoutMs = 3000): Promise<string> {
  const head = await dev.read(8, timeoutMs);
  const rest = await dev.read(head.readUInt32BE(4) + 4, timeoutMs);
  const text = codec12Text(Buffer.concat([head, rest]));
  if (text === undefined) throw new Error('not a Codec 12 command');
  return text;
}

describe('commands: queue → listener → device → reply → result', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let online: TestDevice;

  beforeAll(async () => {
    hub = await startTestHub();
    const r = await api(hub, 'POST', '/gw/devices', [
      { name: 'online', configuration: { ident: ONLINE }, device_type_id: 1 },
      { name: 'offline', configuration: { ident: OFFLINE } },
    ]);
    expect(r.status).toBe(200);
    online = await TestDevice.connect(hub.channelPort);
    online.send(handshake(ONLINE));
    await online.read(1);
  });
  afterAll(async () => {
    online?.close();
    await hub?.stop();
  });

  it('delivers a queued command to a connected device within 1 s and records its reply', async () => {
    const started = Date.now();
    const q = await api(hub, 'POST', '/gw/devices/1/commands-queue', [{ name: 'getparam', properties: { param: '10000' } }]);
    expect(q.status).toBe(200);
    expect(q.json.result[0]).toMatchObject({ device_id: 1, name: 'getparam', status: 'queued' });
    expect(await readCommand(online)).toBe('getparam 10000');
    expect(Date.now() - started).toBeLessThan(1000);
    online.send(codec12Response('Param ID:10000 Value:30'));
    const result = await eventually(async () => {
      const r = await api(hub, 'GET', '/gw/devices/1/commands-result');
      return r.json.result.find((x: { id: number; status: string }) => x.id === q.json.result[0].id && x.status === 'replied');
    });
    expect(result).toMatchObject({ executed: true, response: 'Param ID:10000 Value:30', name: 'getparam' });
    expect((await api(hub, 'GET', '/gw/devices/1/commands-queue')).json.result).toEqual([]);
  });

  it('checks properties against the device type schema and names the property', async () => {
    const r = await api(hub, 'POST', '/gw/devices/1/commands-queue', [{ name: 'setparam', properties: { param: 'x' } }]);
    expect(r.status).toBe(400);
    expect(r.json.errors[0].reason).toMatch(/^\[0\]\.properties\./);
    const unknown = await api(hub, 'POST', '/gw/devices/1/commands-queue', [{ name: 'launch', properties: {} }]);
    expect(unknown.json.errors[0].reason).toMatch(/"launch" is not a command of device type teltonika/);
  });

  it('gives an offline device its queue right after it next identifies', async () => {
    const untyped = await api(hub, 'POST', '/gw/devices/2/commands-queue', [{ name: 'getver' }]);
    expect(untyped.status).toBe(400); // no device type yet and never connected
    await api(hub, 'PUT', '/gw/devices/2', { device_type_id: 1 });
    const q = await api(hub, 'POST', '/gw/devices/2/commands-queue', [{ name: 'getver' }, { name: 'getgps', priority: 5 }]);
    expect(q.status).toBe(200);
    await new Promise((r) => setTimeout(r, 700));
    const dev = await TestDevice.connect(hub.channelPort);
    dev.send(handshake(OFFLINE));
    expect((await dev.read(1)).toString('hex')).toBe('01');
    expect(await readCommand(dev)).toBe('getgps');
    expect(await readCommand(dev)).toBe('getver');
    dev.close();
  });

  it('runs an immediate command against a connected device and returns its answer', async () => {
    const pending = api(hub, 'POST', '/gw/devices/1/commands', [{ name: 'getver', timeout: 5 }]);
    expect(await readCommand(online)).toBe('getver');
    online.send(codec12Response('Ver:03.28.07_04 GPS:AXN_5.10_3333 Hw:FMB920'));
    const r = await pending;
    expect(r.status).toBe(200);
    expect(r.json.result[0]).toMatchObject({ executed: true, response: 'Ver:03.28.07_04 GPS:AXN_5.10_3333 Hw:FMB920' });
  });

  it('answers an immediate command to a device that is not connected with executed=false after the timeout', async () => {
    await api(hub, 'POST', '/gw/devices', [{ name: 'never', configuration: { ident: '353333333333333' }, device_type_id: 1 }]);
    const r = await api(hub, 'POST', '/gw/devices/3/commands', [{ name: 'getver', timeout: 1 }]);
    expect(r.json.result[0]).toMatchObject({ executed: false, status: 'expired' });
    expect(r.json.result[0].response).toMatch(/not connected/);
  });

  it('lists connections with ident and traffic, closes one on DELETE, and logs connects', async () => {
    online.send(avlPacket([{ timestampMs: 1_700_000_000_000, latitude: 1, longitude: 2 }]));
    await online.read(4);
    const conns = await eventually(async () => {
      const r = await api(hub, 'GET', '/gw/channels/1/connections');
      const c = r.json.result.find((x: { ident: string }) => x.ident === ONLINE);
      return c && c.frames_in >= 1 ? r.json.result : undefined;
    });
    const mine = conns.find((c: { ident: string }) => c.ident === ONLINE);
    expect(mine).toMatchObject({ channel_id: 1, peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
    expect(mine.bytes_in).toBeGreaterThan(17);
    const del = await api(hub, 'DELETE', `/gw/channels/1/connections/${mine.id}`);
    expect(del.status).toBe(200);
    await online.waitClosed(3000);
    const logs = await eventually(async () => {
      const r = await api(hub, 'GET', '/gw/devices/1/logs');
      const events = r.json.result.map((e: { event: string }) => e.event);
      return events.includes('disconnected') ? events : undefined;
    });
    expect(logs).toContain('connected');
    expect(logs).toContain('command_queued');
  });
});
