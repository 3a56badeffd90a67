import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalDeadLetters } from '../../../adapters/local/dead-letters.js';
import { encodeRecord, segmentPath } from '../../../adapters/local/journal-format.js';
import { JournalQueue } from '../../../adapters/local/journal-queue.js';
import { packEnvelopes, packPlain, parseEnvelope, type QueuedFrame } from '../../../core/envelope.js';
import { silentLogger } from '../../../core/logger.js';

const frame = (i: number, size = 200): QueuedFrame => ({
  channelId: 1,
  protocolId: 1,
  transport: 'tcp',
  ident: `35000000000${String(i).padStart(4, '0')}`,
  peer: `10.0.0.${i % 250}:4000`,
  receivedAt: 1_800_000_000 + i,
  frame: Buffer.alloc(size, i % 7).toString('base64'),
  correlationId: `x-${i}`,
});

/** Every field set: a round trip must give back exactly this object. */
const full: QueuedFrame = {
  channelId: 7,
  protocolId: 3,
  transport: 'udp',
  ident: '356307042441013',
  peer: '192.0.2.7:5027',
  receivedAt: 1_800_000_123.25,
  session: { model: 'FMB920', codec: 8, authorized: true },
  frame: 'AAAA/w==',
  correlationId: 'c-9',
  event: 'online',
};

/** A body as listeners before the descriptive names wrote it (short wire names), for the compatibility tests. */
const OLD_FRAMES =
  '[{"ch":2,"p":5,"t":"tcp","id":"864895030000001","peer":"198.51.100.4:41000","ts":1700000000.5,"v":{"model":"GT06"},"f":"eHgNAQ==","cid":"s1-4"},' +
  '{"ch":2,"p":5,"t":"tcp","id":"864895030000001","peer":"198.51.100.4:41000","ts":1700000001,"f":"","cid":"s1-offline","e":"offline"}]';
const OLD_BODY_V1 = `{"v":1,"frames":${OLD_FRAMES}}`;
const OLD_BODY_V2 = JSON.stringify({ v: 2, z: gzipSync(OLD_FRAMES).toString('base64') });
const OLD_PARSED = [
  {
    channelId: 2,
    protocolId: 5,
    transport: 'tcp',
    ident: '864895030000001',
    peer: '198.51.100.4:41000',
    receivedAt: 1_700_000_000.5,
    session: { model: 'GT06' },
    frame: 'eHgNAQ==',
    correlationId: 's1-4',
    event: undefined,
  },
  {
    channelId: 2,
    protocolId: 5,
    transport: 'tcp',
    ident: '864895030000001',
    peer: '198.51.100.4:41000',
    receivedAt: 1_700_000_001,
    session: undefined,
    frame: '',
    correlationId: 's1-offline',
    event: 'offline',
  },
];

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'envelope-'));
  dirs.push(d);
  return d;
};

