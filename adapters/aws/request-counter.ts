/**
 * Counts what an AWS SDK v3 client asks of AWS, for cost models and for tests: requests per
 * service and operation (every attempt, retries included), request payload bytes, batch entries,
 * the billable 64 KB chunks of SQS and EventBridge, and the capacity DynamoDB reports as consumed
 * (the counter asks for it with `ReturnConsumedCapacity: 'TOTAL'`).
 *
 * Usage: `const counter = new RequestCounter(); counter.attach(client);` on any v3 client (or a
 * DynamoDBDocumentClient); read `counter.snapshot()`.
 */

/** The part of a v3 client's middleware stack the counter uses (structural: no @smithy import). */
// biome-ignore-start lint/suspicious/noExplicitAny: the SDK's middleware arguments and context are untyped at this structural seam (no @smithy import)
export interface MiddlewareStackLike {
  add(
    middleware: (next: (args: any) => Promise<any>, context: Record<string, any>) => (args: any) => Promise<any>,
    options: {
      step: 'initialize' | 'serialize' | 'build' | 'finalizeRequest' | 'deserialize';
      name: string;
      priority?: 'high' | 'normal' | 'low';
      override?: boolean;
    },
  ): void;
}
// biome-ignore-end lint/suspicious/noExplicitAny: the SDK's middleware arguments and context are untyped at this structural seam (no @smithy import)

/** One operation's totals. */
export interface OperationStats {
  /** HTTP requests sent, every retry attempt included. */
  requests: number;
  /** Calls made by the application (attempts may be more). */
  calls: number;
  /** Bytes of the request bodies. */
  requestBytes: number;
  /** Entries in batch calls (SendMessageBatch, DeleteMessageBatch, PutEvents, BatchWriteItem items...); 1 for single calls. */
  entries: number;
  /** Billable units of 64 KB payload chunks (SQS and EventBridge bill each started 64 KB as one request/event). */
  chunks64k: number;
  /** Capacity units DynamoDB reported as consumed (read or write, per the operation). */
  capacityUnits: number;
  /** Calls that failed after their retries. */
  errors: number;
}

/** What the counter saw of one request attempt (for custom analysis, e.g. item sizes). */
export interface CountedRequest {
  readonly service: string;
  readonly operation: string;
  /** The JSON body when the protocol is JSON (DynamoDB, SQS, EventBridge); undefined otherwise. */
  readonly body?: unknown;
  readonly bytes: number;
}

export interface RequestCounterOptions {
  /** Ask DynamoDB for `ReturnConsumedCapacity: 'TOTAL'` on operations that take it. @default true */
  readonly consumedCapacity?: boolean;
  /** Called for each request attempt. */
  readonly onRequest?: (request: CountedRequest) => void;
  /** Called with each successful call's input and output (after retries). */
  readonly onResponse?: (call: { readonly service: string; readonly operation: string; readonly input: unknown; readonly output: unknown }) => void;
}

const CHUNK = 64 * 1024;
const utf8 = new TextDecoder();
const DYNAMO_CAPACITY_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

/** `PutCommand` / `PutItemCommand` → `PutItem`; lib-dynamodb names map to the wire operations. */
export function operationName(commandName: string): string {
  const base = commandName.replace(/Command$/, '');
  const documentClient: Record<string, string> = {
    Get: 'GetItem',
    Put: 'PutItem',
    Update: 'UpdateItem',
    Delete: 'DeleteItem',
    BatchGet: 'BatchGetItem',
    BatchWrite: 'BatchWriteItem',
    TransactGet: 'TransactGetItems',
    TransactWrite: 'TransactWriteItems',
  };
  return documentClient[base] ?? base;
}

/** `DynamoDBClient` / `SQSClient` → `DynamoDB` / `SQS`. */
export function serviceName(clientName: string | undefined): string {
  return (clientName ?? 'unknown').replace(/Client$/, '').replace(/^DynamoDBDocument$/, 'DynamoDB');
}

