/**
 * Lambda's SQS event source mappings (`AWS::Lambda::EventSourceMapping`) as the service runs them:
 * created only if the function's role may receive, delete and read the queue's attributes and the
 * queue's visibility timeout is at least the function's timeout; then polling with the mapping's
 * batch size and batching window, invoking the function with an SQS event, deleting what succeeded
 * (with `ReportBatchItemFailures`, all but the reported items), leaving the rest to become visible
 * again and, after `maxReceiveCount` receives, to move to the dead-letter queue.
 */
import type { AwsEndpoint } from './aws-endpoint.js';
import type { InvokeOutcome } from './lambda-host.js';
import type { LocalQueue, LocalQueues, ReceivedMessage } from './sqs.js';
import { asArray, isObject, REGION, type ResolvedTemplate } from './template.js';

export interface QueueMapping {
  readonly logicalId: string;
  /** Logical id of the function. */
  readonly functionId: string;
  readonly queue: LocalQueue;
  readonly batchSize: number;
  readonly windowS: number;
  readonly reportFailures: boolean;
}

/** The SQS mappings of the template (mappings of other sources are listed as not supported). */
export function queueMappingsOf(t: ResolvedTemplate, queues: LocalQueues): { mappings: QueueMapping[]; unsupported: string[] } {
  const mappings: QueueMapping[] = [];
  const unsupported: string[] = [];
  for (const id of t.ofType('AWS::Lambda::EventSourceMapping')) {
    const p = (t.resolve(t.resource(id).Properties ?? {}) ?? {}) as Record<string, unknown>;
    const queue = queues.find(String(p.EventSourceArn ?? ''));
    const functionId = t.ownerOf(String(p.FunctionName));
    if (!queue || !functionId || p.Enabled === false) {
      unsupported.push(`${id}: source ${String(p.EventSourceArn)} (only enabled SQS mappings of the template's functions are run)`);
      continue;
    }
    mappings.push({
      logicalId: id,
      functionId,
      queue,
      batchSize: Number(p.BatchSize ?? 10),
      windowS: Number(p.MaximumBatchingWindowInSeconds ?? 0),
      reportFailures: asArray(p.FunctionResponseTypes).includes('ReportBatchItemFailures'),
    });
  }
  return { mappings, unsupported };
}

export interface PollerDeps {
  readonly queues: LocalQueues;
  readonly endpoint: AwsEndpoint;
  readonly roleOf: (functionId: string) => string;
  readonly timeoutOf: (functionId: string) => number;
  readonly invoke: (functionId: string, event: unknown) => Promise<InvokeOutcome>;
  readonly problem: (text: string) => void;
}

const sqsRecord = (queue: LocalQueue, m: ReceivedMessage) => ({
  messageId: m.MessageId,
  receiptHandle: m.ReceiptHandle,
  body: m.Body,
  attributes: m.Attributes,
  messageAttributes: {},
  md5OfBody: m.MD5OfBody,
  eventSource: 'aws:sqs',
  eventSourceARN: queue.arn,
  awsRegion: REGION,
});

export class QueuePoller {
  private running = false;
  private paused = false;
  private idle = false;
  private loop?: Promise<void>;
  /** Batches handed to the function, and the records it reported failed or whose invocation failed. */
  readonly stats = { batches: 0, records: 0, failedRecords: 0 };

  constructor(
    readonly mapping: QueueMapping,
    private readonly deps: PollerDeps,
  ) {}

  /** Creates the mapping as Lambda does (permission and timeout checks), then polls. */
  start(): boolean {
    const { mapping: m, deps } = this;
    const role = deps.roleOf(m.functionId);
    const checks = deps.endpoint.authorize(
      role,
      ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'].map((action) => ({ action, resource: m.queue.arn })),
    );
    const refused = checks.filter((c) => !c.allowed);
    for (const c of refused) deps.problem(`event source mapping ${m.logicalId} cannot be created: ${c.reason}`);
    const timeout = deps.timeoutOf(m.functionId);
    if (m.queue.visibilityTimeoutS < timeout)
      deps.problem(
        `event source mapping ${m.logicalId}: queue visibility timeout ${m.queue.visibilityTimeoutS} s is less than the function timeout ${timeout} s`,
      );
    if (refused.length > 0) return false;
    this.running = true;
    this.loop = this.run();
    return true;
  }

  private async run(): Promise<void> {
    const { mapping: m, deps } = this;
    while (this.running) {
      this.idle = this.paused;
      if (this.paused) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const batch = await deps.queues.receive(m.queue, Math.min(10, m.batchSize), 0.5);
      if (batch.length === 0) continue;
      const until = Date.now() + m.windowS * 1000;
      while (this.running && batch.length < m.batchSize && Date.now() < until)
        batch.push(...(await deps.queues.receive(m.queue, Math.min(10, m.batchSize - batch.length), Math.max(0, (until - Date.now()) / 1000))));
      this.stats.batches++;
      this.stats.records += batch.length;
      const outcome = await deps.invoke(m.functionId, { Records: batch.map((x) => sqsRecord(m.queue, x)) });
      const failed = this.failedIds(batch, outcome);
      this.stats.failedRecords += failed.size;
      for (const x of batch) if (!failed.has(x.MessageId)) deps.queues.delete(m.queue, x.ReceiptHandle);
    }
  }

  /** Records to leave in the queue: all when the invocation failed or the response is malformed. */
  private failedIds(batch: readonly ReceivedMessage[], outcome: InvokeOutcome): Set<string> {
    const all = new Set(batch.map((x) => x.MessageId));
    if (!outcome.ok) return all;
    if (!this.mapping.reportFailures) return new Set();
    const result = outcome.result;
    const items = isObject(result) ? asArray(result.batchItemFailures) : [];
    const ids = items.map((i) => (isObject(i) ? String(i.itemIdentifier ?? '') : ''));
    return ids.every((id) => all.has(id)) ? new Set(ids) : all;
  }

  /** Stops polling once the batch under way is done (the mapping disabled). */
  async pause(): Promise<void> {
    this.paused = true;
    while (this.running && !this.idle) await new Promise((r) => setTimeout(r, 20));
  }

  resume(): void {
    this.paused = false;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
