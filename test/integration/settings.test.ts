import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avlPacket, codec12Response, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { Gt06Firmware, TeltonikaFirmware } from '../helpers/firmware.js';
import { api, eventually, freePort, startTestHub } from '../helpers/local-hub.js';

const IMEI = '357777777777777';

type Setting = { name: string; desired: unknown; reported: unknown; status: string; reason?: string };

async function setting(hub: { apiUrl: string }, device: number, name: string): Promise<Setting> {
  const r = await api(hub, 'GET', `/gw/devices/${device}/settings`);
  return (r.json.result as Setting[]).find((s) => s.name === name)!;
}

async function until(hub: { apiUrl: string }, device: number, name: string, status: string): Promise<Setting> {
  return eventually(
    async () => {
      const s = await setting(hub, device, name);
      return s.status === status ? s : undefined;
    },
    8000,
    50,
  );
}

describe('remote configuration (desired → command → reply → reported)', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let fw: TeltonikaFirmware;

  beforeAll(async () => {
    hub = await startTestHub();
    await api(hub, 'POST', '/gw/devices', [{ name: 'fmb', configuration: { ident: IMEI }, device_type_id: 1 }]);
    fw = await TeltonikaFirmware.connect(hub.channelPort, IMEI, {
      rejects: (id, value) => (id === '2004' && value.includes('forbidden') ? `Param ID:2004 Value:${value} ERROR: domain not allowed` : undefined),
    });
  });
  afterAll(async () => {
    fw?.close();
    await hub?.stop();
  });

  it("lists the device type's settings with their schemas checked on PUT", async () => {
    const all = (await api(hub, 'GET', '/gw/devices/1/settings')).json.result as Setting[];
    expect(all.map((s) => s.name)).toEqual(['report_interval_stop', 'report_interval_moving', 'server_domain', 'server_port', 'apn', 'ignition_source']);
    expect(all.every((s) => s.status === 'synced' && s.desired === null)).toBe(true);
    const bad = await api(hub, 'PUT', '/gw/devices/1/settings/server_port', { value: 70000 });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].reason).toMatch(/^value: /);
    expect((await api(hub, 'PUT', '/gw/devices/1/settings/nope', { value: 1 })).json.errors[0].reason).toMatch(/no such setting/);
  });

  it('writes a desired value over the air: pending, setparam on the wire, reported equals desired', async () => {
    const r = await api(hub, 'PUT', '/gw/devices/1/settings/report_interval_stop', { value: 120 });
    expect(r.json.result[0]).toMatchObject({ name: 'report_interval_stop', desired: 120, status: 'pending' });
    const synced = await until(hub, 1, 'report_interval_stop', 'synced');
    expect(synced).toMatchObject({ desired: 120, reported: 120 });
    expect(fw.received).toContain('setparam 10000:120');
    expect(fw.params.get('10000')).toBe('120');
  });

  it("leaves a setting the device refuses failed, with the device's reason", async () => {
    await api(hub, 'PUT', '/gw/devices/1/settings/server_domain', { value: 'forbidden.example.com' });
    const failed = await until(hub, 1, 'server_domain', 'failed');
    expect(failed.reason).toMatch(/refused by the device: .*domain not allowed/);
    expect(fw.params.get('2004')).toBe('old.example.com');
  });

  it('updates an offline device when it reconnects', async () => {
    fw.close();
    await new Promise((r) => setTimeout(r, 200));
    const r = await api(hub, 'PUT', '/gw/devices/1/settings/report_interval_moving', { value: 15 });
    expect(r.json.result[0].status).toBe('pending');
    await new Promise((r2) => setTimeout(r2, 700));
    expect((await setting(hub, 1, 'report_interval_moving')).status).toBe('pending');
    fw = await TeltonikaFirmware.connect(hub.channelPort, IMEI, { params: new Map([['10050', '60']]) });
    const synced = await until(hub, 1, 'report_interval_moving', 'synced');
    expect(synced).toMatchObject({ desired: 15, reported: 15 });
  });

  it('gathers values the device reports on its own', async () => {
    fw.device.send(codec12Response('Param ID:2001 Value:m2m.operator.net'));
    const apn = await eventually(async () => {
      const s = await setting(hub, 1, 'apn');
      return s.reported === 'm2m.operator.net' ? s : undefined;
    });
    expect(apn).toMatchObject({ status: 'synced', desired: null });
  });

  it('sets a value on every selected device and logs who changed it', async () => {
    const r = await api(hub, 'PUT', '/gw/devices/device_type_id=1/settings/ignition_source', { value: 4 });
    expect(r.json.result).toHaveLength(1);
    await until(hub, 1, 'ignition_source', 'synced');
    const logs = (await api(hub, 'GET', '/gw/devices/1/logs')).json.result as { event: string; name?: string; token?: unknown }[];
    expect(logs.filter((l) => l.event === 'setting_changed').map((l) => l.name)).toEqual([
      'report_interval_stop',
      'server_domain',
      'report_interval_moving',
      'ignition_source',
    ]);
    expect(logs.find((l) => l.event === 'setting_changed')?.token).toBe('admin');
  });

  it('does the same for GT06: TIMER written, confirmed, read back', async () => {
    const port = await freePort();
    await api(hub, 'POST', '/gw/channels', [{ name: 'gt06', protocol_name: 'gt06', configuration: { port } }]);
    await api(hub, 'POST', '/gw/devices', [{ name: 'concox', configuration: { ident: '868120303960061' }, device_type_id: 2 }]);
    await eventually(async () => (hub.listeners.channels.some((c) => c.configuration.port === port) ? true : undefined));
    const gt = await Gt06Firmware.connect(port, '868120303960061');
    try {
      await api(hub, 'PUT', '/gw/devices/2/settings/report_interval', { value: 30 });
      const synced = await until(hub, 2, 'report_interval', 'synced');
      expect(synced).toMatchObject({ desired: 30, reported: 30 });
      expect(gt.received).toContain('TIMER,30#');
      await api(hub, 'POST', '/gw/devices/2/commands-queue', [{ name: 'get_interval' }]);
      await eventually(async () => (gt.received.includes('TIMER#') ? true : undefined));
      expect(gt.timer).toBe(30);
    } finally {
      gt.close();
    }
  });
});

