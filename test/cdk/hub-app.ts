/** Builds the ready-made app (bin/app.ts) the way `cdk synth` does: cdk.json context, plus overrides. */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../bin/app.js';
import { packageRoot } from '../../lib/paths.js';

export interface HubAppOptions {
  /** Context on top of cdk.json's. */
  readonly context?: Record<string, unknown>;
  /** Bundle the Lambda handlers with esbuild (slow); off, CDK uses placeholder assets. @default false */
  readonly bundle?: boolean;
  /** Run aws-cdk-lib's built-in CloudFormation schema validation at synth. @default false */
  readonly validate?: boolean;
}

export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(packageRoot(), 'cdk.json'), 'utf8')).context;
}

export function hubApp(options: HubAppOptions = {}) {
  const app = new App({
    builtinCloudFormationValidation: options.validate ?? false,
    context: { ...cdkJsonContext(), ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...options.context },
  });
  return buildApp(app);
}

/** Resources of a template as [logicalId, resource] pairs, optionally of one type. */
export function resourcesOf(template: { Resources: Record<string, { Type: string; Properties?: any; [k: string]: any }> }, type?: string) {
  return Object.entries(template.Resources).filter(([, r]) => !type || r.Type === type);
}
