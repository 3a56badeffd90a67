import { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { packageRoot } from './paths.js';

export interface HubFunctionProps {
  /** Source entry of the handler. */
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly logGroup: ILogGroup;
  /** Powertools service name. */
  readonly serviceName: string;
}

/** A handler as a Lambda: Node 22 on ARM64, bundled by the local esbuild, Powertools configured. */
export class HubFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: HubFunctionProps) {
    const root = packageRoot();
    const fnProps: NodejsFunctionProps = {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      logGroup: props.logGroup,
      projectRoot: root,
      depsLockFilePath: join(root, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: 'TelematicsHub',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
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
    };
    super(scope, id, fnProps);
  }
}
