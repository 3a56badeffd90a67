import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { udpCodec12Response, udpPacket } from '../../protocols/teltonika/device.js';
import { api, eventually, freePort, startTestHub } from '../helpers/local-hub.js';
import { channelMessages } from '../helpers/simulator-faults.js';

/** A tracker on one UDP socket (one source port, as behind a NAT mapping): what it receives waits in `inbox`. */
class UdpDevice {
  readonly inbox: Buffer[] = [];
  private constructor(
    private readonly socket: Socket,
    private readonly hubPort: number,
  ) {
    socket.on('message', (m) => this.inbox.push(m));
  }

  static async open(hubPort: number): Promise<UdpDevice> {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    return new UdpDevice(socket, hubPort);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(datagram: Buffer): void {
    this.socket.send(datagram, this.hubPort, '127.0.0.1');
  }

  /** The next datagram from the hub, as hex. */
  async next(timeoutMs = 3000): Promise<string> {
    const got = await eventually(async () => this.inbox.shift(), timeoutMs, 5);
    return got.toString('hex');
  }

  /** What arrives within `ms` (nothing, when the hub must stay silent). */
  async within(ms: number): Promise<string[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.inbox.splice(0).map((b) => b.toString('hex'));
  }

  close(): void {
    this.socket.close();
  }
}

const IMEI = '352093081452251';
const H02_ID = '4210000077';
const hex16 = (n: number) => (n & 0xffff).toString(16).padStart(4, '0');
const hex8 = (n: number) => (n & 0xff).toString(16).padStart(2, '0');
const text = (s: string) => Buffer.from(s, 'latin1').toString('hex');
const record = (atMs: number) => ({ timestampMs: atMs, latitude: 54.6872, longitude: 25.2797, satellites: 9, speed: 40, io1: { 239: 1 } });

/** `hhmmss,ddmmyy` of now (UTC), as an H02 report carries them. */
function h02Time(at = new Date()): { time: string; date: string } {
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    time: `${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}`,
    date: `${p(at.getUTCDate())}${p(at.getUTCMonth() + 1)}${p(at.getUTCFullYear() % 100)}`,
  };
}

function h02Report(): { frame: Buffer; ack: string } {
  const { time, date } = h02Time();
  const frame = Buffer.from(`*HQ,${H02_ID},V1,${time},A,5441.2320,N,02516.7820,E,10.00,90,${date},FFFFFBFF#`, 'latin1');
  const ack = `*HQ,${H02_ID},V4,V1,20${date.slice(4)}${date.slice(2, 4)}${date.slice(0, 2)}${time}#`;
  return { frame, ack: text(ack) };
}

