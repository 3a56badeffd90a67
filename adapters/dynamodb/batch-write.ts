import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** One BatchWriteItem request's entry: a put or a delete. */
export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

const BATCH = 25;

/**
 * BatchWriteItem in chunks of 25, retrying unprocessed items with backoff. `concurrency` chunks
 * are in flight at once (1: in order, a chunk after the one before).
 */
export async function batchWrite(
  doc: DynamoDBDocumentClient,
  table: string,
  requests: readonly WriteRequest[],
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  concurrency = 1,
): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH) chunks.push(requests.slice(i, i + BATCH));
  for (let i = 0; i < chunks.length; i += concurrency) await Promise.all(chunks.slice(i, i + concurrency).map((c) => writeChunk(doc, table, c, sleep)));
}

async function writeChunk(doc: DynamoDBDocumentClient, table: string, chunk: WriteRequest[], sleep: (ms: number) => Promise<void>): Promise<void> {
  let pending = chunk;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 8) throw new Error(`BatchWriteItem left ${pending.length} item(s) unprocessed after ${attempt} attempts`);
    if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
    const r = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
    pending = (r.UnprocessedItems?.[table] ?? []) as WriteRequest[];
  }
}
