/**
 * In-process stand-ins for SQS and EventBridge, plugged into real v3 SDK clients as their HTTP
 * handler: the clients serialize, sign, retry and parse exactly as against AWS (so the request
 * counter sees the real requests), and these answer the few operations the hub uses.
 * SQS (AWS JSON 1.0): SendMessageBatch, SendMessage, ReceiveMessage, DeleteMessageBatch,
 * DeleteMessage. EventBridge (AWS JSON 1.1): PutEvents.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

interface StubRequest {
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

interface StubResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Readable;
}

/** The shape of a v3 `requestHandler` the clients accept. */
export interface StubHandler {
  handle(request: StubRequest): Promise<{ response: StubResponse }>;
  destroy?(): void;
}

export interface StubMessage {
  readonly id: string;
  readonly body: string;
  readonly bytes: number;
  /** Simulated send time (ms). */
  readonly sentMs: number;
  receipt?: string;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

function reply(contentType: string, payload: unknown, statusCode = 200): { response: StubResponse } {
  const text = JSON.stringify(payload);
  return {
    response: {
      statusCode,
      headers: { 'content-type': contentType, 'x-amzn-requestid': randomUUID(), 'content-length': String(Buffer.byteLength(text)) },
      body: Readable.from([Buffer.from(text)]),
    },
  };
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  return '';
}

/** One standard queue: FIFO delivery order, no visibility timeouts (the bench deletes what it received). */
export class StubQueue implements StubHandler {
  private readonly messages: StubMessage[] = [];
  private head = 0;
  private readonly inFlight = new Map<string, StubMessage>();
  /** Every message ever sent (the bench reads arrival times and sizes). */
  readonly sent: StubMessage[] = [];

  constructor(private readonly now: () => number) {}

  /** Messages sent and not yet received. */
  get depth(): number {
    return this.messages.length - this.head;
  }

  async handle(request: StubRequest): Promise<{ response: StubResponse }> {
    const target = String(request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'] ?? '');
    const input = JSON.parse(bodyText(request.body) || '{}');
    const json = 'application/x-amz-json-1.0';
    switch (target) {
      case 'AmazonSQS.SendMessageBatch':
        return reply(json, {
          Successful: (input.Entries as { Id: string; MessageBody: string }[]).map((e) => ({
            Id: e.Id,
            MessageId: this.enqueue(e.MessageBody).id,
            MD5OfMessageBody: md5(e.MessageBody),
          })),
          Failed: [],
        });
      case 'AmazonSQS.SendMessage': {
        const m = this.enqueue(input.MessageBody);
        return reply(json, { MessageId: m.id, MD5OfMessageBody: md5(m.body) });
      }
      case 'AmazonSQS.ReceiveMessage': {
        const max = Math.min(10, Number(input.MaxNumberOfMessages ?? 1));
        const out = [];
        while (out.length < max && this.head < this.messages.length) {
          const m = this.messages[this.head++];
          m.receipt = randomUUID();
          this.inFlight.set(m.receipt, m);
          out.push({
            MessageId: m.id,
            ReceiptHandle: m.receipt,
            MD5OfBody: md5(m.body),
            Body: m.body,
            Attributes: { SentTimestamp: String(Math.round(m.sentMs)), ApproximateReceiveCount: '1' },
          });
        }
        if (this.head > 50_000) {
          this.messages.splice(0, this.head);
          this.head = 0;
        }
        return reply(json, out.length ? { Messages: out } : {});
      }
      case 'AmazonSQS.DeleteMessageBatch':
        for (const e of input.Entries as { ReceiptHandle: string }[]) this.inFlight.delete(e.ReceiptHandle);
        return reply(json, { Successful: (input.Entries as { Id: string }[]).map((e) => ({ Id: e.Id })), Failed: [] });
      case 'AmazonSQS.DeleteMessage':
        this.inFlight.delete(input.ReceiptHandle);
        return reply(json, {});
      default:
        return reply(json, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `stub does not implement ${target}` }, 400);
    }
  }

  private enqueue(body: string): StubMessage {
    const m: StubMessage = { id: randomUUID(), body, bytes: Buffer.byteLength(body), sentMs: this.now() };
    this.messages.push(m);
    this.sent.push(m);
    return m;
  }
}

/** An EventBridge bus that accepts every entry (the bench counts entries and sizes). */
export class StubEventBus implements StubHandler {
  readonly entries: { detailBytes: number }[] = [];

  async handle(request: StubRequest): Promise<{ response: StubResponse }> {
    const input = JSON.parse(bodyText(request.body) || '{}');
    const entries = (input.Entries ?? []) as { Detail?: string }[];
    for (const e of entries) this.entries.push({ detailBytes: Buffer.byteLength(e.Detail ?? '') });
    return reply('application/x-amz-json-1.1', { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) });
  }
}
