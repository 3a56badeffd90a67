/**
 * Ingest throughput with calculators (issue 18): messages/s through `IngestService.ingest` over
 * dynalite (in a child process), for devices with 3 calculators each (trips by ignition with
 * messages/mileage/top-speed counters, stops, overspeed against the device's metadata) and for
 * devices with none; the fleets take turns round by round in one hub (as bench/ingest-plugins).
 * Target: within 25 % of the fleet without calculators. Then the late-data recalculation of one
 * day of 10 s messages (8,640): one message older than the day's first stored, through the public
 * path (`ingest.inject`: read the span, recompute, write), and the engine's fold alone.
 * Writes bench/results/ingest-calcs.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createDocumentClient } from '../adapters/dynamodb/client.js';
import { dynamoPorts } from '../adapters/dynamodb/ports.js';
import { WriteBehindCalcs } from '../adapters/local/write-behind-calcs.js';
import { compileCalc, computeIntervals } from '../core/calcs/index.js';
import { packEnvelopes, parseEnvelope, type QueuedFrame } from '../core/envelope.js';
import { createHub, type HubServices } from '../core/hub.js';
import { SYSTEM_ACCESS } from '../core/registry/access.js';
import { CalcCreateSchema } from '../core/schemas/calcs.js';
import type { Message } from '../protocols/common/types.js';
import { CalcCapacityMeter } from './lib/calc-cost.js';
import { startDynaliteProcess } from './lib/dynalite-process.js';
import { medianOf, table } from './lib/measure.js';
import { fleetFrame, registerFleet } from './lib/registered-fleet.js';

const TABLES = { registry: 'hub-registry', messages: 'hub-messages' };
const DEVICES = Number(process.env.BENCH_DEVICES ?? 300); // per fleet
const RECORDS = 5; // per frame
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60); // measured, per fleet: two flushes of the calculators' states
const ROUND_MS = 60_000; // device time between a device's frames
const WARMUP_ROUNDS = Number(process.env.BENCH_WARMUP_ROUNDS ?? 10); // per fleet, before the measured rounds
/** What `npm start` uses (local/runtime.ts, `calcFlushMs`): states are stored every 30 minutes. */
const CALC_FLUSH_MS = 1_800_000;
const FLUSH_ROUNDS = CALC_FLUSH_MS / ROUND_MS;
const DAY = 8640; // 10 s messages
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const IGNITION = { type: 'expression', expression: 'engine.ignition.status' } as const;
const CALCS = [
  {
    name: 'trips',
    selectors: [{ ...IGNITION, max_inactive: 120 }],
    counters: [
      { type: 'messages', name: 'messages' },
      { type: 'mileage', name: 'km' },
      { type: 'expression', name: 'top_speed', expression: 'position.speed', method: 'maximum' },
    ],
  },
  { name: 'stops', selectors: [{ ...IGNITION, invert: true, min_duration: 300 }], counters: [{ type: 'messages', name: 'messages' }] },
  {
    name: 'overspeed',
    selectors: [{ type: 'expression', expression: "position.speed > metadata('max_speed')" }],
    counters: [{ type: 'expression', name: 'top_speed', expression: 'position.speed', method: 'maximum' }],
  },
];

/** Ignition toggles every 10 minutes of device time, speed cycles 0-89 km/h. */
function frame(ident: string, index: number, tMs: number, channel: number, count = RECORDS): QueuedFrame {
  const records = Array.from({ length: count }, (_, r) => {
    const k = Math.floor(tMs / 1000) + r;
    return {
      timestampMs: tMs + r * 1000,
      latitude: 54.3 + ((index * 0.0137 + k * 1e-5) % 0.8),
      longitude: 24.6 + ((index * 0.0291 + k * 1e-5) % 1.2),
      altitude: 100,
      angle: (k * 7) % 360,
      satellites: 9,
      speed: (k + index) % 90,
      io1: { 239: Math.floor(k / 600) % 2, 240: k % 2, 21: 4, 69: 1 },
      io2: { 66: 12_400 + (k % 1200), 67: 4_050, 24: (k + index) % 90 },
      io4: { 16: 1_000_000 + index * 1000 + k * 25 },
    };
  });
  return fleetFrame(ident, index, tMs, channel, records);
}

