/**
 * Robustness fuzzing (protocol suite issue): for every protocol, random bytes and mutations of
 * real frames (the conformance corpus when present) through a whole connection codec (framer,
 * inspector, decoder). A case fails if anything throws, a single call takes over a second, or an
 * error is not a typed `code: reason` string. `npm run fuzz` runs 100,000 cases per protocol;
 * FUZZ_CASES sets another number. Exit code 1 on any failure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { ConnectionCodec } from '../protocols/common/connection.js';
import type { ProtocolCodec } from '../protocols/common/types.js';
import { allProtocols } from '../protocols/index.js';
import { corpusFrames } from './lib/corpus.js';
import { table } from './lib/measure.js';

const CASES = Number(process.env.FUZZ_CASES ?? 100_000);
const ERROR_FORMAT = /^[a-z]+( at byte \d+)?: .+/;

/** xorshift32: fast, seeded, reproducible. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

function mutate(seed: Buffer, r: () => number): Buffer {
  const b = Buffer.from(seed);
  const edits = Math.floor(r() * 6);
  for (let i = 0; i < edits && b.length > 0; i++) {
    const op = r();
    const at = Math.floor(r() * b.length);
    if (op < 0.6) b[at] = Math.floor(r() * 256);
    else if (op < 0.8) b[at] ^= 1 << Math.floor(r() * 8);
    else b[at] = [0x00, 0xff, 0x7f, 0x80, 0x23, 0x24, 0x2a, 0x0d, 0x0a][Math.floor(r() * 9)];
  }
  const cut = r() < 0.3 ? Math.floor(r() * (b.length + 1)) : b.length;
  return b.subarray(0, cut);
}

/** What the protocol's simulated device sends (login first): seeds that reach past the framer without a corpus. */
function simulatorFrames(protocol: ProtocolCodec): Buffer[] {
  const sim = protocol.simulator;
  const ident = sim.identFor(1);
  const at = Date.UTC(2026, 0, 15);
  if (protocol.transports[0] === 'http') {
    const request = sim.request?.(ident, 1, 1, at);
    return request ? [Buffer.from(JSON.stringify(request))] : [];
  }
  const report = sim.report?.(ident, 1, 1, at, protocol.transports[0] === 'udp' ? 'udp' : 'tcp');
  return [...(sim.login ? [sim.login(ident)] : []), ...(report ? [report] : [])];
}

export function run(cases = CASES): { protocol: string; cases: number; failures: number; cases_per_s: number; first_failure?: string }[] {
  const results = [];
  for (const protocol of allProtocols()) {
    const transport = protocol.transports[0];
    const frames = [...simulatorFrames(protocol), ...corpusFrames(protocol.name).map((f) => f.bytes)];
    const seeds = frames.length > 0 ? frames : [Buffer.alloc(0)];
    const r = rng(0x9e3779b9 ^ protocol.id);
    let failures = 0;
    let first: string | undefined;
    const started = performance.now();
    for (let i = 0; i < cases; i++) {
      const input =
        r() < 0.25 ? Buffer.from(Array.from({ length: Math.floor(r() * 512) }, () => Math.floor(r() * 256))) : mutate(seeds[Math.floor(r() * seeds.length)], r);
      const codec = new ConnectionCodec(protocol, { crc: r() < 0.5 ? 'strict' : 'lenient', maxFrameSize: 65536 }, transport);
      try {
        if (r() < 0.5 && frames.length > 0) codec.decode(frames[0]); // a login first, sometimes
        const t = performance.now();
        const out = codec.decode(input);
        const again = codec.decode(input);
        if (performance.now() - t > 1000) throw new Error('took over a second');
        for (const e of [...out.errors, ...again.errors]) if (!ERROR_FORMAT.test(e)) throw new Error(`untyped error "${e}"`);
      } catch (err) {
        failures++;
        first ??= `${err instanceof Error ? err.message : String(err)} on ${input.toString('hex').slice(0, 80)}`;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    results.push({ protocol: protocol.name, cases, failures, cases_per_s: Math.round(cases / seconds), ...(first ? { first_failure: first } : {}) });
  }
  console.log(`\nFuzzing: ${cases.toLocaleString()} cases per protocol (random bytes, mutated simulator and corpus frames)`);
  console.log(
    table(
      ['protocol', 'cases', 'failures', 'cases/s'],
      results.map((x) => [x.protocol, x.cases, x.failures, x.cases_per_s]),
    ),
  );
  for (const x of results) if (x.first_failure) console.log(`  ${x.protocol}: ${x.first_failure}`);
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = run();
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/fuzz.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
  if (out.some((x) => x.failures > 0)) process.exit(1);
}
