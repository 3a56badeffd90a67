import { describe, expect, it } from 'vitest';
import type { QueuedFrame } from '../../../core/envelope.js';
import { IngestService } from '../../../core/ingest.js';
import type { HistoryWrite, MessageService } from '../../../core/messages/service.js';
import type { DeviceRepository, Telemetry } from '../../../core/ports.js';
import { deviceTypes } from '../../../core/registry/device-types.js';
import { DeviceTyping } from '../../../core/registry/device-typing.js';
import type { Channel } from '../../../core/schemas/channels.js';
import type { Device } from '../../../core/schemas/devices.js';
import { avlPacket } from '../../../protocols/teltonika/device.js';
import { deviceRecord } from '../../helpers/devices.js';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } as never;
const channel = { id: 1, name: 'teltonika', protocol_name: 'teltonika', protocol_id: 1, messages_ttl: 86400, configuration: {} } as unknown as Channel;

const device = (id: number, ident: string): Device => deviceRecord(id, { ident });

function dataFrame(ident: string, at: number): QueuedFrame {
  const packet = avlPacket([{ timestampMs: at * 1000, latitude: 54.1, longitude: 25.2 }]);
  return { channelId: 1, protocolId: 1, transport: 'tcp', ident, peer: '127.0.0.1:1', receivedAt: at, frame: packet.toString('base64') };
}

/** An ingest over recording fakes: registry calls in order, device log entries, history written. */
function harness(known: readonly Device[]) {
  const calls: string[] = [];
  const byIdent = new Map(known.map((d) => [d.configuration.ident, d]));
  const devices: Pick<DeviceRepository, 'findByIdent' | 'findByIdents' | 'assignType'> = {
    findByIdent: async (ident) => {
      calls.push(`findByIdent ${ident}`);
      return byIdent.get(ident);
    },
    findByIdents: async (idents) => {
      calls.push(`findByIdents ${idents.join(',')}`);
      return new Map(idents.flatMap((i) => (byIdent.has(i) ? [[i, byIdent.get(i) as Device] as const] : [])));
    },
    assignType: async (id) => {
      calls.push(`assignType ${id}`);
      return true;
    },
  };
  const written: HistoryWrite[] = [];
  const messages = {
    writeMany: async (w: readonly HistoryWrite[]) => void written.push(...w),
    adopt: async () => [],
    query: async () => ({ messages: [] }),
  } as unknown as MessageService;
  const telemetry = {
    get: async () => undefined,
    update: async (_id: number, merge: (t: Telemetry) => Telemetry) => void merge({}),
    drop: async () => undefined,
  };
  const clock = { now: () => 1_700_000_100 };
  const logs = { append: async (id: number) => void calls.push(`log ${id}`), appendMany: async () => undefined, list: async () => [] };
  const typing = new DeviceTyping({ devices, deviceTypes: deviceTypes(), logs, clock, logger: quiet });
  const ingest = new IngestService({ devices, channels: { get: async () => channel }, messages, telemetry, clock, logger: quiet, typing });
  return { ingest, calls, written };
}

describe('IngestService: the idents of a batch are looked up at once', () => {
  it('reads the uncached idents of an envelope in one findByIdents, types the untyped devices, then stores every message', async () => {
    const { ingest, calls, written } = harness([device(1, '100'), device(2, '200')]);
    const frames = [dataFrame('100', 1_700_000_000), dataFrame('200', 1_700_000_001), dataFrame('100', 1_700_000_002), dataFrame('300', 1_700_000_003)];
    const { stats, messages } = await ingest.ingest({ frames } as never);
    expect(calls.filter((c) => c.startsWith('find'))).toEqual(['findByIdents 100,200,300']);
    expect(calls.filter((c) => !c.startsWith('find')).sort()).toEqual(['assignType 1', 'assignType 2', 'log 1', 'log 2']);
    expect(stats.stored).toBe(3);
    expect(stats.unregistered).toBe(1);
    expect(messages.map((m) => [m.message.ident, m.device?.id, m.device?.device_type_id])).toEqual([
      ['100', 1, deviceTypes().get(1)?.id],
      ['200', 2, deviceTypes().get(1)?.id],
      ['100', 1, deviceTypes().get(1)?.id],
      ['300', undefined, undefined],
    ]);
    expect(written.map((w) => `${w.scope}:${w.id}:${w.messages.length}`).sort()).toEqual(['channel:1:4', 'device:1:2', 'device:2:1', 'ident:300:1']);
  });

  it('does not read again the idents it cached, found or not', async () => {
    const { ingest, calls } = harness([device(1, '100'), device(2, '200')]);
    await ingest.ingest({ frames: [dataFrame('100', 1_700_000_000), dataFrame('300', 1_700_000_001)] } as never);
    calls.length = 0;
    await ingest.ingest({ frames: [dataFrame('100', 1_700_000_010), dataFrame('300', 1_700_000_011), dataFrame('200', 1_700_000_012)] } as never);
    expect(calls).toEqual(['findByIdent 200', 'assignType 2', 'log 2']);
  });

  it('types nobody on a connection event alone', async () => {
    const { ingest, calls } = harness([device(1, '100'), device(2, '200')]);
    const event = (ident: string): QueuedFrame => ({
      channelId: 1,
      protocolId: 1,
      transport: 'tcp',
      ident,
      peer: 'p',
      receivedAt: 1_700_000_000,
      frame: '',
      event: 'online',
    });
    await ingest.ingest({ frames: [event('100'), event('200')] } as never);
    expect(calls).toEqual(['findByIdents 100,200']);
  });
});