/** Entries of a batch request body (1 for a single-item call). */
export function entriesOf(operation: string, input: unknown): number {
  if (!input || typeof input !== 'object') return 1;
  const body = input as { Entries?: unknown; RequestItems?: Record<string, unknown>; TransactItems?: unknown };
  if (Array.isArray(body.Entries)) return body.Entries.length;
  if (operation === 'BatchWriteItem' || operation === 'BatchGetItem') {
    let n = 0;
    for (const v of Object.values(body.RequestItems ?? {})) n += Array.isArray(v) ? v.length : ((v as { Keys?: unknown[] } | null)?.Keys?.length ?? 0);
    return n;
  }
  if (Array.isArray(body.TransactItems)) return body.TransactItems.length;
  return 1;
}

/** Capacity units in a DynamoDB response (a single object or a list per table). */
export function consumedUnits(output: unknown): number {
  const c = (output as { ConsumedCapacity?: unknown } | undefined)?.ConsumedCapacity;
  if (!c) return 0;
  return (Array.isArray(c) ? c : [c]).reduce((n: number, x: { CapacityUnits?: unknown } | undefined) => n + (Number(x?.CapacityUnits) || 0), 0);
}

function emptyStats(): OperationStats {
  return { requests: 0, calls: 0, requestBytes: 0, entries: 0, chunks64k: 0, capacityUnits: 0, errors: 0 };
}

export class RequestCounter {
  private readonly stats = new Map<string, OperationStats>();

  constructor(private readonly options: RequestCounterOptions = {}) {}

  /** Adds the counting middleware to a client (idempotent per client). */
  attach<C extends { middlewareStack: { add: (...args: never[]) => unknown } }>(client: C): C {
    const consumed = this.options.consumedCapacity ?? true;
    const stack = client.middlewareStack as unknown as MiddlewareStackLike;
    // outermost: one application call; asks DynamoDB for consumed capacity and reads it back
    stack.add(
      (next, context) => async (args) => {
        const service = serviceName(context.clientName);
        const operation = operationName(String(context.commandName ?? 'Unknown'));
        const s = this.entry(service, operation);
        s.calls++;
        if (consumed && service === 'DynamoDB' && DYNAMO_CAPACITY_OPERATIONS.has(operation) && args.input && args.input.ReturnConsumedCapacity === undefined) {
          args = { ...args, input: { ...args.input, ReturnConsumedCapacity: 'TOTAL' } };
        }
        try {
          const result = await next(args);
          s.capacityUnits += consumedUnits(result.output);
          this.options.onResponse?.({ service, operation, input: args.input, output: result.output });
          return result;
        } catch (err) {
          s.errors++;
          throw err;
        }
      },
      { step: 'initialize', name: 'hubRequestCounterCall', priority: 'high', override: true },
    );
    // innermost of the finalize step: runs once per attempt, after the retry middleware
    stack.add(
      (next, context) => async (args) => {
        const service = serviceName(context.clientName);
        const operation = operationName(String(context.commandName ?? 'Unknown'));
        const s = this.entry(service, operation);
        const raw = args.request?.body;
        // TextDecoder, not Buffer.from: the SDK's JSON body is a Uint8Array whose valueOf() warns
        const text = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? utf8.decode(raw) : '';
        const bytes = Buffer.byteLength(text);
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        s.requests++;
        s.requestBytes += bytes;
        s.entries += entriesOf(operation, body);
        s.chunks64k += Math.max(1, Math.ceil(bytes / CHUNK));
        this.options.onRequest?.({ service, operation, body, bytes });
        return next(args);
      },
      { step: 'finalizeRequest', name: 'hubRequestCounterAttempt', priority: 'low', override: true },
    );
    return client;
  }

  /** Totals by `Service.Operation`. */
  snapshot(): Record<string, OperationStats> {
    return Object.fromEntries([...this.stats].map(([k, v]) => [k, { ...v }]));
  }

  /** Totals of one service (all operations). */
  service(service: string): OperationStats {
    const total = emptyStats();
    for (const [k, v] of this.stats) {
      if (!k.startsWith(`${service}.`)) continue;
      for (const f of Object.keys(total) as (keyof OperationStats)[]) total[f] += v[f];
    }
    return total;
  }

  reset(): void {
    this.stats.clear();
  }

  private entry(service: string, operation: string): OperationStats {
    const key = `${service}.${operation}`;
    let s = this.stats.get(key);
    if (!s) {
      s = emptyStats();
      this.stats.set(key, s);
    }
    return s;
  }
}
