/**
 * Hub load (issue "Performance", target 1): the local hub as users run it (`node dist/bin/hub.js
 * start`, data on disk under /tmp, ingest and dynalite on) with 15,000 registered Teltonika
 * trackers reporting ~1,500 frames/s in all, driven by `hub simulate` processes spread over
 * 127.0.0.x source addresses. Measures ack latency p50/p99/max after a warm-up, frames acked per
 * second, the RSS and CPU of every process of the hub's tree (from /proc), then waits until every
 * acked record is stored (counted through the API) and stops the hub with SIGTERM (drain time,
 * processes left behind). Writes bench/results/hub-load.json: a run replaces the one with the same
 * label (HUB_LOAD_LABEL, default "current"), other runs stay (before/after figures).
 *
 *   npm run bench hub-load
 *   HUB_LOAD_LABEL=x HUB_LOAD_HUB_ARGS="--single-process" HUB_LOAD_REPORT_S=60 node bench/run.mjs hub-load
 *   HUB_LOAD_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"   node options of the hub's process
 *   HUB_LOAD_SIM_NICE=-5   the simulators ahead of the hub for the CPU (devices are remote: their delay is not the hub's)
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { table } from './lib/measure.js';
import { CLK_TCK, commandLine, freePort, machineSample, processTree, procSample, sleep } from './lib/proc.js';

const env = process.env;
const DEVICES = Number(env.HUB_LOAD_DEVICES ?? 15_000);
const RATE = Number(env.HUB_LOAD_RATE ?? 1500);
const REPORT_S = Number(env.HUB_LOAD_REPORT_S ?? 60);
const WARMUP_S = Number(env.HUB_LOAD_WARMUP_S ?? 15);
const SIMS = Number(env.HUB_LOAD_SIMS ?? 2);
const SIM_NICE = env.HUB_LOAD_SIM_NICE === undefined ? undefined : Number(env.HUB_LOAD_SIM_NICE);
/** Longest wait for ingest to store every acked record after the run (s). */
const CATCH_UP_S = Number(env.HUB_LOAD_CATCH_UP_S ?? 600);
const LABEL = env.HUB_LOAD_LABEL ?? 'current';
const TOKEN = 'hub-load-token';
const root = fileURLToPath(new URL('..', import.meta.url));
const HUB = join(root, 'dist', 'bin', 'hub.js');
const RESULTS = new URL('./results/hub-load.json', import.meta.url);

interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}
interface SimSummary {
  readonly loggedIn: number;
  readonly sent: number;
  readonly acked: number;
  readonly unacked: number;
  readonly errors: number;
  readonly disconnects: number;
  readonly connect_s: number;
  readonly acked_per_s: number;
  readonly ack_ms: Latency;
  readonly ack_ms_steady: Latency;
  readonly errors_by_code: Record<string, number>;
}
interface Hub {
  readonly child: ChildProcess;
  readonly base: string;
  readonly errors: string[];
}
interface ProcFigures {
  readonly pid: number;
  readonly command: string;
  readonly cpu_pct: number;
  readonly rss_mib_max: number;
}

async function api(base: string, method: string, path: string, body?: unknown): Promise<{ result: unknown[]; next?: string }> {
  const r = await fetch(base + path, {
    method,
    headers: { authorization: `FlespiToken ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as { result: unknown[]; next?: string };
}

async function startHub(dir: string, apiPort: number, channelPort: number): Promise<Hub> {
  const nodeArgs = (env.HUB_LOAD_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const hubArgs = (env.HUB_LOAD_HUB_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, HUB, 'start', '--data-dir', dir, '--api-port', String(apiPort), '--channel-port', String(channelPort), '--log-level', 'warn'];
  const child = spawn(process.execPath, [...args, ...hubArgs], {
    env: { ...env, HUB_ADMIN_TOKEN: TOKEN, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  let ready = false;
  createInterface({ input: child.stdout! }).on('line', (l) => (ready ||= l.includes('Press Ctrl-C')));
  createInterface({ input: child.stderr! }).on('line', (l) => {
    if (/ERROR|WARN|Error/.test(l)) errors.push(l);
    if (env.HUB_LOAD_VERBOSE) process.stderr.write(`  hub: ${l}\n`);
  });
  const until = Date.now() + 60_000;
  while (!ready) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`hub did not start: ${errors.join('\n')}`);
    await sleep(100);
  }
  return { child, base: `http://127.0.0.1:${apiPort}`, errors };
}

async function registerDevices(base: string): Promise<void> {
  for (let i = 0; i < DEVICES; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, DEVICES - i) }, (_, j) => ({
      name: `load ${i + j}`,
      configuration: { ident: String(356_000_000_000_000 + i + j) },
      messages_ttl: 86400,
    }));
    await api(base, 'POST', '/gw/devices', batch);
  }
}

