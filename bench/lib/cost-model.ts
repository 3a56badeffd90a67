/**
 * Monthly cost of a deployment from measured per-message and per-invocation figures, at the list
 * prices of prices.ts. Pure functions: the bench measures, this prices.
 */
import { HISTORY_DAYS, HOURS_PER_MONTH, MESSAGES_PER_DEVICE_MONTH, PRICES } from './prices.js';

/** What the simulation measured for one configuration, scaled to a month of the whole fleet. */
export interface MonthlyUsage {
  readonly devices: number;
  readonly sqs: { readonly send: number; readonly receive: number; readonly delete: number };
  readonly dynamo: {
    /** Write and read request units of the whole fleet per month. */
    readonly wru: number;
    readonly rru: number;
    /** Bytes stored at steady state: device history (HISTORY_DAYS, or the hot window with cold history), channel history, registry items. */
    readonly storedBytes: number;
    /** Bytes under point-in-time recovery (default: all of `storedBytes`; the registry's alone when the messages table has none). */
    readonly pitrBytes?: number;
  };
  /** Cold history in S3 (lib/archive.ts), when on. */
  readonly archive?: ArchiveUsage;
  readonly lambda: { readonly invocations: number; readonly gbSeconds: number; readonly logBytes: number; readonly maxBilledMs: number };
  readonly xrayTraces: number;
}

/** What the archive costs per month at the fleet: S3 objects, requests, and the nightly archiver. */
export interface ArchiveUsage {
  /** Days a message spends in DynamoDB: the hot window, the archiver's margin and TTL deletion lag. */
  readonly hotDays: number;
  readonly s3Bytes: number;
  readonly puts: number;
  readonly gets: number;
  /** The archiver's reads of hot packs (eventually consistent) and its Lambda time. */
  readonly rru: number;
  readonly gbSeconds: number;
  readonly invocations: number;
}

/** The fixed part of the stack (configuration, not traffic). */
export interface FixedConfig {
  readonly tasks: number;
  readonly taskVcpu: number;
  readonly taskMemoryGb: number;
  /** NLB nodes (one public IPv4 each): one per AZ. */
  readonly nlbAzs: number;
  readonly tasksHavePublicIp: boolean;
  readonly flowLogs: 'ALL' | 'REJECT' | 'none';
  readonly streamFunctions: number;
  readonly alarmMetrics: number;
  readonly customMetrics: number;
  /** DynamoDB capacity: on-demand, or provisioned at a target utilization of the average rate. */
  readonly dynamoCapacity: 'on-demand' | { readonly targetUtilization: number };
}

export interface LineItem {
  readonly service: string;
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPrice: number;
  readonly monthly: number;
}

const line = (service: string, item: string, quantity: number, unit: string, unitPrice: number, perUnits = 1): LineItem => ({
  service,
  item,
  quantity,
  unit,
  unitPrice,
  monthly: (quantity / perUnits) * unitPrice,
});

/** Bytes a device exchanges per message on the wire (frame in, ack out, TCP/IP headers): NLB processed bytes and data transfer out. */
export const WIRE_BYTES = { in: 70 + 40, out: 4 + 40 + 40 } as const;
/** VPC flow log records per device connection per 10-minute aggregation: 2 directions × 2 ENIs (NLB node and task). */
export const FLOW_RECORDS_PER_CONNECTION_INTERVAL = 4;
export const FLOW_RECORD_BYTES = 130;
/** Lambda platform log lines per invocation (START/END/REPORT, JSON format). */
export const PLATFORM_LOG_BYTES = 750;

