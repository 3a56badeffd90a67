import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV, hubEnv } from '../../core/env.js';
import { createHub, type HubServices } from '../../core/hub.js';
import type { LiveFanout } from '../../core/live/fanout.js';
import type { Logger } from '../../core/logger.js';
import { createDocumentClient, tableNamesFromEnv } from '../dynamodb/client.js';
import { dynamoPorts } from '../dynamodb/ports.js';
import { awsSettingsFromEnv, loadAdminToken } from './config.js';
import { EventBridgeBus } from './eventbridge-bus.js';
import { liveFanoutFromEnv } from './live.js';
import { S3PackArchive } from './s3-archive.js';
import { SqsDeadLetters } from './sqs-dead-letters.js';
import { AWS_CLIENT_DEFAULTS } from './timeouts.js';

/** The hub's services on AWS, with the live fan-out when the function has live push (HUB_LIVE_PUSH=on). */
export interface AwsHubServices extends HubServices {
  /** Interval events wait in it for the next ingest batch's publish; a run without a batch (the tick) flushes it. */
  readonly liveFanout?: LiveFanout;
}

let cached: Promise<AwsHubServices> | undefined;

/** The hub's services wired to AWS from the environment; built once per Lambda container. */
export function awsHub(logger: Logger): Promise<AwsHubServices> {
  cached ??= (async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const env = hubEnv();
    const settings = awsSettingsFromEnv(env);
    const doc = createDocumentClient({ region: settings.region, endpoint: env[ENV.dynamodbEndpoint] });
    const busName = env[ENV.eventBusName];
    const events = new EventBridgeClient({ region: settings.region, ...AWS_CLIENT_DEFAULTS });
    const bus = busName ? new EventBridgeBus(events, busName) : undefined;
    const live = liveFanoutFromEnv(env, doc, events, logger);
    const dlq = env[ENV.ingestDlqUrl];
    const deadLetters =
      dlq && settings.queueUrl ? new SqsDeadLetters(new SQSClient({ region: settings.region, ...AWS_CLIENT_DEFAULTS }), dlq, settings.queueUrl) : undefined;
    const bucket = env[ENV.archiveBucket];
    const archive = bucket ? new S3PackArchive(new S3Client({ region: settings.region, ...AWS_CLIENT_DEFAULTS }), bucket) : undefined;
    const hub = createHub(dynamoPorts(doc, tableNamesFromEnv(env), logger, { bus, deadLetters, archive }), {
      publicHost: settings.publicHost,
      portRange: settings.portRange,
      adminToken: () => loadAdminToken(settings),
      version: env[ENV.version],
      defaultTtl: { device: env[ENV.defaultDeviceMessagesTtl], channel: env[ENV.defaultChannelMessagesTtl] },
      onStored: live?.publish,
      onDeviceEvents: live?.events,
      coldHistoryAfterDays: archive ? (env[ENV.coldHistoryAfterDays] ?? 2) : undefined,
      telemetryCheckpointSeconds: env[ENV.telemetryCheckpointSeconds],
    });
    return live ? { ...hub, liveFanout: live } : hub;
  })();
  cached.catch(() => (cached = undefined));
  return cached;
}