/** Every message of channel 1, counted page by page. */
async function storedMessages(base: string): Promise<number> {
  let total = 0;
  let cursor: string | undefined;
  do {
    const page = await api(base, 'GET', `/gw/channels/1/messages?count=100000&fields=timestamp${cursor ? `&cursor=${cursor}` : ''}`);
    total += page.result.length;
    cursor = page.next;
  } while (cursor);
  return total;
}

function startSimulator(channelPort: number): { child: ChildProcess; phase: () => string; summary: () => SimSummary } {
  const args = ['simulate', 'teltonika', '--count', String(DEVICES), '--rate', String(RATE), '--duration', String(REPORT_S), '--port', String(channelPort)];
  const more = ['--workers', String(SIMS), '--source-addresses', String(SIMS), '--warmup', String(WARMUP_S), '--json-progress'];
  // HUB_LOAD_SIM_NICE=-5: the simulators (and their workers) ahead of every hub process for the CPU,
  // as devices on other machines would be: their own scheduling delay on the shared cores is then
  // not counted as the hub's ack latency (needs the right to raise a priority, e.g. root)
  const command = SIM_NICE === undefined ? [process.execPath, HUB] : ['nice', '-n', String(SIM_NICE), process.execPath, HUB];
  const child = spawn(command[0], [...command.slice(1), ...args, ...more], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let phase = 'connect';
  child.stdout!.on('data', (d) => (out += d));
  createInterface({ input: child.stderr! }).on('line', (l) => {
    try {
      const p = JSON.parse(l) as { t: number; phase: string; loggedIn: number; sent: number; acked: number; p99?: number };
      phase = p.phase;
      if (p.t % 5 === 0) process.stderr.write(`  ${String(p.t).padStart(4)} s ${p.phase.padEnd(9)} connected ${p.loggedIn} sent ${p.sent} acked ${p.acked}\n`);
    } catch {
      process.stderr.write(`  simulate: ${l}\n`);
    }
  });
  return { child, phase: () => phase, summary: () => JSON.parse(out.trim().split('\n').pop() ?? '{}') as SimSummary };
}

/** CPU and peak RSS of every process of the hub's tree over `seconds`; the RSS of the tree added up at each sample. */
async function measureTree(pid: number, seconds: number): Promise<{ procs: ProcFigures[]; rssMibMax: number; machineBusyPct: number; top: string[] }> {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const rssMax = new Map<number, number>();
  let treeMax = 0;
  let top: string[] = [];
  const m0 = machineSample();
  const t0 = Date.now();
  while (Date.now() - t0 < seconds * 1000) {
    let sum = 0;
    for (const p of processTree(pid)) {
      const s = procSample(p);
      if (!first.has(p)) first.set(p, s.ticks);
      last.set(p, s.ticks);
      rssMax.set(p, Math.max(rssMax.get(p) ?? 0, s.rssKb));
      sum += s.rssKb;
    }
    treeMax = Math.max(treeMax, sum);
    if (top.length === 0 && Date.now() - t0 > (seconds * 1000) / 2)
      top = execFileSync('top', ['-bn1', '-w', '160'], { encoding: 'utf8' }).split('\n').slice(0, 16);
    await sleep(1000);
  }
  const s = (Date.now() - t0) / 1000;
  const m1 = machineSample();
  const procs = [...first.keys()].map((p) => ({
    pid: p,
    command: commandLine(p).replace(`${process.execPath} `, 'node ').replace(root, '').slice(0, 90),
    cpu_pct: Math.round((((last.get(p) ?? 0) - (first.get(p) ?? 0)) / CLK_TCK / s) * 100),
    rss_mib_max: Math.round((rssMax.get(p) ?? 0) / 1024),
  }));
  return { procs, rssMibMax: Math.round(treeMax / 1024), machineBusyPct: Math.round(((m1.busy - m0.busy) / (m1.total - m0.total)) * 100 * cpus().length), top };
}

/** Waits until the API counts at least `acked` messages (ingest caught up); the count and how long it took. */
async function untilStored(base: string, acked: number): Promise<{ stored: number; catchUpS: number }> {
  const t0 = Date.now();
  let stored = 0;
  while (Date.now() - t0 < CATCH_UP_S * 1000) {
    stored = await storedMessages(base);
    if (stored >= acked) break;
    await sleep(10_000); // a count reads the whole channel history: not too often
  }
  return { stored, catchUpS: Math.round((Date.now() - t0) / 100) / 10 };
}

/** SIGTERM to the hub; the drain time and the processes of its tree still alive afterwards. */
async function stopHub(hub: Hub): Promise<{ drainS: number; leftBehind: number[]; code: number | null }> {
  const tree = processTree(hub.child.pid ?? 0);
  const t0 = Date.now();
  hub.child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => (hub.child.exitCode !== null ? r(hub.child.exitCode) : hub.child.once('exit', (c) => r(c))));
  const drainS = (Date.now() - t0) / 1000;
  await sleep(1000);
  return { drainS, leftBehind: tree.filter((p) => existsSync(`/proc/${p}`) && procSample(p).ticks > 0), code };
}

