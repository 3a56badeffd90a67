#!/usr/bin/env node
/**
 * The ready-made CDK app: `npx cdk deploy` (configuration from `hub:*` context in cdk.json or
 * `-c hub:key=value`; every key and its default: docs/deploy.md).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { hubSettingsFromContext } from '../lib/context.js';
import { TelematicsHub } from '../lib/telematics-hub.js';

export function buildApp(app = new App()): { app: App; stack: Stack; hub: TelematicsHub } {
  const settings = hubSettingsFromContext(app.node.getAllContext() as Record<string, unknown>);
  const stack = new Stack(app, settings.stackName ?? 'TelematicsHub', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: 'Telematics Hub: GPS-tracker channels, ingest, streams, registry API, console',
  });
  // an existing VPC is looked up at synth (needs an account/region; cached in cdk.context.json)
  const vpc = settings.vpcId ? Vpc.fromLookup(stack, 'Vpc', { vpcId: settings.vpcId }) : undefined;
  const hub = new TelematicsHub(stack, 'Hub', { ...settings.props, vpc });
  return { app, stack, hub };
}

if (process.argv[1] && /bin[\\/]app\.(ts|js)$/.test(process.argv[1])) {
  buildApp().app.synth();
}
