import { fork } from 'node:child_process';
import { allProtocols } from '../../protocols/index.js';
import { LatencyHistogram } from './latency-histogram.js';
import { type DeviceHost, type DeviceProfile, type SimCounters, type SimDevice, simDevice, zeroCounters } from './sim-devices.js';
import { addCounters, type Progress, progressLine, type SimulateOptions, type SimulateSummary, summarize } from './sim-summary.js';

export const PROFILES: Readonly<Record<string, DeviceProfile>> = Object.fromEntries(allProtocols().map((p) => [p.name, p.simulator]));

/** One process's share of a simulation. */
export class SimRun implements DeviceHost {
  readonly c: SimCounters = zeroCounters();
  readonly hist = new LatencyHistogram();
  /** Acks of reports sent after the warm-up. */
  readonly steady = new LatencyHistogram();
  private steadyFrom = Infinity;
  readonly profile: DeviceProfile;
  private readonly devices: SimDevice[] = [];
  private allIn?: () => void;
  /** Devices ready to report (see DeviceHost.ready). */
  private readyCount = 0;
  connectStarted = 0;
  connectDone = 0;
  reportStarted = 0;
  reportDone = 0;

  constructor(readonly o: SimulateOptions) {
    const profile = PROFILES[o.protocol];
    if (!profile) throw new Error(`unknown protocol "${o.protocol}"`);
    if (!profile.transports.includes(o.transport)) throw new Error(`${o.protocol} does not speak ${o.transport}`);
    this.profile = profile;
  }

  /** Errors by code (ECONNRESET, ...). */
  readonly errorCodes: Record<string, number> = {};

  error(code: string): void {
    this.c.errors++;
    this.errorCodes[code] = (this.errorCodes[code] ?? 0) + 1;
  }

  /** An ack of a report sent at `sentAt` (performance.now()). */
  ack(sentAt: number): void {
    const ms = performance.now() - sentAt;
    this.hist.add(ms);
    if (sentAt >= this.steadyFrom) this.steady.add(ms);
  }

  ready(): void {
    this.readyCount++;
    if (this.readyCount >= this.o.count) this.allIn?.();
  }

  online(again: boolean): void {
    this.c.connected++;
    if (again) this.c.reconnects++;
    else this.c.loggedIn++;
  }

  offline(): void {
    this.c.connected--;
    this.c.disconnects++;
  }

  /** Connects every device at the connect rate; resolves once all are ready to report (or the timeout). */
  async connectAll(timeoutMs = 120_000): Promise<void> {
    this.connectStarted = performance.now();
    const done = new Promise<void>((resolve) => {
      this.allIn = resolve;
      if (this.o.count === 0) resolve();
    });
    const perTick = Math.max(1, Math.round(this.o.connectRate / 100));
    for (let i = 0; i < this.o.count; i++) {
      const n = this.o.firstIndex + i;
      const d = simDevice(this.o.transport, n, this.profile.identFor(n), this);
      this.devices.push(d);
      const address = sourceAddress(this.o, n);
      d.open(address, address === undefined ? undefined : sourcePort(this.o, n));
      if ((i + 1) % perTick === 0) await sleep(10);
    }
    await Promise.race([done, sleep(timeoutMs)]);
    this.connectDone = performance.now();
  }

  /**
   * Sends reports for `durationS`: device i reports every count/rate seconds, at a phase spread over
   * the period, driven by one 10 ms tick (no timer per device).
   */
  async report(durationS: number): Promise<void> {
    const periodMs = Math.max(10, (this.o.count / Math.max(this.o.rate, 1e-9)) * 1000);
    const slots = Math.max(1, Math.round(periodMs / 10));
    const start = performance.now();
    this.reportStarted = start;
    this.steadyFrom = start + this.o.warmupS * 1000;
    let tick = 0;
    const bySlot: SimDevice[][] = Array.from({ length: slots }, () => []);
    for (const [i, d] of this.devices.entries()) bySlot[Math.floor((i * slots) / Math.max(1, this.devices.length)) % slots].push(d);
    while (performance.now() - start < durationS * 1000) {
      const due = Math.floor((performance.now() - start) / 10);
      for (; tick <= due; tick++) {
        const now = Date.now();
        for (const d of bySlot[tick % slots]) d.send(now);
      }
      await sleep(5);
    }
    this.reportDone = performance.now();
  }

  /** Waits until every sent report was acked or given up (or the time is up). */
  async settle(timeoutMs = 5000): Promise<void> {
    if (!this.profile.reportsAcked) return;
    const until = Date.now() + timeoutMs;
    while (this.c.acked + this.c.unacked < this.c.sent && Date.now() < until) await sleep(20);
  }

  close(): void {
    for (const d of this.devices) d.close();
  }
}

function sourceAddress(o: SimulateOptions, n: number): string | undefined {
  if (o.sourceAddresses <= 1 || !o.host.startsWith('127.')) return undefined;
  return `${o.sourcePrefix}.${(n % o.sourceAddresses) + 1}`;
}

/**
 * An explicit source port below the ephemeral range (32768+), distinct per device and address:
 * binding an address with port 0 makes the kernel search its in-use ports, which grows slower with
 * every socket (tens of thousands of connects then take minutes); an explicit port is one lookup.
 */
