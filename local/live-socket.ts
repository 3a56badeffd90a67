import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { MemoryLiveStore } from '../adapters/local/live-store.js';
import { tokenFromHeader } from '../core/api/http.js';
import type { HubServices } from '../core/hub.js';
import type { IngestedMessage } from '../core/ingest.js';
import { isIntervalEvent, type LiveFrame, MAX_REQUEST_BYTES } from '../core/live/frames.js';
import { LiveService } from '../core/live/service.js';
import type { Logger } from '../core/logger.js';
import type { DeviceEvent } from '../core/ports.js';
import { currentTelemetry } from '../core/registry/telemetry.js';

/** The path the local hub accepts WebSocket upgrades on (`ws://127.0.0.1:8080/live`). */
export const LIVE_PATH = '/live';

/**
 * Live push of the local hub over WebSocket, the same protocol as the AWS WebSocket API
 * (docs/api.md, "Live push"): an upgrade at `/live` with `?access_token=` (or an Authorization
 * header) is refused with 401 for a bad token; the connection then subscribes to topics; the
 * ingest hook pushes each stored batch, the device event hook each batch of interval events. Subscriptions live in memory with the sockets.
 */
export class LiveSocketServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  private readonly sockets = new Map<string, WebSocket>();
  private readonly pingTimer: NodeJS.Timeout;
  readonly service: LiveService;

  constructor(
    private readonly hub: () => HubServices,
    private readonly logger: Logger,
    pingMs = 30_000,
  ) {
    this.service = new LiveService({
      store: new MemoryLiveStore(),
      sender: { send: async (id, frames) => this.sendFrames(id, frames) },
      selectDevices: (selector, access) => this.hub().devices.select(selector, access),
      selectCalcs: (selector, access) => this.hub().calcs.select(selector, access),
      calcDevices: async (calcId) => (await this.hub().ports.calcs.statesOf(calcId)).map((r) => r.deviceId),
      telemetry: (deviceId) => currentTelemetry(this.hub().ports.telemetry, this.hub().messages, deviceId),
      logger,
    });
    // a peer that stopped answering pings is dropped (its subscriptions with it)
    this.pingTimer = setInterval(() => {
      for (const ws of this.wss.clients) {
        if ((ws as WebSocket & { stale?: boolean }).stale) ws.terminate();
        else {
          (ws as WebSocket & { stale?: boolean }).stale = true;
          ws.ping();
        }
      }
    }, pingMs);
    this.pingTimer.unref?.();
  }

  /** Takes over the HTTP server's upgrade requests at `/live` (others are refused with 404). */
  attach(server: Server): void {
    server.on('upgrade', (req, socket, head) => void this.upgrade(req, socket, head));
  }

  /** Ingest hook: pushes a stored batch (messages of registered, enabled devices) to the subscribers. */
  publish = async (batch: readonly IngestedMessage[]): Promise<void> => {
    if (this.sockets.size === 0) return;
    try {
      await this.service.push(batch.filter((m) => m.device).map((m) => m.message));
    } catch (err) {
      this.logger.warn('live push failed', { error: err instanceof Error ? err.message : String(err) });
    }
  };

  /** Device event hook: pushes the calculators' interval events to the subscribers of their pairs. */
  publishEvents = async (events: readonly DeviceEvent[]): Promise<void> => {
    if (this.sockets.size === 0) return;
    const intervals = events.filter(isIntervalEvent);
    if (intervals.length === 0) return;
    try {
      await this.service.push([], intervals);
    } catch (err) {
      this.logger.warn('live push of interval events failed', { error: err instanceof Error ? err.message : String(err) });
    }
  };

  get connections(): number {
    return this.sockets.size;
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname !== LIVE_PATH) return refuse(socket, 404, 'Not Found');
    const token = tokenFromHeader(req.headers.authorization) ?? url.searchParams.get('access_token') ?? undefined;
    let principal: Awaited<ReturnType<HubServices['auth']['authenticate']>>;
    try {
      principal = token ? await this.hub().auth.authenticate(token) : undefined;
    } catch (err) {
      this.logger.error('live: token check failed', { error: String(err) });
      return refuse(socket, 500, 'Internal Server Error');
    }
    if (!principal) return refuse(socket, 401, 'Unauthorized');
    const id = randomUUID();
    await this.service.connect(id, principal);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open(id, ws));
  }

  private open(id: string, ws: WebSocket): void {
    this.sockets.set(id, ws);
    ws.on('pong', () => {
      (ws as WebSocket & { stale?: boolean }).stale = false;
    });
    // one frame at a time per connection, in order: an ack precedes the frames of what it subscribed
    let queue = Promise.resolve();
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      queue = queue.then(() => this.service.receive(id, text));
    });
    ws.on('close', () => {
      this.sockets.delete(id);
      void queue.then(() => this.service.disconnect(id));
    });
    ws.on('error', () => ws.terminate());
  }

  private async sendFrames(id: string, frames: readonly LiveFrame[]): Promise<boolean> {
    const ws = this.sockets.get(id);
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    for (const f of frames) ws.send(JSON.stringify(f));
    return true;
  }

  close(): void {
    clearInterval(this.pingTimer);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  const body = JSON.stringify({
    errors: [{ code: status, reason: status === 401 ? 'a valid token is required (access_token or Authorization header)' : text }],
  });
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
