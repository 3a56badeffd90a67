import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { LaneHandle } from '../adapters/local/journal-queue.js';
import { ENV } from '../core/env.js';
import type { Logger } from '../core/logger.js';
import type { FrameQueue } from '../core/ports.js';
import type { Channel } from '../core/schemas/channels.js';
import { Teardown } from '../core/teardown.js';
import { answerSend, isHubMessage, type ToPrimary, type ToWorker } from './ipc-queue.js';
import type { ListenerHandle, ListenerStats } from './service.js';

export interface ListenerClusterOptions {
  /** Worker processes; each accepts a share of the connections (the primary deals them round-robin). */
  readonly workers: number;
  readonly logger: Logger;
  /**
   * Where workers' batches go: the primary appends them here and answers each worker once they are
   * durable. Absent: workers send to their own queue (SQS on Fargate) and the primary only supervises.
   */
  readonly queue?: FrameQueue;
  /**
   * Local mode with lanes (instead of `queue`): worker `index` appends its frames to its own lane of
   * the hub's journal queue and reports how far it is durable; the primary is not on the ack path.
   */
  readonly lanes?: (index: number) => LaneHandle;
  /** Environment of the workers: the listener configuration read by listener/main.ts. */
  readonly env: Readonly<Record<string, string>>;
  /** How long a worker may take to start serving (ms). */
  readonly startTimeoutMs?: number;
  /** The worker's entry module; default listener/main beside this module (source or compiled). */
  readonly workerEntry?: string;
}

export interface ListenerCluster extends ListenerHandle {
  /** Process ids of the workers (for measurements). */
  pids(): number[];
}

interface WorkerState {
  readonly lane?: LaneHandle;
  channels: Channel[];
  stats: Partial<ListenerStats>;
}

const EMPTY_STATS: ListenerStats = {
  connections: 0,
  channels: 0,
  pending: 0,
  frames: 0,
  bytesIn: 0,
  bytesOut: 0,
  decodeErrors: 0,
  ackErrors: 0,
  batches: 0,
  batchLatencyMsTotal: 0,
  batchLatencyMsMax: 0,
  queueFailures: 0,
  commandsDelivered: 0,
};

/** The worker entry: this folder's main module, as source (tsx) or compiled. */
function workerEntry(): { exec: string; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  const ts = self.endsWith('.ts');
  const exec = self.replace(/cluster\.(ts|js)$/, ts ? 'main.ts' : 'main.js');
  const execArgv = [...process.execArgv];
  if (ts && !execArgv.some((a) => a.includes('tsx'))) execArgv.push('--import', 'tsx');
  return { exec, execArgv };
}

/** The primary's side of the cluster: its workers, their last reported state and the requests in flight. */
class Primary {
  readonly states = new Map<Worker, WorkerState>();
  readonly requests = new Map<number, { pending: Set<Worker>; done: () => void }>();
  requestSeq = 0;
  stopping = false;
  /** Longest batch latency any worker reported since stats() was last read. */
  latencyMax = 0;
  /** Totals of workers that exited (their counters must not go backwards in the sums). */
  readonly gone: Record<string, number> = {};
  /** Replacements of workers that exited, due in a second (cancelled by a stop). */
  private readonly respawns = new Set<NodeJS.Timeout>();

  constructor(private readonly opts: ListenerClusterOptions) {}

  onMessage(worker: Worker, m: unknown): void {
    if (!isHubMessage<ToPrimary>(m)) return;
    const state = this.states.get(worker);
    switch (m.hub) {
      case 'send':
        if (this.opts.queue) answerSend(this.opts.queue, m, (r) => send(worker, r));
        else send(worker, { hub: 'sent', id: m.id, error: 'this primary has no queue' });
        break;
      case 'appended':
        state?.lane?.advance(m.segment, m.end);
        break;
      case 'state':
        if (state) {
          state.channels = m.channels as Channel[];
          state.stats = m.stats;
          this.latencyMax = Math.max(this.latencyMax, m.stats.batchLatencyMsMax ?? 0);
        }
        break;
      case 'synced': {
        const r = this.requests.get(m.id);
        r?.pending.delete(worker);
        if (r && r.pending.size === 0) r.done();
        break;
      }
      default:
        break;
    }
  }