async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-load-'));
  const [apiPort, channelPort] = [await freePort(), await freePort()];
  const loadBefore = loadavg().map((l) => Number(l.toFixed(2)));
  const hub = await startHub(dir, apiPort, channelPort);
  try {
    process.stderr.write(`registering ${DEVICES} devices...\n`);
    await registerDevices(hub.base);
    const sim = startSimulator(channelPort);
    while (sim.phase() !== 'report' && sim.child.exitCode === null) await sleep(100);
    await sleep(WARMUP_S * 1000);
    const tree = await measureTree(hub.child.pid ?? 0, Math.max(5, REPORT_S - WARMUP_S - 3));
    await new Promise<void>((r) => (sim.child.exitCode !== null ? r() : sim.child.once('exit', () => r())));
    const summary = sim.summary();
    process.stderr.write(`simulator done: acked ${summary.acked}; counting stored messages...\n`);
    const { stored, catchUpS } = await untilStored(hub.base, summary.acked);
    const stop = await stopHub(hub);
    return {
      label: LABEL,
      date: new Date().toISOString(),
      commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(),
      hub_args: env.HUB_LOAD_HUB_ARGS ?? '',
      simulator_nice: SIM_NICE ?? 0,
      devices: DEVICES,
      rate: RATE,
      report_s: REPORT_S,
      warmup_s: WARMUP_S,
      connected: summary.loggedIn,
      connect_s: summary.connect_s,
      ack_ms: summary.ack_ms_steady,
      ack_ms_including_warmup: summary.ack_ms,
      acked_per_s: summary.acked_per_s,
      sent: summary.sent,
      acked: summary.acked,
      stored,
      lost: Math.max(0, summary.acked - stored),
      ingest_catch_up_s: catchUpS,
      device_errors: summary.errors,
      disconnects: summary.disconnects,
      hub_rss_mib_max: tree.rssMibMax,
      hub_cpu_pct: tree.procs.reduce((n, p) => n + p.cpu_pct, 0),
      hub_processes: tree.procs,
      machine_busy_pct: tree.machineBusyPct,
      drain_s: stop.drainS,
      exit_code: stop.code,
      processes_left_behind: stop.leftBehind.length,
      hub_error_lines: hub.errors.length,
      first_errors: hub.errors.slice(0, 5),
      machine: { cores: cpus().length, memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version, load_before: loadBefore, top_mid_run: tree.top },
    };
  } finally {
    if (hub.child.exitCode === null) hub.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(r: Record<string, unknown>): void {
  const ack = r.ack_ms as Latency;
  const procs = r.hub_processes as ProcFigures[];
  console.log(`\nHub load: ${DEVICES} Teltonika devices, ${RATE} frames/s, ${REPORT_S} s (warm-up ${WARMUP_S} s), data on disk, ingest on [${LABEL}]`);
  console.log(
    table(
      ['ack p50 ms', 'ack p99 ms', 'ack max ms', 'acked/s', 'acked', 'stored', 'lost', 'hub RSS MiB', 'hub CPU %', 'machine busy %', 'drain s', 'left behind'],
      [
        [
          ack.p50,
          ack.p99,
          ack.max,
          String(r.acked_per_s),
          String(r.acked),
          String(r.stored),
          String(r.lost),
          String(r.hub_rss_mib_max),
          String(r.hub_cpu_pct),
          String(r.machine_busy_pct),
          String(r.drain_s),
          String(r.processes_left_behind),
        ],
      ],
    ),
  );
  console.log(
    table(
      ['pid', 'process', 'CPU %', 'RSS MiB (max)'],
      procs.map((p) => [p.pid, p.command, p.cpu_pct, p.rss_mib_max]),
    ),
  );
  console.log(
    'CPU %: 100 = one core; machine busy %: every process on the machine (200 = both cores); load before the run:',
    String((r.machine as { load_before: number[] }).load_before),
  );
}

async function main(): Promise<void> {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('build failed');
  const r = await run();
  print(r);
  // other keys of the file (findings written by hand) stay
  const doc = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as { runs?: Record<string, unknown>[] }) : {};
  const runs = [...(doc.runs ?? []).filter((p) => p.label !== LABEL), r];
  writeFileSync(RESULTS, `${JSON.stringify({ ...doc, target: { ack_p99_ms: 50, rss_mib: 1024, lost: 0 }, runs }, null, 2)}\n`);
  const ack = r.ack_ms as Latency;
  if (Number(r.lost) > 0 || Number(r.connected) < DEVICES || Number(r.processes_left_behind) > 0) process.exitCode = 1;
  else if (ack.p99 > 50 || Number(r.hub_rss_mib_max) >= 1024) console.log('target missed: p99 ack ≤ 50 ms and RSS < 1 GiB');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
