/**
 * Ingest throughput with plugins (expressions, geofences and plugins issue): messages/s through
 * `IngestService.ingest` over dynalite (in a child process, as the cost bench runs it), for devices
 * with 3 plugins each (expression, erase, geofence against 1,000 geofences) and for devices with
 * none. The two fleets take turns, round by round, in one hub, so that both see the same store
 * and JIT state; the figure is the median round. Target: within 15 % of the fleet without plugins.
 * Writes bench/results/ingest-plugins.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createDocumentClient } from '../adapters/dynamodb/client.js';
import { dynamoPorts } from '../adapters/dynamodb/ports.js';
import { packEnvelopes, parseEnvelope, type QueuedFrame } from '../core/envelope.js';
import { createHub } from '../core/hub.js';
import { SYSTEM_ACCESS } from '../core/registry/access.js';
import { seeded, starPolygon } from '../test/helpers/geofences.js';
import { startDynaliteProcess } from './lib/dynalite-process.js';
import { medianOf, table } from './lib/measure.js';
import { fleetFrame, registerFleet } from './lib/registered-fleet.js';

const TABLES = { registry: 'hub-registry', messages: 'hub-messages' };
const DEVICES = Number(process.env.BENCH_DEVICES ?? 300); // per fleet
const RECORDS = 5; // per frame
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8); // measured, per fleet
const GEOFENCES = 1000;
const BOX = { minLat: 54.3, maxLat: 55.1, minLon: 24.6, maxLon: 25.8 };
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function frame(ident: string, index: number, tMs: number, channel: number): QueuedFrame {
  const records = Array.from({ length: RECORDS }, (_, r) => {
    const k = Math.floor(tMs / 1000) + r;
    return {
      timestampMs: tMs + r * 1000,
      latitude: BOX.minLat + ((index * 0.0137 + k * 1e-5) % (BOX.maxLat - BOX.minLat)),
      longitude: BOX.minLon + ((index * 0.0291 + k * 1e-5) % (BOX.maxLon - BOX.minLon)),
      altitude: 100,
      angle: (k * 7) % 360,
      satellites: 9,
      speed: (k + index) % 90,
      io1: { 239: 1, 240: k % 2, 21: 4, 69: 1 },
      io2: { 66: 12_400 + (k % 1200), 67: 4_050, 24: (k + index) % 90, 181: 9, 182: 7 },
      io4: { 16: 1_000_000 + index * 1000 + k * 25, 241: 24601 },
    };
  });
  return fleetFrame(ident, index, tMs, channel, records);
}

export async function run(): Promise<Record<string, unknown>> {
  const dynamo = await startDynaliteProcess(TABLES);
  // a loaded machine (other benches, tests) can stall dynalite past the 10 s default: the bench waits instead of failing
  const doc = createDocumentClient({ endpoint: dynamo.endpoint }, { requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 } });
  try {
    const hub = createHub(dynamoPorts(doc, TABLES, silent), { publicHost: 'bench', portRange: [20000, 20001], adminToken: 'bench' });
    const [channel] = await hub.channels.create([{ name: 'trackers', protocol_name: 'teltonika', configuration: { port: 20000 } }]);
    const fleets = { plain: [] as string[], plugins: [] as string[] };
    for (const [name, base] of [
      ['plain', 352_000_000_000_000],
      ['plugins', 353_000_000_000_000],
    ] as const)
      fleets[name] = await registerFleet(hub, name, base, DEVICES);
    process.stderr.write('devices registered; creating geofences and plugins...\n');
    const rnd = seeded(17);
    const between = (a: number, b: number) => a + (b - a) * rnd();
    await hub.geofences.create(
      Array.from({ length: GEOFENCES }, (_, i) => ({
        name: `zone ${i}`,
        geometry: starPolygon(rnd, between(BOX.minLat, BOX.maxLat), between(BOX.minLon, BOX.maxLon), between(1, 8), 8 + Math.floor(rnd() * 24)),
      })),
    );
    const plugins = await hub.plugins.create([
      { name: 'ignition', type: 'expression', configuration: { parameter: 'engine.ignition.status', expression: 'external.powersource.voltage > 13.2' } },
      { name: 'no gsm', type: 'erase', configuration: { parameters: ['gsm.*'] } },
      { name: 'zones', type: 'geofence', configuration: { geofences: 'all' } },
    ]);
    await hub.plugins.assign(plugins.map((p) => p.id).join(','), 'name=plugins*', true, SYSTEM_ACCESS);

    process.stderr.write('warming up...\n');
    let tMs = 1_700_000_000_000;
    const round = async (idents: readonly string[]): Promise<{ rate: number; cpuUs: number; sample: Record<string, unknown> }> => {
      tMs += 60_000;
      const bodies = packEnvelopes(idents.map((ident, i) => frame(ident, i, tMs, channel.id)));
      const cpu = process.cpuUsage();
      const started = performance.now();
      let messages = 0;
      let sample: Record<string, unknown> = {};
      for (const body of bodies) {
        const { stats, messages: out } = await hub.ingest.ingest(parseEnvelope(body));
        messages += stats.stored;
        sample = out[0]?.message ?? sample;
      }
      const used = process.cpuUsage(cpu);
      return { rate: (messages * 1000) / (performance.now() - started), cpuUs: (used.user + used.system) / messages, sample };
    };
    for (let w = 0; w < 2; w++) for (const f of [fleets.plain, fleets.plugins]) await round(f); // warm-up
    const rates = { plain: [] as number[], plugins: [] as number[] };
    const cpu = { plain: [] as number[], plugins: [] as number[] };
    let tagged: Record<string, unknown> = {};
    for (let r = 0; r < ROUNDS; r++) {
      // the fleets take turns, and which goes first alternates
      for (const name of r % 2 === 0 ? (['plain', 'plugins'] as const) : (['plugins', 'plain'] as const)) {
        const result = await round(fleets[name]);
        rates[name].push(result.rate);
        cpu[name].push(result.cpuUs);
        if (name === 'plugins') tagged = result.sample;
      }
      process.stderr.write(`  round ${r + 1}/${ROUNDS}\r`);
    }
    if (!Array.isArray(tagged['geofence.names']) || 'gsm.signal.level' in tagged) throw new Error('the plugins did not run');
    const plain = medianOf(rates.plain);
    const withPlugins = medianOf(rates.plugins);
    const slowdown = 1 - withPlugins / plain;
    const out = {
      devices_per_fleet: DEVICES,
      records_per_frame: RECORDS,
      messages_per_round: DEVICES * RECORDS,
      rounds: ROUNDS,
      geofences: GEOFENCES,
      plugins: plugins.map((p) => p.type),
      messages_per_s: { no_plugins: Math.round(plain), three_plugins: Math.round(withPlugins) },
      rounds_messages_per_s: { no_plugins: rates.plain.map(Math.round), three_plugins: rates.plugins.map(Math.round) },
      /** CPU time of the ingest process (dynalite runs in another) per stored message, median round. */
      ingest_cpu_us_per_message: { no_plugins: Math.round(medianOf(cpu.plain)), three_plugins: Math.round(medianOf(cpu.plugins)) },
      slowdown_percent: Number((slowdown * 100).toFixed(1)),
      target_percent: 15,
      within_target: slowdown <= 0.15,
      ingest_dropped: hub.ingest.totals.dropped,
    };
    console.log(`\nIngest throughput, ${DEVICES} devices per fleet × ${RECORDS} records, dynalite (child process), median of ${ROUNDS} rounds`);
    console.log(
      table(
        ['fleet', 'messages/s', 'ingest CPU µs/message'],
        [
          ['no plugins', out.messages_per_s.no_plugins, out.ingest_cpu_us_per_message.no_plugins],
          ['3 plugins (expression, erase, geofence vs 1,000 geofences)', out.messages_per_s.three_plugins, out.ingest_cpu_us_per_message.three_plugins],
        ],
      ),
    );
    console.log(`slowdown ${out.slowdown_percent} % (target ≤ 15 %): ${out.within_target ? 'met' : 'NOT met'}`);
    return out;
  } finally {
    doc.destroy();
    await dynamo.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await run();
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/ingest-plugins.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
}
