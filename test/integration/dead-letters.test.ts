import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../core/envelope.js';
import { avlPacket, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { FaultSwitch } from '../helpers/faults.js';
import { api, eventually, startTestHub, TEST_TOKEN } from '../helpers/local-hub.js';

describe('dead letters: visible and replayable through the API and the CLI', () => {
  const broken = new FaultSwitch();
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  /** How many dead letters the list showed (the replay replays them all). */
  let listed = 0;

  beforeAll(async () => {
    broken.on = true;
    hub = await startTestHub({
      extra: {
        ingestMaxReceives: 2,
        faults: {
          ingest: (handler) => async (event, context) => {
            if (broken.on) throw new Error('injected: ingest keeps failing');
            return handler(event, context);
          },
        },
      },
    });
    await api(hub, 'POST', '/gw/devices', [{ name: 'd', configuration: { ident: '869999999999999' } }]);
    const dev = await TestDevice.connect(hub.channelPort);
    dev.send(handshake('869999999999999'));
    await dev.read(1);
    dev.send(avlPacket([{ timestampMs: 1_700_000_000_000, latitude: 1, longitude: 1, satellites: 3 }]));
    expect((await dev.read(4)).toString('hex')).toBe('00000001'); // acked: durable in the queue
    dev.close();
  });
  afterAll(async () => hub?.stop());

  it('lists a record that failed ingest with its frames, channel and ident', async () => {
    // the record, and the device's online and offline events (they ride the queue with the frames),
    // in one to three dead letters depending on how the listener batched them
    const kinds = (result: { body: string }[]) => result.flatMap((l) => parseEnvelope(l.body).frames.map((f) => f.event ?? 'record')).sort();
    await eventually(
      async () => {
        const r = await api(hub, 'GET', '/platform/dead-letters?body=true');
        return kinds(r.json.result).join() === 'offline,online,record' ? true : undefined;
      },
      15_000,
      100,
    );
    const list = (await api(hub, 'GET', '/platform/dead-letters')).json.result;
    expect(list.reduce((n: number, l: { frames: number }) => n + l.frames, 0)).toBe(3);
    for (const l of list) expect(l).toMatchObject({ receives: 2, channel_ids: [1], idents: ['869999999999999'] });
    expect(list[0].body).toBeUndefined();
    const bodies = (await api(hub, 'GET', '/platform/dead-letters?body=true')).json.result.map((l: { body: string }) => parseEnvelope(l.body));
    const record = bodies.flatMap((b: { frames: { event?: string }[] }) => b.frames).find((f: { event?: string }) => f.event === undefined);
    expect(record).toMatchObject({ channelId: 1, ident: '869999999999999' });
    expect((await api(hub, 'GET', '/gw/devices/1/messages')).json.result).toEqual([]);
    listed = list.length;
  });

  it('replays it with `hub dlq replay` once ingest works again: the message is stored', async () => {
    broken.on = false;
    // async: the hub answering the CLI runs in this test's process
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/hub.ts', 'dlq', 'replay', '--api', hub.apiUrl], {
      encoding: 'utf8',
      env: { ...process.env, HUB_TOKEN: TEST_TOKEN, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ result: [{ replayed: listed }] });
    const stored = await eventually(async () => {
      const m = (await api(hub, 'GET', '/gw/devices/1/messages')).json.result;
      return m.length > 0 ? m : undefined;
    });
    expect(stored[0]).toMatchObject({ ident: '869999999999999', 'position.latitude': 1 });
    expect((await api(hub, 'GET', '/platform/dead-letters')).json.result).toEqual([]);
  });
});
