/**
 * The template's SQS queues (`AWS::SQS::Queue`): standard queues with visibility timeouts, receive
 * counts, long polling and the redrive policy (a message received `maxReceiveCount` times moves to
 * the dead-letter queue instead of being received again). Time is the wall clock plus a skew the
 * test can advance, so that a 6-minute visibility timeout passes at once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { isObject, type ResolvedTemplate } from './template.js';

export interface QueuedMessage {
  readonly id: string;
  readonly body: string;
  readonly sent: number;
  receives: number;
  firstReceive?: number;
  visibleAt: number;
  receipt?: string;
}

export interface LocalQueue {
  readonly logicalId: string;
  readonly arn: string;
  readonly url: string;
  readonly name: string;
  readonly visibilityTimeoutS: number;
  readonly redrive?: { readonly deadLetterArn: string; readonly maxReceiveCount: number };
  readonly messages: QueuedMessage[];
}

/** An error answered in the AWS JSON protocol's terms (`__type` code and message). */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AwsError';
  }
}

export const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** The record of a received message, as ReceiveMessage returns it. */
export interface ReceivedMessage {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly MD5OfBody: string;
  readonly Body: string;
  readonly Attributes: Record<string, string>;
}

export class LocalQueues {
  private readonly byArn = new Map<string, LocalQueue>();
  private skewMs = 0;

  constructor(t: ResolvedTemplate) {
    for (const id of t.ofType('AWS::SQS::Queue')) {
      const p = (t.resolve(t.resource(id).Properties ?? {}) ?? {}) as Record<string, unknown>;
      const redrive = typeof p.RedrivePolicy === 'string' ? JSON.parse(p.RedrivePolicy) : p.RedrivePolicy;
      const queue: LocalQueue = {
        logicalId: id,
        arn: t.getAtt(id, 'Arn'),
        url: t.getAtt(id, 'QueueUrl'),
        name: t.name(id),
        visibilityTimeoutS: Number(p.VisibilityTimeout ?? 30),
        redrive: isObject(redrive) ? { deadLetterArn: String(redrive.deadLetterTargetArn), maxReceiveCount: Number(redrive.maxReceiveCount) } : undefined,
        messages: [],
      };
      this.byArn.set(queue.arn, queue);
    }
  }

  /** Milliseconds on the queues' clock. */
  now(): number {
    return Date.now() + this.skewMs;
  }

  /** Moves the queues' clock forward (visibility timeouts expire). */
  advance(ms: number): void {
    this.skewMs += ms;
  }

  all(): LocalQueue[] {
    return [...this.byArn.values()];
  }

  /** A queue by ARN, URL or name. */
  find(ref: string): LocalQueue | undefined {
    return this.byArn.get(ref) ?? this.all().find((q) => q.url === ref || q.name === ref);
  }

  get(ref: string): LocalQueue {
    const q = this.find(ref);
    if (!q) throw new AwsError('AWS.SimpleQueueService.NonExistentQueue', `The specified queue does not exist: ${ref}`);
    return q;
  }

  send(queue: LocalQueue, body: string): QueuedMessage {
    if (typeof body !== 'string' || body.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    const m: QueuedMessage = { id: randomUUID(), body, sent: this.now(), receives: 0, visibleAt: this.now() };
    queue.messages.push(m);
    return m;
  }

  /** Receives up to `max` visible messages, waiting up to `waitS` (real time) for the first. */
  async receive(queue: LocalQueue, max: number, waitS: number, visibilityS = queue.visibilityTimeoutS): Promise<ReceivedMessage[]> {
    if (!(max >= 1 && max <= 10))
      throw new AwsError('InvalidParameterValue', `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
    const until = Date.now() + waitS * 1000;
    for (;;) {
      const got = this.take(queue, max, visibilityS);
      if (got.length > 0 || Date.now() >= until) return got;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private take(queue: LocalQueue, max: number, visibilityS: number): ReceivedMessage[] {
    const out: ReceivedMessage[] = [];
    const now = this.now();
    for (const m of [...queue.messages]) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      if (queue.redrive && m.receives >= queue.redrive.maxReceiveCount) {
        queue.messages.splice(queue.messages.indexOf(m), 1);
        const dlq = this.get(queue.redrive.deadLetterArn);
        dlq.messages.push({ ...m, receives: 0, firstReceive: undefined, receipt: undefined, visibleAt: now });
        continue;
      }
      m.receives++;
      m.firstReceive ??= now;
      m.receipt = `${m.id}#${randomUUID()}`;
      m.visibleAt = now + visibilityS * 1000;
      out.push({
        MessageId: m.id,
        ReceiptHandle: m.receipt,
        MD5OfBody: md5(m.body),
        Body: m.body,
        Attributes: {
          SentTimestamp: String(m.sent),
          ApproximateReceiveCount: String(m.receives),
          ApproximateFirstReceiveTimestamp: String(m.firstReceive),
          SenderId: 'AROAEXAMPLE',
        },
      });
    }
    return out;
  }

  /** Deletes by receipt handle (a stale handle of a message received again is ignored, as SQS may). */
  delete(queue: LocalQueue, receipt: string): void {
    const i = queue.messages.findIndex((m) => m.receipt === receipt);
    if (i >= 0) queue.messages.splice(i, 1);
    else if (!receipt.includes('#')) throw new AwsError('ReceiptHandleIsInvalid', `The input receipt handle "${receipt}" is not a valid receipt handle.`);
  }

  changeVisibility(queue: LocalQueue, receipt: string, timeoutS: number): void {
    const m = queue.messages.find((x) => x.receipt === receipt);
    if (!m || m.visibleAt <= this.now()) throw new AwsError('MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.');
    m.visibleAt = this.now() + timeoutS * 1000;
  }

  attributes(queue: LocalQueue): Record<string, string> {
    const now = this.now();
    return {
      QueueArn: queue.arn,
      VisibilityTimeout: String(queue.visibilityTimeoutS),
      ApproximateNumberOfMessages: String(queue.messages.filter((m) => m.visibleAt <= now).length),
      ApproximateNumberOfMessagesNotVisible: String(queue.messages.filter((m) => m.visibleAt > now).length),
      ...(queue.redrive
        ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queue.redrive.deadLetterArn, maxReceiveCount: queue.redrive.maxReceiveCount }) }
        : {}),
    };
  }
}