describe('core/envelope', () => {
  it('packs frames compressed under the size limit, keeps their order, and reads them back', () => {
    const frames = Array.from({ length: 5000 }, (_, i) => frame(i));
    const bodies = packEnvelopes(frames, 64 * 1024);
    expect(bodies.every((b) => b.length <= 64 * 1024)).toBe(true);
    const back = bodies.flatMap((b) => parseEnvelope(b).frames);
    expect(back).toEqual(frames);
    const plain = packPlain(frames, 64 * 1024);
    expect(plain.length).toBeGreaterThanOrEqual(bodies.length * 2.5); // the compressed form needs far fewer messages
  });

  it('still reads plain (v1) bodies', () => {
    const [body] = packPlain([frame(1)]);
    expect(parseEnvelope(body).frames[0].ident).toBe('350000000000001');
  });

  it('round-trips every descriptive field through a compressed (v2) and a plain (v1) body', () => {
    for (const bodies of [packEnvelopes([full, frame(2)]), packPlain([full, frame(2)])]) {
      expect(bodies).toHaveLength(1);
      const { v, frames } = parseEnvelope(bodies[0]);
      expect(v).toBe(1);
      expect(frames).toHaveLength(2);
      expect(frames[0]).toStrictEqual(full);
      expect(frames[1]).toEqual(frame(2));
    }
    expect(JSON.parse(packEnvelopes([full])[0]).v).toBe(2);
    expect(JSON.parse(packPlain([full])[0]).v).toBe(1);
  });

  it('writes the short wire names, leaving absent fields out', () => {
    expect(packPlain([full, frame(3, 2)])).toEqual([
      '{"v":1,"frames":[' +
        '{"ch":7,"p":3,"t":"udp","id":"356307042441013","peer":"192.0.2.7:5027","ts":1800000123.25,"v":{"model":"FMB920","codec":8,"authorized":true},"f":"AAAA/w==","cid":"c-9","e":"online"},' +
        '{"ch":1,"p":1,"t":"tcp","id":"350000000000003","peer":"10.0.0.3:4000","ts":1800000003,"f":"AwM=","cid":"x-3"}]}',
    ]);
  });

  it('reads bodies written with the wire names before this version (v1 and v2) into the descriptive names', () => {
    expect(parseEnvelope(OLD_BODY_V1)).toEqual({ v: 1, frames: OLD_PARSED });
    expect(parseEnvelope(OLD_BODY_V2)).toEqual({ v: 1, frames: OLD_PARSED });
    expect(parseEnvelope(OLD_BODY_V1).frames[0]).toStrictEqual(OLD_PARSED[0]);
  });

  it('refuses a frame without its wire names', () => {
    expect(() => parseEnvelope('{"v":1,"frames":[{"channelId":2,"protocolId":5,"transport":"tcp","peer":"x","receivedAt":1,"frame":""}]}')).toThrow();
  });

  it('splits a run that does not compress enough, and refuses a frame that can never fit', () => {
    const random = Array.from({ length: 40 }, (_, i) => ({
      ...frame(i),
      frame: Buffer.from(Array.from({ length: 3000 }, () => Math.floor(Math.random() * 256))).toString('base64'),
    }));
    const bodies = packEnvelopes(random, 20 * 1024);
    expect(bodies.every((b) => b.length <= 20 * 1024)).toBe(true);
    expect(bodies.flatMap((b) => parseEnvelope(b).frames)).toEqual(random);
    expect(() =>
      packEnvelopes([{ ...frame(1), frame: Buffer.from(Array.from({ length: 40000 }, () => Math.floor(Math.random() * 256))).toString('base64') }], 20 * 1024),
    ).toThrow(/cannot fit/);
  });

  it('replays a local journal written before this version: its records parse to the descriptive names', async () => {
    const dir = tempDir();
    writeFileSync(segmentPath(dir, 1), Buffer.concat([encodeRecord(OLD_BODY_V2), encodeRecord(OLD_BODY_V1)]));
    const read: QueuedFrame[][] = [];
    const queue = new JournalQueue({
      dir,
      logger: silentLogger,
      unsafeNoSync: true,
      handler: async (event: SQSEvent) => {
        for (const r of event.Records) read.push(parseEnvelope(r.body).frames);
        return undefined;
      },
    });
    await queue.open();
    expect(queue.stats.replayed).toBe(2);
    queue.start();
    await queue.drain(5_000);
    await queue.close();
    expect(read).toEqual([OLD_PARSED, OLD_PARSED]);
  });

  it('lists a dead-letter line written before this version with its channels and idents', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'dead-letter.jsonl'),
      `${JSON.stringify({ id: '1-8', sent: 1_700_000_002_000, failed: 1_700_000_003_000, receives: 5, body: OLD_BODY_V2 })}\n`,
    );
    const list = await new LocalDeadLetters(dir, async () => {}).list(10);
    expect(list).toEqual([{ id: '1-8', failed: 1_700_000_003, receives: 5, body: OLD_BODY_V2, frames: 2, channel_ids: [2], idents: ['864895030000001'] }]);
  });
});
