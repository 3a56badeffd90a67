import { Duration } from 'aws-cdk-lib';
import { EventBus, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../core/env.js';
import { deadLetterQueue } from './dead-letters.js';
import { HubFunction } from './function.js';
import { grantTableReadWrite } from './grants.js';
import { acknowledge } from './nag.js';
import { handlerEntry } from './paths.js';
import type { HubStorage } from './storage.js';

/** The stream types, one function and one rule each (core/schemas/streams.ts names the same). */
export const STREAM_TYPES = ['http', 'mqtt', 'wialon_retranslator', 'aws_iot', 'thingsboard'] as const;
export type StreamType = (typeof STREAM_TYPES)[number];

/** `source` and `detail-type` of the events ingest publishes. */
export const STREAM_EVENT_SOURCE = 'telematics-hub';
export const STREAM_EVENT_DETAIL_TYPE = 'messages';

export interface HubStreamsProps {
  readonly storage: HubStorage;
  /** @default 256 */
  readonly memorySize?: number;
  /** How long EventBridge keeps retrying a delivery to a stream function. @default 24 hours */
  readonly maxEventAge?: Duration;
  /** @default 185 (EventBridge's maximum) */
  readonly retryAttempts?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/** Powertools service name of a stream function (the `service` dimension of its metrics). */
export function streamServiceName(type: StreamType): string {
  return `hub-stream-${type.replaceAll('_', '-')}`;
}

/** Logical-id friendly name of a stream type (`wialon_retranslator` → `WialonRetranslator`). */
export function streamTypeId(type: StreamType): string {
  return type
    .split('_')
    .map((w) => (w === 'aws' || w === 'iot' ? w.toUpperCase() : w[0].toUpperCase() + w.slice(1)))
    .join('');
}

/**
 * Streams: a custom EventBridge bus; per stream type a function (outside the VPC: it calls user
 * endpoints on the internet) and a rule on `detail.type` targeting it with EventBridge retries and
 * an encrypted dead-letter queue; a one-minute schedule that invokes every stream function with
 * `{"drain": true}` to retry the batches it buffered.
 */
export class HubStreams extends Construct {
  readonly bus: EventBus;
  readonly deadLetterQueue: Queue;
  readonly functions: Readonly<Record<StreamType, HubFunction>>;
  readonly rules: Readonly<Record<StreamType, Rule>>;
  readonly drainSchedule: Rule;

  constructor(scope: Construct, id: string, props: HubStreamsProps) {
    super(scope, id);
    const retention = props.logRetention ?? RetentionDays.ONE_MONTH;
    this.bus = new EventBus(this, 'Bus', { description: 'Telematics Hub: one messages event per stream per ingest batch' });
    this.deadLetterQueue = deadLetterQueue(this, {
      notRedrivenFurther:
        'This queue is the dead-letter queue of the stream rules targets and of the stream functions asynchronous invocations (not referenced by a RedrivePolicy, which the rule looks for).',
      replayedBy: 'This queue is itself the dead-letter queue of the stream targets; events are replayed from it by an operator (docs/operations.md).',
    });

    const functions = {} as Record<StreamType, HubFunction>;
    const rules = {} as Record<StreamType, Rule>;
    for (const type of STREAM_TYPES) {
      const name = streamTypeId(type);
      const fn = new HubFunction(this, `${name}Function`, {
        entry: handlerEntry('streams'),
        description: `Telematics Hub stream target: ${type}`,
        memorySize: props.memorySize ?? 256,
        timeout: Duration.seconds(120),
        serviceName: streamServiceName(type),
        logRetention: retention,
        environment: {
          [ENV.streamType]: type,
          [ENV.tableRegistry]: props.storage.registry.tableName,
          [ENV.tableMessages]: props.storage.messages.tableName,
        },
      });
      // a crash after Lambda's own two retries of an async invocation lands in the DLQ
      fn.configureAsyncInvoke({ onFailure: new SqsDestination(this.deadLetterQueue), retryAttempts: 2, maxEventAge: Duration.hours(6) });
      acknowledge(fn, {
        id: 'Serverless-LambdaDLQ',
        reason:
          'Failed asynchronous invocations go to the streams DLQ through an on-failure destination (EventInvokeConfig), which AWS recommends over a function DLQ and which also records the error.',
      });
      // stream definitions, subscriptions, per-stream status and buffered batches live in the registry
      grantTableReadWrite(props.storage.registry, fn);
      if (type === 'aws_iot') {
        fn.addToRolePolicy(new PolicyStatement({ actions: ['iot:Publish', 'iot:UpdateThingShadow'], resources: ['*'] }));
        fn.addToRolePolicy(new PolicyStatement({ actions: ['iot:DescribeEndpoint'], resources: ['*'] }));
        if (fn.role)
          acknowledge(fn.role, {
            id: 'AwsSolutions-IAM5[Resource::*]',
            reason:
              'aws_iot streams publish to topics and update shadows of things the user configures at run time through the API, so no ARN is known at deploy time; iot:DescribeEndpoint has no resource-level permissions. X-Ray actions also need "*".',
          });
      }
      functions[type] = fn;
      rules[type] = new Rule(this, `${name}Rule`, {
        eventBus: this.bus,
        description: `messages events of ${type} streams -> the ${type} stream function`,
        eventPattern: { source: [STREAM_EVENT_SOURCE], detailType: [STREAM_EVENT_DETAIL_TYPE], detail: { type: [type] } },
        targets: [
          new LambdaFunction(fn, {
            deadLetterQueue: this.deadLetterQueue,
            maxEventAge: props.maxEventAge ?? Duration.hours(24),
            retryAttempts: props.retryAttempts ?? 185,
          }),
        ],
      });
    }
    this.functions = functions;
    this.rules = rules;
    this.drainSchedule = new Rule(this, 'DrainSchedule', {
      description: 'Every minute: stream functions retry the batches they buffered ({"drain": true})',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: STREAM_TYPES.map(
        (type) =>
          new LambdaFunction(functions[type], {
            event: RuleTargetInput.fromObject({ drain: true }),
            deadLetterQueue: this.deadLetterQueue,
            maxEventAge: Duration.minutes(5),
            retryAttempts: 2,
          }),
      ),
    });
  }
}
