import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avlPacket, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { captureLogger, startTestHub } from '../helpers/local-hub.js';

const GOOD = '356307042441013';
const record = (speed: number) => ({ timestampMs: 1_700_000_000_000 + speed * 1000, latitude: 54.1, longitude: 25.2, satellites: 7, speed });

describe('listener: bad input never crashes it or affects other connections', () => {
  const logger = captureLogger();
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let good: TestDevice;

  /** The well-behaved device still gets its ack. */
  async function goodDeviceStillServed(speed: number): Promise<void> {
    good.send(avlPacket([record(speed)]));
    expect((await good.read(4)).toString('hex')).toBe('00000001');
  }

  beforeAll(async () => {
    hub = await startTestHub({ logger });
    good = await TestDevice.connect(hub.channelPort);
    good.send(handshake(GOOD));
    await good.read(1);
  });
  afterAll(async () => {
    good?.close();
    await hub?.stop();
  });

  it('closes a connection that sends garbage and logs its address', async () => {
    const bad = await TestDevice.connect(hub.channelPort);
    const port = bad.socket.localPort;
    bad.send(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await bad.waitClosed();
    const line = logger.lines.find((l) => l.message === 'bad input from device' && l.extra?.peer === `127.0.0.1:${port}`);
    expect(line?.extra?.error).toMatch(/malformed/);
    await goodDeviceStillServed(1);
  });

  it('does not ack a packet with a wrong CRC, logs it with the ident, and keeps serving the connection', async () => {
    const dev = await TestDevice.connect(hub.channelPort);
    dev.send(handshake('111111111111111'));
    await dev.read(1);
    const bad = avlPacket([record(2)]);
    bad[bad.length - 1] ^= 0x5a;
    dev.send(bad);
    dev.send(avlPacket([record(3)]));
    expect((await dev.read(4)).toString('hex')).toBe('00000001');
    await new Promise((r) => setTimeout(r, 100));
    expect(dev.unread.length).toBe(0);
    const line = logger.lines.find((l) => l.message === 'bad input from device' && l.extra?.ident === '111111111111111');
    expect(line?.extra?.error).toMatch(/checksum/);
    expect(line?.extra?.peer).toMatch(/^127\.0\.0\.1:\d+$/);
    dev.close();
    await goodDeviceStillServed(4);
  });

  it('closes a connection whose length field exceeds the frame limit', async () => {
    const dev = await TestDevice.connect(hub.channelPort);
    dev.send(handshake('222222222222222'));
    await dev.read(1);
    dev.send(Buffer.from('00000000ffffff00080101', 'hex'));
    await dev.waitClosed();
    expect(logger.lines.some((l) => l.extra?.ident === '222222222222222' && /oversize/.test(String(l.extra?.error)))).toBe(true);
    await goodDeviceStillServed(5);
  });

  it('survives half a frame followed by a disconnect', async () => {
    const dev = await TestDevice.connect(hub.channelPort);
    dev.send(handshake('333333333333333'));
    await dev.read(1);
    dev.send(avlPacket([record(6)]).subarray(0, 20));
    dev.close();
    await new Promise((r) => setTimeout(r, 50));
    await goodDeviceStillServed(7);
  });

  it('refuses data sent before the handshake', async () => {
    const dev = await TestDevice.connect(hub.channelPort);
    dev.send(avlPacket([record(8)]));
    await dev.waitClosed();
    expect(dev.unread.length).toBe(0);
    await goodDeviceStillServed(9);
  });
});
