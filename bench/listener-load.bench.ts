/**
 * Listener load (issue: channel listeners that hold 50,000 devices per task). For N = 10,000 and
 * 50,000 simulated Teltonika trackers on loopback, each reporting periodically so that together they
 * send ~5,000 packets/s: connect time, ack latency p50/p99, packets/s sustained (acked), and the RSS
 * and CPU of the listener processes (from /proc). The listener runs as `hub start` runs it (in one
 * process, or as a node:cluster when one process may not open enough files), with the journal
 * fsynced before every ack; ingest is off (bench/lib/listener-host.ts). Devices come from
 * `hub simulate` in separate processes, spread over several 127.0.0.x source addresses.
 * Writes bench/results/listener.json.
 *
 *   node bench/run.mjs listener-load            both sizes
 *   LISTENER_BENCH_SIZES=10000 node bench/run.mjs listener-load
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import { bundle } from './lib/build.js';
import { table } from './lib/measure.js';
import { CLK_TCK, freePort, machineSample, procSample, sleep } from './lib/proc.js';

const RATE = 5000;
const REPORT_S = Number(process.env.LISTENER_BENCH_REPORT_S ?? 40);
/** Measure CPU and RSS over the report phase after this warm-up (s). */
const WARMUP_S = 10;

interface Scenario {
  readonly devices: number;
  /** Listener processes: 1 = the listener in the hub's process (as `npm start`). */
  readonly listenerWorkers: number;
  readonly simWorkers: number;
  readonly sourceAddresses: number;
}

/** 10,000 fit one process (20,000 files); 50,000 need 3+ workers here (on Fargate: 200,000 files, one worker per vCPU). */
const SCENARIOS: Record<number, Scenario> = {
  10_000: { devices: 10_000, listenerWorkers: 1, simWorkers: 2, sourceAddresses: 2 },
  50_000: { devices: 50_000, listenerWorkers: 4, simWorkers: 4, sourceAddresses: 4 },
};

/** Compiled entry points (the listener host, the cluster worker, the simulator). */
let built: Record<string, string> = {};

/** The listener host in its own process; resolves with its pids once it serves. */
async function startHost(port: number, workers: number): Promise<{ child: ChildProcess; pids: number[]; lines: string[] }> {
  const args = [built['bench/lib/listener-host.ts'], '--port', String(port), '--workers', String(workers), '--worker-entry', built['listener/main.ts']];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const rl = createInterface({ input: child.stdout! });
  rl.on('line', (l) => lines.push(l));
  const until = Date.now() + 60_000;
  for (;;) {
    const ready = lines.find((l) => l.includes('"ready"'));
    if (ready) return { child, pids: JSON.parse(ready).pids as number[], lines };
    if (child.exitCode !== null || Date.now() > until) throw new Error('listener host did not start');
    await sleep(50);
  }
}

interface SimResult {
  readonly summary: Record<string, unknown> & {
    ack_ms: { p50: number; p99: number; max: number };
    ack_ms_steady: { p50: number; p99: number; max: number };
    connect_s: number;
    acked_per_s: number;
    acked: number;
    loggedIn: number;
    errors: number;
  };
  readonly cpuPct: number;
  readonly rssMb: number;
  readonly rssPerProcessMb: number[];
  readonly machineBusyPct: number;
}

