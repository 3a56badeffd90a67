import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createHub, type HubServices } from '../../core/hub.js';
import type { Logger } from '../../core/logger.js';
import { createDocumentClient, tableNamesFromEnv } from '../dynamodb/client.js';
import { dynamoPorts } from '../dynamodb/ports.js';
import { awsSettingsFromEnv, loadAdminToken } from './config.js';
import { EventBridgeBus } from './eventbridge-bus.js';
import { SqsDeadLetters } from './sqs-dead-letters.js';
import { AWS_CLIENT_DEFAULTS } from './timeouts.js';

let cached: Promise<HubServices> | undefined;

function numberFromEnv(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

/** The hub's services wired to AWS from the environment; built once per Lambda container. */
export function awsHub(logger: Logger): Promise<HubServices> {
  cached ??= (async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const settings = awsSettingsFromEnv();
    const doc = createDocumentClient({ region: settings.region, endpoint: process.env.HUB_DYNAMODB_ENDPOINT });
    const busName = process.env.HUB_EVENT_BUS_NAME;
    const bus = busName ? new EventBridgeBus(new EventBridgeClient({ region: settings.region, ...AWS_CLIENT_DEFAULTS }), busName) : undefined;
    const dlq = process.env.HUB_INGEST_DLQ_URL;
    const deadLetters =
      dlq && settings.queueUrl ? new SqsDeadLetters(new SQSClient({ region: settings.region, ...AWS_CLIENT_DEFAULTS }), dlq, settings.queueUrl) : undefined;
    return createHub(dynamoPorts(doc, tableNamesFromEnv(), logger, { bus, deadLetters }), {
      publicHost: settings.publicHost,
      portRange: settings.portRange,
      adminToken: () => loadAdminToken(settings),
      defaultTtl: { device: numberFromEnv('HUB_DEFAULT_DEVICE_MESSAGES_TTL'), channel: numberFromEnv('HUB_DEFAULT_CHANNEL_MESSAGES_TTL') },
    });
  })();
  cached.catch(() => (cached = undefined));
  return cached;
}
