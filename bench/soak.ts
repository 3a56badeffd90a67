/**
 * Soak (reliability issue): 10,000 Teltonika devices against a local hub (`hub start`, data on
 * disk, ingest on) for SOAK_MINUTES (default 30), one report per device per SOAK_PERIOD_S (default
 * 60 s). Every minute: the hub's RSS (and its anonymous part), data directory size and CPU. At the end: devices acked vs messages stored (through
 * the API), memory growth, throughput and errors. `npm run soak`; writes bench/results/soak.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { bundle } from './lib/build.js';
import { table } from './lib/measure.js';
import { CLK_TCK, freePort, procSample, sleep } from './lib/proc.js';

const DEVICES = Number(process.env.SOAK_DEVICES ?? 10_000);
const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const PERIOD_S = Number(process.env.SOAK_PERIOD_S ?? 60);
const TOKEN = 'soak-token';

async function api(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const r = await fetch(base + path, {
    method,
    headers: { authorization: `FlespiToken ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

async function startHub(
  entry: string,
  dir: string,
  apiPort: number,
  channelPort: number,
): Promise<{ child: ChildProcess; errors: string[]; warnings: string[] }> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.SOAK_NODE_ARGS ?? '').split(' ').filter(Boolean),
      entry,
      'start',
      '--data-dir',
      dir,
      '--api-port',
      String(apiPort),
      '--channel-port',
      String(channelPort),
      '--log-level',
      'warn',
    ],
    {
      env: { ...process.env, HUB_ADMIN_TOKEN: TOKEN, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const errors: string[] = [];
  const warnings: string[] = [];
  let ready = false;
  createInterface({ input: child.stdout! }).on('line', (l) => (ready ||= l.includes('Press Ctrl-C')));
  createInterface({ input: child.stderr! }).on('line', (l) =>
    l.startsWith('MEM ') ? void process.stderr.write(`  hub ${l}\n`) : (/ERROR/.test(l) ? errors : /WARN/.test(l) ? warnings : []).push(l),
  );
  const until = Date.now() + 60_000;
  while (!ready) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`hub did not start: ${errors.join('\n')}`);
    await sleep(100);
  }
  return { child, errors, warnings };
}

/** Bytes under a directory (the hub's data: dynalite tables, journal). */
function dirBytes(path: string): number {
  let n = 0;
  for (const e of readdirSync(path, { withFileTypes: true }))
    n += e.isDirectory() ? dirBytes(join(path, e.name)) : (statSync(join(path, e.name), { throwIfNoEntry: false })?.size ?? 0);
  return n;
}

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

