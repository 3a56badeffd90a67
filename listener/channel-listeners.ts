import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import type { Logger } from '../core/logger.js';
import type { Channel } from '../core/schemas/channels.js';
import { getProtocol } from '../protocols/index.js';
import type { FrameBatcher } from './batcher.js';
import { BUDGET_TICK_MS, DEFAULT_FRAME_BUDGET_PER_S, DEFAULT_READ_BUDGET_BYTES_PER_S, FALLBACK_IDLE_TIMEOUT_S, LISTEN_BACKLOG } from './constants.js';
import { type CommandSource, HttpEndpoint } from './http-endpoint.js';
import { type ChannelContext, type ConnectionInfo, connectionInfo, type ListenerCounters, type LiveSession, newCounters, type Session } from './session.js';
import { SessionIndex } from './session-index.js';
import { type ConnectionHooks, TcpConnection } from './tcp-connection.js';
import { UdpEndpoint } from './udp-endpoint.js';

interface Running {
  readonly channel: Channel;
  readonly ctx: ChannelContext;
  readonly signature: string;
  readonly sessions: Set<Session>;
  readonly tcp?: Server;
  readonly udp?: UdpSocket;
  readonly udpEndpoint?: UdpEndpoint;
  readonly http?: HttpServer;
}

export interface ListenerOptions {
  readonly host: string;
  readonly listenerId: string;
  readonly logger: Logger;
  readonly batcher: FrameBatcher;
  /** A connection identified its device, or a UDP device got a session (deliver its queued commands, log the connect). */
  readonly onIdent?: (session: Session, ctx: ChannelContext) => void;
  /** A connection closed, or a UDP session ended. */
  readonly onClose?: (session: Session, ctx: ChannelContext) => void;
  /** A UDP device's identifying datagram was handled (acked or answered): its queued commands can go now. */
  readonly onDatagram?: (session: Session, ctx: ChannelContext) => void;
  /** UDP sessions one channel keeps at most (default MAX_UDP_SESSIONS). */
  readonly maxUdpSessions?: number;
  /** The command to put in an HTTP device's response body (marks it sent). */
  readonly commandFor?: CommandSource;
  /** Bytes a connection may read per second (default DEFAULT_READ_BUDGET_BYTES_PER_S). */
  readonly readBudget?: number;
  /** Frames a connection may send per second (default DEFAULT_FRAME_BUDGET_PER_S). */
  readonly frameBudget?: number;
  /** Idle timeout per protocol (s), over the defaults; a channel's `idle_timeout` wins. */
  readonly idleTimeouts?: Readonly<Record<string, number>>;
}

/** Whether a channel is served here: `since` is when that last changed (Unix seconds). */
export interface ChannelStatus {
  readonly channelId: number;
  readonly listening: boolean;
  readonly error?: string;
  readonly since: number;
}

/** A channel that could not start: retried with backoff, logged once per change of its error. */
interface Failure {
  readonly channel: Channel;
  readonly error: string;
  readonly since: number;
  readonly attempts: number;
  readonly retryAt: number;
}

/** Retry delays of a channel that cannot listen: 1 s doubling to a minute. */
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 60_000;

/** What the hub and the API need to know about a listener (one process or a cluster). */
export interface ListenerView {
  /** Channels served now. */
  readonly channels: Channel[];
}

/**
 * Runs one server per enabled channel and keeps the set in step with the registry: `sync` starts
 * new channels, restarts changed ones and stops removed or disabled ones. TCP channels get a
 * TcpConnection per socket, UDP channels one UdpEndpoint (with a UdpSession per device seen), HTTP
 * channels (OsmAnd) an HttpEndpoint. TCP connections and UDP sessions are indexed by ident for
 * command delivery.
 */
