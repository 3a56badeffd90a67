import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HubFunction } from './function.js';
import { handlerEntry } from './paths.js';
import type { HubStorage } from './storage.js';

export interface HubIngestProps {
  readonly storage: HubStorage;
  /**
   * How long the ingest queue's event source waits to fill a batch (s): longer batches pack more
   * messages per write (cheaper), shorter ones make messages visible sooner.
   * @default 1
   */
  readonly batchingWindowSeconds?: number;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/** The ingest path: SQS queue (with DLQ) → ingest Lambda (partial batch failures) → DynamoDB. */
export class HubIngest extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly function: HubFunction;

  constructor(scope: Construct, id: string, props: HubIngestProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const timeout = Duration.seconds(60);
    this.queue = new Queue(this, 'Frames', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });
    this.function = new HubFunction(this, 'Function', {
      entry: handlerEntry('ingest'),
      description: 'Telematics Hub ingest: frames from SQS -> messages, telemetry (DynamoDB)',
      memorySize: props.memorySize ?? 512,
      timeout,
      serviceName: 'hub-ingest',
      logGroup: new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH }),
      environment: {
        HUB_TABLE_REGISTRY: props.storage.registry.tableName,
        HUB_TABLE_MESSAGES: props.storage.messages.tableName,
      },
    });
    props.storage.registry.grantReadWriteData(this.function);
    props.storage.messages.grantReadWriteData(this.function);
    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(props.batchingWindowSeconds ?? 1),
        reportBatchItemFailures: true,
      }),
    );
  }
}
