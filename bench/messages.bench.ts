/**
 * Message history query speed (registry API issue): 1,000,000 messages of one device stored
 * locally (dynalite on disk, as `npm start` keeps them), then `count=1000` pages read at random
 * places, forwards and backwards, through the same MessageService the API uses; and a full walk
 * with the `next` cursor checking that every message comes back exactly once.
 * Writes bench/results/messages.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentClient } from '../adapters/dynamodb/client.js';
import { DynamoPackStore } from '../adapters/dynamodb/packs.js';
import { startDynalite } from '../adapters/local/dynalite.js';
import { MessageService } from '../core/messages/service.js';
import type { Message } from '../protocols/common/types.js';
import { table } from './lib/measure.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const TOTAL = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const START = 1_700_000_000;

function message(i: number): Message {
  return {
    timestamp: START + i * 10,
    ident: '356307042441013',
    'device.id': 1,
    'device.name': 'truck 1',
    'channel.id': 1,
    'protocol.id': 1,
    'server.timestamp': START + i * 10 + 2,
    peer: '10.0.0.1:40000',
    'position.latitude': 54.6872 + (i % 1000) * 1e-5,
    'position.longitude': 25.2797 - (i % 1000) * 1e-5,
    'position.altitude': 120 + (i % 50),
    'position.direction': (i * 7) % 360,
    'position.speed': i % 120,
    'position.satellites': 9,
    'position.valid': true,
    'engine.ignition.status': i % 10 !== 0,
    'movement.status': i % 3 !== 0,
    'external.powersource.voltage': 12.5 + (i % 20) / 10,
    'battery.voltage': 4.1,
    'gsm.signal.level': 4,
    'vehicle.mileage': 12345.6 + i / 100,
    din: i % 4,
  };
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-bench-'));
  const dynamo = await startDynalite(join(dir, 'dynamodb'), { registry: 'hub-registry', messages: 'hub-messages' });
  const doc = createDocumentClient({ endpoint: dynamo.endpoint });
  const service = new MessageService(new DynamoPackStore(doc, 'hub-messages'), { now: () => START + TOTAL * 10 });
  try {
    const t0 = performance.now();
    const chunk = 20_000;
    for (let i = 0; i < TOTAL; i += chunk) {
      await service.write(
        'device',
        1,
        Array.from({ length: Math.min(chunk, TOTAL - i) }, (_, j) => message(i + j)),
        400 * 86400,
      );
      if ((i / chunk) % 10 === 0) process.stderr.write(`  stored ${i + chunk} / ${TOTAL}\r`);
    }
    const writeS = (performance.now() - t0) / 1000;
    process.stderr.write('\n');
    const q = { to: 9_999_999_999, count: 1000 };
    const timings: Record<string, number[]> = { forward: [], reverse: [] };
    for (let k = 0; k < 60; k++) {
      const from = START + Math.floor(Math.random() * (TOTAL - 2000)) * 10;
      for (const reverse of [false, true]) {
        const started = performance.now();
        const page = await service.query('device', 1, reverse ? { ...q, from: START, to: from + 10_000, reverse } : { ...q, from, reverse });
        timings[reverse ? 'reverse' : 'forward'].push(performance.now() - started);
        if (page.messages.length !== 1000) throw new Error(`page of ${page.messages.length} messages`);
      }
    }
    // the whole history, page by page: each message exactly once
    const walkStart = performance.now();
    let cursor: string | undefined;
    let seen = 0;
    let last = -1;
    do {
      const page = await service.query('device', 1, { from: 0, to: 9_999_999_999, count: 10_000, reverse: false, cursor });
      for (const m of page.messages) {
        if ((m.timestamp as number) <= last) throw new Error('out of order or repeated');
        last = m.timestamp as number;
      }
      seen += page.messages.length;
      cursor = page.next;
    } while (cursor);
    const walkS = (performance.now() - walkStart) / 1000;
    if (seen !== TOTAL) throw new Error(`walk returned ${seen} of ${TOTAL}`);
    const out = {
      messages: TOTAL,
      store_s: Number(writeS.toFixed(1)),
      page_1000_ms: Object.fromEntries(
        Object.entries(timings).map(([k, v]) => [
          k,
          { p50: Number(percentile(v, 50).toFixed(1)), p99: Number(percentile(v, 99).toFixed(1)), max: Number(Math.max(...v).toFixed(1)) },
        ]),
      ),
      full_walk: { pages_of: 10_000, seconds: Number(walkS.toFixed(1)), messages_returned: seen, each_exactly_once: true },
    };
    console.log(`\nMessage history: ${TOTAL.toLocaleString()} messages of one device (dynalite on disk)`);
    console.log(
      table(
        ['query', 'p50 ms', 'p99 ms', 'max ms'],
        Object.entries(out.page_1000_ms).map(([k, v]) => [`count=1000, ${k}`, v.p50, v.p99, v.max]),
      ),
    );
    console.log(`stored in ${out.store_s} s; full walk with the cursor: ${seen.toLocaleString()} messages, each once, ${out.full_walk.seconds} s`);
    return out;
  } finally {
    doc.destroy();
    await dynamo.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await run();
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/messages.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
}
