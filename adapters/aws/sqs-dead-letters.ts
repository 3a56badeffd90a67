import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetterStore } from '../../core/ports.js';
import { describeBody } from '../dead-letter-body.js';

interface Received {
  readonly id: string;
  readonly receipt: string;
  readonly body: string;
  readonly sent: number;
  readonly receives: number;
}

/** Long poll per receive (s): a short poll samples only some SQS hosts and can answer empty while messages wait. */
const WAIT_S = 1;
/** How long received messages stay hidden while the hub works on them (s); released at once when not used. */
const WORK_VISIBILITY_S = 60;

/**
 * The ingest DLQ on SQS. Reading a message hides it (SQS has no peek): `list` reads with long polls
 * and makes what it read visible again at once, so a `replay` right after finds all of it; `replay`
 * sends the chosen messages to the ingest queue and deletes them from the DLQ, and releases at once
 * the ones it did not choose (or could not send).
 */
export class SqsDeadLetters implements DeadLetterStore {
  constructor(
    private readonly sqs: SQSClient,
    private readonly dlqUrl: string,
    private readonly queueUrl: string,
  ) {}

  async list(limit: number): Promise<DeadLetter[]> {
    const got = await this.receive(limit);
    await this.release(got);
    return got.map((m) => ({ id: m.id, failed: m.sent / 1000, receives: m.receives, body: m.body, ...describeBody(m.body) }));
  }

  async replay(ids?: readonly string[]): Promise<number> {
    const { chosen, others } = split(await this.receive(10_000), ids);
    await this.release(others);
    let moved = 0;
    for (let i = 0; i < chosen.length; i += 10) {
      const group = chosen.slice(i, i + 10);
      const sent = await this.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: group.map((m, j) => ({ Id: String(j), MessageBody: m.body })) }),
      );
      const ok = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
      const done = group.filter((_, j) => ok.has(j));
      await this.delete(done);
      await this.release(group.filter((_, j) => !ok.has(j)));
      moved += done.length;
    }
    return moved;
  }

  async discard(ids?: readonly string[]): Promise<number> {
    const { chosen, others } = split(await this.receive(10_000), ids);
    await this.release(others);
    await this.delete(chosen);
    return chosen.length;
  }

  /** Reads up to `max` messages with long polls, until a poll comes back empty. */
  private async receive(max: number): Promise<Received[]> {
    const out: Received[] = [];
    while (out.length < max) {
      const r = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.dlqUrl,
          MaxNumberOfMessages: Math.min(10, max - out.length),
          VisibilityTimeout: WORK_VISIBILITY_S,
          WaitTimeSeconds: WAIT_S,
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

  /** Makes received messages visible again now (instead of after the visibility timeout). */
  private async release(messages: readonly Received[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const group = messages.slice(i, i + 10);
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.dlqUrl,
          Entries: group.map((m, j) => ({ Id: String(j), ReceiptHandle: m.receipt, VisibilityTimeout: 0 })),
        }),
      );
    }
  }

  private async delete(messages: readonly Received[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const group = messages.slice(i, i + 10);
      await this.sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: this.dlqUrl, Entries: group.map((m, j) => ({ Id: String(j), ReceiptHandle: m.receipt })) }),
      );
    }
  }
}

function split(all: readonly Received[], ids: readonly string[] | undefined): { chosen: Received[]; others: Received[] } {
  if (!ids) return { chosen: [...all], others: [] };
  const wanted = new Set(ids);
  return { chosen: all.filter((m) => wanted.has(m.id)), others: all.filter((m) => !wanted.has(m.id)) };
}
