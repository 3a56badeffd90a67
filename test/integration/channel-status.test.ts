import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type CapturedLogger, captureLogger, eventually, freePort, startTestHub } from '../helpers/local-hub.js';

/** Holds a TCP port the way another program would. */
async function hold(port: number): Promise<Server> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(port, '127.0.0.1', () => r()));
  return s;
}

describe('channels that cannot listen', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let logger: CapturedLogger;
  let base: number;
  let blocker: Server;

  beforeAll(async () => {
    base = await freePort();
    blocker = await hold(base);
    logger = captureLogger();
    hub = await startTestHub({ logger, extra: { portRange: [base, base + 20], defaultChannel: false } });
  });
  afterAll(async () => {
    blocker?.close();
    await hub?.stop();
  });

  it('skips a port another program holds when it picks one', async () => {
    const r = await api(hub, 'POST', '/gw/channels', [{ name: 'auto', protocol_name: 'teltonika' }]);
    expect(r.status).toBe(200);
    expect(r.json.result[0].configuration.port).not.toBe(base);
    const id = r.json.result[0].id;
    const listening = await eventually(async () => {
      const c = (await api(hub, 'GET', `/gw/channels/${id}`)).json.result[0];
      return c.status.listening ? c : undefined;
    });
    expect(listening.status).toEqual({ listening: true, since: expect.any(Number) });
  });

  it('shows listening: false with the reason when its port is held, logs it once, and listens once the port is free', async () => {
    const r = await api(hub, 'POST', '/gw/channels', [{ name: 'held', protocol_name: 'teltonika', configuration: { port: base } }]);
    const id = r.json.result[0].id;
    const failing = await eventually(async () => {
      const c = (await api(hub, 'GET', `/gw/channels/${id}`)).json.result[0];
      return c.status.error?.includes('in use') ? c : undefined;
    });
    expect(failing.status).toEqual({ listening: false, error: `address 127.0.0.1:${base} in use`, since: expect.any(Number) });
    await new Promise((res) => setTimeout(res, 3000));
    const complaints = logger.lines.filter((l) => l.message.startsWith('channel cannot listen') && l.extra?.channel_id === id);
    expect(complaints).toHaveLength(1);
    await new Promise<void>((res) => blocker.close(() => res()));
    const back = await eventually(async () => {
      const c = (await api(hub, 'GET', `/gw/channels/${id}`)).json.result[0];
      return c.status.listening ? c : undefined;
    }, 20_000);
    expect(back.status.listening).toBe(true);
    expect(logger.lines.some((l) => l.message === 'channel listening again' && l.extra?.channel_id === id)).toBe(true);
  });

  it('lets a TCP and a UDP channel share a port number, not two TCP channels', async () => {
    const port = await freePort();
    const ok = await api(hub, 'POST', '/gw/channels', [
      { name: 'tcp', protocol_name: 'teltonika', configuration: { port } },
      { name: 'udp', protocol_name: 'teltonika', configuration: { port, transport: 'udp' } },
    ]);
    expect(ok.status).toBe(200);
    const dup = await api(hub, 'POST', '/gw/channels', [{ name: 'tcp again', protocol_name: 'h02', configuration: { port } }]);
    expect(dup.status).toBe(409);
    expect(dup.json.errors[0].reason).toBe(`[0].configuration.port: tcp port ${port} is used by another channel`);
  });

  it('says a disabled channel is not listening', async () => {
    const r = await api(hub, 'POST', '/gw/channels', [{ name: 'off', protocol_name: 'teltonika', enabled: false }]);
    expect((await api(hub, 'GET', `/gw/channels/${r.json.result[0].id}`)).json.result[0].status).toEqual({
      listening: false,
      error: 'the channel is disabled',
      since: null,
    });
  });
});
