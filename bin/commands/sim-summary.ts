import type { LatencyHistogram } from './latency-histogram.js';
import { type SimCounters, type Transport, zeroCounters } from './sim-devices.js';

/** What `hub simulate` runs (every value checked by the CLI). */
export interface SimulateOptions {
  readonly protocol: string;
  readonly count: number;
  readonly rate: number;
  readonly durationS: number;
  readonly host: string;
  readonly port: number;
  readonly transport: Transport;
  readonly sourceAddresses: number;
  readonly connectRate: number;
  readonly firstIndex: number;
  /** Seconds of reporting left out of the steady-state latency. */
  readonly warmupS: number;
  /**
   * First three octets of the source addresses (`127.x.y`): a fresh prefix per run, so that the
   * source ports of the previous run, still in TIME_WAIT for a minute, do not collide.
   */
  readonly sourcePrefix: string;
}

type Latency = { readonly p50: number; readonly p99: number; readonly max: number };

export interface SimulateSummary extends Omit<SimCounters, 'connected'> {
  readonly protocol: string;
  readonly transport: Transport;
  readonly count: number;
  readonly rate: number;
  readonly duration_s: number;
  /** Devices connected at the end; null (n/a) on UDP for protocols whose reports are not acked. */
  readonly connected: number | null;
  /** UDP only: devices the hub answered at least once; null for protocols whose reports are not acked. */
  readonly answered?: number | null;
  /** From the first connect until every device was ready to report (TCP: logged in) (s). */
  readonly connect_s: number;
  /** Reports per second while reporting (sent, acked). */
  readonly sent_per_s: number;
  readonly acked_per_s: number;
  readonly ack_ms: Latency;
  /** The same, for reports sent after the warm-up (--warmup). */
  readonly ack_ms_steady: Latency;
  /** Reports never acked: given up when a device lost the hub, or still unanswered at the end. */
  readonly unacked: number;
  readonly errors_by_code: Readonly<Record<string, number>>;
}

/** Progress of one process, sent to the parent each second. */
export interface Progress {
  readonly c: SimCounters;
  readonly phase: string;
  readonly buckets?: number[];
  readonly max?: number;
  readonly steadyBuckets?: number[];
  readonly steadyMax?: number;
  readonly errorCodes?: Record<string, number>;
  readonly connect_ms?: number;
  readonly report_ms?: number;
}

/** The counters of several processes added up. */
export function addCounters(all: readonly SimCounters[]): SimCounters {
  const sum = zeroCounters();
  const keys = Object.keys(sum) as (keyof SimCounters)[];
  for (const c of all) for (const k of keys) sum[k] += c[k];
  return sum;
}

/** "connected" cannot be known: UDP, and the hub does not answer reports. */
function connectedUnknown(o: SimulateOptions, reportsAcked: boolean): boolean {
  return o.transport === 'udp' && !reportsAcked;
}

function latency(h: LatencyHistogram): Latency {
  return { p50: h.percentile(50), p99: h.percentile(99), max: Math.round(h.max * 10) / 10 };
}

export function summarize(
  o: SimulateOptions,
  reportsAcked: boolean,
  c: SimCounters,
  hist: { readonly all: LatencyHistogram; readonly steady: LatencyHistogram },
  ms: { readonly connect: number; readonly report: number },
  errorCodes: Record<string, number>,
): SimulateSummary {
  const s = Math.max(ms.report / 1000, 1e-9);
  const unknown = connectedUnknown(o, reportsAcked);
  return {
    protocol: o.protocol,
    transport: o.transport,
    count: o.count,
    rate: o.rate,
    duration_s: o.durationS,
    ...c,
    connected: unknown ? null : c.connected,
    ...(o.transport === 'udp' ? { answered: unknown ? null : c.loggedIn } : {}),
    connect_s: Math.round(ms.connect) / 1000,
    sent_per_s: Math.round(c.sent / s),
    acked_per_s: Math.round(c.acked / s),
    ack_ms: latency(hist.all),
    ack_ms_steady: latency(hist.steady),
    unacked: reportsAcked ? c.sent - c.acked : 0,
    errors_by_code: errorCodes,
  };
}

/** One progress line (stderr): text, or JSON with `--json-progress`. */
export function progressLine(
  json: boolean,
  o: SimulateOptions,
  reportsAcked: boolean,
  at: { readonly t: number; readonly phase: string },
  c: SimCounters,
  hist?: LatencyHistogram,
): string {
  const unknown = connectedUnknown(o, reportsAcked);
  if (json) {
    const lat = hist ? { p50: hist.percentile(50), p99: hist.percentile(99) } : {};
    return JSON.stringify({ ...at, ...c, connected: unknown ? null : c.connected, ...lat });
  }
  const lat = hist && hist.count > 0 ? `  ack p50 ${hist.percentile(50)} ms p99 ${hist.percentile(99)} ms` : '';
  const connected = unknown ? 'n/a' : `${c.connected}/${o.count}`;
  return (
    `${String(at.t).padStart(4)} s  ${at.phase.padEnd(9)} connected ${connected}  sent ${c.sent}  acked ${c.acked}  unacked ${c.unacked}` +
    `  errors ${c.errors}  disconnects ${c.disconnects}  reconnects ${c.reconnects}${lat}`
  );
}
