/**
 * Cost model (AWS-stack issue): what a device costs per month on AWS at one message per 30 s with
 * 30 days of history, at 10,000 devices, at public us-east-1 list prices (bench/lib/prices.ts).
 *
 * How it counts (every AWS request through the SDK middleware adapters/aws/request-counter.ts):
 * - Fleet (full scale): 10,000 simulated trackers send Teltonika Codec 8 records; listener tasks
 *   batch them as FrameBatcher does; the real SqsFrameQueue sends them through a real SQSClient to
 *   an in-process SQS stand-in; the Lambda event source mapping is emulated (batch size, batching
 *   window, 6 MB payload) with real ReceiveMessage/DeleteMessageBatch calls.
 * - Ingest (a sample of the fleet's devices, since dynalite serves ~300 requests/s): every
 *   invocation of the fleet runs the real handler (lambdas/ingest/handler.ts → core ingest → the
 *   DynamoDB adapters on dynalite, which reports consumed capacity like DynamoDB) on the sample's
 *   frames of that batch; per-device costs are exact, per-batch costs (channel history packs,
 *   invocations, stream events) are computed on the full batches with the real packing code.
 * - Time is simulated (Date.now follows the simulation), so caches expire as they would. The
 *   fleet's registry is unchanged during a run: past their TTL ingest's lookups are kept by one
 *   generation read per 2 minutes (counted) and re-read once per 15 minutes (charged at that
 *   steady rate from what the warm-up's loads cost, bench/lib/registry-cost.ts).
 *
 * Run: `node --import tsx bench/cost.bench.ts` (BENCH_QUICK=1 for a shorter run). Writes
 * bench/results/cost.json. Explained in docs/cost.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { EventBridgeBus } from '../adapters/aws/eventbridge-bus.js';
import { consumedUnits, RequestCounter } from '../adapters/aws/request-counter.js';
import { createDocumentClient, type TableNames } from '../adapters/dynamodb/client.js';
import { encodePackBody } from '../adapters/dynamodb/packs.js';
import { dynamoPorts } from '../adapters/dynamodb/ports.js';
import { packEnvelopes, parseEnvelope, type QueuedFrame } from '../core/envelope.js';
import { REVALIDATED_MAX_AGE_MS } from '../core/generation.js';
import type { HubServices } from '../core/hub.js';
import { buildPacks, keyed } from '../core/messages/pack.js';
import { StreamFanout } from '../core/streams/fanout.js';
import { HUB_PROFILES, type HubProfile, type HubProfileName } from '../lib/profiles.js';
import type { Message } from '../protocols/common/types.js';
import { getProtocol } from '../protocols/index.js';
import { avlPacket } from '../protocols/teltonika/device.js';
import { StubEventBus, StubQueue } from './lib/aws-stub.js';
import { byService, type FixedConfig, fitLine, type LineItem, type MonthlyUsage, priceMonth, total, xrayTracesPerMonth } from './lib/cost-model.js';
import { startDynaliteProcess } from './lib/dynalite-process.js';
import { type FleetBatch, type FleetOptions, runFleet, type SimClock } from './lib/fleet.js';
import { itemSize, storedItemSize } from './lib/item-size.js';
import { liveAddOn } from './lib/live-cost.js';
import { table } from './lib/measure.js';
import { HISTORY_DAYS, MESSAGES_PER_DEVICE_MONTH, PRICES, PRICES_TAKEN, SECONDS_PER_MONTH } from './lib/prices.js';
import { archiverRunSeconds, archiveUsage, burstFit, ESM_POLL_DELAY_MS, measureArchivedDay, percentile } from './lib/profile-cost.js';
import { isRegistryLookup, steadyRegistryLookups } from './lib/registry-cost.js';

// ---- environment as deployed (the handler module reads it at import) ----
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_SERVICE_NAME = 'hub-ingest';
process.env.POWERTOOLS_METRICS_NAMESPACE = 'TelematicsHub';
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
delete process.env.POWERTOOLS_METRICS_DISABLED;

const QUICK = process.env.BENCH_QUICK === '1';
/** BENCH_PROFILES_ONLY=1: only the three profiles, printed side by side; writes no results file. */
const PROFILES_ONLY = process.env.BENCH_PROFILES_ONLY === '1';
const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const TARGET_PER_DEVICE = 0.01;
/** The issue's targets per profile ($ per device-month at 10,000 devices). */
const PROFILE_TARGETS: Record<HubProfileName, number> = { realtime: 0.05, balanced: 0.025, economy: 0.01 };
const TABLES: TableNames = { registry: 'hub-registry', messages: 'hub-messages' };
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/hub-frames';
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
/** DynamoDB round trip from Lambda in the same region (ms) and the SDK's default sockets per client. */
const DYNAMO_LATENCY_MS = 8;
const MAX_SOCKETS = 50;
/** Sequential request rounds of one invocation (lookups, then writes, then the bus). */
const SEQUENTIAL_ROUNDS = 3;
/** Lambda gives a full vCPU at 1,769 MB; below that, CPU time stretches in proportion. */
const FULL_VCPU_MB = 1769;

interface Scenario {
  readonly name: string;
  readonly note: string;
  readonly flushMs: number;
  readonly windowS: number;
  readonly batchSize: number;
  readonly memoryMb: number;
  /** Ingest function timeout (s): long windows make long invocations. */
  readonly timeoutS: number;
  readonly capacity: FixedConfig['dynamoCapacity'];
  readonly compressEnvelopes?: boolean;
  readonly flowLogs?: FixedConfig['flowLogs'];
  readonly tasks?: number;
  /** Zones of the NLB (one public IPv4 each). */
  readonly azs?: number;
  /**
   * Ingest queues sharded by device: the fleet is simulated as one shard (1/shards of the devices,
   * routed to one queue by ident hash, spread over the same listener tasks) and its fleet-level
   * usage (SQS, invocations, channel packs, Lambda time) counted shards times.
   */
  readonly shards?: number;
  /** Seconds between telemetry checkpoints of a device (ingest's default: 300). */
  readonly telemetryCheckpointS?: number;
  readonly taskVcpu?: number;
  readonly taskMemoryGb?: number;
  /** Simulated seconds counted. */
  readonly simSeconds: number;
  /** Sampled devices run through the real ingest code. */
  readonly sample: number;
  /** A named profile of lib/profiles.ts (its cold history, PITR and fixed costs apply too). */
  readonly profile?: HubProfileName;
}

interface Summary {
  readonly scenario: Scenario;
  readonly items: LineItem[];
  readonly perDevice: number;
  readonly usage: MonthlyUsage;
  readonly detail: Record<string, number>;
  /** Write units per message by item type: device packs, channel packs, telemetry checkpoints, other. */
  readonly wruByItem: Record<string, number>;
}