async function main(): Promise<void> {
  const built = await bundle(['bin/hub.ts']);
  const dir = mkdtempSync(join(tmpdir(), 'hub-soak-'));
  const apiPort = await freePort();
  const channelPort = await freePort();
  const base = `http://127.0.0.1:${apiPort}`;
  const hub = await startHub(built['bin/hub.ts'], dir, apiPort, channelPort);
  const pid = hub.child.pid!;
  try {
    process.stderr.write(`registering ${DEVICES} devices...\n`);
    for (let i = 0; i < DEVICES; i += 1000) {
      await api(
        base,
        'POST',
        '/gw/devices',
        Array.from({ length: Math.min(1000, DEVICES - i) }, (_, j) => ({
          name: `soak ${i + j}`,
          configuration: { ident: String(356_000_000_000_000 + i + j) },
          messages_ttl: 86400,
        })),
      );
    }
    const rate = DEVICES / PERIOD_S;
    const sim = spawn(
      process.execPath,
      [
        built['bin/hub.ts'],
        'simulate',
        'teltonika',
        '--count',
        String(DEVICES),
        '--rate',
        rate.toFixed(3),
        '--duration',
        String(MINUTES * 60),
        '--port',
        String(channelPort),
        '--workers',
        '1',
        '--connect-rate',
        '1000',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let out = '';
    sim.stdout!.on('data', (d) => (out += d));
    const samples: { minute: number; rss_mb: number; anon_mb: number; data_mb: number; cpu_pct: number }[] = [];
    let last = procSample(pid);
    let lastAt = Date.now();
    const started = Date.now();
    while (sim.exitCode === null) {
      await sleep(Math.min(60_000, MINUTES * 60_000 + 120_000));
      const now = procSample(pid);
      const cpu = ((now.ticks - last.ticks) / CLK_TCK / ((Date.now() - lastAt) / 1000)) * 100;
      samples.push({
        minute: Math.round((Date.now() - started) / 60_000),
        rss_mb: Math.round(now.rssKb / 1024),
        anon_mb: Math.round(now.rssAnonKb / 1024),
        data_mb: Math.round(dirBytes(dir) / 2 ** 20),
        cpu_pct: Math.round(cpu),
      });
      const s = samples.at(-1)!;
      process.stderr.write(`  minute ${s.minute}: hub RSS ${s.rss_mb} MB (anonymous ${s.anon_mb} MB), data dir ${s.data_mb} MB, CPU ${s.cpu_pct} %\n`);
      last = now;
      lastAt = Date.now();
    }
    const summary = JSON.parse(out) as { sent: number; acked: number; errors: number; ack_ms: { p50: number; p99: number } };
    // every acked record stored: wait for ingest to catch up
    let stored = 0;
    const deadline = Date.now() + 10 * 60_000;
    do {
      stored = await storedMessages(base);
      if (stored >= summary.acked) break;
      await sleep(5000);
    } while (Date.now() < deadline);
    const first = samples[Math.min(1, samples.length - 1)];
    const lastSample = samples[samples.length - 1];
    const perHour = (key: 'rss_mb' | 'anon_mb' | 'data_mb') =>
      samples.length > 2 ? Math.round(((lastSample[key] - first[key]) / Math.max(1, lastSample.minute - first.minute)) * 60) : 0;
    const result = {
      devices: DEVICES,
      minutes: MINUTES,
      report_period_s: PERIOD_S,
      sent: summary.sent,
      acked: summary.acked,
      stored,
      lost: Math.max(0, summary.acked - stored),
      device_errors: summary.errors,
      hub_error_lines: hub.errors.length,
      hub_warning_lines: hub.warnings.length,
      throughput_msgs_per_s: Number((summary.acked / (MINUTES * 60)).toFixed(1)),
      ack_ms: summary.ack_ms,
      rss_mb: { after_1_min: first.rss_mb, end: lastSample.rss_mb, max: Math.max(...samples.map((s) => s.rss_mb)), growth_mb_per_hour: perHour('rss_mb') },
      anon_rss_mb: {
        after_1_min: first.anon_mb,
        end: lastSample.anon_mb,
        max: Math.max(...samples.map((s) => s.anon_mb)),
        growth_mb_per_hour: perHour('anon_mb'),
      },
      data_dir_mb: { after_1_min: first.data_mb, end: lastSample.data_mb, growth_mb_per_hour: perHour('data_mb') },
      cpu_pct_avg: Math.round(samples.reduce((n, s) => n + s.cpu_pct, 0) / samples.length),
      samples,
      first_errors: hub.errors.slice(0, 5),
    };
    console.log(`\nSoak: ${DEVICES} devices, ${MINUTES} min, one report per device every ${PERIOD_S} s (local hub, data on disk)`);
    console.log(
      table(
        ['sent', 'acked', 'stored', 'lost', 'device errors', 'hub ERROR lines', 'msgs/s', 'ack p50/p99 ms', 'CPU avg'],
        [
          [
            result.sent,
            result.acked,
            result.stored,
            result.lost,
            result.device_errors,
            result.hub_error_lines,
            result.throughput_msgs_per_s,
            `${summary.ack_ms.p50}/${summary.ack_ms.p99}`,
            `${result.cpu_pct_avg} %`,
          ],
        ],
      ),
    );
    console.log(
      table(
        ['memory (MB)', 'after 1 min', 'end', 'max', 'growth MB/h'],
        [
          ['RSS', first.rss_mb, lastSample.rss_mb, result.rss_mb.max, result.rss_mb.growth_mb_per_hour],
          ['anonymous RSS (heap, malloc)', first.anon_mb, lastSample.anon_mb, result.anon_rss_mb.max, result.anon_rss_mb.growth_mb_per_hour],
          ['data directory on disk', first.data_mb, lastSample.data_mb, '', result.data_dir_mb.growth_mb_per_hour],
        ],
      ),
    );
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    writeFileSync(new URL('./results/soak.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
    if (result.lost > 0) process.exitCode = 1;
  } finally {
    hub.child.kill('SIGTERM');
    await new Promise((r) => hub.child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
