/**
 * Named cost profiles (`hub:profile`): each is a set of defaults for the knobs that trade the delay
 * from a device's frame to a queryable message against the AWS bill. Any prop (or `hub:*` context
 * key) given explicitly still wins over its profile's value. Priced by `npm run bench cost`
 * (docs/cost.md); that bench reads this table, so the figures are those of what the stack deploys.
 */

/** Provisioned capacity with autoscaling (same shape as lib/storage.ts HubProvisionedCapacity). */
interface ProfileCapacity {
  readonly minWriteCapacity: number;
  readonly maxWriteCapacity: number;
  readonly minReadCapacity: number;
  readonly maxReadCapacity: number;
  readonly targetUtilizationPercent: number;
}

export interface HubProfile {
  /** What it is for, and the delay it promises (p99, frame to queryable message). */
  readonly summary: string;
  readonly p99FrameToQueryableSeconds: number;
  readonly listenerFlushMs: number;
  readonly ingestBatchingWindowSeconds: number;
  readonly ingestBatchSize: number;
  /** Ingest queues sharded by device: each invocation holds 1/shards of the fleet's frames of a window (lib/ingest.ts). */
  readonly ingestShards: number;
  readonly ingestMemoryMiB: number;
  readonly ingestTimeoutSeconds: number;
  readonly tableCapacity: 'on-demand' | ProfileCapacity;
  /** Point-in-time recovery of the messages table (the registry always has it). */
  readonly messagesPointInTimeRecovery: boolean;
  /** Whole days device and channel history stays in DynamoDB before it moves to S3 (0: never). */
  readonly coldHistoryAfterDays: number;
  readonly flowLogTrafficType: 'ALL' | 'ACCEPT' | 'REJECT';
  readonly containerInsights: boolean;
  readonly listenerCpu: number;
  readonly listenerMemoryMiB: number;
  /** Fewest listener tasks (also the count at deploy time; autoscaling adds more). */
  readonly listenerMinCount: number;
  /** Availability zones of the new VPC, the NLB and the listener tasks (each zone: one NLB node, one public IPv4). */
  readonly availabilityZones: number;
  /**
   * Seconds between telemetry checkpoints of a device written by ingest (core/ingest.ts): reads
   * fold the newer history into the checkpoint, so answers are the same at any interval; longer
   * intervals write less and make each telemetry read fold more history.
   */
  readonly telemetryCheckpointSeconds: number;
}

/** Autoscaled provisioned capacity for a steady fleet: 10 units at least, up to ~100,000 devices at one message per 30 s. */
const STEADY_FLEET: ProfileCapacity = {
  minWriteCapacity: 10,
  maxWriteCapacity: 4000,
  minReadCapacity: 10,
  maxReadCapacity: 4000,
  targetUtilizationPercent: 70,
};

/**
 * The same for a fleet whose writes arrive once per batching window (balanced, economy): 90 % (the
 * most AWS allows). A window's units come within one invocation, paid by the capacity kept unused
 * between windows (DynamoDB keeps up to 300 s of it as burst credit): at 90 % a 210 s window
 * needs 189 s of capacity in its burst and keeps 210 s, so the margin for a fleet growing faster
 * than autoscaling is 10 % instead of 30 % (docs/cost.md; the cost bench prints the fit).
 */
const WINDOWED_FLEET: ProfileCapacity = { ...STEADY_FLEET, targetUtilizationPercent: 90 };

export const HUB_PROFILES = {
  realtime: {
    summary: 'live tracking, alerts and command replies: a message is queryable (and streamed) within 2 s',
    p99FrameToQueryableSeconds: 2,
    listenerFlushMs: 200,
    // no batching window: the poller invokes as soon as it receives (at most 10 SQS messages, ~30 frames each)
    ingestBatchingWindowSeconds: 0,
    ingestBatchSize: 10,
    ingestShards: 1,
    ingestMemoryMiB: 1024,
    ingestTimeoutSeconds: 60,
    tableCapacity: STEADY_FLEET,
    messagesPointInTimeRecovery: false,
    coldHistoryAfterDays: 2,
    flowLogTrafficType: 'REJECT',
    containerInsights: true,
    listenerCpu: 512,
    listenerMemoryMiB: 1024,
    listenerMinCount: 2,
    availabilityZones: 2,
    // a telemetry read folds at most 15 minutes of history (30 messages at one per 30 s)
    telemetryCheckpointSeconds: 900,
  },
  balanced: {
    summary: 'dashboards and reports that refresh each minute: a message is queryable within 60 s',
    p99FrameToQueryableSeconds: 60,
    listenerFlushMs: 1000,
    ingestBatchingWindowSeconds: 50,
    ingestBatchSize: 10_000,
    // four queues: an invocation of a 50 s window holds a quarter of the fleet's frames (~4,200 at
    // 10,000 devices), a few seconds of work, so the 60 s bound holds
    ingestShards: 4,
    ingestMemoryMiB: 1769,
    ingestTimeoutSeconds: 300,
    tableCapacity: WINDOWED_FLEET,
    messagesPointInTimeRecovery: false,
    coldHistoryAfterDays: 2,
    flowLogTrafficType: 'REJECT',
    containerInsights: false,
    listenerCpu: 256,
    listenerMemoryMiB: 512,
    listenerMinCount: 2,
    availabilityZones: 2,
    // a telemetry read folds at most 30 minutes of history (60 messages at one per 30 s)
    telemetryCheckpointSeconds: 1800,
  },
  economy: {
    summary: 'history and reporting only: a message is queryable within 5 minutes',
    p99FrameToQueryableSeconds: 300,
    listenerFlushMs: 1000,
    // 210 s + the invocation (up to a minute at 10,000 devices) stays under 5 minutes
    ingestBatchingWindowSeconds: 210,
    ingestBatchSize: 10_000,
    ingestShards: 1,
    ingestMemoryMiB: 1769,
    ingestTimeoutSeconds: 900,
    tableCapacity: WINDOWED_FLEET,
    messagesPointInTimeRecovery: false,
    coldHistoryAfterDays: 1,
    flowLogTrafficType: 'REJECT',
    containerInsights: false,
    listenerCpu: 256,
    listenerMemoryMiB: 512,
    // one task in one zone: a task or zone failure disconnects devices until ECS starts a new task
    // (trackers keep their records and resend on reconnect); docs/cost.md states the trade-off
    listenerMinCount: 1,
    availabilityZones: 1,
    telemetryCheckpointSeconds: 3600,
  },
} as const satisfies Record<string, HubProfile>;

export type HubProfileName = keyof typeof HUB_PROFILES;

/** The profile a stack deploys without `hub:profile` (docs/cost.md says why). */
export const DEFAULT_PROFILE: HubProfileName = 'realtime';

export function isHubProfileName(name: string): name is HubProfileName {
  return Object.hasOwn(HUB_PROFILES, name);
}
