import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { QueuedFrame } from '../core/envelope.js';
import type { Logger } from '../core/logger.js';
import { CodecError, CodecErrorCode } from '../protocols/common/errors.js';
import type { Inspection, SessionState } from '../protocols/common/types.js';
import type { FrameBatcher } from './batcher.js';
import type { ChannelContext, Session } from './session.js';

/** Finds a queued command for an ident and marks it sent: its bytes go in the response body. */
export type CommandSource = (ident: string, session: Session, ctx: ChannelContext) => Promise<Buffer | undefined>;

export interface HttpEndpointHooks {
  readonly onIdent?: (session: Session) => void;
  readonly onClose?: (session: Session) => void;
  readonly commandFor?: CommandSource;
}

/** One keep-alive connection of an HTTP device, as the connection table shows it. */
class HttpSession implements Session {
  readonly state: SessionState = { transport: 'http', vars: {} };
  readonly established = Date.now() / 1000;
  lastActive = this.established;
  bytesIn = 0;
  bytesOut = 0;
  framesIn = 0;

  constructor(
    readonly id: string,
    readonly peer: string,
    readonly socket: Socket,
  ) {}

  /** HTTP cannot push: commands wait for the device's next request. */
  write(): void {}

  close(): void {
    this.socket.destroy();
  }
}

const SESSION = Symbol('session');
type Owned = Socket & { [SESSION]?: HttpSession };

/**
 * One HTTP channel (OsmAnd / Traccar Client): each request becomes a frame
 * `{"method","path","headers","body"}`, is inspected, handed to the batcher, and answered only once
 * it is durable, with the inspection's status and body, or with a queued command's text in the
 * 200 body. The queue refusing the frame answers 503 (the client retries). Bodies above the
 * channel's max frame size get 413; slow headers or bodies are cut at the idle timeout.
 */
export class HttpEndpoint {
  readonly server: Server;
  private seq = 0;

  constructor(
    private readonly ctx: ChannelContext,
    private readonly batcher: FrameBatcher,
    private readonly logger: Logger,
    sessions: Set<Session>,
    private readonly hooks: HttpEndpointHooks = {},
  ) {
    this.server = createServer({ keepAlive: true, requestTimeout: ctx.idleMs, headersTimeout: Math.min(ctx.idleMs, 30_000) }, (req, res) =>
      this.onRequest(req, res),
    );
    this.server.keepAliveTimeout = ctx.idleMs;
    this.server.on('connection', (socket: Owned) => {
      const session = new HttpSession(`${ctx.listenerId}-${ctx.channel.id}-h${++this.seq}`, `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`, socket);
      socket[SESSION] = session;
      sessions.add(session);
      socket.once('close', () => {
        sessions.delete(session);
        if (session.state.ident) this.hooks.onClose?.(session);
      });
    });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const session = (req.socket as Owned)[SESSION];
    const limit = this.ctx.options.maxFrameSize;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      this.tooLarge(req, res, declared);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        if (!res.headersSent) this.tooLarge(req, res, size);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > limit) return;
      this.onFrame(req, res, session, Buffer.concat(chunks).toString('utf8'), size);
    });
    req.on('error', () => undefined);
  }

  private tooLarge(req: IncomingMessage, res: ServerResponse, size: number): void {
    this.ctx.counters.decodeErrors++;
    this.logger.warn('bad input from device', {
      error: `oversize: request body of ${size} bytes exceeds ${this.ctx.options.maxFrameSize}`,
      peer: `${req.socket.remoteAddress}:${req.socket.remotePort}`,
      channel_id: this.ctx.channel.id,
    });
    res.writeHead(413, { connection: 'close', 'content-length': 0 });
    res.end();
    req.socket.destroySoon();
  }

  private onFrame(req: IncomingMessage, res: ServerResponse, session: HttpSession | undefined, body: string, size: number): void {
    const counters = this.ctx.counters;
    counters.frames++;
    counters.bytesIn += size;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const frame = Buffer.from(JSON.stringify({ method: req.method ?? 'GET', path: req.url ?? '/', headers, body }));
    const state = session?.state ?? { transport: 'http' as const, vars: {} };
    if (session) {
      session.bytesIn += size;
      session.framesIn++;
      session.lastActive = Date.now() / 1000;
    }
    let inspection: Inspection;
    try {
      inspection = this.ctx.protocol.inspect(frame, state, this.ctx.options);
    } catch (err) {
      inspection = { store: false, status: 400, error: new CodecError(CodecErrorCode.Malformed, `inspect failed: ${String(err)}`) };
    }
    if (inspection.error) {
      counters.decodeErrors++;
      this.logger.warn('bad input from device', {
        error: `${inspection.error.code}: ${inspection.error.reason}`,
        ident: inspection.ident ?? null,
        peer: session?.peer ?? null,
        channel_id: this.ctx.channel.id,
      });
    }
    if (inspection.ident && session && inspection.ident !== session.state.ident) {
      session.state.ident = inspection.ident;
      this.hooks.onIdent?.(session);
    }
    const status = inspection.status ?? (inspection.error ? 400 : 200);
    if (!inspection.store) return void this.answer(res, session, status, inspection.reply, inspection.ident);
    const queued: QueuedFrame = {
      channelId: this.ctx.channel.id,
      protocolId: this.ctx.protocol.id,
      transport: 'http',
      ident: inspection.ident,
      peer: session?.peer ?? `${req.socket.remoteAddress}:${req.socket.remotePort}`,
      receivedAt: Date.now() / 1000,
      frame: frame.toString('base64'),
      correlationId: session ? `${session.id}-${session.framesIn}` : undefined,
    };
    this.batcher.add(queued).then(
      () => this.answer(res, session, status, inspection.reply, inspection.ident),
      () => {
        counters.ackErrors++;
        this.send(res, session, 503, Buffer.from('queue unavailable, retry later'));
      },
    );
  }

  private async answer(
    res: ServerResponse,
    session: HttpSession | undefined,
    status: number,
    reply: Buffer | undefined,
    ident: string | undefined,
  ): Promise<void> {
    let body = reply;
    if (status === 200 && ident && session && this.hooks.commandFor) {
      try {
        body = (await this.hooks.commandFor(ident, session, this.ctx)) ?? reply;
      } catch (err) {
        this.logger.error('command for an HTTP device failed', { ident, error: err instanceof Error ? err.message : String(err) });
      }
    }
    this.send(res, session, status, body);
  }

  private send(res: ServerResponse, session: HttpSession | undefined, status: number, body: Buffer | undefined): void {
    if (res.writableEnded || res.destroyed) return;
    const bytes = body ?? Buffer.alloc(0);
    this.ctx.counters.bytesOut += bytes.length;
    if (session) session.bytesOut += bytes.length;
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': bytes.length });
    res.end(bytes);
  }
}
