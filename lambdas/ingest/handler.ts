import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { awsHub } from '../../adapters/aws/hub.js';
import { parseEnvelope } from '../../core/envelope.js';
import type { IngestService } from '../../core/ingest.js';
import { coreLogger, logger, metrics } from '../shared/powertools.js';

/** The SQS → ingest handler over any IngestService (AWS wiring below; local mode passes its own). */
export function makeIngestHandler(getIngest: () => Promise<IngestService>) {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const ingest = await getIngest();
    const { stats } = await ingest.ingest(parseEnvelope(record.body));
    metrics.addMetric('FramesReceived', MetricUnit.Count, stats.frames);
    metrics.addMetric('MessagesStored', MetricUnit.Count, stats.stored);
    metrics.addMetric('DecodeErrors', MetricUnit.Count, stats.decodeErrors);
    for (const [plugin, n] of Object.entries(stats.droppedBy)) {
      const single = metrics.singleMetric(); // its own EMF line: the dimension does not spill onto the other metrics
      single.addDimension('plugin', plugin);
      single.addMetric('MessagesDropped', MetricUnit.Count, n);
    }
    const sent = Number(record.attributes.SentTimestamp);
    if (sent) metrics.addMetric('QueueAge', MetricUnit.Milliseconds, Date.now() - sent);
  };
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const response = await processPartialResponse(event, recordHandler, processor, { context });
    // always one metric per invocation: failed records (retried by SQS), 0 when the batch went through
    metrics.addMetric('RecordsFailed', MetricUnit.Count, response.batchItemFailures.length);
    return response;
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

export const handler = makeIngestHandler(async () => (await awsHub(coreLogger)).ingest);
