import { z } from 'zod';

/**
 * The environment the hub's processes read: one line per variable, with its meaning. The CDK stack
 * (lib/) sets them on the Lambdas and the listener task by these names; the local runtime sets
 * them on listener cluster workers; the runtime reads them through `hubEnv()` (parsed once, with
 * the defaults below). Nothing else reads `process.env` for hub settings.
 */
export const ENV = {
  /** DynamoDB registry table (devices, channels, commands, logs, streams...). */
  tableRegistry: 'HUB_TABLE_REGISTRY',
  /** DynamoDB messages table (compressed packs). */
  tableMessages: 'HUB_TABLE_MESSAGES',
  /** A DynamoDB endpoint other than AWS's (dynalite locally and in the as-deployed test). */
  dynamodbEndpoint: 'HUB_DYNAMODB_ENDPOINT',
  /** S3 bucket of the message archive (cold history); unset: all history stays in DynamoDB. */
  archiveBucket: 'HUB_ARCHIVE_BUCKET',
  /** Whole days device and channel messages stay only in DynamoDB before they are archived. */
  coldHistoryAfterDays: 'HUB_COLD_HISTORY_AFTER_DAYS',
  /** Ingest: seconds between telemetry checkpoints of a device (reads fold the newer history in). */
  telemetryCheckpointSeconds: 'HUB_TELEMETRY_CHECKPOINT_SECONDS',
  /** The SQS ingest queue the listener sends frames to (and the dead-letter replay target). */
  ingestQueueUrl: 'HUB_INGEST_QUEUE_URL',
  /**
   * Listener: every ingest queue when ingest is sharded by device (comma-separated, in shard
   * order); a device's frames always go to the same shard (adapters/aws/sqs-queue.ts). Unset: all
   * frames go to HUB_INGEST_QUEUE_URL.
   */
  ingestShardQueueUrls: 'HUB_INGEST_SHARD_QUEUE_URLS',
  /** The ingest dead-letter queue (the API lists and replays it). */
  ingestDlqUrl: 'HUB_INGEST_DLQ_URL',
  /** An SQS endpoint other than AWS's. */
  sqsEndpoint: 'HUB_SQS_ENDPOINT',
  /** The EventBridge bus stream batches go to. */
  eventBusName: 'HUB_EVENT_BUS_NAME',
  /** Secrets Manager secret holding the admin token. */
  adminSecretArn: 'HUB_ADMIN_SECRET_ARN',
  /** The admin token itself (local mode; overrides the secret). */
  adminToken: 'HUB_ADMIN_TOKEN',
  /** Host name devices connect to (the load balancer's), shown in channel `uri`s. */
  publicHost: 'HUB_PUBLIC_HOST',
  /** Ports channels created without one get: `20000-20019`. */
  portRange: 'HUB_PORT_RANGE',
  /** messages_ttl (s) of devices / channels created without one. */
  defaultDeviceMessagesTtl: 'HUB_DEFAULT_DEVICE_MESSAGES_TTL',
  defaultChannelMessagesTtl: 'HUB_DEFAULT_CHANNEL_MESSAGES_TTL',
  /** The stream type a stream-target Lambda serves. */
  streamType: 'HUB_STREAM_TYPE',
  /**
   * Listener: `sqs` (default), `ipc` (a cluster worker whose primary holds the queue) or `journal`
   * (a local hub's listener process appending to its own lane of the hub's journal queue).
   */
  queue: 'HUB_QUEUE',
  /** Listener with `HUB_QUEUE=journal`: the directory of its lane. */
  journalDir: 'HUB_JOURNAL_DIR',
  /** Listener with `HUB_QUEUE=journal`: `off` skips fsync (a `--memory` hub only). */
  journalFsync: 'HUB_JOURNAL_FSYNC',
  /** Listener processes (node:cluster workers); 1 serves in the task's process. */
  listenerWorkers: 'HUB_LISTENER_WORKERS',
  /** Listener id prefix (default: the host name). */
  listenerId: 'HUB_LISTENER_ID',
  listenHost: 'HUB_LISTEN_HOST',
  /** Listener timings (ms): batch flush, command poll, channel sync, connection snapshots. */
  flushMs: 'HUB_FLUSH_MS',
  commandPollMs: 'HUB_COMMAND_POLL_MS',
  channelSyncMs: 'HUB_CHANNEL_SYNC_MS',
  connectionsSnapshotMs: 'HUB_CONNECTIONS_SNAPSHOT_MS',
  /** Bytes a device connection may read per second. */
  readBudget: 'HUB_READ_BUDGET',
  /** Registry requests per second for connect/disconnect logs. */
  registryRps: 'HUB_REGISTRY_RPS',
  /** Listener metrics: `emf` | `off`, and their period (ms). */
  metrics: 'HUB_METRICS',
  metricsPeriodMs: 'HUB_METRICS_PERIOD_MS',
  /** Listener health-check port (the load balancer's target group checks it). */
  healthPort: 'HUB_HEALTH_PORT',
  /** Listener log format: `json` (default) | `text`, and level. */
  logFormat: 'HUB_LOG_FORMAT',
  logLevel: 'LOG_LEVEL',
  /** The hub's package version (the OpenAPI document shows it); set by the stack at synth. */
  version: 'HUB_VERSION',
  /** A cluster worker's index (set by the primary). */
  workerIndex: 'HUB_WORKER_INDEX',
  /** Ingest publishes `live` events for devices someone watches (`on` when the stack has live push). */
  livePush: 'HUB_LIVE_PUSH',
  /** API Gateway management endpoint of the live WebSocket stage (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`). */
  liveEndpoint: 'HUB_LIVE_ENDPOINT',
} as const;