/**
 * Rounds of one frame per device, each 60 s of device time later than the last; the fleets take
 * turns. The calculators' states are stored as `npm start` stores them (write-behind, every
 * `CALC_FLUSH_MS` of fleet time), beside the ingest of a calculators' round (a timer, not awaited by
 * ingest), and that round ends only when the store is done, so the rate includes it; plain rounds
 * never overlap a store.
 */
async function throughput(hub: HubServices, calcs: WriteBehindCalcs, channel: number, fleets: { plain: string[]; calcs: string[] }) {
  let tMs = 1_700_000_000_000;
  let calcRounds = 0;
  const round = async (name: 'plain' | 'calcs', idents: readonly string[]) => {
    tMs += ROUND_MS;
    const bodies = packEnvelopes(idents.map((ident, i) => frame(ident, i, tMs, channel)));
    const cpu = process.cpuUsage();
    const started = performance.now();
    let messages = 0;
    // the store runs beside ingest, as npm start's timer runs it; the round ends when both are done
    const storing = name === 'calcs' && ++calcRounds % FLUSH_ROUNDS === 0 ? calcs.flush() : undefined;
    for (const body of bodies) messages += (await hub.ingest.ingest(parseEnvelope(body))).stats.stored;
    await storing;
    const used = process.cpuUsage(cpu);
    return { messages, ms: performance.now() - started, cpuUs: (used.user + used.system) / messages };
  };
  // warm-up (not measured): a long-running hub's steady state; the calculators' code takes ~8 rounds to be optimised
  for (let w = 0; w < WARMUP_ROUNDS; w++) for (const name of ['plain', 'calcs'] as const) await round(name, fleets[name]);
  const out = { plain: [] as { messages: number; ms: number; cpuUs: number }[], calcs: [] as { messages: number; ms: number; cpuUs: number }[] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of r % 2 === 0 ? (['plain', 'calcs'] as const) : (['calcs', 'plain'] as const)) out[name].push(await round(name, fleets[name]));
    process.stderr.write(`  round ${r + 1}/${ROUNDS}\r`);
  }
  return out;
}

/** Messages of a device per ingest invocation in each profile (docs/cost.md, bench/results/cost.json). */
const PROFILE_BATCHES = [
  { profile: 'realtime', perBatch: [1] },
  { profile: 'balanced', perBatch: [1, 2] },
  { profile: 'economy', perBatch: [7] },
] as const;

/**
 * What 3 calculators add to a device-month on AWS: the same fleet through a hub wired as the ingest
 * Lambda is (plain DynamoDB repositories: each invocation reads its pairs' states in one batch and
 * writes each changed one, conditionally, plus its changed intervals), with as many messages of a
 * device per invocation as each profile's batching gives; capacity counted from the requests.
 */
interface AwsCalcCost {
  readonly profile: string;
  readonly messages_of_a_device_per_invocation: number;
  readonly calc_write_units_per_message: number;
  readonly calc_state_reads_per_message: number;
  readonly mean_state_bytes: number;
  readonly added_usd_per_device_month: number;
}

