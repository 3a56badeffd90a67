import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, type LifecycleRule, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARCHIVE_KEEP_TAG, ENV } from '../core/env.js';
import { HubFunction } from './function.js';
import { grantTableRead } from './grants.js';
import { acknowledge } from './nag.js';
import { handlerEntry } from './paths.js';
import type { HubStorage } from './storage.js';

/** Key prefix of archived days (adapters/aws/s3-archive.ts's default). */
const ARCHIVE_PREFIX = 'messages/';

export interface HubArchiveProps {
  readonly storage: HubStorage;
  /** Whole UTC days device and channel history stays only in DynamoDB before it is archived (≥ 1). */
  readonly afterDays: number;
  /**
   * Parallel archiver runs each night, each over a disjoint part of the devices (1-5: the targets of
   * one schedule). One run archives about 7,000 owners in its 15 minutes at 1,769 MB (~115 ms of
   * CPU per owner-day, docs/cost.md). @default 4
   */
  readonly shards?: number;
  /** @default RemovalPolicy.RETAIN (a bucket that still holds objects cannot be destroyed) */
  readonly removalPolicy?: RemovalPolicy;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/** The bucket's lifecycle: one expiry rule per `keep` tag class (adapters/aws/s3-archive.ts tags each object), and no stray uploads. */
export function archiveLifecycleRules(): LifecycleRule[] {
  return [
    { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ...ARCHIVE_KEEP_TAG.days.map((days) => ({
      id: `expire-keep-${days}`,
      tagFilters: { [ARCHIVE_KEEP_TAG.key]: String(days) },
      expiration: Duration.days(days),
    })),
  ];
}

/**
 * Cold history (core/messages/tiers.ts): an S3 bucket (encrypted, TLS only, private, lifecycle
 * expiry by tag) holding one object per device or channel per day, and the archiver Lambda that
 * copies history older than `afterDays` into it every night (00:30 UTC). DynamoDB then drops the
 * hot copies by TTL, for free. `attach` gives a function that reads history the bucket and the
 * setting.
 */
export class HubArchive extends Construct {
  readonly bucket: Bucket;
  readonly function: HubFunction;
  readonly schedule: Rule;
  /** Archiver errors: history older than the hot window is not being archived (DynamoDB would expire it two days later). */
  readonly errorsAlarm: Alarm;
  private readonly afterDays: number;

  constructor(scope: Construct, id: string, props: HubArchiveProps) {
    super(scope, id);
    if (!(Number.isInteger(props.afterDays) && props.afterDays >= 1))
      throw new Error(`cold history after ${props.afterDays} days: give a whole number of days >= 1`);
    this.afterDays = props.afterDays;
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: archiveLifecycleRules(),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    acknowledge(this.bucket, {
      id: 'AwsSolutions-S1',
      reason:
        'Only the hub functions read and write this bucket (IAM grants below); every request is theirs, so server access logs would duplicate their own logs at a cost per object.',
    });
    this.function = new HubFunction(this, 'Function', {
      entry: handlerEntry('archive'),
      description: 'Telematics Hub archiver: device and channel history older than the hot window -> one S3 object per owner per day',
      // one full vCPU: archiving is CPU-bound (decode the hot packs, compress the day)
      memorySize: 1769,
      timeout: Duration.minutes(15),
      serviceName: 'hub-archive',
      logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
      environment: {
        [ENV.tableRegistry]: props.storage.registry.tableName,
        [ENV.tableMessages]: props.storage.messages.tableName,
      },
    });
    // devices and channels are listed from the registry; packs are read from the messages table
    grantTableRead(props.storage.registry, this.function);
    grantTableRead(props.storage.messages, this.function);
    this.attach(this.function, 'readWrite');
    this.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6) });
    const reason =
      'The archiver runs on a schedule and is idempotent: a failed run is retried twice, then by the next nightly run (packs stay in DynamoDB two days longer than needed), and its errors alarm; a failed event carries nothing to replay.';
    acknowledge(this.function, { id: 'Serverless-LambdaDLQ', reason }, { id: 'Serverless-LambdaAsyncFailureDestination', reason });
    const shards = props.shards ?? 4;
    if (!(Number.isInteger(shards) && shards >= 1 && shards <= 5)) throw new Error(`archiver shards ${shards}: give 1-5`);
    this.schedule = new Rule(this, 'Schedule', {
      description: 'Telematics Hub: archive old message history nightly',
      schedule: Schedule.cron({ minute: '30', hour: '0' }),
      targets: Array.from(
        { length: shards },
        (_, shard) => new LambdaFunction(this.function, { retryAttempts: 2, event: RuleTargetInput.fromObject({ shard, shards }) }),
      ),
    });
    acknowledge(this.schedule, {
      id: 'Serverless-EventBusDLQ',
      reason:
        'The nightly trigger carries no data: a failed delivery is retried twice and the next night runs the same idempotent archiving; packs stay in DynamoDB two days longer than needed.',
    });
    this.errorsAlarm = new Alarm(this, 'Errors', {
      alarmDescription:
        'The archiver failed: history older than the hot window is not being archived, and DynamoDB expires it two days later. See docs/operations.md.',
      metric: this.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /**
   * Tells a function reading history (API, ingest) where the archive is and gives it the bucket:
   * `read` (queries), or `readWrite` (also deleting ranges and devices, archiving).
   */
  attach(fn: HubFunction, access: 'read' | 'readWrite'): void {
    fn.addEnvironment(ENV.archiveBucket, this.bucket.bucketName);
    fn.addEnvironment(ENV.coldHistoryAfterDays, String(this.afterDays));
    // the calls adapters/aws/s3-archive.ts makes, and nothing else (no s3:*Object* wildcards)
    const objects = access === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject', 's3:PutObjectTagging', 's3:DeleteObject'];
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    fn.addToRolePolicy(new PolicyStatement({ actions: objects, resources: [this.bucket.arnForObjects(`${ARCHIVE_PREFIX}*`)] }));
    acknowledge(fn.role ?? fn, {
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/${ARCHIVE_PREFIX}*]`,
      reason: 'Archived days are one object per device or channel per day under the messages/ prefix; their keys are not known at deploy time.',
    });
  }
}
