import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { logger, metrics } from '../shared/powertools.js';

/**
 * Stream-target handler (one function per stream type, `HUB_STREAM_TYPE`): invoked by the
 * EventBridge rule of its type with one `messages` event per stream per ingest batch, and every
 * minute by a schedule with `{"drain": true}` to retry buffered batches.
 */
export type StreamEvent = EventBridgeEvent<'messages', { stream_id: number; batch_id: string; messages: unknown[] }> | { drain: true };

export function makeStreamHandler(process: (event: StreamEvent) => Promise<void>) {
  return middy(async (event: StreamEvent): Promise<void> => process(event))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

export const handler = makeStreamHandler(async () => {
  throw new Error('stream delivery is not wired yet');
});