const int = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) {
        ctx.addIssue({ code: 'custom', message: `must be a non-negative integer, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });
const optionalInt = int(0).transform((n) => (n === 0 ? undefined : n));
const text = z.string().min(1).optional();

export const HubEnvSchema = z.object({
  [ENV.tableRegistry]: z.string().min(1).default('hub-registry'),
  [ENV.tableMessages]: z.string().min(1).default('hub-messages'),
  [ENV.dynamodbEndpoint]: text,
  [ENV.archiveBucket]: text,
  [ENV.coldHistoryAfterDays]: optionalInt,
  [ENV.telemetryCheckpointSeconds]: optionalInt,
  [ENV.ingestQueueUrl]: text,
  [ENV.ingestShardQueueUrls]: z
    .string()
    .min(1)
    .optional()
    .transform((v) => v?.split(',').filter((u) => u.length > 0)),
  [ENV.ingestDlqUrl]: text,
  [ENV.sqsEndpoint]: text,
  [ENV.eventBusName]: text,
  [ENV.adminSecretArn]: text,
  [ENV.adminToken]: text,
  [ENV.publicHost]: z.string().min(1).default('localhost'),
  [ENV.portRange]: z
    .string()
    .regex(/^\d{1,5}(-\d{1,5})?$/, 'must be a port or a range like 20000-20019')
    .default('20000-20019')
    .transform((v) => {
      const [lo, hi] = v.split('-').map(Number);
      return [lo, hi ?? lo] as const;
    }),
  [ENV.defaultDeviceMessagesTtl]: optionalInt,
  [ENV.defaultChannelMessagesTtl]: optionalInt,
  [ENV.streamType]: text,
  [ENV.queue]: z.enum(['sqs', 'ipc', 'journal']).default('sqs'),
  [ENV.journalDir]: text,
  [ENV.journalFsync]: z.enum(['on', 'off']).default('on'),
  [ENV.listenerWorkers]: int(1),
  [ENV.listenerId]: text,
  [ENV.listenHost]: z.string().min(1).default('0.0.0.0'),
  [ENV.flushMs]: int(10),
  [ENV.commandPollMs]: int(1000),
  [ENV.channelSyncMs]: int(2000),
  [ENV.connectionsSnapshotMs]: int(30_000),
  [ENV.readBudget]: optionalInt,
  [ENV.registryRps]: optionalInt,
  [ENV.metrics]: z.enum(['emf', 'off']).optional(),
  [ENV.metricsPeriodMs]: int(60_000),
  [ENV.healthPort]: int(8081),
  [ENV.logFormat]: z.enum(['json', 'text']).default('json'),
  [ENV.logLevel]: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  [ENV.workerIndex]: optionalInt,
  [ENV.version]: z.string().min(1).default('0.0.0'),
  [ENV.livePush]: z.enum(['on', 'off']).default('off'),
  [ENV.liveEndpoint]: text,
});

export type HubEnv = z.output<typeof HubEnvSchema>;

/**
 * Archived days carry the tag `keep=<days>` (the smallest class that covers their messages'
 * expiry); the bucket has one lifecycle rule per class that expires tagged objects by age. The
 * stack (lib/) and the S3 adapter agree on these through this list.
 */
export const ARCHIVE_KEEP_TAG = { key: 'keep', days: [7, 30, 90, 180, 365, 730, 1830, 3660] } as const;

let fromProcess: HubEnv | undefined;

/**
 * The hub's settings from an environment, validated: a wrong value stops the process at start-up
 * naming the variable. `process.env` is read once (later calls return the same object).
 */
export function hubEnv(env: NodeJS.ProcessEnv = process.env): HubEnv {
  if (env === process.env && fromProcess) return fromProcess;
  // a variable set to the empty string is unset, as shells and the hub's own start-up treat it
  const r = HubEnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`environment: ${String(issue.path[0])} ${issue.message}`);
  }
  if (env === process.env) fromProcess = r.data;
  return r.data;
}
