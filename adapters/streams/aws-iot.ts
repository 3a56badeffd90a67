/**
 * `aws_iot` target: one IoT data plane Publish per message on the expanded topic, and with
 * `shadow` one UpdateThingShadow per ident (thing name = ident) with `shadow_fields` of its latest
 * message. Credentials come from the environment (the Lambda role on AWS).
 */
import { IoTDataPlaneClient, PublishCommand, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import type { AwsIotConfig } from '../../core/schemas/streams.js';
import { isEventRecord, payloadJson } from '../../core/streams/events.js';
import type { StreamBatch, StreamDeps, StreamTarget, StreamTypeModule } from '../../core/streams/types.js';
import type { Message } from '../../protocols/common/types.js';
import { reasonOf, TargetConfigError, TargetRefusedError, TargetUnavailableError } from './errors.js';
import { expandTopic, slashCount } from './topics.js';

/** AWS IoT Core limits (shared/streams/README.md). */
export const AWS_IOT_LIMITS = { payloadBytes: 128 * 1024, shadowBytes: 8 * 1024, topicSlashes: 7, topicBytes: 256 } as const;
export const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;

export interface AwsIotOptions {
  /** Requests in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Per request (each SDK attempt). @default 10000 */
  readonly requestTimeoutMs?: number;
}

interface Publish {
  readonly topic: string;
  readonly payload: Buffer;
}

/** The shadow document per ident: `shadow_fields` of the latest message (by timestamp, then batch order). */
export function shadowDocuments(messages: readonly Message[], fields: readonly string[]): Map<string, string> {
  const latest = new Map<string, Message>();
  for (const m of messages) {
    const ident = m.ident;
    if (typeof ident !== 'string') continue;
    const prev = latest.get(ident);
    if (!prev || Number(m.timestamp ?? 0) >= Number(prev.timestamp ?? 0)) latest.set(ident, m);
  }
  const docs = new Map<string, string>();
  for (const [ident, m] of latest) {
    const reported: Record<string, unknown> = {};
    for (const f of fields) if (m[f] !== undefined && m[f] !== null) reported[f] = m[f];
    if (Object.keys(reported).length > 0) docs.set(ident, JSON.stringify({ state: { reported } }));
  }
  return docs;
}

/** Why a template can never give a valid topic (more than 7 slashes before any value is put in). */
export function topicTemplateProblem(template: string): string | undefined {
  const n = slashCount(template);
  return n > AWS_IOT_LIMITS.topicSlashes
    ? `topic template ${JSON.stringify(template)} has ${n} slashes, AWS IoT allows at most ${AWS_IOT_LIMITS.topicSlashes}`
    : undefined;
}

export class AwsIotTarget implements StreamTarget {
  private readonly client: IoTDataPlaneClient;
  private readonly templateProblem: string | undefined;
  private readonly concurrency: number;

  constructor(
    private readonly config: AwsIotConfig,
    private readonly deps: StreamDeps,
    options: AwsIotOptions = {},
  ) {
    const requestTimeout = options.requestTimeoutMs ?? 10_000;
    this.client = new IoTDataPlaneClient({
      endpoint: config.endpoint,
      region: config.region,
      maxAttempts: 3,
      requestHandler: { requestTimeout, connectionTimeout: requestTimeout, throwOnRequestTimeout: true },
    });
    this.templateProblem = topicTemplateProblem(config.topic);
    this.concurrency = options.concurrency ?? 8;
  }

  async deliver(batch: StreamBatch): Promise<void> {
    if (this.templateProblem) throw new TargetConfigError(`aws_iot: ${this.templateProblem}`);
    const publishes = this.publishes(batch);
    await mapLimit(publishes, this.concurrency, (p) =>
      this.send(`publish to ${p.topic}`, () => this.client.send(new PublishCommand({ topic: p.topic, qos: this.config.qos, payload: p.payload }))),
    );
    if (!this.config.shadow) return;
    const shadows = [
      ...shadowDocuments(
        batch.messages.filter((m) => !isEventRecord(m)),
        this.config.shadow_fields,
      ),
    ].filter(([ident, doc]) => this.shadowAllowed(batch, ident, doc));
    await mapLimit(shadows, this.concurrency, ([ident, doc]) =>
      this.send(`shadow update of ${ident}`, () => this.client.send(new UpdateThingShadowCommand({ thingName: ident, payload: Buffer.from(doc) }))),
    );
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** Topic and payload per message; one that AWS would always refuse is logged and skipped. */
  private publishes(batch: StreamBatch): Publish[] {
    const out: Publish[] = [];
    for (const m of batch.messages) {
      const topic = expandTopic(this.config.topic, m);
      const payload = Buffer.from(payloadJson(m));
      const problem =
        !topic || slashCount(topic) > AWS_IOT_LIMITS.topicSlashes || Buffer.byteLength(topic) > AWS_IOT_LIMITS.topicBytes
          ? `topic ${JSON.stringify(topic)} is empty, has more than ${AWS_IOT_LIMITS.topicSlashes} slashes or more than ${AWS_IOT_LIMITS.topicBytes} bytes`
          : payload.length > AWS_IOT_LIMITS.payloadBytes
            ? `payload of ${payload.length} bytes exceeds the ${AWS_IOT_LIMITS.payloadBytes} bytes limit`
            : undefined;
      if (problem)
        this.deps.logger.warn('aws_iot: message skipped, AWS IoT would refuse it', {
          streamId: batch.streamId,
          batchId: batch.batchId,
          ident: m.ident,
          reason: problem,
        });
      else out.push({ topic, payload });
    }
    return out;
  }

  private shadowAllowed(batch: StreamBatch, ident: string, doc: string): boolean {
    const problem = !THING_NAME.test(ident)
      ? `ident ${JSON.stringify(ident)} is not a valid thing name ([a-zA-Z0-9:_-]{1,128})`
      : Buffer.byteLength(doc) > AWS_IOT_LIMITS.shadowBytes
        ? `shadow document of ${Buffer.byteLength(doc)} bytes exceeds ${AWS_IOT_LIMITS.shadowBytes} bytes; choose fewer shadow_fields`
        : undefined;
    if (problem) this.deps.logger.warn('aws_iot: shadow update skipped', { streamId: batch.streamId, batchId: batch.batchId, ident, reason: problem });
    return problem === undefined;
  }

  /** Runs one SDK call; its failure becomes a rejection naming the call and the status. */
  private async send(what: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === undefined) throw new TargetUnavailableError(`aws_iot ${what} failed: ${reasonOf(err)}`, false, { cause: err });
      const name = err instanceof Error ? err.name : 'Error';
      throw new TargetRefusedError(`aws_iot ${what}: HTTP ${status} ${name}: ${reasonOf(err)}`, status === 400 || status === 413, { cause: err });
    }
  }
}

/** Runs `fn` over `items` with at most `limit` in flight; rejects with the first failure (after the others settle). */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

export const awsIotModule: StreamTypeModule<AwsIotConfig> = {
  name: 'aws_iot',
  createTarget: (config, _stream, deps) => new AwsIotTarget(config, deps),
};