export class ChannelListeners implements ListenerView {
  private readonly running = new Map<number, Running>();
  private readonly failures = new Map<number, Failure>();
  private readonly listeningSince = new Map<number, number>();
  private readonly index = new SessionIndex();
  private readonly throttled = new Set<TcpConnection>();
  private readonly yielded = new Set<TcpConnection>();
  private turnScheduled = false;
  private budgetTimer?: NodeJS.Timeout;
  private seq = 0;
  readonly stats = { connections: 0, accepted: 0 };
  readonly counters: ListenerCounters = newCounters();

  constructor(private readonly opts: ListenerOptions) {}

  get channels(): Channel[] {
    return [...this.running.values()].map((r) => r.channel);
  }

  async sync(channels: readonly Channel[]): Promise<void> {
    const wanted = new Map(channels.filter((c) => c.enabled).map((c) => [c.id, c]));
    for (const [id, run] of this.running) {
      const next = wanted.get(id);
      if (!next || signature(next) !== run.signature) await this.stop(id);
    }
    for (const [id, failure] of this.failures) {
      const next = wanted.get(id);
      if (!next || signature(next) !== signature(failure.channel)) this.failures.delete(id);
    }
    const now = Date.now();
    for (const channel of wanted.values()) {
      if (this.running.has(channel.id)) continue;
      const failed = this.failures.get(channel.id);
      if (failed && failed.retryAt > now) continue;
      await this.tryStart(channel, failed, now);
    }
  }

