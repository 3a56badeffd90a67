import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** The defaults the stack deploys with besides its cost profile's (lib/profiles.ts); each also documented on its prop. */
export const HUB_DEFAULTS = {
  channelPortRange: [20000, 20019] as readonly [number, number],
  listenerMaxCount: 10,
  listenerCpuTargetPercent: 60,
  listenerConnectionsPerTask: 40_000,
  defaultDeviceMessagesTtlDays: 365,
  defaultChannelMessagesTtlDays: 7,
  logRetentionDays: 30,
  apiThrottleRateLimit: 100,
  apiThrottleBurstLimit: 200,
  authorizerCacheSeconds: 300,
  console: true,
} as const;

/** A CloudWatch Logs retention from a number of days (only the values CloudWatch accepts). */
export function retentionDays(days: number): RetentionDays {
  const allowed = Object.values(RetentionDays).filter((v): v is RetentionDays => typeof v === 'number');
  if (!allowed.includes(days as RetentionDays)) throw new Error(`log retention ${days} days: CloudWatch accepts ${allowed.join(', ')}`);
  return days as RetentionDays;
}
