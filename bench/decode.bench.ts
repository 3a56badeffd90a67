/**
 * Decoding speed (issue "Performance"). Teltonika Codec 8 and 8E packets of 100 records decoded
 * through the public entry users call (`codec('teltonika').decode(bytes)`: framing, inspection,
 * CRC, decoding, acks), by the npm parsers users switch from, and `JSON.parse` of the messages the
 * entry returned, side by side in one run (interleaved rounds, medians). Then every protocol over
 * its conformance frames, internally and through the entry. Writes bench/results/decode.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CodecOptions, DecodeContext, ProtocolCodec, SessionState } from '../protocols/common/types.js';
import { allProtocols, type ConnectionCodec, codec } from '../protocols/index.js';
import { avlPacket, handshake, type SimRecord } from '../protocols/teltonika/device.js';
import { teltonika } from '../protocols/teltonika/index.js';
import { corpusFrames } from './lib/corpus.js';
import { fmt, medianOf, opsPerSecond, sideBySide, table } from './lib/measure.js';

const require = createRequire(import.meta.url);
const { ProtocolParser } = require('complete-teltonika-parser');
const TeltonikaParser = require('teltonika-parser');

const RECORDS = 100;
const IMEI = '356307042441013';
const ENTRY = 'codec(name).decode';
const HUB = 'hub';
const INTERNAL = 'hub internal teltonika.decode(frame, ctx)';
const JSON_PARSE = 'JSON.parse of the messages';

function records(): SimRecord[] {
  return Array.from({ length: RECORDS }, (_, i) => ({
    timestampMs: 1_700_000_000_000 + i * 30_000,
    latitude: 54.6872 + i * 1e-4,
    longitude: 25.2797 - i * 1e-4,
    altitude: 120 + (i % 7),
    angle: (i * 13) % 360,
    satellites: 9 + (i % 4),
    speed: 40 + (i % 60),
    priority: 0,
    eventId: 0,
    io1: { 239: i % 2, 240: 1, 21: 4, 200: 0, 69: 1, 1: 1, 179: 0 },
    io2: { 66: 12850 + i, 67: 4100, 24: 40 + (i % 60), 181: 12, 182: 9, 9: 1234 },
    io4: { 16: 123456 + i * 300, 199: 300 + i, 241: 24602 },
    io8: { 78: 0 },
  }));
}

/** A logged-in Teltonika connection through the public entry, checked on the bench packet. */
function loggedIn(packet: Buffer): { connection: ConnectionCodec; json: string } {
  const connection = codec('teltonika');
  const hello = connection.decode(handshake(IMEI));
  if (hello.errors.length > 0 || hello.replies.length !== 1 || hello.replies[0][0] !== 1) throw new Error(`handshake refused: ${hello.errors.join()}`);
  const check = connection.decode(packet);
  if (check.errors.length > 0 || check.messages.length !== RECORDS || check.replies.length !== 1 || check.replies[0].readUInt32BE(0) !== RECORDS) {
    throw new Error(`bench packet does not decode through the entry: ${check.errors.join()}`);
  }
  return { connection, json: JSON.stringify(check.messages) };
}

interface CodecResult {
  records_per_s: Record<string, number>;
  ratio_vs_fastest_peer: number;
  ratio_vs_json_parse: number;
  /** Lowest and highest ratio over the interleaved rounds. */
  rounds: { vs_fastest_peer: [number, number]; vs_json_parse: [number, number] };
}

function teltonikaCodec(packet: Buffer, withSlowPeer: boolean): CodecResult {
  const { connection, json } = loggedIn(packet);
  const ctx: DecodeContext = { transport: 'tcp', ident: IMEI };
  const hexPacket = packet.toString('hex');
  const peers: Record<string, () => unknown> = { 'complete-teltonika-parser': () => new ProtocolParser(hexPacket) };
  if (withSlowPeer) peers['teltonika-parser'] = () => new TeltonikaParser(packet).getAvl();
  const { median, rounds } = sideBySide({
    [HUB]: () => connection.decode(packet),
    [INTERNAL]: () => teltonika.decode(packet, ctx),
    ...peers,
    [JSON_PARSE]: () => JSON.parse(json),
  });
  const fastestPeer = (r: Record<string, number>) => Math.max(...Object.keys(peers).map((k) => r[k]));
  const vsPeer = rounds.map((r) => r[HUB] / fastestPeer(r));
  const vsJson = rounds.map((r) => r[HUB] / r[JSON_PARSE]);
  const range = (v: number[]): [number, number] => [round2(Math.min(...v)), round2(Math.max(...v))];
  return {
    records_per_s: Object.fromEntries(Object.entries(median).map(([k, v]) => [k, Math.round(v * RECORDS)])),
    ratio_vs_fastest_peer: round2(medianOf(vsPeer)),
    ratio_vs_json_parse: round2(medianOf(vsJson)),
    rounds: { vs_fastest_peer: range(vsPeer), vs_json_parse: range(vsJson) },
  };
}

const round2 = (n: number) => Number(n.toFixed(2));

interface Work {
  readonly frame: Buffer;
  readonly ctx: DecodeContext;
  readonly records: number;
  readonly transport: SessionState['transport'];
}

/** The corpus frames of a protocol that carry records, with the session context replayed once. */
function protocolWork(protocol: ProtocolCodec, options: CodecOptions): Work[] {
  const frames = corpusFrames(protocol.name);
  const work: Work[] = [];
  let state: SessionState = { transport: frames[0]?.transport ?? 'tcp', vars: {} };
  let group = '';
  for (const f of frames) {
    if (f.group !== group) state = { transport: f.transport, vars: {} };
    group = f.group;
    const insp = protocol.inspect(f.bytes, state, options);
    if (insp.ident) state.ident = insp.ident;
    if (insp.vars) Object.assign(state.vars, insp.vars);
    const ctx: DecodeContext = { transport: f.transport, ident: state.ident, vars: { ...state.vars }, options, receivedAt: 1_800_000_000 };
    const records = protocol.decode(f.bytes, ctx).messages.length;
    if (records > 0) work.push({ frame: f.bytes, ctx, records, transport: f.transport });
  }
  return work;
}

