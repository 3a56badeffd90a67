import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStreamStateRepository } from '../../adapters/dynamodb/stream-state.js';
import { systemClock } from '../../core/ports.js';
import type { Stream } from '../../core/schemas/streams.js';
import { StreamDelivery } from '../../core/streams/delivery.js';
import type { StreamBatch } from '../../core/streams/types.js';
import { startTestDynamo, TEST_TABLES } from '../helpers/dynamo.js';
import { captureLogger } from '../helpers/local-hub.js';

const STREAM = { id: 7, name: 'race', protocol_name: 'http', enabled: true, queue_ttl: 86400, configuration: {} } as unknown as Stream;
const message = (t: number) => ({ timestamp: t, ident: '1', 'server.timestamp': t });

describe('stream delivery over the DynamoDB buffer (dynalite)', () => {
  let db: Awaited<ReturnType<typeof startTestDynamo>>;
  beforeAll(async () => {
    db = await startTestDynamo();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('sends a batch buffered while another drain was finishing, without waiting for the sweep', async () => {
    const real = new DynamoStreamStateRepository(db.doc, TEST_TABLES.registry);
    const received: StreamBatch[] = [];
    let delivery!: StreamDelivery;
    let raced = false;
    // After the first drain found the buffer empty (it is counting before it releases its lease),
    // a new batch arrives and the drain started for it is refused the lease.
    const state = Object.create(real) as DynamoStreamStateRepository;
    state.count = async (id: number) => {
      if (!raced && received.length > 0) {
        raced = true;
        await delivery.accept({ type: 'http', stream_id: id, batch_id: 'late', messages: [message(2)] });
        expect(await delivery.drain(id)).toBe(0); // lease held by the finishing drain
      }
      return real.count(id);
    };
    delivery = new StreamDelivery({
      streams: { get: async (id) => (id === STREAM.id ? STREAM : undefined) },
      state,
      target: () => ({ deliver: async (b) => void received.push(b), close: async () => undefined }),
      clock: systemClock,
      logger: captureLogger(),
      owner: 'test',
      backoffCapS: 5,
      drainBudgetS: 30,
    });
    await delivery.accept({ type: 'http', stream_id: STREAM.id, batch_id: 'first', messages: [message(1)] });
    const delivered = await delivery.drain(STREAM.id);
    expect(raced).toBe(true);
    expect(received.map((b) => b.messages.map((m) => m.timestamp))).toEqual([[1], [2]]);
    expect(delivered).toBe(2);
    expect(await real.count(STREAM.id)).toEqual({ batches: 0, messages: 0 });
  });
});
