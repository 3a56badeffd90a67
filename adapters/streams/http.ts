/**
 * `http` target: the batch as JSON arrays of at most `max_messages` messages, one request after
 * the other; 2xx acknowledges a part, anything else or the timeout rejects the batch.
 */
import { createHmac } from 'node:crypto';
import type { HttpConfig } from '../../core/schemas/streams.js';
import { payloadJson } from '../../core/streams/events.js';
import type { StreamBatch, StreamTarget, StreamTypeModule } from '../../core/streams/types.js';
import type { Message } from '../../protocols/common/types.js';
import { reasonOf, TargetRefusedError, TargetTimeoutError, TargetUnavailableError } from './errors.js';

export const HTTP_HEADERS = {
  signature: 'x-hub-signature-256',
  batchId: 'x-hub-batch-id',
  contentType: 'content-type',
} as const;

/** Longest response text quoted in a rejection. */
const REASON_BODY_CHARS = 200;

/** `sha256=<hex HMAC-SHA256 of body>` */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** The batch cut into parts of at most `size` messages, in order. */
export function splitMessages(messages: readonly Message[], size: number): Message[][] {
  const parts: Message[][] = [];
  for (let i = 0; i < messages.length; i += size) parts.push(messages.slice(i, i + size));
  return parts;
}

export class HttpTarget implements StreamTarget {
  private readonly host: string;
  private readonly inflight = new Set<AbortController>();

  constructor(private readonly config: HttpConfig) {
    this.host = new URL(config.uri).host;
  }

  async deliver(batch: StreamBatch): Promise<void> {
    const parts = splitMessages(batch.messages, this.config.max_messages);
    // a device event record is sent as its event (source "intervals"), a message as itself
    for (let i = 0; i < parts.length; i++) await this.post(`[${parts[i].map(payloadJson).join(',')}]`, `${batch.batchId}-${i + 1}`);
  }

  async close(): Promise<void> {
    for (const c of this.inflight) c.abort();
  }

  /** Headers: the configured ones, then ours (content type unless configured, batch id, signature). */
  private headers(body: string, partId: string): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.config.headers)) headers[k.toLowerCase()] = v;
    headers[HTTP_HEADERS.contentType] ??= 'application/json';
    headers[HTTP_HEADERS.batchId] = partId;
    if (this.config.secret) headers[HTTP_HEADERS.signature] = signBody(this.config.secret, body);
    return headers;
  }

  private async post(body: string, partId: string): Promise<void> {
    const ctrl = new AbortController();
    const timeoutMs = this.config.timeout * 1000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, timeoutMs);
    this.inflight.add(ctrl);
    try {
      const res = await fetch(this.config.uri, {
        method: this.config.method,
        headers: this.headers(body, partId),
        body,
        signal: ctrl.signal,
        redirect: 'manual',
      });
      const text = await res.text();
      if (res.status < 200 || res.status > 299) {
        const snippet = text.trim().slice(0, REASON_BODY_CHARS);
        throw new TargetRefusedError(`HTTP ${res.status} from ${this.host}${snippet ? `: ${snippet}` : ''}`);
      }
    } catch (err) {
      if (err instanceof TargetRefusedError) throw err;
      if (timedOut) throw new TargetTimeoutError(`timeout after ${this.config.timeout} s waiting for ${this.host}`);
      const cause = (err as { cause?: unknown }).cause;
      throw new TargetUnavailableError(`${this.config.method} to ${this.host} failed: ${reasonOf(cause ?? err)}`, false, { cause: err });
    } finally {
      clearTimeout(timer);
      this.inflight.delete(ctrl);
    }
  }
}

export const httpModule: StreamTypeModule<HttpConfig> = {
  name: 'http',
  createTarget: (config) => new HttpTarget(config),
};
