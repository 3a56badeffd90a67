import { RemovalPolicy } from 'aws-cdk-lib';
import { FlowLogTrafficType } from 'aws-cdk-lib/aws-ec2';
import { retentionDays } from './config.js';
import { HUB_PROFILES, type HubProfileName, isHubProfileName } from './profiles.js';
import type { HubProvisionedCapacity } from './storage.js';
import type { TelematicsHubProps } from './telematics-hub.js';

/** cdk.json context keys (`hub:<name>`) the app reads, with the type each takes. */
export const HUB_CONTEXT_KEYS = {
  profile: 'string',
  stackName: 'string',
  vpcId: 'string',
  channelPortRange: 'range',
  privateListenerTasks: 'boolean',
  flowLogTrafficType: 'string',
  listenerCpu: 'number',
  listenerMemoryMiB: 'number',
  listenerMinCount: 'number',
  availabilityZones: 'number',
  listenerMaxCount: 'number',
  listenerCpuTargetPercent: 'number',
  listenerConnectionsPerTask: 'number',
  listenerFlushMs: 'number',
  ingestBatchingWindowSeconds: 'number',
  ingestBatchSize: 'number',
  ingestShards: 'number',
  ingestMemoryMiB: 'number',
  ingestTimeoutSeconds: 'number',
  defaultDeviceMessagesTtlDays: 'number',
  defaultChannelMessagesTtlDays: 'number',
  tableCapacity: 'capacity',
  messagesPointInTimeRecovery: 'boolean',
  coldHistoryAfterDays: 'number',
  telemetryCheckpointSeconds: 'number',
  containerInsights: 'boolean',
  logRetentionDays: 'number',
  apiThrottleRateLimit: 'number',
  apiThrottleBurstLimit: 'number',
  authorizerCacheSeconds: 'number',
  alarmEmail: 'string',
  console: 'boolean',
  tileUrl: 'string',
  dataRemovalPolicy: 'string',
  live: 'boolean',
} as const;
export type HubContextKey = keyof typeof HUB_CONTEXT_KEYS;

/** What the app needs besides the construct props: stack name and an existing VPC to look up. */
export interface HubAppSettings {
  readonly stackName?: string;
  readonly vpcId?: string;
  readonly props: TelematicsHubProps;
}

/** Typed readers of `hub:*` context values; a malformed value fails with the key named. */
function contextReaders(context: Record<string, unknown>) {
  const raw = (k: HubContextKey): unknown => context[`hub:${k}`];
  const fail = (k: HubContextKey, why: string): never => {
    throw new Error(`context hub:${k}=${JSON.stringify(raw(k))}: ${why}`);
  };
  const unset = (v: unknown) => v === undefined || v === null || v === '';
  const num = (k: HubContextKey): number | undefined => {
    const v = raw(k);
    if (unset(v)) return undefined;
    const n = typeof v === 'string' ? Number(v) : v;
    return typeof n === 'number' && Number.isFinite(n) ? n : fail(k, 'expected a number');
  };
  const bool = (k: HubContextKey): boolean | undefined => {
    const v = raw(k);
    if (unset(v)) return undefined;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    return fail(k, 'expected true or false');
  };
  const str = (k: HubContextKey): string | undefined => {
    const v = raw(k);
    if (unset(v)) return undefined;
    return typeof v === 'string' ? v : fail(k, 'expected a string');
  };
  const range = (k: HubContextKey): readonly [number, number] | undefined => {
    let v = raw(k);
    if (unset(v)) return undefined;
    if (typeof v === 'string') v = v.includes('-') && !v.startsWith('[') ? v.split('-').map(Number) : JSON.parse(v);
    if (Array.isArray(v) && v.length === 2 && v.every((x) => Number.isInteger(x))) return [v[0], v[1]];
    return fail(k, 'expected [first, last] or "first-last"');
  };
  const capacity = (k: HubContextKey): HubProvisionedCapacity | 'on-demand' | undefined => {
    let v = raw(k);
    if (unset(v)) return undefined;
    if (v === 'on-demand') return 'on-demand';
    if (typeof v === 'string') v = JSON.parse(v);
    const c = v as Record<string, unknown>;
    const keys = ['minWriteCapacity', 'maxWriteCapacity', 'minReadCapacity', 'maxReadCapacity'] as const;
    if (typeof c !== 'object' || !keys.every((x) => typeof c[x] === 'number'))
      return fail(k, `expected "on-demand" or {${keys.join(', ')}, targetUtilizationPercent?}`);
    return {
      minWriteCapacity: c.minWriteCapacity as number,
      maxWriteCapacity: c.maxWriteCapacity as number,
      minReadCapacity: c.minReadCapacity as number,
      maxReadCapacity: c.maxReadCapacity as number,
      targetUtilizationPercent: c.targetUtilizationPercent as number | undefined,
    };
  };
  return { fail, num, bool, str, range, capacity };
}

