import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { awsHub } from '../../adapters/aws/hub.js';
import { awsLive } from '../../adapters/aws/live.js';
import type { LiveEvent } from '../../core/live/ports.js';
import type { LiveService } from '../../core/live/service.js';
import { coreLogger, logger, metrics } from '../shared/powertools.js';

/**
 * Live push: invoked by the bus rule with one `live` event per ingest batch (the messages and
 * interval events of watched devices; the calculators' tick sends the events of its run), it posts
 * the frames to the watching connections; connections found gone are removed.
 */
export function makeLivePushHandler(getLive: () => Promise<LiveService>) {
  return middy(async (event: EventBridgeEvent<'live', LiveEvent>): Promise<void> => {
    logger.appendKeys({ batch_id: event.detail.batch_id });
    const r = await (await getLive()).push(event.detail.messages, event.detail.events ?? []);
    metrics.addMetric('LiveFramesPushed', MetricUnit.Count, r.frames);
    metrics.addMetric('LiveConnectionsGone', MetricUnit.Count, r.gone);
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}

let live: Promise<LiveService> | undefined;

export const handler = makeLivePushHandler(() => {
  live ??= awsHub(coreLogger).then((hub) => awsLive(hub, coreLogger).service);
  live.catch(() => (live = undefined));
  return live;
});
