import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { corpusFrames } from '../../../bench/lib/corpus.js';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import type { CodecOptions, ProtocolCodec, Transport } from '../../../protocols/common/types.js';
import { allProtocols, type ConnectionOutput } from '../../../protocols/index.js';
import { avlPacket, handshake, type SimRecord } from '../../../protocols/teltonika/device.js';
import { teltonika } from '../../../protocols/teltonika/index.js';
import { ReferenceConnection } from '../../helpers/reference-connection.js';

/**
 * The public entry (`codec(name).decode(bytes)` = ConnectionCodec) is optimised (checksum computed
 * once per frame through `decodeInspected`, frames cut in place, messages not copied, Teltonika's
 * generated record decoders). Whatever it does, it must return exactly what framing + inspect +
 * decode returned before (test/helpers/reference-connection.ts): the same messages (values and key
 * order), replies, command replies and errors, call by call, and the same connection state.
 */
const STRICT: CodecOptions = { crc: 'strict', maxFrameSize: 1 << 20 };
const LENIENT: CodecOptions = { crc: 'lenient', maxFrameSize: 1 << 20 };
const IMEI = '356307042441013';

/** Byte-exact view of one call's output (Buffers as hex, messages with their key order). */
function view(out: ConnectionOutput) {
  return {
    messages: out.messages,
    keys: out.messages.map((m) => Object.keys(m)),
    replies: out.replies.map((r) => r.toString('hex')),
    commandReplies: out.commandReplies,
    errors: out.errors,
  };
}

/** Feeds the same chunks to the entry and to the reference; returns how many messages were compared. */
function compare(protocol: ProtocolCodec, options: CodecOptions, transport: Transport, chunks: readonly Uint8Array[], what: string): number {
  const entry = new ConnectionCodec(protocol, options, transport);
  const reference = new ReferenceConnection(protocol, options, transport);
  let messages = 0;
  chunks.forEach((chunk, i) => {
    const expected = view(reference.decode(chunk));
    const actual = view(entry.decode(chunk));
    expect(actual, `${what}, chunk ${i}`).toStrictEqual(expected);
    expect(JSON.stringify(actual.messages), `${what}, chunk ${i} (JSON)`).toBe(JSON.stringify(expected.messages));
    expect(entry.isClosed, `${what}, chunk ${i} closed`).toBe(reference.isClosed);
    expect(entry.state, `${what}, chunk ${i} state`).toStrictEqual(reference.state);
    messages += actual.messages.length;
  });
  return messages;
}

/** A stream fed whole, frame by frame, cut in three at odd places, and byte by byte (short streams). */
function chunkings(frames: readonly Buffer[]): Buffer[][] {
  const stream = Buffer.concat(frames);
  const thirds = [0, Math.floor(stream.length / 3), Math.floor((stream.length * 2) / 3) + 1, stream.length];
  const out = [[stream], [...frames], thirds.slice(1).map((end, i) => stream.subarray(thirds[i], end))];
  if (stream.length <= 600) out.push([...stream].map((b) => Buffer.from([b])));
  return out;
}

/** A copy with one byte flipped (`at` < 0 counts from the end). */
function flip(frame: Buffer, at: number): Buffer {
  const copy = Buffer.from(frame);
  copy[at < 0 ? copy.length + at : at] ^= 0x5a;
  return copy;
}

function records(n: number): SimRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    timestampMs: 1_700_000_000_000 + i * 30_000,
    latitude: i % 5 === 4 ? 0 : 54.6872 + i * 1e-4,
    longitude: i % 5 === 4 ? 0 : 25.2797 - i * 1e-4,
    altitude: 120 - (i % 7) * 40,
    angle: (i * 13) % 360,
    satellites: i % 4,
    speed: 40 + (i % 60),
    priority: i % 3,
    eventId: i % 6 === 0 ? 239 : 0,
    io1: (i % 10 === 3 ? { 239: i % 2, 240: 1, 21: 4, 1: i % 2, 179: 0, 250: 1 } : { 239: i % 2, 240: 1, 21: 4, 1: i % 2, 179: 0 }) as Record<number, number>,
    io2: { 66: 12850 + i, 67: 4100, 24: 40 + (i % 60), 17: 65000, 9: 1234 },
    io4: { 16: 123456 + i * 300, 199: 300 + i, 241: 24602 },
    io8: { 78: i * 977, 11: i % 4 === 0 ? 2 ** 53 + 2 ** 40 : 89370 },
  }));
}

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-01-15T12:00:00Z'));
});
afterAll(() => {
  vi.useRealTimers();
});