async function runScenario(s: Scenario): Promise<SimResult & { scenario: Scenario; durable: number }> {
  const port = await freePort();
  const host = await startHost(port, s.listenerWorkers);
  const sim = spawn(
    process.execPath,
    [
      built['bin/hub.ts'],
      'simulate',
      'teltonika',
      '--count',
      String(s.devices),
      '--rate',
      String(RATE),
      '--duration',
      String(REPORT_S),
      '--port',
      String(port),
      '--workers',
      String(s.simWorkers),
      '--source-addresses',
      String(s.sourceAddresses),
      '--warmup',
      String(WARMUP_S),
      '--json-progress',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  sim.stdout!.on('data', (d) => (out += d));
  let phase = 'connect';
  const progress = createInterface({ input: sim.stderr! });
  progress.on('line', (l) => {
    try {
      const p = JSON.parse(l) as { t: number; phase: string; loggedIn: number; sent: number; acked: number };
      phase = p.phase;
      process.stderr.write(
        `  ${s.devices} devices: ${String(p.t).padStart(4)} s ${p.phase.padEnd(9)} connected ${p.loggedIn} sent ${p.sent} acked ${p.acked}\n`,
      );
    } catch {
      process.stderr.write(`${l}\n`);
    }
  });
  // CPU and RSS of the listener processes over the steady part of the report phase
  while (phase !== 'report' && sim.exitCode === null) await sleep(100);
  await sleep(WARMUP_S * 1000);
  const windowS = Math.max(5, REPORT_S - WARMUP_S - 5);
  const before = host.pids.map(procSample);
  const m0 = machineSample();
  const t0 = Date.now();
  let rssMax = host.pids.map(() => 0);
  while (Date.now() - t0 < windowS * 1000) {
    await sleep(1000);
    rssMax = host.pids.map((p, i) => Math.max(rssMax[i], procSample(p).rssKb));
  }
  const after = host.pids.map(procSample);
  const m1 = machineSample();
  const seconds = (Date.now() - t0) / 1000;
  const cpuPct = (after.reduce((n, a, i) => n + (a.ticks - before[i].ticks), 0) / CLK_TCK / seconds) * 100;
  await new Promise<void>((r) => (sim.exitCode !== null ? r() : sim.once('exit', () => r())));
  const summary = JSON.parse(out.trim().split('\n').pop()!) as SimResult['summary'];
  host.child.kill('SIGTERM');
  await new Promise<void>((r) => (host.child.exitCode !== null ? r() : host.child.once('exit', () => r())));
  const stopped = host.lines.find((l) => l.includes('"stopped"'));
  const durable = stopped ? (JSON.parse(stopped).frames as number) : -1;
  const machineBusyPct = ((m1.busy - m0.busy) / (m1.total - m0.total)) * 100 * cpus().length;
  return {
    scenario: s,
    summary,
    cpuPct,
    rssMb: rssMax.reduce((a, b) => a + b, 0) / 1024,
    rssPerProcessMb: rssMax.map((k) => Math.round(k / 1024)),
    machineBusyPct,
    durable,
  };
}

async function main(): Promise<void> {
  built = await bundle(['bench/lib/listener-host.ts', 'listener/main.ts', 'bin/hub.ts']);
  const sizes = (process.env.LISTENER_BENCH_SIZES ?? '10000,50000').split(',').map(Number);
  const results = [];
  for (const n of sizes) {
    const base = SCENARIOS[n] ?? {
      devices: n,
      listenerWorkers: n > 15_000 ? 4 : 1,
      simWorkers: Math.max(1, Math.ceil(n / 12_500)),
      sourceAddresses: Math.max(1, Math.ceil(n / 12_500)),
    };
    const env = process.env;
    const s: Scenario = {
      ...base,
      listenerWorkers: Number(env.LISTENER_BENCH_WORKERS ?? base.listenerWorkers),
      simWorkers: Number(env.LISTENER_BENCH_SIMS ?? base.simWorkers),
    };
    process.stderr.write(
      `\nlistener load: ${n} devices, ${RATE} packets/s, listener processes ${s.listenerWorkers}, simulator processes ${s.simWorkers}, source addresses ${s.sourceAddresses}\n`,
    );
    results.push(await runScenario(s));
    await sleep(3000); // let the sockets of the previous run leave TIME_WAIT bookkeeping behind
  }
  const rows = results.map((r) => [
    r.scenario.devices,
    r.scenario.listenerWorkers === 1 ? '1 (in-process)' : `${r.scenario.listenerWorkers} workers + primary`,
    `${r.summary.loggedIn}`,
    r.summary.connect_s.toFixed(1),
    r.summary.ack_ms_steady.p50.toFixed(1),
    r.summary.ack_ms_steady.p99.toFixed(1),
    r.summary.ack_ms.p99.toFixed(1),
    r.summary.acked_per_s,
    Math.round(r.rssMb),
    Math.round(r.cpuPct),
    Math.round(r.machineBusyPct),
  ]);
  console.log(
    `\nListener load: Teltonika devices on loopback, ${RATE} packets/s in total, ${REPORT_S} s of reporting; journal fsynced before each ack; ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  );
  console.log(
    table(
      [
        'devices',
        'listener processes',
        'connected',
        'connect s',
        'ack p50 ms',
        'ack p99 ms',
        'p99 incl. warm-up',
        'acked/s',
        'listener RSS MiB',
        'listener CPU %',
        'machine busy %',
      ],
      rows,
    ),
  );
  console.log(`ack p50/p99: reports sent after ${WARMUP_S} s of reporting (the connect storm's after-effects settled); "incl. warm-up": every report`);
  console.log(
    'listener CPU % and RSS: every listener process together (100 % = one core); machine busy %: all processes on the machine, simulator included (200 % = both cores)',
  );
  const failures = results.filter((r) => r.summary.loggedIn < r.scenario.devices || r.durable < r.summary.acked);
  const out = {
    rate: RATE,
    report_s: REPORT_S,
    machine: { cores: cpus().length, memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version },
    runs: results.map((r) => ({
      devices: r.scenario.devices,
      listener_processes: r.scenario.listenerWorkers,
      simulator_processes: r.scenario.simWorkers,
      source_addresses: r.scenario.sourceAddresses,
      connected: r.summary.loggedIn,
      connect_s: r.summary.connect_s,
      ack_ms: r.summary.ack_ms_steady,
      ack_ms_including_warmup: r.summary.ack_ms,
      acked_per_s: r.summary.acked_per_s,
      sent: r.summary.sent,
      acked: r.summary.acked,
      durable_frames: r.durable,
      errors: r.summary.errors,
      errors_by_code: r.summary.errors_by_code,
      listener_rss_mib: Math.round(r.rssMb),
      listener_rss_mib_per_process: r.rssPerProcessMb,
      listener_cpu_pct: Math.round(r.cpuPct),
      machine_busy_pct: Math.round(r.machineBusyPct),
    })),
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/listener.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
  if (failures.length > 0) {
    console.error(`not every device connected, or fewer frames durable than acked: ${failures.map((f) => f.scenario.devices).join(', ')}`);
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