/**
 * Reads `hub:*` context (cdk.json or `-c hub:key=value`; command-line values arrive as strings)
 * into construct props. Unknown `hub:` keys and malformed values fail the synth with the key named.
 */
export function hubSettingsFromContext(context: Record<string, unknown>): HubAppSettings {
  for (const key of Object.keys(context)) {
    if (key.startsWith('hub:') && !(key.slice(4) in HUB_CONTEXT_KEYS))
      throw new Error(
        `unknown context key ${key} (known: ${Object.keys(HUB_CONTEXT_KEYS)
          .map((k) => `hub:${k}`)
          .join(', ')})`,
      );
  }
  const { fail, num, bool, str, range, capacity } = contextReaders(context);
  const flowLogs = str('flowLogTrafficType');
  if (flowLogs !== undefined && !(flowLogs in FlowLogTrafficType)) fail('flowLogTrafficType', 'expected ALL, ACCEPT or REJECT');
  const removal = str('dataRemovalPolicy');
  if (removal !== undefined && removal !== 'retain' && removal !== 'destroy') fail('dataRemovalPolicy', 'expected retain or destroy');
  const logDays = num('logRetentionDays');
  const profile = str('profile');
  if (profile !== undefined && !isHubProfileName(profile)) fail('profile', `expected ${Object.keys(HUB_PROFILES).join(', ')}`);
  return {
    stackName: str('stackName'),
    vpcId: str('vpcId'),
    props: {
      profile: profile as HubProfileName | undefined,
      channelPortRange: range('channelPortRange'),
      privateListenerTasks: bool('privateListenerTasks'),
      flowLogTrafficType: flowLogs === undefined ? undefined : FlowLogTrafficType[flowLogs as keyof typeof FlowLogTrafficType],
      listenerCpu: num('listenerCpu'),
      listenerMemoryMiB: num('listenerMemoryMiB'),
      listenerMinCount: num('listenerMinCount'),
      availabilityZones: num('availabilityZones'),
      listenerMaxCount: num('listenerMaxCount'),
      listenerCpuTargetPercent: num('listenerCpuTargetPercent'),
      listenerConnectionsPerTask: num('listenerConnectionsPerTask'),
      listenerFlushMs: num('listenerFlushMs'),
      ingestBatchingWindowSeconds: num('ingestBatchingWindowSeconds'),
      ingestBatchSize: num('ingestBatchSize'),
      ingestShards: num('ingestShards'),
      ingestMemoryMiB: num('ingestMemoryMiB'),
      ingestTimeoutSeconds: num('ingestTimeoutSeconds'),
      defaultDeviceMessagesTtlDays: num('defaultDeviceMessagesTtlDays'),
      defaultChannelMessagesTtlDays: num('defaultChannelMessagesTtlDays'),
      tableCapacity: capacity('tableCapacity'),
      messagesPointInTimeRecovery: bool('messagesPointInTimeRecovery'),
      coldHistoryAfterDays: num('coldHistoryAfterDays'),
      telemetryCheckpointSeconds: num('telemetryCheckpointSeconds'),
      containerInsights: bool('containerInsights'),
      logRetention: logDays === undefined ? undefined : retentionDays(logDays),
      apiThrottleRateLimit: num('apiThrottleRateLimit'),
      apiThrottleBurstLimit: num('apiThrottleBurstLimit'),
      authorizerCacheSeconds: num('authorizerCacheSeconds'),
      alarmEmail: str('alarmEmail'),
      console: bool('console'),
      tileUrl: str('tileUrl'),
      dataRemovalPolicy: removal === undefined ? undefined : removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      live: bool('live'),
    },
  };
}
