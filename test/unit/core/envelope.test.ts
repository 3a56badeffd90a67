import { describe, expect, it } from 'vitest';
import { packEnvelopes, packPlain, parseEnvelope, type QueuedFrame } from '../../../core/envelope.js';

const frame = (i: number, size = 200): QueuedFrame => ({
  ch: 1,
  p: 1,
  t: 'tcp',
  id: `35000000000${String(i).padStart(4, '0')}`,
  peer: `10.0.0.${i % 250}:4000`,
  ts: 1_800_000_000 + i,
  f: Buffer.alloc(size, i % 7).toString('base64'),
  cid: `x-${i}`,
});

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
    expect(parseEnvelope(body).frames[0].id).toBe('350000000000001');
  });

  it('splits a run that does not compress enough, and refuses a frame that can never fit', () => {
    const random = Array.from({ length: 40 }, (_, i) => ({
      ...frame(i),
      f: Buffer.from(Array.from({ length: 3000 }, () => Math.floor(Math.random() * 256))).toString('base64'),
    }));
    const bodies = packEnvelopes(random, 20 * 1024);
    expect(bodies.every((b) => b.length <= 20 * 1024)).toBe(true);
    expect(bodies.flatMap((b) => parseEnvelope(b).frames)).toEqual(random);
    expect(() =>
      packEnvelopes([{ ...frame(1), f: Buffer.from(Array.from({ length: 40000 }, () => Math.floor(Math.random() * 256))).toString('base64') }], 20 * 1024),
    ).toThrow(/cannot fit/);
  });
});
