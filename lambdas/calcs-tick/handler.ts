import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { awsHub } from '../../adapters/aws/hub.js';
import type { CalcSyncStats } from '../../core/calc-sync.js';
import { coreLogger, logger, metrics } from '../shared/powertools.js';

/**
 * The calculators' scheduled run (an EventBridge schedule, every minute): the backfill of unsynced
 * assignments in bounded chunks and the engine's tick for open intervals (core/calc-sync.ts); the
 * interval events of watched devices then go to live push as one `live` event.
 */
export function makeCalcsTickHandler(run: () => Promise<CalcSyncStats>) {
  return middy(async (): Promise<CalcSyncStats> => {
    const stats = await run();
    metrics.addMetric('CalcBackfillMessages', MetricUnit.Count, stats.messages);
    metrics.addMetric('CalcPairsSynced', MetricUnit.Count, stats.synced);
    metrics.addMetric('CalcIntervalEvents', MetricUnit.Count, stats.events);
    return stats;
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

export const handler = makeCalcsTickHandler(async () => {
  const hub = await awsHub(coreLogger);
  const stats = await hub.calcSync.run();
  // the run's interval events of watched devices: one live event (with live push on)
  await hub.liveFanout?.flush();
  return stats;
});