const q = (n: number) => (QUICK ? Math.max(1, Math.round(n / 3)) : n);
const SCENARIOS: Scenario[] = [
  {
    name: 'defaults',
    note: 'as deployed: listener flush 10 ms, batching window 1 s, batch 10, on-demand',
    flushMs: 10,
    windowS: 1,
    batchSize: 10,
    memoryMb: 512,
    timeoutS: 60,
    capacity: 'on-demand',
    simSeconds: q(60),
    sample: q(600),
  },
  {
    name: 'flush 1 s',
    note: 'hub:listenerFlushMs=1000 (device acks wait up to 1 s)',
    flushMs: 1000,
    windowS: 1,
    batchSize: 10,
    memoryMb: 512,
    timeoutS: 60,
    capacity: 'on-demand',
    simSeconds: q(90),
    sample: q(400),
  },
  {
    name: '+ window 60 s',
    note: '+ hub:ingestBatchingWindowSeconds=60, hub:ingestBatchSize=10000, hub:ingestMemoryMiB=1769, hub:ingestTimeoutSeconds=900',
    flushMs: 1000,
    windowS: 60,
    batchSize: 10_000,
    memoryMb: 1769,
    timeoutS: 900,
    capacity: 'on-demand',
    simSeconds: q(300),
    sample: q(150),
  },
  {
    name: '+ window 300 s',
    note: '+ batching window 300 s (the maximum); invocations are cut by the 6 MB payload limit',
    flushMs: 1000,
    windowS: 300,
    batchSize: 10_000,
    memoryMb: 1769,
    timeoutS: 900,
    capacity: 'on-demand',
    simSeconds: q(900),
    sample: q(60),
  },
  {
    name: '+ provisioned',
    note: '+ hub:tableCapacity provisioned with autoscaling (70 % target)',
    flushMs: 1000,
    windowS: 300,
    batchSize: 10_000,
    memoryMb: 1769,
    timeoutS: 900,
    capacity: { targetUtilization: 0.7 },
    simSeconds: q(900),
    sample: q(60),
  },
  {
    name: '+ lean fixed costs',
    note: '+ flow logs REJECT only, 0.25 vCPU / 0.5 GB listener tasks (enough for 10,000 devices)',
    flushMs: 1000,
    windowS: 300,
    batchSize: 10_000,
    memoryMb: 1769,
    timeoutS: 900,
    capacity: { targetUtilization: 0.7 },
    compressEnvelopes: true,
    flowLogs: 'REJECT',
    taskVcpu: 0.25,
    taskMemoryGb: 0.5,
    simSeconds: q(1200),
    sample: q(40),
  },
];

/**
 * The three profiles exactly as lib/profiles.ts defines them (what `hub:profile` deploys). Each
 * counts a telemetry checkpoint interval and a batch more (every sampled device writes a checkpoint
 * in it, whose cost steadyTelemetry charges at the steady rate), also with BENCH_QUICK.
 */
function checkpointCycle(name: HubProfileName): number {
  const p = HUB_PROFILES[name];
  return p.telemetryCheckpointSeconds + p.ingestBatchingWindowSeconds + 60;
}
const PROFILE_RUNS: Record<HubProfileName, { simSeconds: number; sample: number }> = {
  realtime: { simSeconds: Math.max(q(90), checkpointCycle('realtime')), sample: q(100) },
  balanced: { simSeconds: Math.max(q(300), checkpointCycle('balanced')), sample: q(60) },
  economy: { simSeconds: Math.max(q(1200), checkpointCycle('economy')), sample: q(30) },
};
for (const [name, run] of Object.entries(PROFILE_RUNS) as [HubProfileName, (typeof PROFILE_RUNS)[HubProfileName]][]) {
  const p: HubProfile = HUB_PROFILES[name];
  SCENARIOS.push({
    name: `profile ${name}`,
    note: `hub:profile=${name}: ${p.summary}`,
    profile: name,
    flushMs: p.listenerFlushMs,
    windowS: p.ingestBatchingWindowSeconds,
    batchSize: p.ingestBatchSize,
    memoryMb: p.ingestMemoryMiB,
    timeoutS: p.ingestTimeoutSeconds,
    capacity: p.tableCapacity === 'on-demand' ? 'on-demand' : { targetUtilization: p.tableCapacity.targetUtilizationPercent / 100 },
    flowLogs: p.flowLogTrafficType === 'ACCEPT' ? 'ALL' : p.flowLogTrafficType,
    tasks: p.listenerMinCount,
    azs: p.availabilityZones,
    shards: p.ingestShards,
    telemetryCheckpointS: p.telemetryCheckpointSeconds,
    taskVcpu: p.listenerCpu / 1024,
    taskMemoryGb: p.listenerMemoryMiB / 1024,
    ...run,
  });
}

// ---- simulated time: Date.now follows the simulation (caches, TTLs, server timestamps) ----
const realNow = Date.now.bind(Date);
let simMs = realNow();
const clock: SimClock = { now: () => simMs, set: (ms) => (simMs = ms) };
Date.now = () => simMs;

const silent = { write: () => true };
/** The handler's last log lines, shown when an invocation fails. */
let lastLogs = '';
function captureStdout<T>(fn: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  const original = process.stdout.write.bind(process.stdout);
  let bytes = 0;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    lastLogs = (lastLogs + String(chunk)).slice(-4000);
    return silent.write();
  }) as typeof process.stdout.write;
  return fn()
    .then((result) => ({ result, bytes }))
    .catch((err: unknown) => {
      const first = (err as { recordErrors?: unknown[] }).recordErrors?.[0];
      process.stderr.write(`handler logs before the failure:\n${lastLogs}\nfirst record error: ${first instanceof Error ? first.stack : String(first)}\n`);
      throw err;
    })
    .finally(() => {
      process.stdout.write = original;
    });
}

/** One Codec 8 AVL packet with one record, as a tracker sends every 30 s. */
function trackerFrame(imei: string, index: number, tMs: number, channel: number, protocol: number): QueuedFrame {
  const k = Math.floor(tMs / 30_000) % 10_000;
  const packet = avlPacket([
    {
      timestampMs: Math.floor(tMs / 1000) * 1000,
      latitude: 54.6 + ((index % 997) * 1e-3 + k * 1e-5),
      longitude: 25.2 + ((index % 991) * 1e-3 - k * 1e-5),
      altitude: 100 + (index % 50),
      angle: (k * 7 + index) % 360,
      satellites: 8 + (index % 6),
      speed: (k + index) % 90,
      io1: { 239: 1, 240: k % 2, 21: 4, 69: 1 },
      io2: { 66: 12_400 + (k % 300), 67: 4_050 + (index % 100), 24: (k + index) % 90, 181: 9, 182: 7 },
      io4: { 16: 1_000_000 + index * 1000 + k * 250, 199: k * 250 },
    },
  ]);
  return {
    channelId: channel,
    protocolId: protocol,
    transport: 'tcp',
    ident: imei,
    peer: `100.64.${(index >> 8) & 255}.${index & 255}:${40_000 + (index % 20_000)}`,
    receivedAt: tMs / 1000,
    frame: packet.toString('base64'),
    correlationId: `task-${index % 2}-${index}-${k}`,
  };
}

