import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { streamTypeModules } from '../../../adapters/streams/index.js';
import { RetranslatorTarget } from '../../../adapters/streams/retranslator.js';
import { RetranslatorConfigSchema, type Stream } from '../../../core/schemas/streams.js';
import type { StreamBatch } from '../../../core/streams/types.js';
import type { Message } from '../../../protocols/common/types.js';
import { type CapturedLogger, captureLogger, freePort } from '../../helpers/local-hub.js';
import { RetranslatorReceiver } from '../../helpers/retranslator-receiver.js';

const STREAM: Stream = { id: 5, name: 'wialon', protocol_name: 'wialon_retranslator', configuration: {}, queue_ttl: 3600, enabled: true };

const kazan: Message = {
  ident: '860000000000001',
  timestamp: 1700000100,
  'position.latitude': 55.79,
  'position.longitude': 49.12,
  'position.speed': 40,
  'position.direction': 90,
  'position.satellites': 9,
  'external.powersource.voltage': 13.8,
  din: 3,
};
const guatemala: Message = {
  ident: '860000000000002',
  timestamp: 1700000200.75,
  'gsm.mcc': 704,
  'gsm.mnc': 1,
  'gsm.lac': 1234,
  'gsm.cellid': 56789,
  'vehicle.mileage': 1234.5,
  'event.enum': 'timer',
};

const batch = (messages: Message[], batchId = 'r1'): StreamBatch => ({ streamId: 5, batchId, messages });

describe('wialon_retranslator stream target', () => {
  let port: number;
  let receiver: RetranslatorReceiver;
  let logger: CapturedLogger;
  const targets: RetranslatorTarget[] = [];
  const target = (options = {}) => {
    const t = new RetranslatorTarget(RetranslatorConfigSchema.parse({ uri: `tcp://127.0.0.1:${port}` }), { logger }, options);
    targets.push(t);
    return t;
  };

  beforeAll(async () => {
    port = await freePort();
  });

  beforeEach(async () => {
    logger = captureLogger();
    receiver = new RetranslatorReceiver(port);
    await receiver.start();
  });

  afterEach(async () => {
    await Promise.all(targets.splice(0).map((t) => t.close()));
    await receiver.stop();
  });

  afterAll(async () => {
    await receiver.stop();
  });

  it('sends one packet per message, exactly as described, all units on one connection', async () => {
    const t = streamTypeModules().wialon_retranslator.createTarget(RetranslatorConfigSchema.parse({ uri: `tcp://127.0.0.1:${port}` }), STREAM, { logger });
    await t.deliver(batch([kazan, guatemala, { ...kazan, timestamp: 1700000101 }]));
    await t.close();
    expect(receiver.errors).toEqual([]);
    expect(receiver.packets.map((p) => [p.ident, p.time, p.flags, p.connection])).toEqual([
      ['860000000000001', 1700000100, 0x03, 1],
      ['860000000000002', 1700000200, 0x00, 1],
      ['860000000000001', 1700000101, 0x03, 1],
    ]);
    const [k, g] = receiver.packets;
    expect(k.position).toMatchObject({ lat: 55.79, lon: 49.12, alt: 0, speed: 40, course: 90, satellites: 9 });
    expect(k.blocks.map((b) => [b.name, b.type, b.attribute, b.value instanceof Buffer ? 'posinfo' : b.value])).toEqual([
      ['posinfo', 2, 1, 'posinfo'],
      ['pwr_ext', 4, 1, 13.8],
      ['avl_inputs', 3, 1, 3],
    ]);
    expect(g.position).toBeUndefined();
    expect(g.blocks.map((b) => [b.name, b.type, b.value])).toEqual([
      ['gsm_mcc', 3, 704],
      ['gsm_mnc', 3, 1],
      ['gsm_lac', 3, 1234],
      ['gsm_cellid', 3, 56789],
      ['vehicle_mileage', 4, 1234.5],
      ['event_enum', 1, 'timer'],
    ]);
  });

  it('waits for the 0x11 after each packet: a silent receiver gets only the first, and deliver rejects', async () => {
    receiver.mode = 'silent';
    const t = target({ ackWaitMs: 300 });
    const started = Date.now();
    await expect(t.deliver(batch([kazan, guatemala, kazan]))).rejects.toThrow(/no ack \(0x11\) within 0\.3 s for packet 1 of 3 \(ident 860000000000001\)/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(receiver.packets).toHaveLength(1);
  });

  it('rejects an answer other than 0x11', async () => {
    receiver.ackByte = 0x00;
    await expect(target().deliver(batch([kazan]))).rejects.toThrow(/answered 00 instead of 11/);
  });

  it('rejects when the receiver drops the connection, then reconnects for the next delivery', async () => {
    const t = target();
    await t.deliver(batch([kazan]));
    receiver.mode = 'close';
    await expect(t.deliver(batch([guatemala]))).rejects.toThrow(/connection closed before the ack/);
    receiver.mode = 'ack';
    await t.deliver(batch([guatemala]));
    expect(receiver.packets.map((p) => [p.ident, p.connection])).toEqual([
      ['860000000000001', 1],
      ['860000000000002', 2],
    ]);
  });

  it('rejects while the receiver is down and delivers again once it restarts', async () => {
    const t = target();
    await t.deliver(batch([kazan]));
    await receiver.stop();
    await expect(t.deliver(batch([guatemala]))).rejects.toThrow(new RegExp(`retranslator 127\\.0\\.0\\.1:${port}: (connection closed|.*ECONNREFUSED)`));
    receiver = new RetranslatorReceiver(port);
    await receiver.start();
    await t.deliver(batch([guatemala]));
    expect(receiver.packets.map((p) => p.ident)).toEqual(['860000000000002']);
  });

  it('skips a message that cannot be encoded, logs why, and delivers the rest', async () => {
    await target().deliver(batch([{ timestamp: 1 }, guatemala]));
    expect(receiver.packets.map((p) => p.ident)).toEqual(['860000000000002']);
    expect(logger.lines.find((l) => l.message.includes('cannot be encoded'))?.extra?.reason).toMatch(/ident undefined/);
  });

  it('serialises concurrent deliveries on the one connection', async () => {
    const t = target();
    await Promise.all([t.deliver(batch([kazan, kazan], 'a')), t.deliver(batch([guatemala], 'b'))]);
    expect(receiver.packets.map((p) => p.ident)).toEqual(['860000000000001', '860000000000001', '860000000000002']);
    expect(receiver.connections).toBe(1);
  });
});
