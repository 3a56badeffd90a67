import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { IngestService, IngestStats } from '../../../core/ingest.js';

/** The EMF lines the handler prints for one SQS record whose ingest dropped messages. */
async function emfLines(stats: IngestStats): Promise<Record<string, unknown>[]> {
  // the test config disables metrics; this file's own module instance of the handler publishes them
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  const { makeIngestHandler } = await import('../../../lambdas/ingest/handler.js');
  const ingest = { ingest: async () => ({ stats, messages: [] }) } as unknown as IngestService;
  const handler = makeIngestHandler(async () => ingest);
  const event = {
    Records: [
      { messageId: 'm1', receiptHandle: 'r', body: JSON.stringify({ v: 1, frames: [{ ch: 1, p: 1, t: 'tcp', peer: 'x', ts: 1, f: 'AA==' }] }), attributes: {} },
    ],
  } as unknown as SQSEvent;
  const lines: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    await handler(event, { functionName: 'hub-ingest', awsRequestId: 'a', getRemainingTimeInMillis: () => 60_000 } as unknown as Context);
  } finally {
    process.stdout.write = original;
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('lambdas/ingest/handler', () => {
  describe('makeIngestHandler', () => {
    it('publishes MessagesDropped per plugin type, with the plugin dimension', async () => {
      const stats: IngestStats = {
        frames: 1,
        messages: 5,
        stored: 2,
        unregistered: 0,
        decodeErrors: 0,
        commandReplies: 0,
        dropped: 3,
        droppedBy: { filter: 1, sanity: 2 },
      };
      const dropped = (await emfLines(stats)).filter((l) => 'MessagesDropped' in l);
      expect(dropped.map((l) => ({ plugin: l.plugin, value: l.MessagesDropped }))).toEqual([
        { plugin: 'filter', value: 1 },
        { plugin: 'sanity', value: 2 },
      ]);
      const aws = dropped[0]._aws as { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
      expect(aws.CloudWatchMetrics[0].Dimensions[0]).toContain('plugin');
      expect(aws.CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'MessagesDropped', Unit: 'Count' }]);
    });
  });
});