/**
 * The same frames through the public entry: one connection per frame, in the session state the
 * replay reached, created before timing. Frames the entry does not decode whole and alike on every
 * call (corpus frames without their terminator, frames that close the connection) are left out.
 */
function entryWork(protocol: ProtocolCodec, work: readonly Work[], options: CodecOptions): { connection: ConnectionCodec; frame: Buffer; records: number }[] {
  const out: { connection: ConnectionCodec; frame: Buffer; records: number }[] = [];
  for (const w of work) {
    const connection = codec(protocol.name, { ...options, transport: w.transport });
    if (w.ctx.ident !== undefined) connection.state.ident = w.ctx.ident;
    Object.assign(connection.state.vars, w.ctx.vars);
    const runs = [1, 2, 3].map(() => connection.decode(w.frame));
    const same = runs.every((r) => r.messages.length === runs[0].messages.length && r.errors.join() === runs[0].errors.join());
    if (same && runs[0].messages.length > 0 && !connection.isClosed) out.push({ connection, frame: w.frame, records: runs[0].messages.length });
  }
  return out;
}

/** Every protocol's decode speed over its corpus frames that carry records: internal decode and the entry. */
function perProtocol(): Record<string, { internal: number; entry: number; entry_frames: string }> {
  const out: Record<string, { internal: number; entry: number; entry_frames: string }> = {};
  const options: CodecOptions = { crc: 'lenient', maxFrameSize: 1 << 20 };
  const timing = { ms: 300, rounds: 3, warmupMs: 200 };
  for (const protocol of allProtocols()) {
    const work = protocolWork(protocol, options);
    const records = work.reduce((n, w) => n + w.records, 0);
    if (records === 0) continue;
    const viaEntry = entryWork(protocol, work, options);
    const entryRecords = viaEntry.reduce((n, w) => n + w.records, 0);
    const internal = opsPerSecond(() => {
      for (const w of work) protocol.decode(w.frame, w.ctx);
    }, timing);
    const entry =
      entryRecords === 0
        ? 0
        : opsPerSecond(() => {
            for (const w of viaEntry) w.connection.decode(w.frame);
          }, timing);
    out[protocol.name] = {
      internal: Math.round(internal * records),
      entry: Math.round(entry * entryRecords),
      entry_frames: `${viaEntry.length}/${work.length}`,
    };
  }
  return out;
}

function report(results: Record<'c8' | 'c8e', CodecResult>): void {
  const rows: (string | number)[][] = [];
  for (const name of ['c8', 'c8e'] as const) {
    const r = results[name].records_per_s;
    for (const [k, v] of Object.entries(r))
      rows.push([name === 'c8' ? 'Codec 8' : 'Codec 8E', k === HUB ? `hub: ${ENTRY}` : k, fmt(v), (v / r[HUB]).toFixed(2)]);
  }
  console.log(`\nTeltonika decoding through the public entry ${ENTRY}, ${RECORDS}-record packets (records/s, medians of interleaved rounds)`);
  console.log(table(['codec', 'decoder', 'records/s', 'vs hub'], rows));
  const line = (what: string, key: 'vs_fastest_peer' | 'vs_json_parse', of: (r: CodecResult) => number) =>
    `${what}: ${(['c8', 'c8e'] as const).map((c) => `${c === 'c8' ? 'Codec 8' : 'Codec 8E'} ${of(results[c])}× (rounds ${results[c].rounds[key].join('–')})`).join(', ')}`;
  console.log(line('hub entry vs fastest peer', 'vs_fastest_peer', (r) => r.ratio_vs_fastest_peer));
  console.log(
    `${line('hub entry vs JSON.parse of its output', 'vs_json_parse', (r) => r.ratio_vs_json_parse)} (above 1 = decoding is cheaper than parsing the JSON)`,
  );
}

export function run(): Record<string, unknown> {
  const results = {
    c8: teltonikaCodec(avlPacket(records(), 0x08), true),
    c8e: teltonikaCodec(avlPacket(records(), 0x8e), false),
  };
  report(results);
  const out: Record<string, unknown> = {
    entry: ENTRY,
    records_per_packet: RECORDS,
    records_per_s: { c8: results.c8.records_per_s, c8e: results.c8e.records_per_s },
    ratio_vs_fastest_peer: { c8: results.c8.ratio_vs_fastest_peer, c8e: results.c8e.ratio_vs_fastest_peer },
    ratio_vs_json_parse: { c8: results.c8.ratio_vs_json_parse, c8e: results.c8e.ratio_vs_json_parse },
    ratio_range_over_rounds: { c8: results.c8.rounds, c8e: results.c8e.rounds },
  };
  const protocols = perProtocol();
  out.protocols_records_per_s = protocols;
  if (Object.keys(protocols).length > 0) {
    console.log(`\nEvery protocol, decoding its conformance frames (records/s): internal decode(frame, ctx) and the entry ${ENTRY}`);
    console.log(
      table(
        ['protocol', 'internal decode', 'entry', 'frames via entry'],
        Object.entries(protocols).map(([k, v]) => [k, fmt(v.internal), fmt(v.entry), v.entry_frames]),
      ),
    );
  } else console.log('\n(conformance corpus not found: per-protocol figures skipped)');
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = run();
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/decode.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
}