async function awsCalcCost(endpoint: string, channel: number): Promise<AwsCalcCost[]> {
  const meter = new CalcCapacityMeter();
  const doc = meter.counter.attach(createDocumentClient({ endpoint }, { requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 } }));
  try {
    const hub = createHub(dynamoPorts(doc, TABLES, silent), { publicHost: 'bench', portRange: [20000, 20001], adminToken: 'bench' });
    const idents = await registerFleet(hub, 'aws', 354_000_000_000_000, DEVICES, { max_speed: 60 });
    const calcs = await hub.calcs.create(CALCS.map((c) => ({ ...c, name: `aws ${c.name}` })));
    await hub.calcs.assign(calcs.map((c) => c.id).join(','), 'name=aws*', true, SYSTEM_ACCESS);
    await hub.calcSync.run();
    let tMs = 1_700_000_000_000;
    const out: AwsCalcCost[] = [];
    for (const { profile, perBatch } of PROFILE_BATCHES) {
      meter.reset();
      let messages = 0;
      for (let r = 0; r < 6; r++) {
        const count = perBatch[r % perBatch.length];
        tMs += count * 30_000;
        for (const body of packEnvelopes(idents.map((ident, i) => frame(ident, i, tMs, channel, count))))
          messages += (await hub.ingest.ingest(parseEnvelope(body))).stats.stored;
      }
      const states = await hub.ports.calcs.statesOf(calcs[0].id);
      const stateBytes = Math.round(states.reduce((n, st) => n + JSON.stringify(st.state).length, 0) / states.length);
      const wruPerMessage = meter.wru / messages;
      const readsPerMessage = meter.stateReads / messages;
      out.push({
        profile,
        messages_of_a_device_per_invocation: perBatch.reduce((a, b) => a + b, 0) / perBatch.length,
        calc_write_units_per_message: Number(wruPerMessage.toFixed(2)),
        calc_state_reads_per_message: Number(readsPerMessage.toFixed(2)),
        mean_state_bytes: stateBytes,
        added_usd_per_device_month: Number(CalcCapacityMeter.usdPerDeviceMonth(wruPerMessage, readsPerMessage, stateBytes).toFixed(4)),
      });
    }
    return out;
  } finally {
    doc.destroy();
  }
}

