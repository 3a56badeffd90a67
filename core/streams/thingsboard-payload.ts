/**
 * ThingsBoard MQTT gateway API payloads (pure): device names, telemetry entries, publishes split
 * below the platform's 65,536-byte limit, RPC requests and replies (shared/streams/README.md).
 */
import type { Message, MessageValue } from '../../protocols/common/types.js';
import { eventOf, flattenEvent } from './events.js';
import { expandTemplate } from './types.js';

export const TB_TOPICS = {
  connect: 'v1/gateway/connect',
  disconnect: 'v1/gateway/disconnect',
  telemetry: 'v1/gateway/telemetry',
  attributes: 'v1/gateway/attributes',
  rpc: 'v1/gateway/rpc',
} as const;

/** The platform's default maximum MQTT message size; every publish packet stays below it. */
export const TB_MAX_MESSAGE_BYTES = 65_536;

/** Fields not repeated in telemetry values (they are the entry's device and `ts`). */
const NOT_TELEMETRY: ReadonlySet<string> = new Set(['ident', 'timestamp']);

export interface TelemetryEntry {
  readonly ts: number;
  readonly values: Record<string, MessageValue>;
}

/** The device name of a message: the expanded template, or the ident when it expands to nothing. */
export function deviceName(template: string, m: Message): string {
  return expandTemplate(template, m) || String(m.ident ?? '');
}

/** `{"ts": <ms>, "values": {...}}`; undefined without a numeric timestamp. `null` values are left out. */
export function telemetryEntry(m: Message): TelemetryEntry | undefined {
  const t = m.timestamp;
  if (typeof t !== 'number' || !Number.isFinite(t)) return undefined;
  const event = eventOf(m);
  const values: Record<string, MessageValue> = {};
  // a device event (source "intervals"): its fields flattened (`event`, `calc_id`, `interval.duration` …) at the event's time
  const fields = event ? Object.entries(flattenEvent(event)) : Object.entries(m).filter(([k]) => !NOT_TELEMETRY.has(k));
  for (const [k, v] of fields) if (v !== null) values[k] = v;
  return { ts: Math.round(t * 1000), values };
}

/** Client-side attributes of a device: its ident and, once registered, its id. */
export function deviceAttributes(m: Message): Record<string, MessageValue> {
  const attrs: Record<string, MessageValue> = { ident: m.ident ?? null };
  if (m['device.id'] !== undefined) attrs['device.id'] = m['device.id'];
  return attrs;
}

/** Largest payload whose PUBLISH packet (QoS 1) on `topic` stays below TB_MAX_MESSAGE_BYTES. */
export function maxPayloadBytes(topic: string, limit = TB_MAX_MESSAGE_BYTES): number {
  // fixed header 1 + remaining length 3 (values < 2 MiB) + topic length 2 + topic + packet id 2
  return limit - 1 - 1 - 3 - 2 - Buffer.byteLength(topic) - 2;
}

export interface TelemetrySplit {
  /** JSON payloads for `v1/gateway/telemetry`, in message order per device. */
  readonly payloads: string[];
  /** Entries that alone exceed the limit (cannot be sent). */
  readonly oversize: { readonly device: string; readonly ts: number; readonly bytes: number }[];
}

/** Groups entries by device into as few publishes as fit in `maxBytes` each, keeping each device's order. */
export function splitTelemetry(entries: readonly { device: string; entry: TelemetryEntry }[], maxBytes = maxPayloadBytes(TB_TOPICS.telemetry)): TelemetrySplit {
  const payloads: string[] = [];
  const oversize: TelemetrySplit['oversize'] = [];
  let chunk = new Map<string, string[]>();
  let size = 2; // {}
  const flush = () => {
    if (chunk.size === 0) return;
    payloads.push(`{${[...chunk].map(([d, list]) => `${JSON.stringify(d)}:[${list.join(',')}]`).join(',')}}`);
    chunk = new Map();
    size = 2;
  };
  for (const { device, entry } of entries) {
    const json = JSON.stringify(entry);
    const bytes = Buffer.byteLength(json);
    const alone = 2 + Buffer.byteLength(JSON.stringify(device)) + 3 + bytes;
    if (alone > maxBytes) {
      oversize.push({ device, ts: entry.ts, bytes: alone });
      continue;
    }
    const grow = (d: string) => (chunk.has(d) ? bytes + 1 : Buffer.byteLength(JSON.stringify(d)) + 3 + bytes + (chunk.size > 0 ? 1 : 0));
    if (size + grow(device) > maxBytes) flush();
    size += grow(device);
    const list = chunk.get(device) ?? [];
    list.push(json);
    chunk.set(device, list);
  }
  flush();
  return { payloads, oversize };
}

export interface RpcRequest {
  readonly device: string;
  readonly id: number | string;
  readonly method: string;
  /** `params` when it is an object (or a JSON string of one), else `{}` with `paramsError`. */
  readonly params: Record<string, unknown>;
  readonly paramsError?: string;
}

/**
 * A server-side RPC request, or why the message is not one. `echo` marks messages without
 * `data.method` (a plain broker sends our own replies back): not worth a warning.
 */
export function parseRpcRequest(payload: Buffer | string): RpcRequest | { readonly ignored: string; readonly echo: boolean } {
  let body: unknown;
  try {
    body = JSON.parse(payload.toString());
  } catch {
    return { ignored: 'payload is not JSON', echo: false };
  }
  const o = isObject(body) ? body : undefined;
  const data = o && isObject(o.data) ? o.data : undefined;
  if (!o || !data) return { ignored: 'not {"device","data":{...}}', echo: false };
  if (data.method === undefined) return { ignored: 'no data.method (a reply)', echo: true };
  const { device } = o;
  const { id, method } = data;
  if (typeof device !== 'string' || device === '') return { ignored: '"device" must be a non-empty string', echo: false };
  if (typeof method !== 'string' || method === '') return { ignored: '"data.method" must be a non-empty string', echo: false };
  if (typeof id !== 'number' && typeof id !== 'string') return { ignored: '"data.id" must be a number or a string', echo: false };
  return { device, id, method, ...rpcParams(data.params) };
}

function rpcParams(p: unknown): Pick<RpcRequest, 'params' | 'paramsError'> {
  if (p === undefined || p === null) return { params: {} };
  if (isObject(p)) return { params: p };
  if (typeof p === 'string') {
    try {
      const parsed: unknown = JSON.parse(p);
      if (isObject(parsed)) return { params: parsed };
    } catch {
      // not JSON: falls through
    }
  }
  return { params: {}, paramsError: `params must be a JSON object, got ${JSON.stringify(p).slice(0, 60)}` };
}

/** The reply published on `v1/gateway/rpc`. */
export function rpcReply(device: string, id: number | string, data: Record<string, unknown>): string {
  return JSON.stringify({ device, id, data });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
