import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type HubChannels, LISTENER_CONNECTIONS_METRIC } from './channels.js';
import type { HubFunction } from './function.js';
import type { HubIngest } from './ingest.js';
import { acknowledge } from './nag.js';
import type { HubRegistryApi } from './registry-api.js';
import type { HubStorage } from './storage.js';
import { type HubStreams, STREAM_TYPES, streamServiceName } from './streams.js';

export interface HubObservabilityProps {
  readonly storage: HubStorage;
  readonly ingest: HubIngest;
  readonly streams: HubStreams;
  readonly api: HubRegistryApi;
  readonly channels: HubChannels;
  /** Where alarm notifications go (an SNS email subscription; confirm it once). @default no subscription */
  readonly alarmEmail?: string;
  /** Age of the oldest ingest message that raises an alarm. @default 5 minutes */
  readonly ingestQueueAgeThreshold?: Duration;
  /** Dashboard name. @default generated */
  readonly dashboardName?: string;
}

/** The hub's own metrics (Powertools EMF, namespace TelematicsHub, dimension `service`). */
export const HUB_METRICS = {
  namespace: 'TelematicsHub',
  ingest: { service: 'hub-ingest', frames: 'FramesReceived', stored: 'MessagesStored', decodeErrors: 'DecodeErrors', queueAge: 'QueueAge' },
  streams: { deliveries: 'StreamDeliveries', failures: 'StreamFailures' },
} as const;

/** A hub EMF metric of one service. */
export function hubMetric(service: string, metricName: string, statistic = 'Sum', period = Duration.minutes(1)): Metric {
  return new Metric({ namespace: HUB_METRICS.namespace, metricName, dimensionsMap: { service }, statistic, period });
}

/** Per-second rate of a count metric (Sum / period). */
export function perSecond(metric: Metric, label: string): MathExpression {
  const id = `m_${metric.metricName.toLowerCase()}`;
  return new MathExpression({ expression: `${id} / PERIOD(${id})`, usingMetrics: { [id]: metric }, label, period: metric.period });
}

/**
 * Dashboard and alarms (with an encrypted SNS topic): ingest throughput and errors, queue depth and
 * age, dead letters, Lambda errors, throttles and duration, stream deliveries and failures,
 * connections per listener task, API errors and latency, DynamoDB consumption.
 */
