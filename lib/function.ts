import { join } from 'node:path';
import type { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENV } from '../core/env.js';
import { acknowledge } from './nag.js';
import { packageRoot, packageVersion } from './paths.js';

/**
 * Node.js runtime of every hub function: Node 22, the runtime the project targets and tests (the
 * code runs on Node 20 and 22 locally; middy 6, vitest 4 and the pinned SDK are chosen for them).
 */
export const HUB_LAMBDA_RUNTIME = Runtime.NODEJS_22_X;

export interface HubFunctionProps {
  /** Source entry of the handler. */
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  /** Retention of the function's own log group. */
  readonly logRetention: RetentionDays;
  /** Powertools service name (also the `service` dimension of its metrics). */
  readonly serviceName: string;
}

/**
 * A handler as a Lambda: Node 22 on ARM64 (Graviton: 20 % cheaper per GB-second), bundled by the
 * local esbuild, Powertools configured, X-Ray active, JSON logs into its own log group with a
 * retention. The function gets its own role whose only built-in right is writing to that log
 * group (no AWS managed policy); callers grant table, queue and bus rights one by one.
 */
export class HubFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: HubFunctionProps) {
    const root = packageRoot();
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: props.logRetention });
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `${props.serviceName} function` });
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: HUB_LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.INFO,
      projectRoot: root,
      depsLockFilePath: join(root, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: 'TelematicsHub',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        [ENV.version]: packageVersion(),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.CJS,
        target: 'node22',
        minify: true,
        sourceMap: true,
        forceDockerBundling: false,
        // the pinned SDK is bundled (not the runtime's copy), so behaviour matches the tests
        externalModules: [],
      },
    });
    const runtimeReason =
      'Node 22 is the runtime this project targets and tests against (its dependencies are pinned for Node 20/22); moving to a newer runtime is a tested upgrade, not a synth-time default.';
    acknowledge(this, { id: 'AwsSolutions-L1', reason: runtimeReason }, { id: 'Serverless-LambdaLatestVersion', reason: runtimeReason });
    acknowledge(role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) has no resource-level permissions; AWS documents Resource "*" for these actions.',
    });
  }
}

/** Acknowledgements of the Serverless async-invocation rules for a function that is never invoked asynchronously. */
export function acknowledgeSyncOnly(fn: HubFunction, invokedBy: string): void {
  const reason = `Invoked synchronously only (${invokedBy}); asynchronous invocation is not used, so a Lambda DLQ or on-failure destination would never receive anything.`;
  acknowledge(fn, { id: 'Serverless-LambdaDLQ', reason }, { id: 'Serverless-LambdaAsyncFailureDestination', reason });
}