  /** Starts a channel; a failure is kept (shown in the channel's status) and retried with backoff. */
  private async tryStart(channel: Channel, failed: Failure | undefined, now: number): Promise<void> {
    try {
      await this.start(channel);
      this.listeningSince.set(channel.id, now / 1000);
      if (failed) {
        this.failures.delete(channel.id);
        this.opts.logger.info('channel listening again', { channel_id: channel.id, port: channel.configuration.port, after_attempts: failed.attempts });
      }
    } catch (err) {
      const error = describeListenError(err, this.opts.host, channel);
      const attempts = (failed?.attempts ?? 0) + 1;
      const retryAt = now + Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (attempts - 1));
      const changed = failed?.error !== error;
      this.failures.set(channel.id, { channel, error, since: changed ? now / 1000 : (failed?.since ?? now / 1000), attempts, retryAt });
      if (changed) this.opts.logger.error('channel cannot listen; retrying with backoff', { channel_id: channel.id, port: channel.configuration.port, error });
    }
  }

  /** Every enabled channel this listener was asked to serve, listening or not (published with the connections). */
  statuses(): ChannelStatus[] {
    const out: ChannelStatus[] = [];
    for (const id of this.running.keys()) out.push({ channelId: id, listening: true, since: this.listeningSince.get(id) ?? 0 });
    for (const [id, f] of this.failures) out.push({ channelId: id, listening: false, error: f.error, since: f.since });
    return out;
  }

  connections(channelId: number): ConnectionInfo[] {
    const run = this.running.get(channelId);
    return run ? [...run.sessions].map((s) => connectionInfo(channelId, s)) : [];
  }

  /** Connections open now, over every channel. */
  get connectionCount(): number {
    let n = 0;
    for (const run of this.running.values()) n += run.sessions.size;
    return n;
  }

  /** Sessions bound to an ident on any channel of this listener that can be written to (for command delivery). */
  sessionsOf(ident: string): LiveSession[] {
    return this.index.of(ident);
  }

  /** Every identified session that can be written to, by ident. */
  identified(): ReadonlyMap<string, LiveSession[]> {
    return this.index.all();
  }

  closeConnection(channelId: number, connectionId: string): boolean {
    const run = this.running.get(channelId);
    if (!run) return false;
    for (const s of run.sessions) {
      if (s.id !== connectionId) continue;
      s.close('closed through the API');
      return true;
    }
    return false;
  }

  /** Stops accepting on every channel (connections stay open). */
  async stopAccepting(): Promise<void> {
    for (const run of this.running.values()) {
      if (run.tcp) run.tcp.close();
      else if (run.http) run.http.close();
    }
  }

  /** Stops reading from every connection (drain): what was read gets acked once durable, nothing more is read. */
  holdAll(): void {
    for (const run of this.running.values()) {
      if (run.udpEndpoint) run.udpEndpoint.holding = true;
      for (const s of run.sessions) if (s instanceof TcpConnection) s.hold();
    }
  }

  /** Ends every connection after what was written to it, then stops the channels. */
  async closeAll(graceMs = 2000): Promise<void> {
    const sockets: Promise<void>[] = [];
    for (const run of this.running.values()) {
      for (const s of run.sessions) {
        if (s instanceof TcpConnection && s.isOpen) {
          sockets.push(new Promise<void>((resolve) => s.socket.once('close', () => resolve())));
          s.end();
        }
      }
    }
    if (sockets.length > 0) await Promise.race([Promise.all(sockets), new Promise((r) => setTimeout(r, graceMs).unref())]);
    for (const id of [...this.running.keys()]) await this.stop(id);
    clearInterval(this.budgetTimer);
    this.budgetTimer = undefined;
  }

  private idleSeconds(channel: Channel, protocol: string): number {
    return channel.configuration.idle_timeout ?? this.opts.idleTimeouts?.[protocol] ?? getProtocol(protocol)?.idleTimeoutS ?? FALLBACK_IDLE_TIMEOUT_S;
  }

  private async start(channel: Channel): Promise<void> {
    const protocol = getProtocol(channel.protocol_id);
    if (!protocol) throw new Error(`unknown protocol ${channel.protocol_id}`);
    const ctx: ChannelContext = {
      channel,
      protocol,
      options: { crc: channel.configuration.crc, maxFrameSize: channel.configuration.max_frame_size, settings: channel.configuration.settings },
      listenerId: this.opts.listenerId,
      idleMs: this.idleSeconds(channel, protocol.name) * 1000,
      readBudget: this.opts.readBudget ?? DEFAULT_READ_BUDGET_BYTES_PER_S,
      frameBudget: this.opts.frameBudget ?? DEFAULT_FRAME_BUDGET_PER_S,
      counters: this.counters,
    };
    const sessions = new Set<Session>();
    const { host, logger, batcher } = this.opts;
    const transport = channel.configuration.transport;
    const base = { channel, ctx, signature: signature(channel), sessions };
    if (transport === 'udp') {
      const udp = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
      await listen(udp, (done) => udp.bind(channel.configuration.port, host, done));
      udp.on('error', (err) => logger.error('udp socket error', { channel_id: channel.id, error: err.message }));
      const udpEndpoint = new UdpEndpoint(udp, ctx, batcher, logger, this.udpHooks(ctx, sessions));
      this.running.set(channel.id, { ...base, udp, udpEndpoint });
    } else if (transport === 'http') {
      const endpoint = new HttpEndpoint(ctx, batcher, logger, sessions, {
        onIdent: (s) => this.opts.onIdent?.(s, ctx),
        onClose: (s) => this.opts.onClose?.(s, ctx),
        commandFor: this.opts.commandFor,
      });
      const http = endpoint.server;
      await listen(http, (done) => http.listen({ port: channel.configuration.port, host, backlog: LISTEN_BACKLOG }, done));
      http.on('error', (err) => logger.error('http server error', { channel_id: channel.id, error: err.message }));
      this.running.set(channel.id, { ...base, http });
    } else {
      const hooks = this.tcpHooks(ctx, sessions);
      const server = createServer({ noDelay: true }, (socket) => {
        this.stats.accepted++;
        this.stats.connections++;
        sessions.add(new TcpConnection(socket, ctx, batcher, logger, hooks, ++this.seq));
      });
      await listen(server, (done) => server.listen({ port: channel.configuration.port, host, backlog: LISTEN_BACKLOG }, done));
      server.on('error', (err) => logger.error('tcp server error', { channel_id: channel.id, error: err.message }));
      this.running.set(channel.id, { ...base, tcp: server });
    }
    logger.info('channel listening', { channel_id: channel.id, protocol: protocol.name, transport, address: `${host}:${channel.configuration.port}` });
  }

  /** UDP sessions join the channel's connections and the ident index while they live. */
  private udpHooks(ctx: ChannelContext, sessions: Set<Session>) {
    return {
      maxSessions: this.opts.maxUdpSessions,
      onOpen: (s: Session) => {
        sessions.add(s);
        this.index.add(s, ctx);
        this.opts.onIdent?.(s, ctx);
      },
      onClose: (s: Session) => {
        sessions.delete(s);
        this.index.remove(s);
        this.opts.onClose?.(s, ctx);
      },
      onDatagram: (s: Session) => this.opts.onDatagram?.(s, ctx),
    };
  }

  /** One hooks object per channel, shared by its connections. */
  private tcpHooks(ctx: ChannelContext, sessions: Set<Session>): ConnectionHooks {
    return {
      onIdent: (s) => {
        this.index.add(s, ctx);
        this.opts.onIdent?.(s, ctx);
      },
      onClose: (s) => {
        this.stats.connections--;
        sessions.delete(s);
        this.throttled.delete(s);
        this.yielded.delete(s);
        this.index.remove(s);
        this.opts.onClose?.(s, ctx);
      },
      onThrottle: (s) => {
        this.throttled.add(s);
        this.budgetTimer ??= setInterval(() => this.resumeThrottled(), BUDGET_TICK_MS);
      },
      onYield: (s) => {
        this.yielded.add(s);
        if (this.turnScheduled) return;
        this.turnScheduled = true;
        setImmediate(() => this.nextTurn());
      },
    };
  }

  /** Gives every connection that yielded its next turn (after the event loop served the others). */
  private nextTurn(): void {
    this.turnScheduled = false;
    const now = [...this.yielded];
    this.yielded.clear();
    for (const s of now) s.resumeTurn();
  }

  private resumeThrottled(): void {
    const now = Date.now();
    for (const s of this.throttled) if (s.resumeBudget(now)) this.throttled.delete(s);
    if (this.throttled.size === 0) {
      clearInterval(this.budgetTimer);
      this.budgetTimer = undefined;
    }
  }

  private async stop(id: number): Promise<void> {
    const run = this.running.get(id);
    if (!run) return;
    this.running.delete(id);
    this.listeningSince.delete(id);
    const closed = closeServer(run);
    run.udpEndpoint?.stop();
    for (const s of run.sessions) s.close('channel stopped');
    run.http?.closeAllConnections();
    await closed;
    this.opts.logger.info('channel stopped', { channel_id: id });
  }
}

