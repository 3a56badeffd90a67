/**
 * `wialon_retranslator` target: one TCP connection carries every unit; each message is one packet
 * (core/streams/retranslator-packet.ts) and the next one goes only after the receiver's 0x11.
 */
import { connect, type Socket } from 'node:net';
import type { RetranslatorConfig } from '../../core/schemas/streams.js';
import { encodeRetranslatorPacket, RETRANSLATOR_ACK } from '../../core/streams/retranslator-packet.js';
import type { StreamBatch, StreamDeps, StreamTarget, StreamTypeModule } from '../../core/streams/types.js';
import { reasonOf, StreamTargetError, TargetConfigError, TargetRefusedError, TargetTimeoutError, TargetUnavailableError } from './errors.js';

export interface RetranslatorOptions {
  /** Longest wait for the TCP connection. @default 10000 */
  readonly connectWaitMs?: number;
  /** Longest wait for the 0x11 after one packet. @default 10000 */
  readonly ackWaitMs?: number;
}

const DEFAULTS = { connectWaitMs: 10_000, ackWaitMs: 10_000 } as const;

interface AckWaiter {
  resolve(): void;
  reject(err: Error): void;
}

export class RetranslatorTarget implements StreamTarget {
  private readonly host: string;
  private readonly port: number;
  private readonly where: string;
  private readonly opts: Required<RetranslatorOptions>;
  private socket: Socket | undefined;
  private connecting: Socket | undefined;
  private waiter: AckWaiter | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    config: RetranslatorConfig,
    private readonly deps: StreamDeps,
    options: RetranslatorOptions = {},
  ) {
    const url = new URL(config.uri);
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(url.port);
    this.where = `${this.host}:${url.port}`;
    this.opts = { ...DEFAULTS, ...options };
  }

  /** Batches run one after the other on the single connection. */
  deliver(batch: StreamBatch): Promise<void> {
    const run = this.chain.then(() => this.send(batch));
    this.chain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.connecting?.destroy(new TargetUnavailableError(`retranslator ${this.where}: target closed`));
    this.socket?.destroy();
    this.socket = undefined;
    this.waiter?.reject(new TargetUnavailableError(`retranslator ${this.where}: target closed`));
    await this.chain;
  }

  private async send(batch: StreamBatch): Promise<void> {
    if (!this.port) throw new TargetConfigError(`retranslator uri must name a port (tcp://host:port)`);
    const packets = this.encode(batch);
    for (let i = 0; i < packets.length; i++) {
      const socket = await this.connection();
      await this.exchange(socket, packets[i].bytes, `packet ${i + 1} of ${packets.length} (ident ${packets[i].ident})`);
    }
  }

  /** Packets of the batch; a message that cannot be encoded is logged and skipped (retrying cannot help). */
  private encode(batch: StreamBatch): { ident: string; bytes: Buffer }[] {
    const out: { ident: string; bytes: Buffer }[] = [];
    for (const m of batch.messages) {
      try {
        out.push({ ident: String(m.ident), bytes: encodeRetranslatorPacket(m) });
      } catch (err) {
        this.deps.logger.warn('retranslator: message skipped, it cannot be encoded', {
          streamId: batch.streamId,
          batchId: batch.batchId,
          reason: reasonOf(err),
        });
      }
    }
    return out;
  }

  private async connection(): Promise<Socket> {
    if (this.closed) throw new TargetUnavailableError(`retranslator ${this.where}: target closed`);
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    this.connecting = socket;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => fail(new TargetTimeoutError(`retranslator ${this.where}: not connected within ${this.opts.connectWaitMs / 1000} s`)),
        this.opts.connectWaitMs,
      );
      const fail = (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(err instanceof StreamTargetError ? err : new TargetUnavailableError(`retranslator ${this.where}: ${reasonOf(err)}`, false, { cause: err }));
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        resolve();
      });
    }).finally(() => (this.connecting = undefined));
    this.attach(socket);
    this.socket = socket;
    this.deps.logger.info('retranslator: connected', { target: this.where });
    return socket;
  }

  /** Ack bytes and connection loss of the live socket. */
  private attach(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => {
      const waiter = this.waiter;
      this.waiter = undefined;
      if (!waiter) {
        this.deps.logger.warn('retranslator: unexpected bytes without a packet in flight, reconnecting', {
          target: this.where,
          hex: chunk.subarray(0, 16).toString('hex'),
        });
        socket.destroy();
        return;
      }
      if (chunk[0] === RETRANSLATOR_ACK && chunk.length === 1) waiter.resolve();
      else {
        socket.destroy();
        waiter.reject(new TargetRefusedError(`retranslator ${this.where}: answered ${chunk.subarray(0, 16).toString('hex')} instead of 11`));
      }
    });
    socket.on('error', (err) => this.deps.logger.warn('retranslator: connection error', { target: this.where, reason: reasonOf(err) }));
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter?.reject(new TargetUnavailableError(`retranslator ${this.where}: connection closed before the ack`));
    });
  }

  /** Writes one packet and waits for its 0x11; on timeout the connection is dropped (a late ack must not count for the next packet). */
  private exchange(socket: Socket, packet: Buffer, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        socket.destroy();
        reject(new TargetTimeoutError(`retranslator ${this.where}: no ack (0x11) within ${this.opts.ackWaitMs / 1000} s for ${what}`));
      }, this.opts.ackWaitMs);
      this.waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      socket.write(packet);
    });
  }
}

export const retranslatorModule: StreamTypeModule<RetranslatorConfig> = {
  name: 'wialon_retranslator',
  createTarget: (config, _stream, deps) => new RetranslatorTarget(config, deps),
};