interface DynamoTally {
  wru: number;
  rru: number;
  calls: number;
  channelWru: number;
  /** Write units by item type (key prefix: d#, c#, tm#, ...), from each written item's size. */
  wruBy: Map<string, number>;
  /** Read units by item type (the key prefix of the item or partition read). */
  rruBy: Map<string, number>;
  /** Read units of ingest's registry lookups (bench/lib/registry-cost.ts). */
  lookupRru: number;
  /** Items written by type, and the write units DynamoDB reported for the telemetry checkpoints (PutItem on tm#). */
  writesBy: Map<string, number>;
  telemetryWru: number;
  /** Stored bytes of items written, by key prefix (d#, c#, tm#, ...). */
  writtenBytes: Map<string, number>;
  lastSize: Map<string, number>;
}

function newTally(): DynamoTally {
  return {
    wru: 0,
    rru: 0,
    calls: 0,
    channelWru: 0,
    wruBy: new Map(),
    rruBy: new Map(),
    lookupRru: 0,
    writesBy: new Map(),
    telemetryWru: 0,
    writtenBytes: new Map(),
    lastSize: new Map(),
  };
}

/** The partition key a read names (GetItem's key, a Query's `:pk`, a BatchGetItem's first key), marshalled or not. */
function readPk(input: unknown): string {
  const i = input as
    | { Key?: { pk?: unknown }; ExpressionAttributeValues?: { ':pk'?: unknown }; RequestItems?: Record<string, { Keys?: { pk?: unknown }[] }> }
    | undefined;
  const batch = i?.RequestItems ? Object.values(i.RequestItems)[0]?.Keys?.[0]?.pk : undefined;
  const v = i?.Key?.pk ?? i?.ExpressionAttributeValues?.[':pk'] ?? batch;
  return typeof v === 'string' ? v : String((v as { S?: string } | undefined)?.S ?? '');
}

/** The partition key of the item a PutItem writes, marshalled or not. */
function itemPk(input: unknown): string {
  const v = (input as { Item?: { pk?: unknown } } | undefined)?.Item?.pk;
  return typeof v === 'string' ? v : String((v as { S?: string } | undefined)?.S ?? '');
}

/**
 * Telemetry checkpoints in steady state, per message. A run starts with every device due at once,
 * so the checkpoints it counts depend on where its window falls; instead each checkpoint's cost
 * (its write, its reads: the stored checkpoint and the history since it) is measured on the run
 * and charged at the steady rate: a device (one message per 30 s) checkpoints at the first batch
 * holding its messages at least `checkpointS` after the last, on average half a cadence late.
 */
function steadyTelemetry(t: DynamoTally, sampledMessages: number, checkpointS: number, cadenceS: number) {
  const seen = t.writesBy.get('tm#') ?? 0;
  const measured = {
    wru: t.telemetryWru / Math.max(1, sampledMessages),
    rru: ((t.rruBy.get('tm#') ?? 0) + (t.rruBy.get('d#') ?? 0)) / Math.max(1, sampledMessages),
  };
  if (seen === 0) return { measured, wru: measured.wru, rru: measured.rru, checkpoints: 0 };
  const perMessage = 30 / (checkpointS + cadenceS / 2);
  return { measured, wru: (t.telemetryWru / seen) * perMessage, rru: (measured.rru * Math.max(1, sampledMessages) * perMessage) / seen, checkpoints: seen };
}

const prefixOf = (pk: string) => /^[a-z]+#/.exec(pk)?.[0] ?? pk.split('#')[0] ?? pk;