describe('protocols/common/connection (the public entry)', () => {
  describe('Teltonika', () => {
    it('returns what inspect + decode returned for 100-record Codec 8 and 8E packets: good, bad CRC, bad data, strict and lenient', () => {
      let compared = 0;
      for (const codec of [0x08, 0x8e] as const) {
        const packet = avlPacket(records(100), codec);
        const variants = [packet, flip(packet, -1), flip(packet, 200), flip(packet, 26)];
        for (const options of [STRICT, LENIENT, { ...LENIENT, settings: { extended: true } }]) {
          for (const frame of variants) {
            for (const chunks of chunkings([handshake(IMEI), frame, packet])) compared += compare(teltonika, options, 'tcp', chunks, `codec ${codec}`);
          }
          // a packet before the handshake is refused and closes the connection
          compared += compare(teltonika, options, 'tcp', [packet, handshake(IMEI), packet], `codec ${codec} without handshake`);
        }
      }
      expect(compared).toBe(7944);
    });

    it('returns what inspect + decode returned for every corpus frame, after a handshake and without one', () => {
      const frames = corpusFrames('teltonika');
      if (frames.length === 0) return void console.warn('conformance corpus not found: teltonika corpus frames skipped');
      let compared = 0;
      for (const options of [STRICT, LENIENT]) {
        for (const f of frames) {
          const bad = flip(f.bytes, -1);
          const chunks = f.transport === 'tcp' ? [handshake(IMEI), f.bytes, bad, f.bytes] : [f.bytes, bad];
          compared += compare(teltonika, options, f.transport, chunks, `corpus ${f.group}`);
          compared += compare(teltonika, options, f.transport, [f.bytes], `corpus ${f.group} alone`);
          if (f.transport === 'tcp')
            compared += compare(teltonika, options, 'tcp', [Uint8Array.from(Buffer.concat([handshake(IMEI), f.bytes]))], `corpus ${f.group} Uint8Array`);
        }
      }
      expect(compared).toBe(424);
    });

    it('returns what inspect + decode returned for simulator sessions over TCP and UDP', () => {
      const sim = teltonika.simulator;
      let compared = 0;
      for (const transport of sim.transports) {
        for (let n = 0; n < 3; n++) {
          const ident = sim.identFor(n);
          const reports = [1, 2, 3, 4].map((seq) => sim.report?.(ident, n, seq, 1_760_000_000_000 + seq * 1000, transport as 'tcp' | 'udp') ?? Buffer.alloc(0));
          const login = transport === 'tcp' && sim.login ? [sim.login(ident)] : [];
          const session = [...login, ...reports, flip(reports[1], -1)];
          for (const options of [STRICT, LENIENT]) {
            if (transport === 'tcp') for (const chunks of chunkings(session)) compared += compare(teltonika, options, 'tcp', chunks, `simulator ${n}`);
            else compared += compare(teltonika, options, 'udp', session, `simulator ${n} udp`);
          }
        }
      }
      expect(compared).toBe(138);
    });
  });

  describe('every protocol', () => {
    it('returns what inspect + decode returned for its simulator sessions and corpus frames, strict and lenient', () => {
      for (const protocol of allProtocols()) {
        const sim = protocol.simulator;
        for (const transport of sim.transports) {
          const ident = sim.identFor(1);
          const reports = [1, 2, 3].map((seq) => simulatorFrame(protocol, ident, seq, transport));
          const session = [...(transport === 'tcp' && sim.login ? [sim.login(ident)] : []), ...reports];
          let compared = 0;
          for (const options of [STRICT, LENIENT]) {
            const chunks = transport === 'tcp' ? chunkings(session) : [session];
            for (const c of chunks) compared += compare(protocol, options, transport, c, `${protocol.name} simulator over ${transport}`);
          }
          expect(compared, `${protocol.name} simulator over ${transport}: messages compared`).toBeGreaterThan(0);
        }
        const groups = new Map<string, { transport: Transport; frames: Buffer[] }>();
        for (const f of corpusFrames(protocol.name)) {
          const g = groups.get(f.group) ?? { transport: f.transport, frames: [] };
          g.frames.push(f.bytes);
          groups.set(f.group, g);
        }
        for (const [name, g] of groups) {
          for (const options of [STRICT, LENIENT]) {
            compare(protocol, options, g.transport, g.frames, `${protocol.name} corpus ${name}`);
            if (g.transport === 'tcp') compare(protocol, options, g.transport, [Buffer.concat(g.frames)], `${protocol.name} corpus ${name} as one chunk`);
          }
        }
      }
    });
  });
});

function simulatorFrame(protocol: ProtocolCodec, ident: string, seq: number, transport: Transport): Buffer {
  const sim = protocol.simulator;
  const atMs = 1_760_000_000_000 + seq * 60_000;
  if (transport === 'http') return Buffer.from(JSON.stringify(sim.request?.(ident, 1, seq, atMs)));
  return sim.report?.(ident, 1, seq, atMs, transport === 'udp' ? 'udp' : 'tcp') ?? Buffer.alloc(0);
}
