#!/usr/bin/env node
/** The ready-made CDK app: `npx cdk deploy` (configuration from cdk.json context). */
import { App, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { TelematicsHub } from '../lib/telematics-hub.js';

export function buildApp(app = new App()): { app: App; stack: Stack; hub: TelematicsHub } {
  const ctx = (key: string) => app.node.tryGetContext(key);
  const stack = new Stack(app, ctx('hub:stackName') ?? 'TelematicsHub', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: 'Telematics Hub: GPS-tracker channels, ingest, registry API',
  });
  const range = ctx('hub:channelPortRange') as [number, number] | undefined;
  const hub = new TelematicsHub(stack, 'Hub', {
    channelPortRange: range,
    listenerCpu: ctx('hub:listenerCpu'),
    listenerMemoryMiB: ctx('hub:listenerMemoryMiB'),
    listenerCount: ctx('hub:listenerCount'),
    ingestBatchingWindowSeconds: ctx('hub:ingestBatchingWindowSeconds'),
    logRetention: ctx('hub:logRetentionDays') as RetentionDays | undefined,
    apiThrottleRateLimit: ctx('hub:apiThrottleRateLimit'),
    apiThrottleBurstLimit: ctx('hub:apiThrottleBurstLimit'),
  });
  return { app, stack, hub };
}

if (process.argv[1] && /bin[\\/]app\.(ts|js)$/.test(process.argv[1])) {
  buildApp().app.synth();
}