async function main(): Promise<void> {
  const started = realNow();
  const dynamo = await startDynaliteProcess(TABLES);
  let tally = newTally();
  let counting = false;
  /** A run's warm-up (its fresh hub loads every sampled device's lookups once), and the lookup read units it took. */
  let warming = false;
  let warmLookupRru = 0;
  const ddbCounter = new RequestCounter({
    onRequest: ({ operation, body }) => {
      if (!counting) return;
      type Item = Record<string, { S?: string }>;
      const b = body as { RequestItems?: Record<string, { PutRequest?: { Item: Item } }[]>; Item?: Item } | undefined;
      const items: Item[] =
        operation === 'BatchWriteItem'
          ? Object.values(b?.RequestItems ?? {}).flatMap((reqs) => reqs.flatMap((r) => (r.PutRequest ? [r.PutRequest.Item] : [])))
          : operation === 'PutItem' && b?.Item
            ? [b.Item]
            : [];
      for (const item of items) {
        const prefix = prefixOf(String(item.pk?.S ?? ''));
        const size = storedItemSize(item);
        tally.writtenBytes.set(prefix, (tally.writtenBytes.get(prefix) ?? 0) + size);
        tally.lastSize.set(prefix, size);
        tally.wruBy.set(prefix, (tally.wruBy.get(prefix) ?? 0) + Math.ceil(itemSize(item) / 1024));
        tally.writesBy.set(prefix, (tally.writesBy.get(prefix) ?? 0) + 1);
        if (prefix === 'c#') tally.channelWru += Math.ceil(itemSize(item) / 1024);
      }
    },
    onResponse: ({ operation, input, output }) => {
      const units = consumedUnits(output);
      const isRead = ['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems'].includes(operation);
      // DynamoDB bills a read that finds nothing as 0.5 (eventual) or 1 (strong) unit; dynalite reports 0 for empty queries
      const floor = isRead ? ((input as { ConsistentRead?: boolean } | undefined)?.ConsistentRead ? 1 : 0.5) : 0;
      const lookup = isRead && isRegistryLookup(readPk(input));
      if (!counting) {
        if (warming && lookup) warmLookupRru += Math.max(units, floor);
        return;
      }
      tally.calls++;
      if (lookup) tally.lookupRru += Math.max(units, floor);
      if (isRead) {
        tally.rru += Math.max(units, floor);
        const prefix = prefixOf(readPk(input));
        tally.rruBy.set(prefix, (tally.rruBy.get(prefix) ?? 0) + Math.max(units, floor));
      } else {
        tally.wru += units;
        if (operation === 'PutItem' && prefixOf(itemPk(input)) === 'tm#') tally.telemetryWru += units;
      }
    },
  });
  // dynalite on a busy machine can take seconds to accept a connection; time is simulated, so waiting longer changes no figure
  const doc = ddbCounter.attach(
    createDocumentClient(
      { endpoint: dynamo.endpoint },
      { requestHandler: { connectionTimeout: 30_000, requestTimeout: 120_000, throwOnRequestTimeout: true } },
    ),
  );
  const busCounter = new RequestCounter();
  const busStub = new StubEventBus();
  const bus = new EventBridgeBus(
    busCounter.attach(new EventBridgeClient({ region: 'us-east-1', credentials: CREDENTIALS, requestHandler: busStub })),
    'hub-bus',
  );

  const { coreLogger } = await import('../lambdas/shared/powertools.js');
  const { makeIngestHandler } = await import('../lambdas/ingest/handler.js');
  const { createHub } = await import('../core/hub.js');
  const ports = dynamoPorts(doc, TABLES, coreLogger, { bus });
  let captureInto: Message[] | undefined;
  const newHub = (telemetryCheckpointSeconds?: number): HubServices =>
    createHub(ports, {
      telemetryCheckpointSeconds,
      publicHost: 'bench',
      portRange: [20000, 20019],
      adminToken: 'bench',
      // keeps decoded messages for the full-scale channel-pack and stream computations
      onStored: async (batch) => {
        if (captureInto && captureInto.length < 2000) captureInto.push(...batch.map((b) => b.message));
      },
    });
  const setupHub = newHub();
  const [channel] = await setupHub.channels.create([{ name: 'trackers', protocol_name: 'teltonika', configuration: { port: 20000 } }]);
  const protocol = getProtocol('teltonika')!.id;
  const maxSample = Math.max(...SCENARIOS.map((s) => s.sample));
  const imeis = Array.from({ length: DEVICES }, (_, i) => String(352_000_000_000_000 + i * 7));
  process.stderr.write(`registering ${maxSample} sampled devices in dynalite...\n`);
  for (let i = 0; i < maxSample; i += 100) {
    await setupHub.devices.create(
      imeis
        .slice(i, Math.min(maxSample, i + 100))
        .map((ident, j) => ({ name: `truck ${i + j}`, configuration: { ident }, messages_ttl: HISTORY_DAYS * 86400 })),
    );
  }

  // warm the JIT (the first few hundred messages run several times slower than steady state)
  {
    const hub = newHub();
    const handler = makeIngestHandler(async () => hub.ingest);
    for (let round = 0; round < 4; round++) {
      simMs += 31_000;
      const frames = imeis.slice(0, Math.min(300, maxSample)).map((ident, i) => trackerFrame(ident, i, simMs, channel.id, protocol));
      const event = {
        Records: packEnvelopes(frames).map((body, i) => ({
          messageId: `warm-${round}-${i}`,
          receiptHandle: 'r',
          body,
          attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(simMs), SenderId: 'AROA', ApproximateFirstReceiveTimestamp: String(simMs) },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:hub-frames',
          awsRegion: 'us-east-1',
        })),
      } as SQSEvent;
      await captureStdout(() =>
        handler(event, { functionName: 'hub-ingest', awsRequestId: `warm-${round}`, getRemainingTimeInMillis: () => 60_000 } as unknown as Context),
      );
    }
  }

  const results: Record<string, unknown>[] = [];
  const summaries: Summary[] = [];
  let messagePool: Message[] = [];

  /** BENCH_PROFILE=<name> with BENCH_PROFILES_ONLY=1: that profile only. */
  const only = process.env.BENCH_PROFILE;
  for (const sc of PROFILES_ONLY ? SCENARIOS.filter((x) => x.profile && (!only || x.profile === only)) : SCENARIOS) {
    const t0 = realNow();
    simMs += 3_600_000; // an hour later: every cache from the previous run has expired
    const hub = newHub(sc.telemetryCheckpointS);
    const handler = makeIngestHandler(async () => hub.ingest);
    const sampled = new Set(imeis.slice(0, sc.sample));
    const sqsStub = new StubQueue(clock.now);
    let receiveChunks = 0;
    const sqsCounter = new RequestCounter({
      onResponse: ({ operation, output }) => {
        if (operation === 'ReceiveMessage')
          receiveChunks += Math.max(
            1,
            Math.ceil(
              ((output as { Messages?: { Body?: string }[] } | undefined)?.Messages ?? []).reduce((n, m) => n + Buffer.byteLength(m.Body ?? ''), 0) / 65_536,
            ),
          );
      },
    });
    const sqs = sqsCounter.attach(new SQSClient({ region: 'us-east-1', credentials: CREDENTIALS, requestHandler: sqsStub }));
    tally = newTally();
    counting = false;
    warming = true;
    warmLookupRru = 0;
    let sqsAtEnd: ReturnType<RequestCounter['snapshot']> = {};
    let receiveChunksAtEnd = 0;
    const invocations: { messages: number; records: number; cpuMs: number; logBytes: number }[] = [];
    let sampledMessages = 0;
    /** Sampled frames: age when their invocation starts (ms) and that invocation's frames (its duration is added once CPU is fitted). */
    const ages: { ageMs: number; batchFrames: number }[] = [];
    const captured: Message[] = [];
    captureInto = captured;
    const frameOf = (i: number, t: number) => trackerFrame(imeis[i], i, t, channel.id, protocol);
    const shardDevices = Math.ceil(DEVICES / (sc.shards ?? 1));
    const options: FleetOptions = {
      devices: shardDevices,
      tasks: sc.tasks ?? 2,
      periodS: 30,
      simSeconds: sc.simSeconds,
      warmupSeconds: Math.max(35, Math.min(sc.windowS, 300) + 35),
      flushMs: sc.flushMs,
      maxFrames: 2000,
      maxBytes: 900 * 1024,
      windowS: sc.windowS,
      batchSize: sc.batchSize,
      maxPayloadBytes: 6 * 1024 * 1024,
      compressEnvelopes: sc.compressEnvelopes,
      seed: 42,
      queueUrl: QUEUE_URL,
      frame: frameOf,
    };
    const onBatch = async (batch: FleetBatch, counted: boolean) => {
      const frames: QueuedFrame[] = [];
      let batchFrames = 0;
      for (const r of batch.records)
        for (const f of parseEnvelope(r.body).frames) {
          batchFrames++;
          if (f.ident && sampled.has(f.ident)) frames.push(f);
        }
      if (frames.length === 0) return;
      if (counted) for (const f of frames) ages.push({ ageMs: batch.closeMs - f.receivedAt * 1000, batchFrames });
      const bodies = packEnvelopes(frames);
      const event: SQSEvent = {
        Records: bodies.map((body, i) => ({
          messageId: `${batch.records[0].messageId}-${i}`,
          receiptHandle: 'r',
          body,
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: String(Math.round(batch.records[0].sentMs)),
            SenderId: 'AROA',
            ApproximateFirstReceiveTimestamp: String(Math.round(batch.closeMs)),
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:hub-frames',
          awsRegion: 'us-east-1',
        })),
      };
      const context = {
        functionName: 'hub-ingest',
        functionVersion: '$LATEST',
        awsRequestId: `req-${batch.closeMs}`,
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:hub-ingest',
        memoryLimitInMB: String(sc.memoryMb),
        getRemainingTimeInMillis: () => 60_000,
      } as unknown as Context;
      const cpu0 = process.cpuUsage();
      const { result, bytes } = await captureStdout(() => handler(event, context));
      const cpu = process.cpuUsage(cpu0);
      if ((result as { batchItemFailures?: unknown[] }).batchItemFailures?.length) throw new Error(`ingest failed records: ${JSON.stringify(result)}`);
      if (counted) {
        invocations.push({ messages: frames.length, records: bodies.length, cpuMs: (cpu.user + cpu.system) / 1000, logBytes: bytes });
        sampledMessages += frames.length;
      }
    };
    const fleet = await runFleet(options, clock, sqs, sqsStub, {
      onWarm: () => {
        warming = false;
        sqsCounter.reset();
        receiveChunks = 0;
        counting = true;
        tally = newTally();
      },
      onEnd: () => {
        sqsAtEnd = sqsCounter.snapshot();
        receiveChunksAtEnd = receiveChunks;
      },
      onBatch: async (batch, counted) => {
        counting = counted;
        await onBatch(batch, counted);
      },
    });
    counting = false;
    if (captured.length > 0) messagePool = captured;
    measureArchivedDay(messagePool); // warm-up: the first run compiles the encoder
    const archivedDay = measureArchivedDay(messagePool);

    // ---- scale to a month of the whole fleet ----
    // a month of the whole fleet: of every shard when ingest is sharded (each simulated like this one)
    const monthFactor = ((SECONDS_PER_MONTH * 1000) / fleet.countedMs) * (DEVICES / shardDevices);
    const perMsg = (x: number) => x / Math.max(1, sampledMessages);
    const fleetMessagesMonth = DEVICES * MESSAGES_PER_DEVICE_MONTH;
    const channelPacks = channelPackCost(fleet.batchFrames, messagePool);
    const telemetry = steadyTelemetry(
      tally,
      sampledMessages,
      sc.telemetryCheckpointS ?? 300,
      Math.max(30, fleet.countedMs / 1000 / Math.max(1, fleet.batches)),
    );
    const wruDevice = (perMsg(tally.wru - tally.channelWru) - telemetry.measured.wru + telemetry.wru) * fleetMessagesMonth;
    const wruChannel = channelPacks.wru * monthFactor;
    const lookups = steadyRegistryLookups({
      warmRru: warmLookupRru,
      devices: sc.sample,
      measuredPerMessage: perMsg(tally.lookupRru),
      maxAgeS: REVALIDATED_MAX_AGE_MS / 1000,
      cadenceS: Math.max(30, fleet.countedMs / 1000 / Math.max(1, fleet.batches)),
      periodS: 30,
    });
    const rru = (perMsg(tally.rru) - telemetry.measured.rru + telemetry.rru - lookups.measured + lookups.charged) * fleetMessagesMonth;
    const deviceHistoryBytes = perMsg(tally.writtenBytes.get('d#') ?? 0) * DEVICES * MESSAGES_PER_DEVICE_MONTH * (HISTORY_DAYS / 30.4);
    const channelHistoryBytes = channelPacks.bytes * monthFactor * (7 / 30.4);
    const registryBytes = DEVICES * ((tally.lastSize.get('tm#') ?? 1500) + 600);
    // CPU = per invocation + per message: a line fitted over the sampled invocations when there are
    // enough of them (short windows: many small invocations); else all CPU is charged per message
    const fit = fitLine(invocations.map((i) => [i.messages, i.cpuMs] as const));
    const useFit = invocations.length >= 30 && fit.a >= 0 && fit.b > 0;
    const cpuPerInvocation = useFit ? fit.a : 0;
    const cpuPerMessage = useFit ? fit.b : invocations.reduce((n, i) => n + i.cpuMs, 0) / Math.max(1, sampledMessages);
    const fitLog = fitLine(invocations.map((i) => [i.records, i.logBytes] as const));
    const callsPerMsg = perMsg(tally.calls);
    const cpuScale = Math.max(1, FULL_VCPU_MB / sc.memoryMb);
    const envelopesPerBatch = fleet.envelopes / Math.max(1, fleet.batches);
    let billedMsTotal = 0;
    let maxBilledMs = 0;
    let logBytes = 0;
    const invocationMs = (frames: number) =>
      (cpuPerInvocation + cpuPerMessage * frames) * cpuScale +
      SEQUENTIAL_ROUNDS * DYNAMO_LATENCY_MS +
      Math.ceil((callsPerMsg * frames) / MAX_SOCKETS) * DYNAMO_LATENCY_MS;
    // frame → queryable: listener flush and batching window (simulated), the poller's delay, the invocation until its writes
    const p99FrameToQueryableS =
      percentile(
        ages.map((a) => a.ageMs + ESM_POLL_DELAY_MS + invocationMs(a.batchFrames)),
        99,
      ) / 1000;
    for (const frames of fleet.batchFrames) {
      const ms = invocationMs(frames);
      billedMsTotal += ms;
      maxBilledMs = Math.max(maxBilledMs, ms);
      logBytes += Math.max(0, fitLog.a) + Math.max(0, fitLog.b) * envelopesPerBatch;
    }
    const invocationsMonth = fleet.batches * monthFactor;
    const sqsSend = sqsAtEnd['SQS.SendMessageBatch']?.chunks64k ?? 0;
    const sqsDelete = sqsAtEnd['SQS.DeleteMessageBatch']?.chunks64k ?? 0;
    const sendChunks = sc.compressEnvelopes
      ? (sqsAtEnd['SQS.SendMessageBatch']?.requests ?? 0) * Math.max(1, Math.ceil(fleet.gzipBytes / Math.max(1, fleet.flushes) / 65_536))
      : sqsSend;
    const profile = sc.profile ? HUB_PROFILES[sc.profile] : undefined;
    const coldAfter = profile?.coldHistoryAfterDays ?? 0;
    const archive =
      coldAfter > 0
        ? archiveUsage({
            devices: DEVICES,
            afterDays: coldAfter,
            hotPackBytesPerMessage: perMsg(tally.writtenBytes.get('d#') ?? 0),
            archivedBytesPerMessage: archivedDay.bytesPerMessage,
            cpuMsPerOwnerDay: archivedDay.cpuMsPerDay,
            channelMessagesMonth: fleetMessagesMonth,
            channelHistoryDays: 7,
          })
        : undefined;
    const hotShare = (days: number) => (archive ? Math.min(days, archive.hotDays) / days : 1);
    const storedBytes = deviceHistoryBytes * hotShare(HISTORY_DAYS) + channelHistoryBytes * hotShare(7) + registryBytes;
    const usage: MonthlyUsage = {
      devices: DEVICES,
      sqs: { send: sendChunks * monthFactor, receive: receiveChunksAtEnd * monthFactor, delete: sqsDelete * monthFactor },
      dynamo: { wru: wruDevice + wruChannel, rru, storedBytes, pitrBytes: profile && !profile.messagesPointInTimeRecovery ? registryBytes : undefined },
      archive,
      lambda: {
        invocations: invocationsMonth,
        gbSeconds: (billedMsTotal / 1000) * (sc.memoryMb / 1024) * monthFactor,
        logBytes: logBytes * monthFactor,
        maxBilledMs,
      },
      xrayTraces: xrayTracesPerMonth(invocationsMonth),
    };
    const fixed: FixedConfig = {
      tasks: sc.tasks ?? 2,
      taskVcpu: sc.taskVcpu ?? 0.5,
      taskMemoryGb: sc.taskMemoryGb ?? 1,
      nlbAzs: sc.azs ?? 2,
      tasksHavePublicIp: true,
      flowLogs: sc.flowLogs ?? 'ALL',
      streamFunctions: 5,
      // 11 alarms, one with 5 metrics (+1: the archiver's errors); hub EMF metrics (4 ingest, 1 listener, 10 streams, 2 archiver) and ~20 Container Insights metrics
      alarmMetrics: (archive ? 16 : 15) + (sc.shards ?? 1) - 1,
      customMetrics: (profile?.containerInsights === false ? 15 : 35) + (archive ? 2 : 0),
      dynamoCapacity: sc.capacity,
    };
    const items = priceMonth(usage, fixed);
    const perDevice = total(items) / DEVICES;
    const detail = {
      frames_per_sqs_message: fleet.frames / Math.max(1, fleet.envelopes),
      sqs_requests_per_message: (usage.sqs.send + usage.sqs.receive + usage.sqs.delete) / fleetMessagesMonth,
      frames_per_invocation: fleet.batchFrames.reduce((a, b) => a + b, 0) / Math.max(1, fleet.batches),
      messages_per_device_per_invocation: fleet.batchFrames.reduce((a, b) => a + b, 0) / Math.max(1, fleet.batches) / shardDevices,
      ingest_shards: sc.shards ?? 1,
      max_invocation_payload_mb: fleet.maxBatchPayload / 1024 / 1024,
      wru_per_message: (wruDevice + wruChannel) / fleetMessagesMonth,
      rru_per_message: rru / fleetMessagesMonth,
      registry_lookup_rru_per_message_measured: lookups.measured,
      registry_lookup_rru_per_message_charged: lookups.charged,
      registry_lookup_rru_per_device_load: lookups.loadRruPerDevice,
      generation_reads_per_message: perMsg(tally.rruBy.get('gen') ?? 0) / 0.5,
      dynamodb_calls_per_message: callsPerMsg,
      device_history_bytes_per_message: perMsg(tally.writtenBytes.get('d#') ?? 0),
      cpu_ms_per_message: cpuPerMessage,
      cpu_ms_per_invocation: cpuPerInvocation,
      max_estimated_invocation_ms: maxBilledMs,
      p99_frame_to_queryable_s: p99FrameToQueryableS,
      archiver_run_s: archive ? archiverRunSeconds(archive) : 0,
      timeout_ms: sc.timeoutS * 1000,
      sampled_messages: sampledMessages,
      sampled_invocations: invocations.length,
      fleet_batches: fleet.batches,
      run_seconds: (realNow() - t0) / 1000,
    };
    const wruDevicePack = perMsg(tally.wruBy.get('d#') ?? 0);
    const wruTelemetry = telemetry.wru;
    const wruByItem = {
      device_pack: wruDevicePack,
      channel_pack: wruChannel / fleetMessagesMonth,
      telemetry: wruTelemetry,
      other: Math.max(0, perMsg(tally.wru - tally.channelWru) - telemetry.measured.wru - wruDevicePack),
    };
    // measured per key prefix; the steady reloads at the maximum age the run was too short to see are one more item
    const rruByItem = {
      ...Object.fromEntries([...tally.rruBy].map(([k, v]) => [k, perMsg(v)])),
      registry_reloads_at_max_age: lookups.charged - lookups.measured,
    };
    summaries.push({ scenario: sc, items, perDevice, usage, detail, wruByItem });
    results.push({
      scenario: sc.name,
      note: sc.note,
      config: {
        flushMs: sc.flushMs,
        windowS: sc.windowS,
        batchSize: sc.batchSize,
        memoryMb: sc.memoryMb,
        timeoutS: sc.timeoutS,
        capacity: sc.capacity,
        compressEnvelopes: !!sc.compressEnvelopes,
      },
      per_device_month: round(perDevice),
      monthly_at_fleet: round(total(items)),
      by_service: byService(items).map((s) => ({ ...s, monthly: round(s.monthly), per_device: round(s.monthly / DEVICES) })),
      line_items: items.map((i) => ({ ...i, monthly: round(i.monthly) })),
      usage,
      detail,
      wru_per_message_by_item: wruByItem,
      rru_per_message_by_item: rruByItem,
    });
    process.stderr.write(
      `${sc.name}: $${perDevice.toFixed(4)}/device-month (${detail.run_seconds.toFixed(0)} s); the fleet's registry is unchanged during the run: registry lookups ${lookups.measured.toFixed(4)} RRU/msg measured, ${lookups.charged.toFixed(4)} charged (a device's lookups, ${lookups.loadRruPerDevice.toFixed(2)} RRU, re-read once per ${REVALIDATED_MAX_AGE_MS / 60_000} min), generation reads ${detail.generation_reads_per_message.toFixed(4)}/msg\n`,
    );
  }

  if (PROFILES_ONLY) {
    await dynamo.close();
    doc.destroy();
    printProfiles(summaries);
    return;
  }
  const streams = await streamAddOn(messagePool, summaries[0].detail.frames_per_invocation, summaries[3].detail.frames_per_invocation);
  await dynamo.close();
  doc.destroy();
  const live = liveAddOn(DEVICES, [
    { config: 'defaults', messagesPerInvocation: summaries[0].detail.frames_per_invocation },
    { config: 'window 300 s', messagesPerInvocation: summaries[3].detail.frames_per_invocation },
  ]);
  print(summaries, streams);
  console.log('\nLive push add-on (WebSocket API; IoT Core MQTT over WSS for comparison; clients connected 176 h/month; not in the totals above)');
  console.log(
    table(
      Object.keys(live[0]),
      live.map((r) => Object.values(r).map(String)),
    ),
  );
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('./results/cost.json', import.meta.url),
    `${JSON.stringify(
      {
        prices_taken: PRICES_TAKEN,
        region: 'us-east-1',
        prices: PRICES,
        devices: DEVICES,
        messages_per_device_month: MESSAGES_PER_DEVICE_MONTH,
        history_days: HISTORY_DAYS,
        target_per_device_month: TARGET_PER_DEVICE,
        quick: QUICK,
        run_seconds: (realNow() - started) / 1000,
        profiles: summaries
          .filter((s) => s.scenario.profile)
          .map((s) => ({
            profile: s.scenario.profile,
            usd_per_device_month: round(s.perDevice),
            p99_frame_to_queryable_s: round(s.detail.p99_frame_to_queryable_s),
            promised_p99_s: s.scenario.profile ? HUB_PROFILES[s.scenario.profile].p99FrameToQueryableSeconds : undefined,
            target_usd_per_device_month: s.scenario.profile ? PROFILE_TARGETS[s.scenario.profile] : undefined,
            by_service: byService(s.items).map((x) => ({ service: x.service, per_device: round(x.monthly / DEVICES) })),
          })),
        scenarios: results,
        streams_add_on: streams,
        live_push_add_on: live,
      },
      null,
      2,
    )}\n`,
  );

  // ---- full-scale helpers (real packing and fan-out code on synthesized full batches) ----
  function synthesize(pool: readonly Message[], n: number): Message[] {
    const out: Message[] = [];
    for (let i = 0; i < n; i++) {
      const base = pool[i % pool.length];
      const shift = Math.floor(i / pool.length);
      out.push({
        ...base,
        ident: `${base.ident}-${shift}`,
        'device.id': Number(base['device.id'] ?? 0) + shift * 100_000,
        'position.latitude': Number(base['position.latitude'] ?? 0) + shift * 1e-4,
      });
    }
    return out;
  }
  function channelPackCost(batchFrames: readonly number[], pool: readonly Message[]): { wru: number; bytes: number } {
    const memo = new Map<number, { wru: number; bytes: number }>();
    let wru = 0;
    let bytes = 0;
    for (const frames of batchFrames) {
      const key = frames < 200 ? frames : Math.round(frames / 50) * 50;
      let c = memo.get(key);
      if (!c) {
        c = { wru: 0, bytes: 0 };
        for (const pack of buildPacks(synthesize(pool, key).map((m) => keyed(m)))) {
          const item = {
            pk: { S: 'c#1' },
            sk: { S: `${pack.firstMs}#0123456789abcdef` },
            f: { N: String(pack.firstMs) },
            n: { N: String(pack.entries.length) },
            ttl: { N: '1800000000' },
            z: { B: Buffer.from(encodePackBody(pack.entries)).toString('base64') },
          };
          c.wru += Math.ceil(itemSize(item) / 1024);
          c.bytes += storedItemSize(item);
        }
        memo.set(key, c);
      }
      wru += c.wru;
      bytes += c.bytes;
    }
    return { wru, bytes };
  }
  async function streamAddOn(pool: readonly Message[], framesShort: number, framesLong: number) {
    const out: Record<string, unknown>[] = [];
    for (const [label, frames] of [
      ['defaults', framesShort],
      ['window 300 s', framesLong],
    ] as const) {
      const counter = new RequestCounter();
      const stub = new StubEventBus();
      // one aws_iot stream subscribed to the channel every device reports on (= every device)
      const fanout = new StreamFanout(
        { list: async () => [{ id: 1, name: 'iot', protocol_name: 'aws_iot', enabled: true } as never] },
        { subscribers: async () => ({ devices: [], channels: [1] }) },
        new EventBridgeBus(counter.attach(new EventBridgeClient({ region: 'us-east-1', credentials: CREDENTIALS, requestHandler: stub })), 'hub-bus'),
      );
      const n = Math.max(1, Math.round(frames));
      const batch = synthesize(pool, n).map((message) => ({ message, channel: { id: 1 } as never, device: { id: Number(message['device.id']) } as never }));
      await fanout.publish(batch);
      const s = counter.service('EventBridge');
      const chunks = stub.entries.reduce((c, e) => c + Math.max(1, Math.ceil(e.detailBytes / 65_536)), 0);
      const msgBytes = stub.entries.reduce((c, e) => c + e.detailBytes, 0) / n;
      const invocationsPerMonth = (DEVICES * MESSAGES_PER_DEVICE_MONTH) / n;
      const events = stub.entries.length * invocationsPerMonth;
      const iotPublishes = DEVICES * MESSAGES_PER_DEVICE_MONTH * Math.max(1, Math.ceil(msgBytes / 5120));
      const streamGbS = events * (0.03 + (n / stub.entries.length) * 0.002) * 0.25;
      const monthly = {
        eventbridge: (chunks * invocationsPerMonth * PRICES.eventBridgePerMillionEvents) / 1e6,
        iot: (iotPublishes * PRICES.iotPerMillionMessages) / 1e6,
        lambda: (events * PRICES.lambdaPerMillionRequests) / 1e6 + streamGbS * PRICES.lambdaArmPerGbSecond,
      };
      out.push({
        config: label,
        put_events_requests_per_batch: s.requests,
        events_per_batch: stub.entries.length,
        event_chunks_per_batch: chunks,
        message_json_bytes: Math.round(msgBytes),
        monthly: Object.fromEntries(Object.entries(monthly).map(([k, v]) => [k, round(v)])),
        per_device_month: round((monthly.eventbridge + monthly.iot + monthly.lambda) / DEVICES),
      });
    }
    return out;
  }
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}

