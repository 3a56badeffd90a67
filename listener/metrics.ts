export interface MetricsOptions {
  /** Period of one EMF line (ms); default 60 s. */
  readonly periodMs?: number;
  /** CloudWatch namespace; default `TelematicsHub`. */
  readonly namespace?: string;
  /** Dimension values; default `{ service: 'hub-listener' }` (what the stack's dashboard, alarms and scaling read). */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** Where lines go; default stdout (the awslogs driver ships it, CloudWatch extracts the metrics). */
  readonly write?: (line: string) => void;
}

/** Totals since start of a listener (one process, or all workers of a task), read each period. */
export interface MetricTotals {
  readonly connections: number;
  readonly frames: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly decodeErrors: number;
  readonly ackErrors: number;
  readonly batches: number;
  /** Sum of the times the queue took to accept each batch (ms). */
  readonly batchLatencyMsTotal: number;
  /** Longest such time since the previous read (the source resets it). */
  readonly batchLatencyMsMax: number;
}

/** What one period measured. */
export interface ListenerSample {
  readonly ActiveConnections: number;
  readonly FramesReceived: number;
  readonly BytesIn: number;
  readonly BytesOut: number;
  readonly DecodeErrors: number;
  readonly AckErrors: number;
  /** Mean time the queue took to accept a batch (ms). */
  readonly QueueLatency: number;
  readonly QueueLatencyMax: number;
}

const UNITS: Readonly<Record<keyof ListenerSample, string>> = {
  ActiveConnections: 'Count',
  FramesReceived: 'Count',
  BytesIn: 'Bytes',
  BytesOut: 'Bytes',
  DecodeErrors: 'Count',
  AckErrors: 'Count',
  QueueLatency: 'Milliseconds',
  QueueLatencyMax: 'Milliseconds',
};

/**
 * The listener's metrics in CloudWatch embedded metric format: one JSON line per period on stdout,
 * counts as deltas over the period (no SDK call, no cost per metric put). One line per task: a
 * cluster primary sums its workers. Off locally.
 */
export class ListenerMetrics {
  private timer?: NodeJS.Timeout;
  private last = { frames: 0, bytesIn: 0, bytesOut: 0, decodeErrors: 0, ackErrors: 0, batches: 0, latency: 0 };

  constructor(
    private readonly totals: () => MetricTotals,
    private readonly opts: MetricsOptions = {},
  ) {}

  start(): void {
    this.timer = setInterval(() => this.emit(), this.opts.periodMs ?? 60_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Measures the period since the last sample. */
  sample(): ListenerSample {
    const t = this.totals();
    const batches = t.batches - this.last.batches;
    const latency = t.batchLatencyMsTotal - this.last.latency;
    const out: ListenerSample = {
      ActiveConnections: t.connections,
      FramesReceived: t.frames - this.last.frames,
      BytesIn: t.bytesIn - this.last.bytesIn,
      BytesOut: t.bytesOut - this.last.bytesOut,
      DecodeErrors: t.decodeErrors - this.last.decodeErrors,
      AckErrors: t.ackErrors - this.last.ackErrors,
      QueueLatency: batches > 0 ? Math.round((latency / batches) * 10) / 10 : 0,
      QueueLatencyMax: t.batchLatencyMsMax,
    };
    this.last = {
      frames: t.frames,
      bytesIn: t.bytesIn,
      bytesOut: t.bytesOut,
      decodeErrors: t.decodeErrors,
      ackErrors: t.ackErrors,
      batches: t.batches,
      latency: t.batchLatencyMsTotal,
    };
    return out;
  }

  /** Writes one EMF line for the period. */
  emit(): string {
    const line = emfLine(this.sample(), this.opts.namespace ?? 'TelematicsHub', this.opts.dimensions ?? { service: 'hub-listener' });
    (this.opts.write ?? ((l: string) => process.stdout.write(`${l}\n`)))(line);
    return line;
  }
}

/** One EMF document: the metric values as top-level members, described under `_aws`. */
export function emfLine(sample: ListenerSample, namespace: string, dimensions: Readonly<Record<string, string>>, at = Date.now()): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: (Object.keys(UNITS) as (keyof ListenerSample)[]).map((Name) => ({ Name, Unit: UNITS[Name] })),
        },
      ],
    },
    ...dimensions,
    ...sample,
  });
}