export class HubObservability extends Construct {
  readonly topic: Topic;
  readonly topicKey: Key;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: HubObservabilityProps) {
    super(scope, id);
    this.topicKey = new Key(this, 'AlarmTopicKey', { description: 'Telematics Hub alarm topic encryption', enableKeyRotation: true });
    // CloudWatch alarms publish to the encrypted topic: they need the key
    this.topicKey.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Alarms', { displayName: 'Telematics Hub alarms', masterKey: this.topicKey, enforceSSL: true });
    if (props.alarmEmail) {
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
      acknowledge(this.topic, {
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'The only subscription is an operator e-mail address; an undeliverable alarm e-mail has nothing to redrive to, and the alarm state stays visible in CloudWatch.',
      });
    }

    this.addAlarms(props);
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName, defaultInterval: Duration.hours(3) });
    this.addIngestRows(props);
    this.addRuntimeRows(props);
  }

  private addAlarms(props: HubObservabilityProps): void {
    const { ingest, streams, api, channels } = props;
    const fiveMin = Duration.minutes(5);
    this.alarm(
      'IngestDeadLetters',
      'Frames failed ingest 5 times and wait in the ingest DLQ (redrive: docs/operations.md)',
      ingest.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: fiveMin, statistic: 'Maximum' }),
      1,
      1,
    );
    this.alarm(
      'StreamDeadLetters',
      'Stream events could not be delivered and wait in the streams DLQ',
      streams.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: fiveMin, statistic: 'Maximum' }),
      1,
      1,
    );
    this.alarm(
      'IngestQueueAge',
      'Ingest is falling behind: the oldest queued frame batch is older than the threshold',
      oldestQueued(ingest.queues),
      (props.ingestQueueAgeThreshold ?? Duration.minutes(5)).toSeconds(),
      3,
    );
    this.alarm('IngestErrors', 'The ingest function failed (crash or timeout), not single records', ingest.function.metricErrors({ period: fiveMin }), 1, 1);
    this.alarm('IngestThrottles', 'The ingest function is throttled (account concurrency)', ingest.function.metricThrottles({ period: fiveMin }), 1, 2);
    this.alarm('ApiFunctionErrors', 'The registry API function fails', api.function.metricErrors({ period: fiveMin }), 5, 1);
    this.alarm('AuthorizerErrors', 'The API authorizer fails (every request then gets 500)', api.authorizerFunction.metricErrors({ period: fiveMin }), 5, 1);
    this.alarm(
      'StreamErrors',
      'Stream functions fail (crash or timeout)',
      new MathExpression({
        expression: STREAM_TYPES.map((_, i) => `e${i}`).join(' + '),
        usingMetrics: Object.fromEntries(STREAM_TYPES.map((t, i) => [`e${i}`, streams.functions[t].metricErrors({ period: fiveMin })])),
        label: 'stream function errors',
        period: fiveMin,
      }),
      5,
      1,
    );
    this.alarm('Api5xx', 'The registry API answers 5xx', api.api.metricServerError({ period: fiveMin, statistic: 'Sum' }), 5, 1);
    this.alarm('ApiLatency', 'The registry API p99 latency is above 5 s', api.api.metricLatency({ period: fiveMin, statistic: 'p99' }), 5000, 3);
    this.alarm(
      'NoHealthyListener',
      'No healthy listener task behind the NLB: devices cannot connect',
      channels.targetGroups[0].metrics.healthyHostCount({ period: Duration.minutes(1), statistic: 'Minimum' }),
      1,
      2,
      ComparisonOperator.LESS_THAN_THRESHOLD,
      TreatMissingData.BREACHING,
    );
  }

  /** Overview, ingest throughput, queues and dead letters. */
  private addIngestRows(props: HubObservabilityProps): void {
    const { ingest, streams } = props;
    const m = HUB_METRICS.ingest;
    const w = (title: string, left: IMetric[], right: IMetric[] = [], width = 8) => new GraphWidget({ title, left, right, width, height: 6 });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: '# Telematics Hub\nDevices → NLB → listener tasks → SQS → ingest → DynamoDB / EventBridge → streams. Runbook: docs/operations.md',
        width: 16,
        height: 3,
      }),
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 8, height: 3 }),
    );
    this.dashboard.addWidgets(
      w('Frames and messages per second', [
        perSecond(hubMetric(m.service, m.frames), 'frames/s'),
        perSecond(hubMetric(m.service, m.stored), 'messages stored/s'),
      ]),
      w('Decode errors', [hubMetric(m.service, m.decodeErrors)]),
      w('Queue age at ingest (ms)', [
        hubMetric(m.service, m.queueAge, 'p50'),
        hubMetric(m.service, m.queueAge, 'p99'),
        hubMetric(m.service, m.queueAge, 'Maximum'),
      ]),
    );
    this.dashboard.addWidgets(
      w(
        'Ingest queue depth',
        ingest.queues.flatMap((q, i) => {
          const shard = ingest.queues.length > 1 ? ` (shard ${i})` : '';
          return [
            q.metricApproximateNumberOfMessagesVisible({ label: `visible${shard}` }),
            q.metricApproximateNumberOfMessagesNotVisible({ label: `in flight${shard}` }),
          ];
        }),
      ),
      w(
        'Oldest queued message (s)',
        ingest.queues.map((q, i) =>
          q.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', label: ingest.queues.length > 1 ? `ingest queue ${i}` : 'ingest queue' }),
        ),
      ),
      w('Dead letters', [
        ingest.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', label: 'ingest DLQ' }),
        streams.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', label: 'streams DLQ' }),
      ]),
    );
  }

  /** Lambdas, streams, listener tasks, the API and DynamoDB. */
  private addRuntimeRows(props: HubObservabilityProps): void {
    const { ingest, streams, api, channels, storage } = props;
    const fiveMin = Duration.minutes(5);
    const w = (title: string, left: IMetric[], right: IMetric[] = [], width = 8) => new GraphWidget({ title, left, right, width, height: 6 });
    const listenerConnections = (statistic: string, label: string) =>
      new Metric({ ...LISTENER_CONNECTIONS_METRIC, statistic, period: Duration.minutes(1), label });
    const fns: [string, HubFunction][] = [
      ['ingest', ingest.function],
      ['api', api.function],
      ['authorizer', api.authorizerFunction],
      ...STREAM_TYPES.map((t): [string, HubFunction] => [`stream ${t}`, streams.functions[t]]),
    ];

    this.dashboard.addWidgets(
      w(
        'Lambda errors',
        fns.map(([n, f]) => f.metricErrors({ label: n, period: fiveMin })),
      ),
      w(
        'Lambda throttles',
        fns.map(([n, f]) => f.metricThrottles({ label: n, period: fiveMin })),
      ),
      w(
        'Lambda duration p99 (ms)',
        fns.map(([n, f]) => f.metricDuration({ label: n, statistic: 'p99', period: fiveMin })),
      ),
    );
    this.dashboard.addWidgets(
      w(
        'Stream deliveries',
        STREAM_TYPES.map((t) => hubMetric(streamServiceName(t), HUB_METRICS.streams.deliveries, 'Sum', fiveMin).with({ label: t })),
      ),
      w(
        'Stream failures',
        STREAM_TYPES.map((t) => hubMetric(streamServiceName(t), HUB_METRICS.streams.failures, 'Sum', fiveMin).with({ label: t })),
      ),
      w(
        'Stream events: rule invocations / failed',
        STREAM_TYPES.map((t) => ruleMetric(streams, t, 'Invocations')),
        STREAM_TYPES.map((t) => ruleMetric(streams, t, 'FailedInvocations')),
      ),
    );
    this.dashboard.addWidgets(
      w(
        'Connections per listener task',
        [listenerConnections('Average', 'average per task'), listenerConnections('Maximum', 'busiest task')],
        [listenerConnections('SampleCount', 'tasks reporting')],
      ),
      w('Listener CPU / memory (%)', [channels.service.metricCpuUtilization({ label: 'CPU' }), channels.service.metricMemoryUtilization({ label: 'memory' })]),
      w(
        'NLB flows',
        [channels.loadBalancer.metrics.activeFlowCount({ label: 'active' }), channels.loadBalancer.metrics.newFlowCount({ label: 'new' })],
        [channels.targetGroups[0].metrics.healthyHostCount({ statistic: 'Minimum', label: 'healthy tasks' })],
      ),
    );
    this.dashboard.addWidgets(
      w('API requests / 4xx / 5xx', [
        api.api.metricCount({ statistic: 'Sum', label: 'requests' }),
        api.api.metricClientError({ statistic: 'Sum', label: '4xx' }),
        api.api.metricServerError({ statistic: 'Sum', label: '5xx' }),
      ]),
      w('API latency (ms)', [
        api.api.metricLatency({ statistic: 'p50', label: 'p50' }),
        api.api.metricLatency({ statistic: 'p99', label: 'p99' }),
        api.api.metricIntegrationLatency({ statistic: 'p99', label: 'integration p99' }),
      ]),
      w(
        'DynamoDB consumed capacity',
        [
          storage.messages.metricConsumedWriteCapacityUnits({ label: 'messages WCU' }),
          storage.registry.metricConsumedWriteCapacityUnits({ label: 'registry WCU' }),
        ],
        [
          storage.messages.metricConsumedReadCapacityUnits({ label: 'messages RCU' }),
          storage.registry.metricConsumedReadCapacityUnits({ label: 'registry RCU' }),
        ],
      ),
    );
  }

  private alarm(
    id: string,
    description: string,
    metric: IMetric,
    threshold: number,
    evaluationPeriods: number,
    comparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData = TreatMissingData.NOT_BREACHING,
  ): Alarm {
    const alarm = new Alarm(this, id, { alarmDescription: description, metric, threshold, evaluationPeriods, comparisonOperator, treatMissingData });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}

function ruleMetric(streams: HubStreams, type: (typeof STREAM_TYPES)[number], metricName: string): Metric {
  return new Metric({
    namespace: 'AWS/Events',
    metricName,
    dimensionsMap: { EventBusName: streams.bus.eventBusName, RuleName: streams.rules[type].ruleName },
    statistic: 'Sum',
    period: Duration.minutes(5),
    label: `${type} ${metricName === 'Invocations' ? 'invocations' : 'failed'}`,
  });
}

/** The age of the oldest frame batch in the ingest queue, or in any of its shards. */
function oldestQueued(queues: readonly IQueue[]): IMetric {
  const age = (q: IQueue) => q.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' });
  if (queues.length === 1) return age(queues[0]);
  return new MathExpression({
    expression: `MAX([${queues.map((_, i) => `q${i}`).join(', ')}])`,
    usingMetrics: Object.fromEntries(queues.map((q, i) => [`q${i}`, age(q)])),
    period: Duration.minutes(1),
    label: 'oldest queued frame batch, any shard',
  });
}