export function priceMonth(u: MonthlyUsage, f: FixedConfig): LineItem[] {
  const P = PRICES;
  const items: LineItem[] = [];
  const N = u.devices;
  // SQS
  items.push(line('SQS', 'SendMessageBatch (64 KB chunks)', u.sqs.send, 'requests', P.sqsPerMillionRequests, 1e6));
  items.push(line('SQS', 'ReceiveMessage (event source mapping, 64 KB chunks)', u.sqs.receive, 'requests', P.sqsPerMillionRequests, 1e6));
  items.push(line('SQS', 'DeleteMessageBatch', u.sqs.delete, 'requests', P.sqsPerMillionRequests, 1e6));
  // DynamoDB
  if (f.dynamoCapacity === 'on-demand') {
    items.push(line('DynamoDB', 'write request units (on-demand)', u.dynamo.wru, 'WRU', P.dynamoOnDemandPerMillionWru, 1e6));
    items.push(line('DynamoDB', 'read request units (on-demand)', u.dynamo.rru, 'RRU', P.dynamoOnDemandPerMillionRru, 1e6));
  } else {
    const seconds = HOURS_PER_MONTH * 3600;
    const wcu = Math.max(1, u.dynamo.wru / seconds / f.dynamoCapacity.targetUtilization);
    const rcu = Math.max(1, u.dynamo.rru / seconds / f.dynamoCapacity.targetUtilization);
    items.push(
      line(
        'DynamoDB',
        `provisioned WCU (autoscaled, ${Math.round(f.dynamoCapacity.targetUtilization * 100)} % target)`,
        wcu * HOURS_PER_MONTH,
        'WCU-hours',
        P.dynamoProvisionedPerWcuHour,
      ),
    );
    items.push(line('DynamoDB', 'provisioned RCU (autoscaled)', rcu * HOURS_PER_MONTH, 'RCU-hours', P.dynamoProvisionedPerRcuHour));
  }
  const gb = u.dynamo.storedBytes / 1e9;
  const hot = u.archive ? `${u.archive.hotDays} days hot, the rest in S3` : `${HISTORY_DAYS} days of history`;
  items.push(line('DynamoDB', `storage (${hot})`, gb, 'GB-month', P.dynamoStoragePerGbMonth));
  const pitrGb = (u.dynamo.pitrBytes ?? u.dynamo.storedBytes) / 1e9;
  items.push(
    line(
      'DynamoDB',
      `point-in-time recovery (${u.dynamo.pitrBytes === undefined ? 'both tables' : 'registry only'})`,
      pitrGb,
      'GB-month',
      P.dynamoPitrPerGbMonth,
    ),
  );
  if (u.archive) items.push(...archiveLines(u.archive, f));
  // Lambda
  items.push(line('Lambda', 'ingest invocations', u.lambda.invocations, 'requests', P.lambdaPerMillionRequests, 1e6));
  items.push(line('Lambda', 'ingest duration (ARM64)', u.lambda.gbSeconds, 'GB-s', P.lambdaArmPerGbSecond));
  const drains = f.streamFunctions * 60 * HOURS_PER_MONTH;
  items.push(line('Lambda', 'stream drain schedule (1/min per stream function)', drains, 'requests', P.lambdaPerMillionRequests, 1e6));
  items.push(line('Lambda', 'stream drain duration (~40 ms at 256 MB)', drains * 0.04 * 0.25, 'GB-s', P.lambdaArmPerGbSecond));
  // Fargate, NLB, IPv4
  const taskHours = f.tasks * HOURS_PER_MONTH;
  items.push(line('Fargate', `listener vCPU (${f.tasks} × ${f.taskVcpu} vCPU, ARM64)`, taskHours * f.taskVcpu, 'vCPU-hours', P.fargateArmPerVcpuHour));
  items.push(line('Fargate', `listener memory (${f.tasks} × ${f.taskMemoryGb} GB)`, taskHours * f.taskMemoryGb, 'GB-hours', P.fargateArmPerGbHour));
  items.push(line('NLB', 'load balancer hours', HOURS_PER_MONTH, 'hours', P.nlbPerHour));
  const gbPerHour = (N * (MESSAGES_PER_DEVICE_MONTH / HOURS_PER_MONTH) * (WIRE_BYTES.in + WIRE_BYTES.out)) / 1e9;
  const nlcu = Math.max(N / 100_000, gbPerHour / 1, 1 / 800);
  items.push(line('NLB', `NLCU (max of ${N} active flows / 100k, ${gbPerHour.toFixed(2)} GB/h)`, nlcu * HOURS_PER_MONTH, 'NLCU-hours', P.nlbPerLcuHour));
  const ips = f.nlbAzs + (f.tasksHavePublicIp ? f.tasks : 0);
  items.push(line('VPC', `public IPv4 addresses (${ips})`, ips * HOURS_PER_MONTH, 'IP-hours', P.publicIpv4PerHour));
  const outGb = (N * MESSAGES_PER_DEVICE_MONTH * WIRE_BYTES.out) / 1e9;
  items.push(line('VPC', 'data transfer out (acks to devices)', outGb, 'GB', P.dataOutPerGb));
  // CloudWatch and X-Ray
  const lambdaLogGb = (u.lambda.logBytes + u.lambda.invocations * PLATFORM_LOG_BYTES) / 1e9;
  items.push(line('CloudWatch', 'Lambda logs and EMF metrics ingested', lambdaLogGb, 'GB', P.logsIngestPerGb));
  const listenerLogGb = (f.tasks * 60 * HOURS_PER_MONTH * 400 + N * 2 * 30 * 300) / 1e9;
  items.push(line('CloudWatch', 'listener logs (EMF each minute, connect/disconnect lines)', listenerLogGb, 'GB', P.logsIngestPerGb));
  const flowGb =
    f.flowLogs === 'ALL' ? (N * FLOW_RECORDS_PER_CONNECTION_INTERVAL * 6 * HOURS_PER_MONTH * FLOW_RECORD_BYTES) / 1e9 : f.flowLogs === 'REJECT' ? 0.5 : 0;
  items.push(line('CloudWatch', `VPC flow logs (${f.flowLogs})`, flowGb, 'GB', P.vendedLogsPerGb));
  items.push(line('CloudWatch', 'log storage (one month retained)', lambdaLogGb + listenerLogGb + flowGb, 'GB-month', P.logsStoragePerGbMonth));
  items.push(line('CloudWatch', 'custom metrics (hub EMF + Container Insights)', f.customMetrics, 'metrics', P.metricPerMonth));
  items.push(line('CloudWatch', 'alarm metrics', f.alarmMetrics, 'alarm metrics', P.alarmMetricPerMonth));
  items.push(line('CloudWatch', 'dashboard', 1, 'dashboards', P.dashboardPerMonth));
  items.push(line('X-Ray', 'ingest traces recorded (1/s + 5 %)', u.xrayTraces, 'traces', P.xrayPerMillionTraces, 1e6));
  items.push(line('Other', 'KMS key (alarm topic) and admin token secret', 1, 'month', P.kmsKeyPerMonth + P.secretPerMonth));
  return items;
}

