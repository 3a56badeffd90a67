import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LocalHubOptions } from '../../local/runtime.js';
import { avlPacket, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from './devices.js';
import { api, startTestHub } from './local-hub.js';
import { StreamReceiver } from './stream-receiver.js';

/**
 * Fault-injection scenarios for local mode. Devices send records one at a time and count their
 * acks; a fault is switched on for a while during the traffic; after recovery the scenario counts
 * what the API stores and what the stream receiver got. Lost = acked but not stored (must be 0).
 */
export type FaultKind = 'none' | 'ingest-crash-mid-batch' | 'dynamo-throttle' | 'dynamo-errors' | 'stream-target-down' | 'hub-restart';

export interface FaultResult {
  readonly fault: FaultKind;
  readonly sent: number;
  readonly acked: number;
  readonly stored: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly recovery_s: number;
}

/** A switch the injected faults read. */
export class FaultSwitch {
  on = false;
  hits = 0;
}

/** DynamoDB middleware inside the SDK's retry loop: while on, every call fails with `name`. */
export function dynamoFault(sw: FaultSwitch, name: 'ThrottlingException' | 'InternalServerError'): (client: DynamoDBClient) => void {
  return (client) => {
    client.middlewareStack.add(
      (next) => async (args) => {
        if (sw.on) {
          sw.hits++;
          const err = Object.assign(new Error(`injected ${name}`), {
            name,
            $fault: name === 'ThrottlingException' ? 'client' : 'server',
            $metadata: { httpStatusCode: name === 'ThrottlingException' ? 400 : 500 },
          });
          throw err;
        }
        return next(args);
      },
      { step: 'deserialize', name: 'injectedFault', priority: 'low' },
    );
  };
}

/** Ingest that stores half a batch and then dies (the batch fails and is retried whole). */
export function ingestCrash(sw: FaultSwitch): NonNullable<NonNullable<LocalHubOptions['faults']>['ingest']> {
  return (handler) => async (event, context) => {
    if (!sw.on || event.Records.length === 0) return handler(event, context);
    sw.hits++;
    const half = event.Records.slice(0, Math.max(1, Math.floor(event.Records.length / 2)));
    await handler({ Records: half }, context);
    throw new Error('injected crash in the middle of an ingest batch');
  };
}

export interface ScenarioOptions {
  readonly devices?: number;
  readonly trafficS?: number;
  readonly faultAtS?: number;
  readonly faultForS?: number;
  readonly dataDir: string;
}

/** Runs one scenario end to end and returns its counts. */
export async function runScenario(fault: FaultKind, o: ScenarioOptions): Promise<FaultResult> {
  const devices = o.devices ?? 10;
  const trafficMs = (o.trafficS ?? 8) * 1000;
  const faultAt = (o.faultAtS ?? 2) * 1000;
  const faultFor = (o.faultForS ?? 3) * 1000;
  const sw = new FaultSwitch();
  const receiver = new StreamReceiver();
  await receiver.start();
  const extra: Partial<LocalHubOptions> = {
    streamBackoffCapS: 1,
    faults: {
      ingest: fault === 'ingest-crash-mid-batch' ? ingestCrash(sw) : undefined,
      dynamo:
        fault === 'dynamo-throttle' ? dynamoFault(sw, 'ThrottlingException') : fault === 'dynamo-errors' ? dynamoFault(sw, 'InternalServerError') : undefined,
    },
  };
  let hub = await startTestHub({ dataDir: o.dataDir, extra });
  const port = hub.channelPort;
  const idents = Array.from({ length: devices }, (_, i) => `35${String(i).padStart(13, '0')}`);
  await api(
    hub,
    'POST',
    '/gw/devices',
    idents.map((ident) => ({ name: ident, configuration: { ident } })),
  );
  const s = await api(hub, 'POST', '/gw/streams', [{ name: 'counter', protocol_name: 'http', configuration: { uri: `http://127.0.0.1:${receiver.port}/` } }]);
  await api(hub, 'POST', `/gw/streams/${s.json.result[0].id}/devices/all`);

  let sent = 0;
  let acked = 0;
  let stop = false;
  let restarting: Promise<void> | undefined;
  const run = async (ident: string, n: number) => {
    let seq = 0;
    while (!stop) {
      let dev: TestDevice;
      try {
        dev = await TestDevice.connect(port);
        dev.send(handshake(ident));
        await dev.read(1, 3000);
      } catch {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      while (!stop) {
        const ts = 1_700_000_000_000 + n * 1e9 + ++seq * 1000;
        dev.send(avlPacket([{ timestampMs: ts, latitude: 54, longitude: 25, satellites: 5, speed: seq % 100 }]));
        sent++;
        try {
          await dev.read(4, 5000);
          acked++;
        } catch {
          break; // no ack: the device reconnects and sends new records (this one was never acked)
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      dev.close();
    }
  };
  const traffic = Promise.all(idents.map((id, i) => run(id, i)));
  await new Promise((r) => setTimeout(r, faultAt));
  if (fault === 'stream-target-down') receiver.down = true;
  else if (fault === 'hub-restart') {
    restarting = (async () => {
      await hub.stop();
      await new Promise((r) => setTimeout(r, faultFor));
      hub = await startTestHub({ dataDir: o.dataDir, extra });
    })();
  } else sw.on = true;
  await new Promise((r) => setTimeout(r, faultFor));
  if (restarting) await restarting;
  sw.on = false;
  receiver.down = false;
  const faultEnded = Date.now();
  await new Promise((r) => setTimeout(r, Math.max(0, trafficMs - faultAt - faultFor)));
  stop = true;
  await traffic;

  // recovery: every acked record stored and delivered
  let stored = 0;
  let distinct = 0;
  const until = Date.now() + 60_000;
  for (;;) {
    const counts = await Promise.all(
      idents.map(async (_, i) => {
        const r = await api(hub, 'GET', `/gw/devices/${i + 1}/messages?fields=timestamp&count=100000`);
        const ts = (r.json.result as { timestamp: number }[]).map((m) => m.timestamp);
        return { n: ts.length, distinct: new Set(ts).size };
      }),
    );
    stored = counts.reduce((a, c) => a + c.n, 0);
    distinct = counts.reduce((a, c) => a + c.distinct, 0);
    if ((stored >= acked && receiver.messages().length >= stored) || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const recovery = (Date.now() - faultEnded) / 1000 - Math.max(0, trafficMs - faultAt - faultFor) / 1000;
  await hub.stop();
  await receiver.close();
  return {
    fault,
    sent,
    acked,
    stored,
    delivered: receiver.messages().length,
    lost: Math.max(0, acked - distinct),
    duplicated: stored - distinct,
    recovery_s: Number(Math.max(0, recovery).toFixed(2)),
  };
}