/** `address 127.0.0.1:5027 in use` rather than `listen EADDRINUSE: address already in use 127.0.0.1:5027`. */
function describeListenError(err: unknown, host: string, channel: Channel): string {
  const code = (err as { code?: string }).code;
  const address = `${host}:${channel.configuration.port}`;
  if (code === 'EADDRINUSE') return `address ${address} in use`;
  if (code === 'EACCES') return `no permission to listen on ${address}`;
  if (code === 'EADDRNOTAVAIL') return `address ${address} is not available on this host`;
  return `cannot listen on ${address}: ${err instanceof Error ? err.message : String(err)}`;
}

function signature(c: Channel): string {
  return JSON.stringify([c.protocol_id, c.configuration]);
}

function listen(
  server: { once(event: 'error', cb: (err: Error) => void): unknown; off(event: 'error', cb: (err: Error) => void): unknown },
  start: (done: () => void) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    start(() => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(run: Running): Promise<void> {
  return new Promise<void>((resolve) => {
    const server = run.tcp ?? run.http;
    if (server) {
      if (server.listening) server.close(() => resolve());
      else resolve(); // stopAccepting closed it already
    } else if (run.udp) {
      try {
        run.udp.close(() => resolve());
      } catch {
        resolve();
      }
    } else resolve();
  });
}
