import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueuedFrame } from '../../core/envelope.js';
import type { Channel } from '../../core/schemas/channels.js';
import { type ListenerPorts, type ListenerService, startListenerService } from '../../listener/service.js';
import { avlPacket, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { captureLogger, eventually, freePort } from '../helpers/local-hub.js';

/** The registry a listener reads, in memory: one channel, nothing queued. */
function memoryPorts(channel: Channel): ListenerPorts {
  return {
    channels: { list: async () => [channel] },
    commands: { pending: async () => ({ commands: [], kicks: [] }), pendingFor: async () => [] },
    connections: { publish: async () => undefined, list: async () => [] },
    devices: { findByIdent: async () => undefined, findByIdents: async () => new Map() },
    logs: { append: async () => undefined, appendMany: async () => undefined, list: async () => [] },
    clock: { now: () => Date.now() / 1000 },
  } as unknown as ListenerPorts;
}

describe('listener service: EMF metrics', () => {
  const lines: string[] = [];
  const frames: QueuedFrame[] = [];
  let failing = false;
  let service: ListenerService;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    const channel: Channel = {
      id: 7,
      name: 'm',
      protocol_id: 1,
      protocol_name: 'teltonika',
      uri: `127.0.0.1:${port}`,
      configuration: { port, transport: 'tcp', crc: 'strict', max_frame_size: 65536 },
      messages_ttl: 60,
      enabled: true,
    };
    service = await startListenerService({
      host: '127.0.0.1',
      listenerId: 'metrics',
      logger: captureLogger(),
      queue: {
        send: async (batch) => {
          if (failing) throw new Error('down');
          frames.push(...batch);
        },
      },
      ports: memoryPorts(channel),
      channelSyncMs: 60_000,
      commandPollMs: 60_000,
      snapshotMs: 60_000,
      metrics: { periodMs: 300, write: (l) => lines.push(l) },
    });
  });
  afterAll(async () => {
    await service?.drain();
  });

  it('writes one CloudWatch EMF line per period with connections, frames, bytes, errors and queue latency', async () => {
    const dev = await TestDevice.connect(port);
    dev.send(handshake('352000000000001'));
    await dev.read(1);
    for (let k = 0; k < 3; k++) {
      dev.send(avlPacket([{ timestampMs: 1_700_000_000_000 + k, latitude: 1, longitude: 2 }]));
      await dev.read(4);
    }
    const bad = avlPacket([{ timestampMs: 1_700_000_000_000, latitude: 1, longitude: 2 }]);
    bad[bad.length - 1] ^= 1;
    dev.send(bad);
    const parsed = () => lines.map((l) => JSON.parse(l));
    await eventually(async () => (parsed().some((d) => d.ActiveConnections === 1 && d.DecodeErrors === 1) ? true : undefined), 5000, 50);
    failing = true;
    await new Promise((r) => setTimeout(r, 20)); // the batcher backs off after the failure below
    dev.send(avlPacket([{ timestampMs: 1_700_000_000_100, latitude: 1, longitude: 2 }]));
    await dev.waitClosed(); // refused by the queue: no ack, the connection is closed
    failing = false;

    const docs = await eventually(
      async () => {
        const all = parsed();
        const total = (k: string) => all.reduce((n, d) => n + (d[k] as number), 0);
        return total('FramesReceived') >= 6 && total('AckErrors') >= 1 ? all : undefined;
      },
      5000,
      100,
    );
    const sum = (k: string) => docs.reduce((n, d) => n + (d[k] as number), 0);
    expect(docs[0]._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'TelematicsHub', Dimensions: [['service']] });
    expect(docs[0]._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name)).toEqual([
      'ActiveConnections',
      'FramesReceived',
      'BytesIn',
      'BytesOut',
      'DecodeErrors',
      'AckErrors',
      'QueueLatency',
      'QueueLatencyMax',
    ]);
    expect(docs[0].service).toBe('hub-listener');
    expect(Math.max(...docs.map((d) => d.ActiveConnections))).toBe(1);
    expect(sum('FramesReceived')).toBe(6); // handshake, three packets, the bad one, the refused one
    expect(sum('DecodeErrors')).toBe(1);
    expect(sum('AckErrors')).toBe(1);
    expect(sum('BytesOut')).toBe(1 + 3 * 4);
    expect(sum('BytesIn')).toBeGreaterThan(5 * 40);
    expect(docs.some((d) => d.QueueLatency >= 0 && d.QueueLatencyMax >= d.QueueLatency)).toBe(true);
    // the three acked packets, and the device's online connection event (issue 18) queued before them
    expect(frames.filter((f) => f.event === undefined)).toHaveLength(3);
    expect(frames[0]).toMatchObject({ event: 'online', ident: '352000000000001', frame: '' });
  });
});
