import { existsSync } from 'node:fs';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { RestApiOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, type ISource, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { acknowledge } from './nag.js';
import { consoleDistPath } from './paths.js';

export interface HubConsoleProps {
  /** The registry API, served on the same origin under `/gw/*`, `/platform/*` and `/openapi.json`. */
  readonly api: RestApi;
  /**
   * Folder of the built console. When it does not exist at synth time a placeholder page is
   * deployed instead (so the template does not depend on whether the console was built).
   * @default console/dist of the package
   */
  readonly distPath?: string;
  /** Days CloudFront and S3 access logs are kept. @default 30 */
  readonly accessLogDays?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * Map tiles of the console's tracks (`https://…/{z}/{x}/{y}.png`; `none`: a grid), written to
   * `config.json` in the site bucket. Users can still choose others in Preferences.
   * @default no config.json: the console's own default, OpenStreetMap's standard tiles
   */
  readonly tileUrl?: string;
  /**
   * The live push WebSocket URL (`wss://…/live`), written to `config.json` as `liveUrl`: the live
   * view then uses push, with polling as the fallback.
   * @default none: the console polls
   */
  readonly liveUrl?: string;
}

/** API paths CloudFront forwards to API Gateway (everything else is the console). */
export const CONSOLE_API_PATHS = ['/gw/*', '/platform/*', '/openapi.json'] as const;

/** The page deployed when `console/dist` was not built before synth. */
export const CONSOLE_PLACEHOLDER_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>Telematics Hub</title></head><body><h1>Telematics Hub</h1>' +
  '<p>The web console was not built before this deployment (console/dist was missing at synth time). ' +
  'The REST API is served here under <a href="/openapi.json">/gw and /platform</a>.</p></body></html>';

/** The console's files: the build when it exists, else the placeholder page. */
export function consoleSource(distPath: string): ISource {
  return existsSync(distPath) ? Source.asset(distPath) : Source.data('index.html', CONSOLE_PLACEHOLDER_HTML);
}

/** The console's `config.json` for a tile URL (`none`: a grid) and a live URL; undefined (no file) when neither is set. */
function consoleConfig(tileUrl: string | undefined, liveUrl: string | undefined): { tilesUrl?: string; liveUrl?: string } | undefined {
  const live = liveUrl === undefined ? {} : { liveUrl };
  if (tileUrl === undefined) return liveUrl === undefined ? undefined : live;
  if (tileUrl === 'none') return { tilesUrl: '', ...live };
  if (!/^https?:\/\//.test(tileUrl) || !['{z}', '{x}', '{y}'].every((p) => tileUrl.includes(p)))
    throw new Error(`console tileUrl ${JSON.stringify(tileUrl)}: expected "none" or an http(s) URL template with {z}, {x} and {y}`);
  return { tilesUrl: tileUrl, ...live };
}

/** Viewer-request function: paths without a file extension are client-side routes of the single-page app. */
export const SPA_REWRITE_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/**
 * The web console: a private S3 bucket (no public access, TLS only, access logs) behind CloudFront
 * with origin access control, and the API Gateway as a second origin so the console calls the API
 * on its own origin (no CORS). Caching is off for API paths; the Authorization header reaches the
 * API through the AllViewerExceptHostHeader origin request policy.
 */
export class HubConsole extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly deployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: HubConsoleProps) {
    super(scope, id);
    this.logBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogDays ?? 30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.logBucket, {
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the console bucket and of CloudFront; logging it into itself would loop.',
    });
    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.distribution = consoleDistribution(this, props.api, this.bucket, this.logBucket);
    this.deployment = consoleDeployment(this, props, this.bucket, this.distribution);
    acknowledgeDeploymentHandler(Stack.of(this));
  }
}