function money(x: number): string {
  return x >= 100 ? `$${x.toFixed(0)}` : x >= 1 ? `$${x.toFixed(2)}` : `$${x.toFixed(4)}`;
}

function print(summaries: Summary[], streams: Record<string, unknown>[]): void {
  const head = `Telematics Hub on AWS: cost per device-month at ${DEVICES.toLocaleString('en-US')} devices, 1 message / 30 s, ${HISTORY_DAYS} days of history (us-east-1 list prices of ${PRICES_TAKEN})`;
  console.log(`\n${head}\n${'='.repeat(head.length)}`);
  const base = summaries[0];
  const profiles = summaries.filter((s) => s.scenario.profile);
  for (const s of [base, ...profiles]) {
    console.log(`\n## ${s.scenario.name}: ${s.scenario.note}`);
    for (const { service } of byService(s.items)) {
      const rows = s.items.filter((i) => i.service === service).map((i) => [i.item, fmtQty(i.quantity), i.unit, money(i.monthly), money(i.monthly / DEVICES)]);
      console.log(`\n${service}`);
      console.log(table(['line item', 'per month', 'unit', `$/month (${DEVICES})`, '$/device'], rows));
    }
  }
  console.log('\nBy service ($ per device-month)');
  const services = byService(base.items).map((x) => x.service);
  console.log(
    table(
      ['service', ...summaries.map((s) => s.scenario.name)],
      [
        ...services.map((svc) => [svc, ...summaries.map((s) => money((byService(s.items).find((x) => x.service === svc)?.monthly ?? 0) / DEVICES))]),
        ['TOTAL', ...summaries.map((s) => money(s.perDevice))],
      ],
    ),
  );
  console.log('\nKnobs (each column adds to the previous; * = needs a runtime change)');
  console.log(
    table(
      [
        'configuration',
        '$/device-month',
        'vs target $0.01',
        'frames/SQS msg',
        'SQS req/msg',
        'msgs/device/invocation',
        'WRU/msg',
        'RRU/msg',
        'CPU ms/msg',
        'max invocation',
      ],
      summaries.map((s) => [
        `${s.scenario.name}: ${s.scenario.note}`.slice(0, 90),
        money(s.perDevice),
        `${(s.perDevice / TARGET_PER_DEVICE).toFixed(1)}×`,
        s.detail.frames_per_sqs_message.toFixed(1),
        s.detail.sqs_requests_per_message.toFixed(3),
        s.detail.messages_per_device_per_invocation.toFixed(2),
        s.detail.wru_per_message.toFixed(2),
        s.detail.rru_per_message.toFixed(2),
        s.detail.cpu_ms_per_message.toFixed(2),
        `${(s.detail.max_estimated_invocation_ms / 1000).toFixed(1)} s${s.detail.max_estimated_invocation_ms > s.detail.timeout_ms ? ' > TIMEOUT' : ''}`,
      ]),
    ),
  );
  printProfiles(profiles);
  console.log('\nStreams add-on (one aws_iot stream subscribed by every device; not in the totals above)');
  console.log(
    table(
      ['config', 'events/batch', 'msg JSON bytes', 'EventBridge $/mo', 'IoT $/mo', 'Lambda $/mo', '$/device'],
      streams.map((s: any) => [
        s.config,
        s.events_per_batch,
        s.message_json_bytes,
        money(s.monthly.eventbridge),
        money(s.monthly.iot),
        money(s.monthly.lambda),
        money(s.per_device_month),
      ]),
    ),
  );
  const best = summaries.reduce((a, b) => (b.perDevice < a.perDevice ? b : a));
  console.log(
    `\nTarget $${TARGET_PER_DEVICE} per device-month: ${best.perDevice <= TARGET_PER_DEVICE ? `met by "${best.scenario.name}"` : `not met; closest "${best.scenario.name}" at ${money(best.perDevice)} (${(best.perDevice / TARGET_PER_DEVICE).toFixed(1)}×)`}. See docs/cost.md.`,
  );
}

