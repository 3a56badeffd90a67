import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

/**
 * An SQS queue for tests, plugged into a real `SQSClient` as its request handler (AWS JSON 1.0):
 * the client serializes, signs and parses as against AWS. It keeps what the hub's use of SQS
 * depends on: visibility timeouts (a received message is hidden until deleted or released), long
 * polling (`WaitTimeSeconds` waits for a message), and, when asked, the short-poll behaviour of the
 * real service (a poll with `WaitTimeSeconds: 0` samples a subset of hosts and may answer empty
 * while messages wait).
 */
interface Held {
  readonly id: string;
  readonly body: string;
  readonly sentMs: number;
  receives: number;
  visibleAtMs: number;
  receipt?: string;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export class SqsStandIn {
  private readonly messages: Held[] = [];
  /** Short polls (WaitTimeSeconds 0) answer empty this many times, as a sampled real queue may. */
  shortPollMisses = 0;
  readonly calls: string[] = [];

  constructor(readonly url = `https://sqs.local/000000000000/${randomUUID().slice(0, 8)}`) {}

  /** Messages not deleted (visible or not). */
  get size(): number {
    return this.messages.length;
  }

  visibleCount(now = Date.now()): number {
    return this.messages.filter((m) => m.visibleAtMs <= now).length;
  }

  put(body: string): string {
    const m: Held = { id: randomUUID(), body, sentMs: Date.now(), receives: 0, visibleAtMs: 0 };
    this.messages.push(m);
    return m.id;
  }

  bodies(): string[] {
    return this.messages.map((m) => m.body);
  }

  async handle(request: {
    headers: Record<string, string>;
    body?: unknown;
  }): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Readable } }> {
    const target = String(request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'] ?? '').replace('AmazonSQS.', '');
    const input = JSON.parse(typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body as Uint8Array)) as Record<string, unknown>;
    this.calls.push(target);
    const out = await this.operation(target, input);
    const text = JSON.stringify(out);
    return {
      response: {
        statusCode: 200,
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID(), 'content-length': String(Buffer.byteLength(text)) },
        body: Readable.from([Buffer.from(text)]),
      },
    };
  }

  private async operation(target: string, input: Record<string, unknown>): Promise<unknown> {
    switch (target) {
      case 'SendMessage': {
        const id = this.put(String(input.MessageBody));
        return { MessageId: id, MD5OfMessageBody: md5(String(input.MessageBody)) };
      }
      case 'SendMessageBatch': {
        const entries = input.Entries as { Id: string; MessageBody: string }[];
        return { Successful: entries.map((e) => ({ Id: e.Id, MessageId: this.put(e.MessageBody), MD5OfMessageBody: md5(e.MessageBody) })), Failed: [] };
      }
      case 'ReceiveMessage':
        return this.receive(input);
      case 'ChangeMessageVisibilityBatch': {
        const entries = input.Entries as { Id: string; ReceiptHandle: string; VisibilityTimeout: number }[];
        for (const e of entries) {
          const m = this.messages.find((x) => x.receipt === e.ReceiptHandle);
          if (m) m.visibleAtMs = Date.now() + e.VisibilityTimeout * 1000;
        }
        return { Successful: entries.map((e) => ({ Id: e.Id })), Failed: [] };
      }
      case 'DeleteMessageBatch': {
        const entries = input.Entries as { Id: string; ReceiptHandle: string }[];
        for (const e of entries) this.remove(e.ReceiptHandle);
        return { Successful: entries.map((e) => ({ Id: e.Id })), Failed: [] };
      }
      case 'DeleteMessage':
        this.remove(String(input.ReceiptHandle));
        return {};
      default:
        throw new Error(`SqsStandIn: ${target} is not implemented`);
    }
  }

  private async receive(input: Record<string, unknown>): Promise<unknown> {
    const max = Math.min(10, Number(input.MaxNumberOfMessages ?? 1));
    const waitMs = Number(input.WaitTimeSeconds ?? 0) * 1000;
    if (waitMs === 0 && this.shortPollMisses > 0) {
      this.shortPollMisses--;
      return {};
    }
    const until = Date.now() + waitMs;
    for (;;) {
      const now = Date.now();
      const visible = this.messages.filter((m) => m.visibleAtMs <= now).slice(0, max);
      if (visible.length > 0 || now >= until) {
        const visibilityMs = Number(input.VisibilityTimeout ?? 30) * 1000;
        return visible.length === 0 ? {} : { Messages: visible.map((m) => this.deliver(m, now + visibilityMs)) };
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private deliver(m: Held, visibleAtMs: number): Record<string, unknown> {
    m.receipt = randomUUID();
    m.receives++;
    m.visibleAtMs = visibleAtMs;
    return {
      MessageId: m.id,
      ReceiptHandle: m.receipt,
      MD5OfBody: md5(m.body),
      Body: m.body,
      Attributes: { SentTimestamp: String(m.sentMs), ApproximateReceiveCount: String(m.receives) },
    };
  }

  private remove(receipt: string): void {
    const i = this.messages.findIndex((m) => m.receipt === receipt);
    if (i >= 0) this.messages.splice(i, 1);
  }
}