/** CloudFront: the site bucket by default (client-side routes rewritten to index.html), the API under its paths. */
function consoleDistribution(scope: Construct, api: RestApi, bucket: Bucket, logBucket: Bucket): Distribution {
  const apiBehavior = {
    origin: new RestApiOrigin(api),
    viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
    allowedMethods: AllowedMethods.ALLOW_ALL,
    cachePolicy: CachePolicy.CACHING_DISABLED,
    originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    compress: true,
  };
  const spaRewrite = new CloudFrontFunction(scope, 'SpaRewrite', {
    code: FunctionCode.fromInline(SPA_REWRITE_CODE),
    runtime: FunctionRuntime.JS_2_0,
    comment: 'console client-side routes -> /index.html',
  });
  const distribution = new Distribution(scope, 'Distribution', {
    comment: 'Telematics Hub console and API',
    defaultRootObject: 'index.html',
    httpVersion: HttpVersion.HTTP2_AND_3,
    priceClass: PriceClass.PRICE_CLASS_100,
    enableLogging: true,
    logBucket,
    logFilePrefix: 'cloudfront/',
    defaultBehavior: {
      origin: S3BucketOrigin.withOriginAccessControl(bucket),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
      functionAssociations: [{ function: spaRewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      compress: true,
    },
    additionalBehaviors: Object.fromEntries(CONSOLE_API_PATHS.map((p) => [p, apiBehavior])),
  });
  acknowledge(
    distribution,
    {
      id: 'AwsSolutions-CFR1',
      reason: 'Trackers and fleet operators are world-wide; the hub does not restrict countries. Add a geo restriction if your policy needs one.',
    },
    {
      id: 'AwsSolutions-CFR2',
      reason:
        'WAF is an account-level choice with a monthly cost; the API behind the distribution is authenticated and throttled. Attach a web ACL if your policy requires one (docs/deploy.md).',
    },
    {
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses the default *.cloudfront.net certificate, for which CloudFront does not allow choosing the minimum TLS version; use a custom domain and certificate to enforce TLSv1.2_2021.',
    },
  );
  return distribution;
}

/** Copies the console (and its `config.json` when the deployment sets one) into the site bucket, then invalidates the distribution. */
function consoleDeployment(scope: Construct, props: HubConsoleProps, bucket: Bucket, distribution: Distribution): BucketDeployment {
  const deployLogs = new LogGroup(scope, 'DeploymentLogs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
  const deployRole = new Role(scope, 'DeploymentRole', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: 'Copies the console files to the site bucket',
  });
  deployLogs.grantWrite(deployRole);
  const config = consoleConfig(props.tileUrl, props.liveUrl);
  const deployment = new BucketDeployment(scope, 'Deployment', {
    sources: [consoleSource(props.distPath ?? consoleDistPath()), ...(config ? [Source.jsonData('config.json', config)] : [])],
    destinationBucket: bucket,
    distribution,
    distributionPaths: ['/*'],
    prune: true,
    memoryLimit: 512,
    role: deployRole,
    logGroup: deployLogs,
  });
  const site = Stack.of(scope).getLogicalId(bucket.node.defaultChild as CfnBucket);
  acknowledge(
    deployRole,
    ...[
      'Action::s3:GetObject*',
      'Action::s3:GetBucket*',
      'Action::s3:List*',
      'Action::s3:DeleteObject*',
      'Action::s3:Abort*',
      'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
      `Resource::<${site}.Arn>/*`,
    ].map((f) => ({
      id: `AwsSolutions-IAM5[${f}]`,
      reason:
        'CDK BucketDeployment grants: it copies every object of the staged asset into the site bucket and prunes stale ones, so it needs object-level wildcards on exactly these two buckets.',
    })),
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CDK BucketDeployment grants cloudfront:CreateInvalidation/GetInvalidation on "*" to invalidate the console distribution after an upload; CloudFront invalidation APIs are not scoped further by CDK.',
    },
  );
  return deployment;
}

/** BucketDeployment's handler is a singleton function placed at the stack's top level by CDK. */
function acknowledgeDeploymentHandler(stack: Stack): void {
  const handler: IConstruct | undefined = stack.node.children.find(
    (c) => c.node.id.startsWith('Custom::CDKBucketDeployment') || c.node.id.startsWith('CustomCDKBucketDeployment'),
  );
  if (!handler) return;
  const why = 'CDK-provided BucketDeployment handler (Python, AWS CLI layer) that runs only during CloudFormation deployments';
  acknowledge(
    handler,
    { id: 'AwsSolutions-L1', reason: `${why}; its runtime is chosen and updated by aws-cdk-lib.` },
    { id: 'Serverless-LambdaLatestVersion', reason: `${why}; its runtime is chosen and updated by aws-cdk-lib.` },
    { id: 'Serverless-LambdaDLQ', reason: `${why}; CloudFormation invokes it and reports failures itself.` },
    { id: 'Serverless-LambdaAsyncFailureDestination', reason: `${why}; CloudFormation invokes it and reports failures itself.` },
    { id: 'Serverless-LambdaTracing', reason: `${why}; there is nothing to trace between deployments.` },
  );
}
