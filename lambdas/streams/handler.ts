import { randomUUID } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { awsHub } from '../../adapters/aws/hub.js';
import { streamRuntime } from '../../adapters/streams/runtime.js';
import { ENV, hubEnv } from '../../core/env.js';
import type { BusEvent } from '../../core/ports.js';
import { coreLogger, logger, metrics } from '../shared/powertools.js';

/**
 * Stream-target handler (one function per stream type, `HUB_STREAM_TYPE`): invoked by the
 * EventBridge rule of its type with one `messages` event per stream per ingest batch, which it
 * buffers and delivers; and every minute by a schedule with `{"drain": true}` to retry backlogs.
 */
export type StreamEvent = EventBridgeEvent<'messages', BusEvent> | { drain: true };

export function makeStreamHandler(process: (event: StreamEvent) => Promise<void>) {
  return middy(async (event: StreamEvent): Promise<void> => process(event))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

let runtime: ReturnType<typeof streamRuntime> | undefined;
const TYPE = hubEnv()[ENV.streamType];

export const handler = makeStreamHandler(async (event) => {
  runtime ??= streamRuntime(await awsHub(coreLogger), {
    logger: coreLogger,
    owner: `${process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? 'lambda'}#${randomUUID().slice(0, 8)}`,
    backoffCapS: 300,
    drainBudgetS: 90,
    metric: (name, value) => metrics.addMetric(name, MetricUnit.Count, value),
  });
  if ('drain' in event) {
    await runtime.delivery.drainAll((s) => !TYPE || s.protocol_name === TYPE);
    metrics.addMetric('StreamDrainRuns', MetricUnit.Count, 1); // keeps the EMF line of an idle minute non-empty
    return;
  }
  logger.appendKeys({ stream_id: event.detail.stream_id, batch_id: event.detail.batch_id });
  await runtime.delivery.accept(event.detail);
  await runtime.delivery.drain(event.detail.stream_id);
});
