import fc from 'fast-check';
import { expect } from 'vitest';
import { ConnectionCodec } from '../../protocols/common/connection.js';
import type { CodecOptions, ProtocolCodec, SessionState, Transport } from '../../protocols/common/types.js';
import { DEFAULT_CODEC_OPTIONS } from '../../protocols/common/types.js';

/**
 * STYLE §4: one framer contract. For a whole frame, the framer cuts exactly it; for every strict
 * prefix it answers "more" (or a typed error, never a different frame); it never throws; a frame
 * followed by another still cuts the first.
 */
export function assertFramerContract(
  protocol: ProtocolCodec,
  frame: Buffer,
  state: Partial<SessionState> = {},
  options: CodecOptions = { ...DEFAULT_CODEC_OPTIONS, maxFrameSize: 1 << 20 },
): void {
  const s: SessionState = { transport: 'tcp', vars: {}, ...state };
  const whole = protocol.frame(frame, s, options);
  expect(whole.type, `whole frame ${frame.toString('hex').slice(0, 40)}`).toBe('frame');
  if (whole.type === 'frame') {
    expect(whole.frame.equals(frame) || whole.consumed === frame.length).toBe(true);
  }
  for (let cut = 0; cut < frame.length; cut++) {
    const r = protocol.frame(frame.subarray(0, cut), s, options);
    if (r.type === 'frame') expect(r.consumed, `prefix of ${cut} bytes cut as a frame`).toBeLessThan(cut + 1);
    expect(r.type === 'frame' && r.consumed === frame.length).toBe(false);
  }
  const two = protocol.frame(Buffer.concat([frame, frame]), s, options);
  expect(two.type).toBe('frame');
  if (two.type === 'frame') expect(two.consumed).toBe(whole.type === 'frame' ? whole.consumed : frame.length);
}

/** Feeding a byte stream in arbitrary chunks gives the same result as feeding it whole. */
export function assertChunkingInvariant(
  protocol: ProtocolCodec,
  stream: Buffer,
  transport: Transport = 'tcp',
  options: CodecOptions = DEFAULT_CODEC_OPTIONS,
): void {
  const whole = new ConnectionCodec(protocol, options, transport).decode(stream);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: Math.max(1, stream.length) }), { maxLength: 8 }), (cuts) => {
      const c = new ConnectionCodec(protocol, options, transport);
      const out = { messages: 0, replies: [] as string[] };
      let at = 0;
      for (const size of cuts) {
        if (at >= stream.length) break;
        const r = c.decode(stream.subarray(at, at + size));
        out.messages += r.messages.length;
        out.replies.push(...r.replies.map((x) => x.toString('hex')));
        at += size;
      }
      if (at < stream.length) {
        const r = c.decode(stream.subarray(at));
        out.messages += r.messages.length;
        out.replies.push(...r.replies.map((x) => x.toString('hex')));
      }
      expect(out.messages).toBe(whole.messages.length);
      expect(out.replies).toEqual(whole.replies.map((x) => x.toString('hex')));
    }),
    { numRuns: 50 },
  );
}

/**
 * Robustness: random bytes and mutations of valid frames never make the codec throw or hang, and
 * every rejection is a typed error with a reason. Returns the number of cases run.
 */
export function fuzzCodec(protocol: ProtocolCodec, seeds: readonly Buffer[], numRuns: number, transport: Transport = 'tcp', login?: Buffer): number {
  const mutate = fc.tuple(
    fc.integer({ min: 0, max: Math.max(0, seeds.length - 1) }),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
    fc.nat(),
  );
  const input = fc.oneof(
    fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)),
    mutate.map(([i, edits, cut]) => {
      const seed = Buffer.from(seeds[i] ?? Buffer.alloc(0));
      for (const [pos, byte] of edits) if (seed.length > 0) seed[pos % seed.length] = byte;
      return seed.subarray(0, seed.length === 0 ? 0 : Math.max(1, cut % (seed.length + 1)));
    }),
  );
  fc.assert(
    fc.property(input, fc.boolean(), (bytes, withLogin) => {
      const c = new ConnectionCodec(protocol, { crc: 'strict', maxFrameSize: 65536 }, transport);
      if (withLogin && login) c.decode(login);
      const started = performance.now();
      const out = c.decode(bytes);
      const tail = c.decode(bytes);
      expect(performance.now() - started).toBeLessThan(1000);
      for (const e of [...out.errors, ...tail.errors]) expect(e).toMatch(/^[a-z]+( at byte \d+)?: .+/);
      for (const m of out.messages) expect(typeof m).toBe('object');
    }),
    { numRuns },
  );
  return numRuns;
}
