import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { LaneHandle } from '../adapters/local/journal-queue.js';
import { ENV } from '../core/env.js';
import type { Logger } from '../core/logger.js';
import type { FrameQueue } from '../core/ports.js';
import type { Channel } from '../core/schemas/channels.js';
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
  const { logger } = opts;
  const { exec, execArgv } = opts.workerEntry ? { exec: opts.workerEntry, execArgv: withoutTsx(process.execArgv) } : workerEntry();
  // 'advanced' (structured clone): queue bodies cross as strings, without JSON escaping
  cluster.setupPrimary({ exec, execArgv, silent: false, serialization: 'advanced' });
  const states = new Map<Worker, WorkerState>();
  const requests = new Map<number, { pending: Set<Worker>; done: () => void }>();
  let requestSeq = 0;
  let stopping = false;
  /** Longest batch latency any worker reported since stats() was last read. */
  let latencyMax = 0;
  /** Totals of workers that exited (their counters must not go backwards in the sums). */
  const gone: Record<string, number> = {};

  const onMessage = (worker: Worker, m: unknown): void => {
    if (!isHubMessage<ToPrimary>(m)) return;
    const state = states.get(worker);
    switch (m.hub) {
      case 'send':
        if (opts.queue) answerSend(opts.queue, m, (r) => send(worker, r));
        else send(worker, { hub: 'sent', id: m.id, error: 'this primary has no queue' });
        break;
      case 'appended':
        state?.lane?.advance(m.segment, m.end);
        break;
      case 'state':
        if (state) {
          state.channels = m.channels as Channel[];
          state.stats = m.stats;
          latencyMax = Math.max(latencyMax, m.stats.batchLatencyMsMax ?? 0);
        }
        break;
      case 'synced': {
        const r = requests.get(m.id);
        r?.pending.delete(worker);
        if (r && r.pending.size === 0) r.done();
        break;
      }
      default:
        break;
    }
  };

  const fork = (index: number): Promise<Worker> => {
    const lane = opts.lanes?.(index);
    const queueEnv = lane ? { [ENV.queue]: 'journal', [ENV.journalDir]: lane.dir } : { [ENV.queue]: opts.queue ? 'ipc' : (opts.env[ENV.queue] ?? 'sqs') };
    const worker = cluster.fork({ ...opts.env, ...queueEnv, [ENV.workerIndex]: String(index) });
    states.set(worker, { lane, channels: [], stats: {} });
    worker.on('message', (m) => onMessage(worker, m));
    worker.on('exit', (code, signal) => {
      for (const [k, v] of Object.entries(states.get(worker)?.stats ?? {}))
        if (k !== 'connections' && k !== 'pending' && k !== 'channels' && typeof v === 'number') gone[k] = (gone[k] ?? 0) + v;
      states.delete(worker);
      for (const r of requests.values()) {
        r.pending.delete(worker);
        if (r.pending.size === 0) r.done();
      }
      if (stopping) return;
      logger.error('listener worker exited; starting another', { worker: index, code, signal });
      setTimeout(() => void fork(index).catch((err) => logger.error('listener worker failed to start', { error: String(err) })), 1000).unref();
    });
    return new Promise<Worker>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`listener worker ${index} did not start within ${opts.startTimeoutMs ?? 30_000} ms`)),
        opts.startTimeoutMs ?? 30_000,
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
  };

  const broadcast = (m: ToWorker) => {
    for (const w of states.keys()) send(w, m);
  };
  /** Asks every worker and waits until each answered (or exited). */
  const ask = (make: (id: number) => ToWorker, timeoutMs: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const id = ++requestSeq;
      const pending = new Set(states.keys());
      if (pending.size === 0) return resolve();
      const timer = setTimeout(finish, timeoutMs);
      function finish(): void {
        clearTimeout(timer);
        requests.delete(id);
        resolve();
      }
      requests.set(id, { pending, done: finish });
      for (const w of pending) send(w, make(id));
    });

  try {
    await Promise.all(Array.from({ length: opts.workers }, (_, i) => fork(i + 1)));
  } catch (err) {
    stopping = true;
    for (const w of states.keys()) w.kill('SIGKILL');
    throw err;
  }
  logger.info('listener cluster started', { workers: opts.workers });

  const channelsNow = (): Channel[] => [...states.values()][0]?.channels ?? [];
  const sum = (take: boolean): ListenerStats => {
    const out: Record<string, number> = { ...EMPTY_STATS, ...gone };
    for (const s of states.values()) for (const [k, v] of Object.entries(s.stats)) out[k] = (out[k] ?? 0) + (typeof v === 'number' ? v : 0);
    out.channels = channelsNow().length;
    out.batchLatencyMsMax = latencyMax;
    if (take) latencyMax = 0;
    return out as unknown as ListenerStats;
  };
  return {
    get channels(): Channel[] {
      return channelsNow();
    },
    pids: () => [...states.keys()].flatMap((w) => (w.process.pid === undefined ? [] : [w.process.pid])),
    syncChannels: () => ask((id) => ({ hub: 'sync', id }), 10_000),
    nudge: () => broadcast({ hub: 'nudge' }),
    stats: () => sum(false),
    metricTotals: () => sum(true),
    async drain(timeoutMs = 30_000) {
      stopping = true;
      const exits = [...states.keys()].map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve()))));
      broadcast({ hub: 'drain' });
      const timer = setTimeout(() => {
        for (const w of states.keys()) {
          logger.error('listener worker did not drain in time; killing it', { pid: w.process.pid });
          w.kill('SIGKILL');
        }
      }, timeoutMs);
      await Promise.all(exits);
      clearTimeout(timer);
      logger.info('listener cluster drained');
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