function sourcePort(o: SimulateOptions, n: number): number | undefined {
  return 10_000 + (Math.floor(n / Math.max(1, o.sourceAddresses)) % 22_000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Runs one share in this process; reports to the parent (`send`) when there is one. */
export async function runShare(o: SimulateOptions, send?: (p: Progress) => void, gate?: () => Promise<void>): Promise<SimRun> {
  const run = new SimRun(o);
  let phase = 'connect';
  const timer = setInterval(() => send?.({ c: { ...run.c }, phase }), 1000);
  await run.connectAll();
  phase = 'connected';
  send?.({ c: { ...run.c }, phase, connect_ms: run.connectDone - run.connectStarted });
  await gate?.();
  phase = 'report';
  await run.report(o.durationS);
  phase = 'settle';
  await run.settle();
  clearInterval(timer);
  run.close();
  send?.({
    c: { ...run.c },
    phase: 'done',
    buckets: Array.from(run.hist.buckets),
    max: run.hist.max,
    steadyBuckets: Array.from(run.steady.buckets),
    steadyMax: run.steady.max,
    errorCodes: run.errorCodes,
    connect_ms: run.connectDone - run.connectStarted,
    report_ms: run.reportDone - run.reportStarted,
  });
  return run;
}

/** The coordinator: runs the share itself (one worker) or forks workers and merges their reports. */
export async function coordinate(o: SimulateOptions, workers: number, jsonProgress: boolean, argv: readonly string[]): Promise<SimulateSummary> {
  const started = Date.now();
  const secs = () => Math.round((Date.now() - started) / 1000);
  const acks = PROFILES[o.protocol]?.reportsAcked ?? false;
  const line = (phase: string, c: SimCounters) => process.stderr.write(`${progressLine(jsonProgress, o, acks, { t: secs(), phase }, c)}\n`);
  if (workers <= 1) {
    const run = await runShare(o, (p) => line(p.phase, p.c));
    const ms = { connect: run.connectDone - run.connectStarted, report: run.reportDone - run.reportStarted };
    return summarize(o, acks, run.c, { all: run.hist, steady: run.steady }, ms, run.errorCodes);
  }
  const shares = splitCount(o.count, workers);
  const latest: Progress[] = shares.map(() => ({ c: zeroCounters(), phase: 'connect' }));
  const children = shares.map((count, i) => {
    const first = o.firstIndex + shares.slice(0, i).reduce((a, b) => a + b, 0);
    const share = (v: number) => String((v * count) / Math.max(1, o.count));
    const child = fork(
      process.argv[1],
      [
        ...argv,
        '--count',
        String(count),
        '--rate',
        share(o.rate),
        '--connect-rate',
        share(o.connectRate),
        '--first-ident-index',
        String(first),
        '--workers',
        '1',
        '--source-prefix',
        o.sourcePrefix,
      ],
      { env: { ...process.env, HUB_SIMULATE_CHILD: '1' }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
    );
    child.on('message', (m: unknown) => {
      if (typeof m === 'object' && m !== null && 'c' in m) latest[i] = m as Progress;
    });
    return child;
  });
  const total = (): SimCounters => addCounters(latest.map((p) => p.c));
  const order = ['connect', 'connected', 'report', 'settle', 'done'];
  const phase = () => order[Math.min(...latest.map((p) => order.indexOf(p.phase)))];
  const timer = setInterval(() => line(phase(), total()), 1000);
  // start reporting together once every worker connected its devices
  while (!latest.every((p) => p.phase !== 'connect') && children.some((c) => c.exitCode === null)) await sleep(50);
  for (const c of children) if (c.connected) c.send({ go: true });
  await Promise.all(children.map((c) => new Promise<void>((r) => (c.exitCode !== null ? r() : c.once('exit', () => r())))));
  clearInterval(timer);
  const hist = new LatencyHistogram();
  const steady = new LatencyHistogram();
  for (const p of latest) {
    if (p.buckets) hist.merge(p.buckets, p.max ?? 0);
    if (p.steadyBuckets) steady.merge(p.steadyBuckets, p.steadyMax ?? 0);
  }
  const ms = { connect: Math.max(...latest.map((p) => p.connect_ms ?? 0)), report: Math.max(...latest.map((p) => p.report_ms ?? 0)) };
  const codes: Record<string, number> = {};
  for (const p of latest) for (const [k, v] of Object.entries(p.errorCodes ?? {})) codes[k] = (codes[k] ?? 0) + v;
  return summarize(o, acks, total(), { all: hist, steady }, ms, codes);
}

function splitCount(count: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(count / parts) + (i < count % parts ? 1 : 0));
}

/** The 127.x.y prefix of this run's source addresses: given, or a random one (runs side by side do not collide). */
export function sourcePrefix(given: string | undefined): string {
  if (given !== undefined && /^127\.\d{1,3}\.\d{1,3}$/.test(given)) return given;
  return `127.${10 + Math.floor(Math.random() * 240)}.${Math.floor(Math.random() * 256)}`;
}
