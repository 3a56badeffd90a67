import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetterStore } from '../../core/ports.js';
import { describeBody } from '../dead-letter-body.js';

/**
 * The ingest DLQ on SQS. Listing receives messages with a short visibility timeout (they stay in
 * the DLQ); replay sends them to the ingest queue and deletes them from the DLQ.
 */
export class SqsDeadLetters implements DeadLetterStore {
  constructor(
    private readonly sqs: SQSClient,
    private readonly dlqUrl: string,
    private readonly queueUrl: string,
  ) {}

  private async receive(max: number, visibility: number) {
    const out: { id: string; receipt: string; body: string; sent: number; receives: number }[] = [];
    while (out.length < max) {
      const r = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.dlqUrl,
          MaxNumberOfMessages: Math.min(10, max - out.length),
          VisibilityTimeout: visibility,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
        }),
      );
      const msgs = r.Messages ?? [];
      if (msgs.length === 0) break;
      for (const m of msgs) {
        if (m.MessageId === undefined || m.ReceiptHandle === undefined) continue; // SQS always sets both
        out.push({
          id: m.MessageId,
          receipt: m.ReceiptHandle,
          body: m.Body ?? '',
          sent: Number(m.Attributes?.SentTimestamp ?? 0),
          receives: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
        });
      }
    }
    return out;
  }

  async list(limit: number): Promise<DeadLetter[]> {
    return (await this.receive(limit, 1)).map((m) => ({ id: m.id, failed: m.sent / 1000, receives: m.receives, body: m.body, ...describeBody(m.body) }));
  }

  async replay(ids?: readonly string[]): Promise<number> {
    let moved = 0;
    const chosen = (await this.receive(10_000, 60)).filter((m) => !ids || ids.includes(m.id));
    for (let i = 0; i < chosen.length; i += 10) {
      const group = chosen.slice(i, i + 10);
      const sent = await this.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: group.map((m, j) => ({ Id: String(j), MessageBody: m.body })) }),
      );
      const ok = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
      const done = group.filter((_, j) => ok.has(j));
      if (done.length > 0)
        await this.sqs.send(
          new DeleteMessageBatchCommand({ QueueUrl: this.dlqUrl, Entries: done.map((m, j) => ({ Id: String(j), ReceiptHandle: m.receipt })) }),
        );
      moved += done.length;
    }
    return moved;
  }

  async discard(ids?: readonly string[]): Promise<number> {
    const chosen = (await this.receive(10_000, 60)).filter((m) => !ids || ids.includes(m.id));
    for (let i = 0; i < chosen.length; i += 10) {
      await this.sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: this.dlqUrl, Entries: chosen.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.receipt })) }),
      );
    }
    return chosen.length;
  }
}
