/**
 * The cost profiles of lib/profiles.ts as bench scenarios: what each changes in the priced month
 * (cold history in S3, point-in-time recovery on the registry only, fixed costs) and the delay from
 * a device's frame to a queryable message. Pure functions; the bench measures, this derives.
 */
import { encodeArchivedDay } from '../../adapters/archive-body.js';
import { decodePackBody, encodePackBody } from '../../adapters/dynamodb/packs.js';
import { ARCHIVE_MARGIN_DAYS } from '../../core/messages/tiers.js';
import type { Message } from '../../protocols/common/types.js';
import type { ArchiveUsage } from './cost-model.js';
import { HISTORY_DAYS, MESSAGES_PER_DEVICE_MONTH } from './prices.js';

/** Days after a pack item's TTL before DynamoDB's free TTL sweep deletes it (AWS: "typically within a few days"; 1 assumed, billed while it waits). */
export const TTL_DELETE_LAG_DAYS = 1;
/** Days per month (the calculator's 730 h). */
const DAYS_PER_MONTH = 730 / 24;
/** Event source mapping: time from a message's arrival in SQS to the batch window opening (long polling; measured figures are tens to a few hundred ms). */
export const ESM_POLL_DELAY_MS = 300;
/** Archiver per owner: one Query, one GetObject, one PutObject, sequential, in the same region (ms), at 16 owners at once. */
const ARCHIVER_ROUND_TRIPS_MS = 8 + 25 + 40;
const ARCHIVER_CONCURRENCY = 16;
/** lib/archive.ts: 1,769 MB (one full vCPU), four shards run in parallel each night. */
const ARCHIVER_MEMORY_GB = 1769 / 1024;
export const ARCHIVER_SHARDS = 4;

/** Days a message stays in DynamoDB with cold history after `afterDays` (core/messages/tiers.ts hotUntil, plus the TTL sweep's lag). */
export function hotDays(afterDays: number): number {
  return afterDays + 1 + ARCHIVE_MARGIN_DAYS + TTL_DELETE_LAG_DAYS;
}

/**
 * Bytes and CPU of one archived day object, measured with the real encoder on `n` messages of the
 * pool (messages of many devices, which compress a little worse than one device's day: an upper
 * bound on the bytes).
 */
export function measureArchivedDay(pool: readonly Message[], n = 2880, perPack = 8): { bytesPerMessage: number; cpuMsPerDay: number } {
  const entries = Array.from({ length: n }, (_, i) => {
    const message = pool[i % pool.length];
    return { key: `${i}`, message, ts: Number(message.timestamp ?? 0) * 1000 };
  });
  const packs: Uint8Array[] = [];
  for (let i = 0; i < n; i += perPack) packs.push(encodePackBody(entries.slice(i, i + perPack)));
  // what the archiver does per owner-day: decode the hot packs, then compress the day
  const t0 = process.cpuUsage();
  for (const p of packs) decodePackBody(p);
  const z = encodeArchivedDay([{ ttl: 1_900_000_000, entries }]);
  const cpu = process.cpuUsage(t0);
  return { bytesPerMessage: z.length / n, cpuMsPerDay: (cpu.user + cpu.system) / 1000 };
}

/**
 * A month of the nightly archiver at the fleet: one GetObject and one PutObject per owner and day
 * (the archiver merges into the day's object), its Query of the packs still hot before the cutoff
 * (the margin days are read again each night, eventually consistent), and its Lambda time.
 */
export function archiveUsage(o: {
  readonly devices: number;
  readonly afterDays: number;
  readonly hotPackBytesPerMessage: number;
  readonly archivedBytesPerMessage: number;
  readonly cpuMsPerOwnerDay: number;
  /** Channel messages per month and their history days (the channel default, 7). */
  readonly channelMessagesMonth: number;
  readonly channelHistoryDays: number;
}): ArchiveUsage {
  const owners = o.devices + 1;
  const messagesPerDay = (o.devices * MESSAGES_PER_DEVICE_MONTH) / DAYS_PER_MONTH;
  const deviceS3 = o.devices * MESSAGES_PER_DEVICE_MONTH * (HISTORY_DAYS / DAYS_PER_MONTH) * o.archivedBytesPerMessage;
  const channelS3 = o.channelMessagesMonth * (o.channelHistoryDays / DAYS_PER_MONTH) * o.archivedBytesPerMessage;
  const daysReadPerNight = 1 + ARCHIVE_MARGIN_DAYS + TTL_DELETE_LAG_DAYS;
  const rru = (DAYS_PER_MONTH * daysReadPerNight * messagesPerDay * o.hotPackBytesPerMessage) / 4096 / 2;
  const nightSeconds = (owners * (o.cpuMsPerOwnerDay + ARCHIVER_ROUND_TRIPS_MS / ARCHIVER_CONCURRENCY)) / 1000;
  return {
    hotDays: hotDays(o.afterDays),
    s3Bytes: deviceS3 + channelS3,
    puts: owners * DAYS_PER_MONTH,
    gets: owners * DAYS_PER_MONTH,
    rru,
    gbSeconds: nightSeconds * ARCHIVER_MEMORY_GB * DAYS_PER_MONTH,
    invocations: DAYS_PER_MONTH * ARCHIVER_SHARDS,
  };
}

/** One shard's nightly run (s) at this fleet: the 15-minute Lambda timeout bounds the fleet the archiver can handle. */
export function archiverRunSeconds(u: ArchiveUsage): number {
  return u.gbSeconds / ARCHIVER_MEMORY_GB / Math.max(1, u.invocations);
}

/** The p-th percentile (0-100) of values (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Seconds of unused provisioned capacity DynamoDB keeps as burst credit (AWS: "up to 5 minutes", best effort). */
export const BURST_CREDIT_S = 300;

/**
 * Whether a batching window's writes (or reads) fit provisioned capacity autoscaled to the average
 * rate at `targetUtilization`: the window's units (average × window) arrive within its invocation
 * (`invocationS`, every shard's at once in the worst case), which gets the provisioned rate plus
 * the credit kept from the rest of the window (at most BURST_CREDIT_S). In seconds of provisioned
 * capacity: `neededS` = target × window − invocation, `accumulatedS` = min(300, window − invocation).
 * Without a window (realtime) the demand is continuous: nothing is needed.
 */
export function burstFit(o: { readonly windowS: number; readonly invocationS: number; readonly targetUtilization: number }): {
  neededS: number;
  accumulatedS: number;
  fits: boolean;
} {
  const d = Math.min(o.invocationS, o.windowS);
  const neededS = Math.max(0, o.targetUtilization * o.windowS - d);
  const accumulatedS = Math.min(BURST_CREDIT_S, o.windowS - d);
  return { neededS, accumulatedS, fits: neededS <= accumulatedS };
}
