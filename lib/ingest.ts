import { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../core/env.js';
import { deadLetterQueue } from './dead-letters.js';
import { acknowledgeSyncOnly, HubFunction } from './function.js';
import { grantTableReadWrite } from './grants.js';
import { acknowledge } from './nag.js';
import { handlerEntry } from './paths.js';
import type { HubStorage } from './storage.js';

export interface HubIngestProps {
  readonly storage: HubStorage;
  /** The streams bus: ingest publishes one `messages` event per stream per batch to it. */
  readonly eventBus: IEventBus;
  /**
   * How long the queue's event source waits to fill a batch (s, 0-300): longer windows pack more
   * messages of a device into one item and one invocation (cheaper), shorter ones make messages
   * visible sooner.
   * @default 1
   */
  readonly batchingWindowSeconds?: number;
  /**
   * Queue messages (each an envelope of many frames) per invocation (1-10000; above 10 a
   * batching window is required).
   * @default 10
   */
  readonly batchSize?: number;
  /** @default 512 */
  readonly memorySize?: number;
  /**
   * Function timeout; the queue's visibility timeout is six times this plus the batching window.
   * Raise it with long batching windows (an invocation of tens of thousands of frames runs for minutes).
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;
  /** Seconds between a device's telemetry checkpoints (HUB_TELEMETRY_CHECKPOINT_SECONDS). @default 300 */
  readonly telemetryCheckpointSeconds?: number;
  /**
   * Ingest queues, each with its own event source on the function; the listener sends each
   * device's frames to one of them (by ident hash), so an invocation holds 1/shards of the fleet's
   * frames of its window (shorter invocations) and still all of a device's.
   * @default 1
   */
  readonly shards?: number;
  /** Receives before a queue message goes to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/** The ingest function's default timeout; the queue's visibility timeout follows from it. */
export const INGEST_TIMEOUT = Duration.seconds(60);

/** SQS visibility timeout for a Lambda consumer: six times the function timeout plus the batching window (AWS guidance). */
export function ingestVisibilityTimeout(timeout: Duration, batchingWindowSeconds: number): Duration {
  return Duration.seconds(timeout.toSeconds() * 6 + batchingWindowSeconds);
}

/**
 * The ingest path: SQS queue (SSE, TLS only, DLQ after `maxReceiveCount` receives) → ingest Lambda
 * (partial batch failures) → DynamoDB, and → the streams bus (PutEvents on that bus only).
 */
export class HubIngest extends Construct {
  /** The first ingest queue (the only one unless sharded): dead letters are replayed into it. */
  readonly queue: Queue;
  /** Every ingest queue, in shard order (the listener's HUB_INGEST_SHARD_QUEUE_URLS). */
  readonly queues: Queue[];
  readonly deadLetterQueue: Queue;
  readonly function: HubFunction;

  constructor(scope: Construct, id: string, props: HubIngestProps) {
    super(scope, id);
    const window = props.batchingWindowSeconds ?? 1;
    const batchSize = props.batchSize ?? 10;
    if (!(window >= 0 && window <= 300)) throw new Error(`ingest batching window ${window} s: give 0-300`);
    if (!(batchSize >= 1 && batchSize <= 10_000) || (batchSize > 10 && window < 1))
      throw new Error(`ingest batch size ${batchSize}: give 1-10000 (above 10 with a batching window of at least 1 s)`);
    const timeout = props.timeout ?? INGEST_TIMEOUT;
    if (!(timeout.toSeconds() >= 10 && timeout.toSeconds() <= 900)) throw new Error(`ingest timeout ${timeout.toSeconds()} s: give 10-900`);
    this.deadLetterQueue = deadLetterQueue(this, {
      notRedrivenFurther: 'This queue is the dead-letter queue of the ingest queue (its RedrivePolicy target); a DLQ of a DLQ would only hide failures.',
      replayedBy: 'This queue is the dead-letter queue of the ingest queue; messages are redriven from it by an operator (docs/operations.md).',
    });
    const shards = props.shards ?? 1;
    if (!(Number.isInteger(shards) && shards >= 1 && shards <= 16)) throw new Error(`ingest shards ${shards}: give 1-16`);
    // shard 0 keeps the construct id of the single queue (an unsharded stack keeps its queue)
    this.queues = Array.from(
      { length: shards },
      (_, i) =>
        new Queue(this, i === 0 ? 'Frames' : `Frames${i}`, {
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          visibilityTimeout: ingestVisibilityTimeout(timeout, window),
          retentionPeriod: Duration.days(4),
          deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
        }),
    );
    this.queue = this.queues[0];
    this.function = new HubFunction(this, 'Function', {
      entry: handlerEntry('ingest'),
      description: 'Telematics Hub ingest: frames from SQS -> messages, telemetry (DynamoDB), stream events (EventBridge)',
      memorySize: props.memorySize ?? 512,
      timeout,
      serviceName: 'hub-ingest',
      logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
      environment: {
        [ENV.tableRegistry]: props.storage.registry.tableName,
        [ENV.tableMessages]: props.storage.messages.tableName,
        [ENV.eventBusName]: props.eventBus.eventBusName,
        [ENV.telemetryCheckpointSeconds]: String(props.telemetryCheckpointSeconds ?? 300),
      },
    });
    // registry: device and channel lookups, telemetry merges, command replies, stream subscriptions;
    // messages: pack writes, adoption of an ident's history when it gets registered
    grantTableReadWrite(props.storage.registry, this.function);
    grantTableReadWrite(props.storage.messages, this.function);
    props.eventBus.grantPutEventsTo(this.function);
    for (const queue of this.queues)
      this.function.addEventSource(
        new SqsEventSource(queue, {
          batchSize,
          maxBatchingWindow: window > 0 ? Duration.seconds(window) : undefined,
          reportBatchItemFailures: true,
        }),
      );
    acknowledgeSyncOnly(this.function, 'SQS event source mapping');
    acknowledge(this.function, {
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        'SQS event source mappings do not support on-failure destinations; failed records return to the queue and reach the DLQ through its redrive policy after maxReceiveCount receives.',
    });
  }
}