function archiveLines(a: ArchiveUsage, f: FixedConfig): LineItem[] {
  const P = PRICES;
  const archiverRead =
    f.dynamoCapacity === 'on-demand'
      ? line('DynamoDB', 'archiver reads of hot packs (on-demand)', a.rru, 'RRU', P.dynamoOnDemandPerMillionRru, 1e6)
      : line(
          'DynamoDB',
          'archiver reads of hot packs (provisioned RCU, spread over the night)',
          a.rru / 3600 / f.dynamoCapacity.targetUtilization,
          'RCU-hours',
          P.dynamoProvisionedPerRcuHour,
        );
  return [
    archiverRead,
    line('S3', `archived history (${HISTORY_DAYS} days, one object per owner per day)`, a.s3Bytes / 1e9, 'GB-month', P.s3StandardPerGbMonth),
    line('S3', 'PutObject (archiver)', a.puts, 'requests', P.s3PutPer1000, 1000),
    line('S3', 'GetObject (archiver merges)', a.gets, 'requests', P.s3GetPer1000, 1000),
    line('Lambda', 'archiver (nightly)', a.invocations, 'requests', P.lambdaPerMillionRequests, 1e6),
    line('Lambda', 'archiver duration (ARM64)', a.gbSeconds, 'GB-s', P.lambdaArmPerGbSecond),
  ];
}

/** Traces X-Ray records with the default sampling rule (first request each second, then 5 %). */
export function xrayTracesPerMonth(invocationsPerMonth: number): number {
  const seconds = HOURS_PER_MONTH * 3600;
  const rate = invocationsPerMonth / seconds;
  return rate <= 1 ? invocationsPerMonth : seconds * (1 + 0.05 * (rate - 1));
}

/** Sums by service. */
export function byService(items: readonly LineItem[]): { service: string; monthly: number }[] {
  const m = new Map<string, number>();
  for (const i of items) m.set(i.service, (m.get(i.service) ?? 0) + i.monthly);
  return [...m].map(([service, monthly]) => ({ service, monthly }));
}

export function total(items: readonly LineItem[]): number {
  return items.reduce((s, i) => s + i.monthly, 0);
}

/** Least-squares line y = a + b·x. */
export function fitLine(points: readonly (readonly [number, number])[]): { a: number; b: number } {
  const n = points.length;
  if (n === 0) return { a: 0, b: 0 };
  const sx = points.reduce((s, [x]) => s + x, 0);
  const sy = points.reduce((s, [, y]) => s + y, 0);
  const sxx = points.reduce((s, [x]) => s + x * x, 0);
  const sxy = points.reduce((s, [x, y]) => s + x * y, 0);
  const d = n * sxx - sx * sx;
  if (d === 0) return { a: sy / n, b: 0 };
  const b = (n * sxy - sx * sy) / d;
  return { a: (sy - b * sx) / n, b };
}
