import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avlPacket, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { api, captureLogger, startTestHub, TEST_TOKEN } from '../helpers/local-hub.js';

/** No secret reaches the logs: admin token, token keys, stream secrets and broker passwords. */
describe('logs carry no secrets', () => {
  const logger = captureLogger();
  const printed: string[] = [];
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  let hub: Awaited<ReturnType<typeof startTestHub>>;

  beforeAll(async () => {
    // Powertools' logger writes to stdout: keep everything printed during the test
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      printed.push(String(chunk));
      return writes.out(chunk, ...(rest as []));
    }) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      printed.push(String(chunk));
      return writes.err(chunk, ...(rest as []));
    }) as typeof process.stderr.write;
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    hub = await startTestHub({ logger, extra: {} });
  });
  afterAll(async () => {
    await hub?.stop();
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  });

  it('never logs a token, a key, an HMAC secret or a password', async () => {
    const created = await api(hub, 'POST', '/platform/tokens', [{ info: 'integration' }]);
    const key: string = created.json.result[0].key;
    await api(hub, 'GET', '/gw/devices/all', undefined, key);
    await api(hub, 'GET', '/gw/devices/all', undefined, 'wrong-token-should-not-be-logged-0123');
    const stream = await api(hub, 'POST', '/gw/streams', [
      { name: 'h', protocol_name: 'http', configuration: { uri: 'http://127.0.0.1:9/', secret: 'hmac-secret-value-4567' } },
      { name: 'm', protocol_name: 'mqtt', configuration: { uri: 'mqtt://127.0.0.1:9', username: 'user', password: 'mqtt-password-8901' } },
    ]);
    expect(stream.status).toBe(200);
    await api(hub, 'POST', '/gw/devices', [{ name: 'd', configuration: { ident: '351234567890123' } }]);
    await api(hub, 'POST', '/gw/streams/all/devices/1');
    const dev = await TestDevice.connect(hub.channelPort);
    dev.send(handshake('351234567890123'));
    await dev.read(1);
    dev.send(avlPacket([{ timestampMs: 1_700_000_000_000, latitude: 1, longitude: 1, satellites: 3 }]));
    await dev.read(4);
    dev.close();
    await new Promise((r) => setTimeout(r, 1500)); // stream attempts fail and log
    const all = [...printed, ...logger.lines.map((l) => JSON.stringify(l))].join('\n');
    expect(all.length).toBeGreaterThan(100);
    for (const secret of [TEST_TOKEN, key, 'wrong-token-should-not-be-logged-0123', 'hmac-secret-value-4567', 'mqtt-password-8901'])
      expect(all, secret).not.toContain(secret);
  });
});