describe('a device created without a device type', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let fw: TeltonikaFirmware | undefined;
  const UNTYPED = '357777777777701';
  const GT06_TYPED = '357777777777702';

  beforeAll(async () => {
    hub = await startTestHub();
    const r = await api(hub, 'POST', '/gw/devices', [
      { name: 'untyped', configuration: { ident: UNTYPED } },
      { name: 'typed as gt06', configuration: { ident: GT06_TYPED }, device_type_id: 2 },
    ]);
    expect(r.json.result.map((d: { device_type_id: unknown }) => d.device_type_id)).toEqual([null, 2]);
  });
  afterAll(async () => {
    fw?.close();
    await hub?.stop();
  });

  async function report(ident: string): Promise<void> {
    const dev = await TestDevice.connect(hub.channelPort);
    dev.send(handshake(ident));
    await dev.read(1);
    dev.send(avlPacket([{ timestampMs: Date.now(), latitude: 54.7, longitude: 25.3, satellites: 7 }]));
    await dev.read(4);
    dev.close();
  }

  it('takes the Teltonika generic type once its tracker connects (logged), and a setting then reaches the firmware', async () => {
    await report(UNTYPED);
    const typed = await eventually(async () => {
      const d = (await api(hub, 'GET', '/gw/devices/1')).json.result[0];
      return d.device_type_id === 1 ? d : undefined;
    });
    expect(typed).toMatchObject({ device_type_id: 1, protocol_id: 1 });
    const logs = (await api(hub, 'GET', '/gw/devices/1/logs')).json.result;
    expect(logs.find((l: { event: string }) => l.event === 'device_type_assigned')).toMatchObject({ device_type_id: 1, name: 'teltonika', protocol_id: 1 });
    fw = await TeltonikaFirmware.connect(hub.channelPort, UNTYPED);
    const put = await api(hub, 'PUT', '/gw/devices/1/settings/report_interval_moving', { value: 15 });
    expect(put.status).toBe(200);
    expect(await until(hub, 1, 'report_interval_moving', 'synced')).toMatchObject({ desired: 15, reported: 15 });
    expect(fw.params.get('10050')).toBe('15');
  });

  it('never overwrites an explicit type, and logs a device that speaks another protocol than its type', async () => {
    await report(GT06_TYPED);
    const logs = await eventually(async () => {
      const l = (await api(hub, 'GET', '/gw/devices/2/logs')).json.result as { event: string }[];
      return l.some((e) => e.event === 'protocol_mismatch') ? l : undefined;
    });
    expect(logs.find((e) => e.event === 'protocol_mismatch')).toMatchObject({ expected_protocol_id: 2, protocol_id: 1 });
    expect((await api(hub, 'GET', '/gw/devices/2')).json.result[0]).toMatchObject({ device_type_id: 2, protocol_id: 2 });
  });
});
