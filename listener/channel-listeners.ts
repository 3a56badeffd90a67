import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { Logger } from '../core/logger.js';
import type { Channel } from '../core/schemas/channels.js';
import { getProtocol } from '../protocols/index.js';
import type { FrameBatcher } from './batcher.js';
import { type ChannelContext, type ConnectionInfo, connectionInfo, type Session } from './session.js';
import { TcpConnection } from './tcp-connection.js';
import { UdpEndpoint } from './udp-endpoint.js';

const DEFAULT_IDLE_TIMEOUT_S = 600;

interface Running {
  readonly channel: Channel;
  readonly ctx: ChannelContext;
  readonly signature: string;
  readonly sessions: Set<Session>;
  readonly tcp?: Server;
  readonly udp?: UdpSocket;
}

export interface ListenerOptions {
  readonly host: string;
  readonly listenerId: string;
  readonly logger: Logger;
  readonly batcher: FrameBatcher;
  /** A connection identified its device (deliver its queued commands, log the connect). */
  readonly onIdent?: (session: Session, ctx: ChannelContext) => void;
  /** A connection closed. */
  readonly onClose?: (session: Session, ctx: ChannelContext) => void;
}

/** A live session with the channel it belongs to. */
export interface LiveSession {
  readonly session: Session;
  readonly ctx: ChannelContext;
}

/**
 * Runs one server per enabled channel and keeps the set in step with the registry: `sync` starts
 * new channels, restarts changed ones and stops removed or disabled ones.
 */
export class ChannelListeners {
  private readonly running = new Map<number, Running>();
  private seq = 0;
  readonly stats = { connections: 0, accepted: 0, errors: 0 };

  constructor(private readonly opts: ListenerOptions) {}

  /** Channels served now. */
  get channels(): Channel[] {
    return [...this.running.values()].map((r) => r.channel);
  }

  async sync(channels: readonly Channel[]): Promise<void> {
    const wanted = new Map(channels.filter((c) => c.enabled).map((c) => [c.id, c]));
    for (const [id, run] of this.running) {
      const next = wanted.get(id);
      if (!next || signature(next) !== run.signature) await this.stop(id);
    }
    for (const channel of wanted.values()) {
      if (this.running.has(channel.id)) continue;
      try {
        await this.start(channel);
      } catch (err) {
        this.opts.logger.error('channel could not start', { channel_id: channel.id, port: channel.configuration.port, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  connections(channelId: number): ConnectionInfo[] {
    const run = this.running.get(channelId);
    return run ? [...run.sessions].map((s) => connectionInfo(channelId, s)) : [];
  }

  /** Sessions bound to an ident on any channel of this listener (for command delivery). */
  sessionsOf(ident: string): LiveSession[] {
    const out: LiveSession[] = [];
    for (const run of this.running.values()) for (const s of run.sessions) if (s.state.ident === ident) out.push({ session: s, ctx: run.ctx });
    return out;
  }

  /** Every identified session, by ident. */
  identified(): Map<string, LiveSession[]> {
    const map = new Map<string, LiveSession[]>();
    for (const run of this.running.values()) {
      for (const s of run.sessions) {
        if (!s.state.ident) continue;
        const list = map.get(s.state.ident) ?? [];
        list.push({ session: s, ctx: run.ctx });
        map.set(s.state.ident, list);
      }
    }
    return map;
  }

  closeConnection(channelId: number, connectionId: string): boolean {
    const s = [...(this.running.get(channelId)?.sessions ?? [])].find((x) => x.id === connectionId);
    s?.close('closed through the API');
    return s !== undefined;
  }

  /** Stops accepting on every channel, then closes the connections (after the batcher drained). */
  async stopAccepting(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => closeServer(r)));
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.running.keys()]) await this.stop(id);
  }

  private async start(channel: Channel): Promise<void> {
    const protocol = getProtocol(channel.protocol_id);
    if (!protocol) throw new Error(`unknown protocol ${channel.protocol_id}`);
    const ctx: ChannelContext = {
      channel,
      protocol,
      options: { crc: channel.configuration.crc, maxFrameSize: channel.configuration.max_frame_size, settings: channel.configuration.settings },
      listenerId: this.opts.listenerId,
    };
    const sessions = new Set<Session>();
    const { host, logger, batcher } = this.opts;
    if (channel.configuration.transport === 'udp') {
      const udp = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(channel.configuration.port, host, () => resolve());
      });
      udp.on('error', (err) => logger.error('udp socket error', { channel_id: channel.id, error: err.message }));
      new UdpEndpoint(udp, ctx, batcher, logger);
      this.running.set(channel.id, { channel, ctx, signature: signature(channel), sessions, udp });
    } else {
      const idleMs = (channel.configuration.idle_timeout ?? DEFAULT_IDLE_TIMEOUT_S) * 1000;
      const server = createServer({ noDelay: true }, (socket) => {
        this.stats.accepted++;
        this.stats.connections++;
        socket.setTimeout(idleMs);
        const conn = new TcpConnection(socket, ctx, batcher, logger, {
          onIdent: (s) => this.opts.onIdent?.(s, ctx),
          onClose: (s) => {
            this.stats.connections--;
            sessions.delete(s);
            this.opts.onClose?.(s, ctx);
          },
          onError: () => this.stats.errors++,
        }, ++this.seq);
        sessions.add(conn);
      });
      server.on('error', (err) => logger.error('tcp server error', { channel_id: channel.id, error: err.message }));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: channel.configuration.port, host, backlog: 4096 }, () => resolve());
      });
      this.running.set(channel.id, { channel, ctx, signature: signature(channel), sessions, tcp: server });
    }
    logger.info('channel listening', { channel_id: channel.id, protocol: protocol.name, transport: channel.configuration.transport, address: `${host}:${channel.configuration.port}` });
  }

  private async stop(id: number): Promise<void> {
    const run = this.running.get(id);
    if (!run) return;
    this.running.delete(id);
    await closeServer(run);
    for (const s of run.sessions) s.close('channel stopped');
    this.opts.logger.info('channel stopped', { channel_id: id });
  }
}

function signature(c: Channel): string {
  return JSON.stringify([c.protocol_id, c.configuration]);
}

function closeServer(run: Running): Promise<void> {
  return new Promise<void>((resolve) => {
    if (run.tcp) run.tcp.close(() => resolve());
    else if (run.udp) {
      try {
        run.udp.close(() => resolve());
      } catch {
        resolve();
      }
    } else resolve();
  });
}