function printProfiles(profiles: Summary[]): void {
  console.log('\nProfiles (hub:profile), side by side ($ per device-month)');
  const services = [...new Set(profiles.flatMap((s) => byService(s.items).map((x) => x.service)))];
  const svc = (s: (typeof profiles)[number], name: string) => (byService(s.items).find((x) => x.service === name)?.monthly ?? 0) / DEVICES;
  const target = (s: (typeof profiles)[number]) => (s.scenario.profile ? PROFILE_TARGETS[s.scenario.profile] : Number.NaN);
  const promised = (s: (typeof profiles)[number]) => (s.scenario.profile ? HUB_PROFILES[s.scenario.profile].p99FrameToQueryableSeconds : Number.NaN);
  console.log(
    table(
      ['', ...profiles.map((s) => s.scenario.profile ?? s.scenario.name)],
      [
        ...services.map((name) => [name, ...profiles.map((s) => money(svc(s, name)))]),
        ['TOTAL', ...profiles.map((s) => money(s.perDevice))],
        ['target', ...profiles.map((s) => `${money(target(s))} ${s.perDevice <= target(s) ? 'met' : 'NOT met'}`)],
        ['p99 frame → queryable', ...profiles.map((s) => `${s.detail.p99_frame_to_queryable_s.toFixed(1)} s (≤ ${promised(s)} s)`)],
        ['ingest shards / frames per invocation', ...profiles.map((s) => `${s.detail.ingest_shards} / ${s.detail.frames_per_invocation.toFixed(0)}`)],
        ['longest invocation (s)', ...profiles.map((s) => (s.detail.max_estimated_invocation_ms / 1000).toFixed(1))],
        ['RRU / message', ...profiles.map((s) => s.detail.rru_per_message.toFixed(3))],
        [
          `  of which registry lookups (charged: re-read every ${REVALIDATED_MAX_AGE_MS / 60_000} min; registry unchanged during the run)`,
          ...profiles.map((s) => s.detail.registry_lookup_rru_per_message_charged.toFixed(3)),
        ],
        ['  of which generation reads', ...profiles.map((s) => (s.detail.generation_reads_per_message * 0.5).toFixed(4))],
        ['WRU / message', ...profiles.map((s) => s.detail.wru_per_message.toFixed(2))],
        ...Object.keys(profiles[0]?.wruByItem ?? {}).map((k) => [
          `  of which ${k.replace('_', ' ')}`,
          ...profiles.map((s) => (s.wruByItem[k] ?? 0).toFixed(3)),
        ]),
        ['messages / device / invocation', ...profiles.map((s) => s.detail.messages_per_device_per_invocation.toFixed(2))],
        ...[undefined, 0.9].map((at) => [
          `burst credit at ${at ? '90 %' : "the profile's target"}: needed / kept between windows (s of capacity)`,
          ...profiles.map((s) => {
            const target = at ?? (s.scenario.capacity === 'on-demand' ? 1 : s.scenario.capacity.targetUtilization);
            const b = burstFit({ windowS: s.scenario.windowS, invocationS: s.detail.max_estimated_invocation_ms / 1000, targetUtilization: target });
            return `${b.neededS.toFixed(0)} / ${b.accumulatedS.toFixed(0)} ${b.fits ? 'fits' : 'DOES NOT FIT'}`;
          }),
        ]),
        ['archiver run (nightly, each of 4 shards; limit 900 s)', ...profiles.map((s) => `${s.detail.archiver_run_s.toFixed(0)} s`)],
      ],
    ),
  );
}

function fmtQty(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(2);
}

main().catch((err) => {
  process.stderr.write(`cost bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