  fork(index: number): Promise<Worker> {
    const lane = this.opts.lanes?.(index);
    const queueEnv = lane
      ? { [ENV.queue]: 'journal', [ENV.journalDir]: lane.dir }
      : { [ENV.queue]: this.opts.queue ? 'ipc' : (this.opts.env[ENV.queue] ?? 'sqs') };
    const worker = cluster.fork({ ...this.opts.env, ...queueEnv, [ENV.workerIndex]: String(index) });
    this.states.set(worker, { lane, channels: [], stats: {} });
    worker.on('message', (m) => this.onMessage(worker, m));
    worker.on('exit', (code, signal) => {
      for (const [k, v] of Object.entries(this.states.get(worker)?.stats ?? {}))
        if (k !== 'connections' && k !== 'pending' && k !== 'channels' && typeof v === 'number') this.gone[k] = (this.gone[k] ?? 0) + v;
      this.states.delete(worker);
      for (const r of this.requests.values()) {
        r.pending.delete(worker);
        if (r.pending.size === 0) r.done();
      }
      if (this.stopping) return;
      this.opts.logger.error('listener worker exited; starting another', { worker: index, code, signal });
      const respawn = setTimeout(() => {
        this.respawns.delete(respawn);
        void this.fork(index).catch((err) => this.opts.logger.error('listener worker failed to start', { error: String(err) }));
      }, 1000);
      respawn.unref();
      this.respawns.add(respawn);
    });
    return new Promise<Worker>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`listener worker ${index} did not start within ${this.opts.startTimeoutMs ?? 30_000} ms`)),
        this.opts.startTimeoutMs ?? 30_000,
      );
      const ready = (m: unknown) => {
        if (!isHubMessage<ToPrimary>(m) || m.hub !== 'state') return;
        clearTimeout(timer);
        worker.off('message', ready);
        resolve(worker);
      };
      worker.on('message', ready);
      worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`listener worker ${index} exited with ${code} while starting`));
      });
    });
  }

  broadcast(m: ToWorker): void {
    for (const w of this.states.keys()) send(w, m);
  }

  /** Asks every worker and waits until each answered (or exited). */
  ask(make: (id: number) => ToWorker, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const id = ++this.requestSeq;
      const pending = new Set(this.states.keys());
      if (pending.size === 0) return resolve();
      const finish = (): void => {
        clearTimeout(timer);
        this.requests.delete(id);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.requests.set(id, { pending, done: finish });
      for (const w of pending) send(w, make(id));
    });
  }

  channelsNow(): Channel[] {
    return [...this.states.values()][0]?.channels ?? [];
  }

  sum(take: boolean): ListenerStats {
    const out: Record<string, number> = { ...EMPTY_STATS, ...this.gone };
    for (const s of this.states.values()) for (const [k, v] of Object.entries(s.stats)) out[k] = (out[k] ?? 0) + (typeof v === 'number' ? v : 0);
    out.channels = this.channelsNow().length;
    out.batchLatencyMsMax = this.latencyMax;
    if (take) this.latencyMax = 0;
    return out as unknown as ListenerStats;
  }

  /** Stops replacing workers and waits until every worker exited: drained within `timeoutMs`, or killed. */
  async drain(timeoutMs: number): Promise<void> {
    const exits = this.halt();
    this.broadcast({ hub: 'drain' });
    const timer = setTimeout(() => {
      for (const w of this.states.keys()) {
        this.opts.logger.error('listener worker did not drain in time; killing it', { pid: w.process.pid });
        w.kill('SIGKILL');
      }
    }, timeoutMs);
    await exits;
    clearTimeout(timer);
    this.opts.logger.info('listener cluster drained');
  }

  /** A failed start: kills every worker at once and waits until they exited. */
  async kill(): Promise<void> {
    const exits = this.halt();
    for (const w of this.states.keys()) w.kill('SIGKILL');
    await exits;
  }

  /** Stops replacing workers; resolves once every worker exited. */
  private halt(): Promise<void> {
    this.stopping = true;
    for (const r of this.respawns) clearTimeout(r);
    this.respawns.clear();
    const exits = [...this.states.keys()].map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve()))));
    return Promise.all(exits).then(() => undefined);
  }
}

/**
 * The listener as a `node:cluster` primary and N workers. Each worker is a whole listener service
 * (listener/main.ts) with its own batcher; the primary accepts connections and deals them to the
 * workers round-robin, so one listener task can hold more connections than one process may open
 * files, and use every core. With `queue` (local mode), workers forward their batches over IPC
 * and the primary appends them to the journal: the journal stays single-writer (one fsync per
 * group commit for all workers) and "acked means durable" holds, because a worker acks only
 * after the primary answered. With `lanes` instead (a local hub's default), each worker appends
 * and fsyncs its own lane of the journal and only reports how far it is durable, so acks never
 * wait for the primary. A worker that dies is replaced; its unacked frames are resent by the
 * devices.
 */
export async function startListenerCluster(opts: ListenerClusterOptions): Promise<ListenerCluster> {
  if (!cluster.isPrimary) throw new Error('startListenerCluster runs in the primary process');
  const { exec, execArgv } = opts.workerEntry ? { exec: opts.workerEntry, execArgv: withoutTsx(process.execArgv) } : workerEntry();
  // 'advanced' (structured clone): queue bodies cross as strings, without JSON escaping
  cluster.setupPrimary({ exec, execArgv, silent: false, serialization: 'advanced' });
  const t = new Teardown();
  const primary = new Primary(opts);
  let drainMs: number | undefined;
  // a started cluster drains its workers (within the first stop's timeout); a failed start kills them
  t.add('listener workers', primary, (p) => (drainMs === undefined ? p.kill() : p.drain(drainMs)));
  try {
    await Promise.all(Array.from({ length: opts.workers }, (_, i) => primary.fork(i + 1)));
  } catch (err) {
    await t.close().catch((closeErr) => opts.logger.error('listener cluster start-up failed and so did stopping its workers', { error: String(closeErr) }));
    throw err;
  }
  opts.logger.info('listener cluster started', { workers: opts.workers });
  return {
    get channels(): Channel[] {
      return primary.channelsNow();
    },
    pids: () => [...primary.states.keys()].flatMap((w) => (w.process.pid === undefined ? [] : [w.process.pid])),
    syncChannels: () => primary.ask((id) => ({ hub: 'sync', id }), 10_000),
    nudge: () => primary.broadcast({ hub: 'nudge' }),
    stats: () => primary.sum(false),
    metricTotals: () => primary.sum(true),
    drain(timeoutMs = 30_000) {
      drainMs ??= timeoutMs;
      return t.close();
    },
  };
}

/** Node options of this process minus a tsx loader (a compiled worker entry needs none). */
function withoutTsx(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if ((argv[i] === '--import' || argv[i] === '--require') && /tsx/.test(argv[i + 1] ?? '')) i++;
    else if (!/tsx/.test(argv[i])) out.push(argv[i]);
  }
  return out;
}

function send(worker: Worker, m: ToWorker): void {
  if (!worker.isConnected()) return;
  try {
    worker.send(m);
  } catch {
    // the worker is going away: its frames were not acked
  }
}
