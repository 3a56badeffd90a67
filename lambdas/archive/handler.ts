import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { awsHub } from '../../adapters/aws/hub.js';
import type { ArchiveRunStats, ArchiveShard, HistoryArchiver } from '../../core/messages/archiver.js';
import { coreLogger, logger, metrics } from '../shared/powertools.js';

/**
 * The archiver (scheduled daily): copies device and channel history older than
 * HUB_COLD_HISTORY_AFTER_DAYS from DynamoDB into the archive bucket. A run that fails for some
 * owners throws (the Lambda errors alarm) after archiving the others; the next run retries them.
 */
export function makeArchiveHandler(getArchiver: () => Promise<HistoryArchiver>) {
  return middy(async (event: { shard?: number; shards?: number } | undefined): Promise<ArchiveRunStats> => {
    // the schedule invokes one run per shard ({"shard": i, "shards": n}, lib/archive.ts); without them, all owners
    const shard: ArchiveShard | undefined = event?.shards === undefined ? undefined : { index: Number(event.shard ?? 0), count: Number(event.shards) };
    const stats = await (await getArchiver()).run(shard);
    metrics.addMetric('ArchivedMessages', MetricUnit.Count, stats.messages);
    metrics.addMetric('ArchivedDays', MetricUnit.Count, stats.daysWritten);
    return stats;
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

export const handler = makeArchiveHandler(async () => {
  const { archiver } = await awsHub(coreLogger);
  if (!archiver) throw new Error('the archiver needs HUB_ARCHIVE_BUCKET');
  return archiver;
});
