import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decide } from '../core/api/access.js';
import { tokenFromHeader } from '../core/api/http.js';
import { HubError } from '../core/errors.js';
import type { HubServices } from '../core/hub.js';
import type { IngestedMessage } from '../core/ingest.js';
import type { Message } from '../protocols/common/types.js';

/**
 * Live messages for the console, local mode only: `GET /gw/devices/{sel}/messages/live` answers
 * Server-Sent Events, one `data:` line per stored message of the selected devices. The token
 * comes from the Authorization header or, for EventSource (which cannot set headers), from the
 * `access_token` query parameter. Deployments without push poll `messages?from=`.
 */
export class LiveFeed {
  private readonly events = new EventEmitter();

  constructor(private readonly hub: () => HubServices) {
    this.events.setMaxListeners(1000);
  }

  /** Ingest hook: publishes a batch to open streams. */
  publish = async (batch: readonly IngestedMessage[]): Promise<void> => {
    if (this.events.listenerCount('messages') === 0) return;
    this.events.emit(
      'messages',
      batch.filter((m) => m.device).map((m) => m.message),
    );
  };

  /** Serves the request if it is a live-feed request; returns false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://local');
    const m = /^\/gw\/devices\/([^/]+)\/messages\/live$/.exec(url.pathname);
    if (!m || req.method !== 'GET') return false;
    void this.open(decodeURIComponent(m[1]), url, req, res);
    return true;
  }

  private async open(selector: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hub = this.hub();
    try {
      const token = tokenFromHeader(req.headers.authorization) ?? url.searchParams.get('access_token') ?? undefined;
      const principal = token ? await hub.auth.authenticate(token) : undefined;
      if (!principal) throw new HubError(401, 'a valid token is required (Authorization header or access_token)');
      const access = decide(principal, 'GET', '/gw/devices/{sel}/messages', false);
      const devices = await hub.devices.select(selector, access);
      const ids = new Set(devices.map((d) => d.id));
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': live messages\n\n');
      const onMessages = (messages: Message[]) => {
        for (const msg of messages) if (ids.has(msg['device.id'] as number)) res.write(`data: ${JSON.stringify(msg)}\n\n`);
      };
      this.events.on('messages', onMessages);
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      req.on('close', () => {
        clearInterval(ping);
        this.events.off('messages', onMessages);
      });
    } catch (err) {
      const status = err instanceof HubError ? err.status : 500;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: status, reason: err instanceof Error ? err.message : String(err) }] }));
    }
  }
}