describe('commands over UDP: local hub, real UDP sockets', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  const channel = { teltonika: { id: 0, port: 0 }, h02: { id: 0, port: 0 } };
  const device = { teltonika: 0, h02: 0 };
  let tracker: UdpDevice;
  let h02: UdpDevice;

  beforeAll(async () => {
    hub = await startTestHub();
    channel.teltonika.port = await freePort();
    channel.h02.port = await freePort();
    const r = await api(hub, 'POST', '/gw/channels', [
      { name: 'teltonika-udp', protocol_name: 'teltonika', configuration: { port: channel.teltonika.port, transport: 'udp', idle_timeout: 10 } },
      { name: 'h02-udp', protocol_name: 'h02', configuration: { port: channel.h02.port, transport: 'udp', idle_timeout: 10 } },
    ]);
    expect(r.status).toBe(200);
    channel.teltonika.id = r.json.result[0].id;
    channel.h02.id = r.json.result[1].id;
    const d = await api(hub, 'POST', '/gw/devices', [
      { name: 'fmb-udp', configuration: { ident: IMEI }, device_type_id: 1 },
      { name: 'h02-udp', configuration: { ident: H02_ID }, device_type_id: 3 },
    ]);
    expect(d.status).toBe(200);
    device.teltonika = d.json.result[0].id;
    device.h02 = d.json.result[1].id;
    await hub.syncChannels();
    tracker = await UdpDevice.open(channel.teltonika.port);
    h02 = await UdpDevice.open(channel.h02.port);
  });
  afterAll(async () => {
    tracker?.close();
    h02?.close();
    await hub?.stop();
  });

  /** A command as the queue (queued) or the results (sent on) show it. */
  const commandOf = async (deviceId: number, commandId: number) => {
    for (const list of ['commands-queue', 'commands-result']) {
      const r = await api(hub, 'GET', `/gw/devices/${deviceId}/${list}`);
      const found = r.json.result.find((c: { id: number }) => c.id === commandId);
      if (found) return found;
    }
    return undefined;
  };
  /** The command as `GET /gw/devices/{id}/commands-result` shows it, once it is there. */
  const resultOf = async (deviceId: number, commandId: number) => {
    const r = await api(hub, 'GET', `/gw/devices/${deviceId}/commands-result`);
    return r.json.result.find((c: { id: number; status: string }) => c.id === commandId && c.status === 'replied');
  };
  const connectionsOf = async (channelId: number, ident: string) => {
    const r = await api(hub, 'GET', `/gw/channels/${channelId}/connections`);
    return (r.json.result as { ident: string; id: string; frames_in: number; last_active: number }[]).filter((c) => c.ident === ident);
  };

  it('teltonika: acks a record with its packet ids, holds a queued command until the next datagram, sends it as Codec 12 over UDP, and the reply completes it', async () => {
    const at = Math.floor(Date.now() / 1000) * 1000;
    tracker.send(udpPacket(IMEI, [record(at)], 0x0101, 0x11));
    expect(await tracker.next()).toBe('00050101011101'); // length 5 | packet id 0101 | 01 | AVL packet id 11 | 1 record
    const stored = await eventually(async () => {
      const m = await channelMessages(hub, channel.teltonika.id);
      return m.length > 0 ? m : undefined;
    });
    expect(stored).toEqual([expect.objectContaining({ ident: IMEI, timestamp: at / 1000 })]);

    const q = await api(hub, 'POST', `/gw/devices/${device.teltonika}/commands-queue`, [{ name: 'getver' }]);
    expect(q.status).toBe(200);
    const id: number = q.json.result[0].id;
    // polls come and go (every 500 ms, and one at once): a UDP device is not written to between its datagrams
    expect(await tracker.within(1300)).toEqual([]);
    expect(await commandOf(device.teltonika, id)).toMatchObject({ status: 'queued' });

    tracker.send(udpPacket(IMEI, [record(at + 1000)], 0x0102, 0x12));
    expect(await tracker.next()).toBe('00050102011201');
    expect(await tracker.next()).toBe(
      `0023${hex16(id)}01${hex8(id)}` + // length 35 | packet id | 01 | AVL packet id: the command id
        `000f${text(IMEI)}` + // IMEI length | IMEI
        `0c0105${'00000006'}${text('getver')}01`, // codec 12 | 1 | command | size | "getver" | 1 (no CRC)
    );
    expect(await commandOf(device.teltonika, id)).toMatchObject({ status: 'sent' });

    tracker.send(udpCodec12Response(IMEI, 'Ver:03.28.07_04 GPS:AXN_5.10_3333 Hw:FMB920', 0x0103, 0x13));
    expect(await tracker.next()).toBe('00050103011301');
    const result = await eventually(async () => resultOf(device.teltonika, id));
    expect(result).toMatchObject({ name: 'getver', executed: true, response: 'Ver:03.28.07_04 GPS:AXN_5.10_3333 Hw:FMB920' });
    expect(await tracker.within(200)).toEqual([]);
  });

  it('lists a UDP session in the channel connections with its peer and counters', async () => {
    const [mine] = await eventually(
      async () => {
        const list = await connectionsOf(channel.teltonika.id, IMEI);
        return list.length === 1 && list[0].frames_in === 3 ? list : undefined;
      },
      8000,
      200,
    );
    const sent = [
      udpPacket(IMEI, [record(0)], 0, 0),
      udpPacket(IMEI, [record(0)], 0, 0),
      udpCodec12Response(IMEI, 'Ver:03.28.07_04 GPS:AXN_5.10_3333 Hw:FMB920', 0, 0),
    ];
    expect(mine).toMatchObject({
      channel_id: channel.teltonika.id,
      ident: IMEI,
      peer: `127.0.0.1:${tracker.port}`,
      frames_in: 3,
      bytes_in: sent.reduce((n, b) => n + b.length, 0),
      bytes_out: 3 * 7 + 37, // three acks and the command
    });
    expect(mine.id).toMatch(/^local-\d+-u1$/);
    expect(mine.last_active).toBeGreaterThan(Date.now() / 1000 - 10);
  });

  it('h02: sends a queued engine_stop as the same text right after the next report, and the V4 echo completes it', async () => {
    const first = h02Report();
    h02.send(first.frame);
    expect(await h02.next()).toBe(first.ack);
    const q = await api(hub, 'POST', `/gw/devices/${device.h02}/commands-queue`, [{ name: 'engine_stop' }]);
    expect(q.status).toBe(200);
    const id: number = q.json.result[0].id;
    expect(await h02.within(1300)).toEqual([]);

    const second = h02Report();
    h02.send(second.frame);
    expect(await h02.next()).toBe(second.ack);
    const s = id % 86400;
    const hhmmss = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((x) => String(x).padStart(2, '0')).join('');
    expect(Buffer.from(await h02.next(), 'hex').toString('latin1')).toBe(`*HQ,${H02_ID},S20,${hhmmss},1,1#`);

    const { time, date } = h02Time();
    h02.send(Buffer.from(`*HQ,${H02_ID},V4,S20,DONE,${hhmmss},${time},A,5441.2320,N,02516.7820,E,0.00,0,${date},FFFFFBFF#`, 'latin1'));
    const result = await eventually(async () => resultOf(device.h02, id));
    expect(result).toMatchObject({ name: 'engine_stop', executed: true, response: `S20,DONE,${hhmmss}` });
  });

  it('closes a UDP session on a kick; the device next datagram opens a new one', async () => {
    const [before] = await eventually(async () => {
      const list = await connectionsOf(channel.h02.id, H02_ID);
      return list.length === 1 ? list : undefined;
    });
    const del = await api(hub, 'DELETE', `/gw/channels/${channel.h02.id}/connections/${before.id}`);
    expect(del.status).toBe(200);
    await eventually(async () => ((await connectionsOf(channel.h02.id, H02_ID)).length === 0 ? true : undefined));
    const report = h02Report();
    h02.send(report.frame);
    expect(await h02.next()).toBe(report.ack);
    const [after] = await eventually(async () => {
      const list = await connectionsOf(channel.h02.id, H02_ID);
      return list.length === 1 ? list : undefined;
    });
    expect(after.id).not.toBe(before.id);
    expect(after.id).toMatch(/^local-\d+-u2$/);
  });

  it('ends a UDP session after the channel idle timeout (10 s) and logs the connect and the disconnect', async () => {
    await eventually(async () => ((await connectionsOf(channel.teltonika.id, IMEI)).length === 0 ? true : undefined), 20_000, 250);
    const logs = await eventually(async () => {
      const r = await api(hub, 'GET', `/gw/devices/${device.teltonika}/logs`);
      const events: string[] = r.json.result.map((e: { event: string }) => e.event);
      return events.includes('disconnected') ? events : undefined;
    });
    expect(logs.filter((e) => e === 'connected')).toHaveLength(1);
    expect(logs.filter((e) => e === 'disconnected')).toHaveLength(1);
  }, 30_000);
});
