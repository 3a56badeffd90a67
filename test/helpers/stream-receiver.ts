import { createServer, type Server } from 'node:http';

/** A batch an HTTP stream target accepted: its X-Hub-Batch-Id, messages and arrival time (ms). */
export interface ReceivedBatch {
  readonly id: string;
  readonly messages: Record<string, unknown>[];
  readonly at: number;
}

/**
 * An HTTP stream target on loopback (tests and benchmarks): answers 503 while `down`, else 200 and
 * records the batch. Batches are kept in arrival order with repeats (an at-least-once redelivery
 * carries the same X-Hub-Batch-Id); `distinct()` leaves the repeats out.
 */
export class StreamReceiver {
  readonly batches: ReceivedBatch[] = [];
  requests = 0;
  down = false;
  port = 0;
  private server?: Server;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        this.requests++;
        if (this.down) return void res.writeHead(503).end('maintenance');
        this.batches.push({ id: String(req.headers['x-hub-batch-id']), messages: JSON.parse(Buffer.concat(chunks).toString()), at: Date.now() });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Accepted batches without repeats, in arrival order. */
  distinct(): ReceivedBatch[] {
    const seen = new Set<string>();
    return this.batches.filter((b) => !seen.has(b.id) && seen.add(b.id));
  }

  /** Messages of the distinct batches, in arrival order. */
  messages(): Record<string, unknown>[] {
    return this.distinct().flatMap((b) => b.messages);
  }

  close(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