/** One day of 10 s messages for one device, then a message before all of them: the time of that inject (recompute included). */
async function lateDay(hub: HubServices, tripsCalc: number): Promise<Record<string, number>> {
  const [device] = await hub.devices.create([{ name: 'late day', configuration: { ident: '359999999999999' }, metadata: { max_speed: 60 } }]);
  await hub.calcs.assign('all', String(device.id), true, SYSTEM_ACCESS);
  await hub.calcSync.run();
  // a recent day: intervals older than intervals_ttl (a year) are expired and left out on read
  const t0 = Math.floor(Date.now() / 1000) - 2 * 86_400;
  const day: Message[] = Array.from({ length: DAY }, (_, i) => ({
    timestamp: t0 + 60 + i * 10,
    'engine.ignition.status': Math.floor(i / 60) % 3 !== 0,
    'position.speed': (i * 7) % 100,
    'position.latitude': 54.6 + (i % 500) * 1e-4,
    'position.longitude': 25.2,
  }));
  for (let i = 0; i < day.length; i += 500) await hub.ingest.inject(device, day.slice(i, i + 500));
  const started = performance.now();
  await hub.ingest.inject(device, [
    { timestamp: t0, 'engine.ignition.status': true, 'position.speed': 10, 'position.latitude': 54.6, 'position.longitude': 25.2 },
  ]);
  const viaIngest = performance.now() - started;
  const compiled = CALCS.map((c) => compileCalc(CalcCreateSchema.parse(c)));
  const foldStart = performance.now();
  for (const c of compiled) computeIntervals(c, day, { metadata: { max_speed: 60 } });
  const fold = performance.now() - foldStart;
  const states = await hub.ports.calcs.statesOf(tripsCalc);
  const stateBytes = Math.max(...states.map((s) => JSON.stringify(s.state).length));
  const trips = await hub.ports.calcs.intervals(tripsCalc, device.id);
  return {
    late_recompute_ms_3_calcs: Math.round(viaIngest),
    engine_fold_ms_3_calcs: Math.round(fold),
    state_item_max_bytes: stateBytes,
    trips_in_day: trips.length,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const dynamo = await startDynaliteProcess(TABLES);
  const doc = createDocumentClient({ endpoint: dynamo.endpoint }, { requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 } });
  try {
    const stored = dynamoPorts(doc, TABLES, silent);
    // as npm start runs them (local/runtime.ts); the bench flushes on fleet time instead of a timer
    const writeBehind = new WriteBehindCalcs(stored.calcs, { logger: silent, flushMs: 3_600_000 });
    const hub = createHub({ ...stored, calcs: writeBehind }, { publicHost: 'bench', portRange: [20000, 20001], adminToken: 'bench' });
    const [channel] = await hub.channels.create([{ name: 'trackers', protocol_name: 'teltonika', configuration: { port: 20000 } }]);
    const fleets = { plain: [] as string[], calcs: [] as string[] };
    for (const [name, base] of [
      ['plain', 352_000_000_000_000],
      ['calcs', 353_000_000_000_000],
    ] as const)
      fleets[name] = await registerFleet(hub, name, base, DEVICES, { max_speed: 60 });
    const calcs = await hub.calcs.create(CALCS);
    await hub.calcs.assign(calcs.map((c) => c.id).join(','), 'name=calcs*', true, SYSTEM_ACCESS);
    await hub.calcSync.run(); // no history yet: every pair is synced at once
    process.stderr.write('devices, calculators assigned; warming up...\n');
    const rounds = await throughput(hub, writeBehind, channel.id, fleets);
    const states = await hub.ports.calcs.statesOf(calcs[0].id);
    if (states.length !== DEVICES || states.some((st) => st.state.lastTs === null)) throw new Error('the calculators did not run');
    const rate = (rs: readonly { messages: number; ms: number }[]) => (rs.reduce((a, r) => a + r.messages, 0) * 1000) / rs.reduce((a, r) => a + r.ms, 0);
    const plain = rate(rounds.plain);
    const withCalcs = rate(rounds.calcs);
    const slowdown = 1 - withCalcs / plain;
    const late = await lateDay(hub, calcs[0].id);
    const aws = await awsCalcCost(dynamo.endpoint, channel.id);
    const out = {
      devices_per_fleet: DEVICES,
      records_per_frame: RECORDS,
      messages_per_round: DEVICES * RECORDS,
      rounds: ROUNDS,
      warmup_rounds: WARMUP_ROUNDS,
      device_time_per_round_s: ROUND_MS / 1000,
      calc_states_stored_every_s: CALC_FLUSH_MS / 1000,
      calcs: CALCS.map((c) => c.name),
      messages_per_s: { no_calcs: Math.round(plain), three_calcs: Math.round(withCalcs) },
      rounds_messages_per_s: {
        no_calcs: rounds.plain.map((r) => Math.round((r.messages * 1000) / r.ms)),
        three_calcs: rounds.calcs.map((r) => Math.round((r.messages * 1000) / r.ms)),
      },
      ingest_cpu_us_per_message: {
        no_calcs: Math.round(medianOf(rounds.plain.map((r) => r.cpuUs))),
        three_calcs: Math.round(medianOf(rounds.calcs.map((r) => r.cpuUs))),
      },
      slowdown_percent: Number((slowdown * 100).toFixed(1)),
      target_percent: 25,
      within_target: slowdown <= 0.25,
      late_day_messages: DAY,
      ...late,
      aws_added_cost_3_calcs: aws,
    };
    console.log(
      `\nIngest throughput, ${DEVICES} devices per fleet × ${RECORDS} records, dynalite (child process), ${ROUNDS} rounds (all messages / all time, states stored every ${CALC_FLUSH_MS / 1000} s of fleet time, flushes included)`,
    );
    console.log(
      table(
        ['fleet', 'messages/s', 'ingest CPU µs/message'],
        [
          ['no calculators', out.messages_per_s.no_calcs, out.ingest_cpu_us_per_message.no_calcs],
          ['3 calculators (trips, stops, overspeed)', out.messages_per_s.three_calcs, out.ingest_cpu_us_per_message.three_calcs],
        ],
      ),
    );
    console.log(`slowdown ${out.slowdown_percent} % (target ≤ 25 %): ${out.within_target ? 'met' : 'NOT met'}`);
    console.log(
      `late data, one day of 10 s messages (${DAY}), 3 calculators: ${late.late_recompute_ms_3_calcs} ms through ingest (read + recompute + write), engine fold alone ${late.engine_fold_ms_3_calcs} ms; largest state item ${late.state_item_max_bytes} B`,
    );
    console.log('\n3 calculators on AWS (DynamoDB capacity they add, provisioned at 70 %, 1 message / 30 s per device):');
    console.log(
      table(
        ['profile', 'messages of a device per invocation', 'write units / message', '$ / device-month added'],
        aws.map((a) => [a.profile, a.messages_of_a_device_per_invocation, a.calc_write_units_per_message, a.added_usd_per_device_month]),
      ),
    );
    return out;
  } finally {
    doc.destroy();
    await dynamo.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await run();
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/ingest-calcs.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
}
