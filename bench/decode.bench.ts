/**
 * Decoding speed (issue: protocol suite). Teltonika Codec 8 and 8E packets of 100 records,
 * decoded by this hub and by the npm parsers users switch from, side by side in one run; and
 * decoding compared with JSON.parse of the resulting messages' JSON. Writes bench/results/decode.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CodecOptions, DecodeContext, SessionState } from '../protocols/common/types.js';
import { allProtocols } from '../protocols/index.js';
import { avlPacket, type SimRecord } from '../protocols/teltonika/device.js';
import { teltonika } from '../protocols/teltonika/index.js';
import { corpusFrames } from './lib/corpus.js';
import { fmt, opsPerSecond, table } from './lib/measure.js';

const require = createRequire(import.meta.url);
const { ProtocolParser } = require('complete-teltonika-parser');
const TeltonikaParser = require('teltonika-parser');

const RECORDS = 100;
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

/** Every protocol's decode speed over its corpus frames that carry records (session context replayed once). */
function perProtocol(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const protocol of allProtocols()) {
    const frames = corpusFrames(protocol.name);
    if (frames.length === 0) continue;
    const work: { frame: Buffer; ctx: DecodeContext; records: number }[] = [];
    const options: CodecOptions = { crc: 'lenient', maxFrameSize: 1 << 20 };
    let state: SessionState = { transport: frames[0].transport, vars: {} };
    let group = '';
    for (const f of frames) {
      if (f.group !== group) state = { transport: f.transport, vars: {} };
      group = f.group;
      const insp = protocol.inspect(f.bytes, state, options);
      if (insp.ident) state.ident = insp.ident;
      if (insp.vars) Object.assign(state.vars, insp.vars);
      const ctx: DecodeContext = { transport: f.transport, ident: state.ident, vars: { ...state.vars }, options, receivedAt: 1_800_000_000 };
      const records = protocol.decode(f.bytes, ctx).messages.length;
      if (records > 0) work.push({ frame: f.bytes, ctx, records });
    }
    const records = work.reduce((n, w) => n + w.records, 0);
    if (records === 0) continue;
    out[protocol.name] = Math.round(
      opsPerSecond(
        () => {
          for (const w of work) protocol.decode(w.frame, w.ctx);
        },
        { ms: 300, rounds: 3, warmupMs: 200 },
      ) * records,
    );
  }
  return out;
}

export function run(): Record<string, unknown> {
  const c8 = avlPacket(records(), 0x08);
  const c8e = avlPacket(records(), 0x8e);
  const ctx = { transport: 'tcp' as const, ident: '356307042441013' };
  const results: Record<string, Record<string, number>> = { c8: {}, c8e: {} };
  for (const [name, packet] of [
    ['c8', c8],
    ['c8e', c8e],
  ] as const) {
    const check = teltonika.decode(packet, ctx);
    if (check.errors.length > 0 || check.messages.length !== RECORDS) throw new Error(`bench packet does not decode: ${check.errors.join()}`);
    const hexPacket = packet.toString('hex');
    const json = JSON.stringify(check.messages);
    results[name].hub = opsPerSecond(() => teltonika.decode(packet, ctx)) * RECORDS;
    results[name]['complete-teltonika-parser'] = opsPerSecond(() => new ProtocolParser(hexPacket)) * RECORDS;
    if (name === 'c8') results[name]['teltonika-parser'] = opsPerSecond(() => new TeltonikaParser(packet).getAvl()) * RECORDS;
    results[name]['JSON.parse of the messages'] = opsPerSecond(() => JSON.parse(json)) * RECORDS;
  }
  const rows: (string | number)[][] = [];
  const out: Record<string, unknown> = { records_per_packet: RECORDS, records_per_s: {}, ratio_vs_fastest_peer: {}, ratio_vs_json_parse: {} };
  for (const codec of ['c8', 'c8e'] as const) {
    const r = results[codec];
    const peers = Object.entries(r).filter(([k]) => k !== 'hub' && !k.startsWith('JSON'));
    const fastest = Math.max(...peers.map(([, v]) => v));
    (out.records_per_s as Record<string, unknown>)[codec] = r;
    (out.ratio_vs_fastest_peer as Record<string, number>)[codec] = Number((r.hub / fastest).toFixed(2));
    (out.ratio_vs_json_parse as Record<string, number>)[codec] = Number((r.hub / r['JSON.parse of the messages']).toFixed(2));
    for (const [k, v] of Object.entries(r)) rows.push([codec === 'c8' ? 'Codec 8' : 'Codec 8E', k, fmt(v), (v / r.hub).toFixed(2)]);
  }
  console.log(`\nTeltonika decoding, ${RECORDS}-record packets (records/s, higher is better)`);
  console.log(table(['codec', 'decoder', 'records/s', 'vs hub'], rows));
  console.log(
    `hub vs fastest peer: Codec 8 ${(out.ratio_vs_fastest_peer as Record<string, number>).c8}×, Codec 8E ${(out.ratio_vs_fastest_peer as Record<string, number>).c8e}×`,
  );
  console.log(
    `hub decode vs JSON.parse of its output: Codec 8 ${(out.ratio_vs_json_parse as Record<string, number>).c8}×, Codec 8E ${(out.ratio_vs_json_parse as Record<string, number>).c8e}× (above 1 = decoding is cheaper than parsing the JSON)`,
  );
  const protocols = perProtocol();
  out.protocols_records_per_s = protocols;
  if (Object.keys(protocols).length > 0) {
    console.log('\nEvery protocol, decoding its conformance frames (records/s)');
    console.log(
      table(
        ['protocol', 'records/s'],
        Object.entries(protocols).map(([k, v]) => [k, fmt(v)]),
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
