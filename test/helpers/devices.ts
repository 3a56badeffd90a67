import { connect, type Socket } from 'node:net';
import type { Device } from '../../core/schemas/devices.js';

/** A simulated tracker on a real TCP socket: send bytes, await exactly the bytes it should get. */
export class TestDevice {
  private received = Buffer.alloc(0);
  private waiters: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.received = Buffer.concat([this.received, d]);
      this.pump();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new Error('connection closed by the hub'));
      }
    });
    socket.on('error', () => undefined);
  }

  static async connect(port: number, host = '127.0.0.1', localAddress?: string): Promise<TestDevice> {
    const socket = connect({ port, host, localAddress });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    return new TestDevice(socket);
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Resolves with the next `n` bytes from the hub. */
  read(n: number, timeoutMs = 5000): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${n}-byte answer within ${timeoutMs} ms (have ${this.received.length})`)), timeoutMs);
      this.waiters.push({ n, resolve, reject, timer });
      this.pump();
    });
  }

  /** Bytes received and not read yet. */
  get unread(): Buffer {
    return this.received;
  }

  waitClosed(timeoutMs = 5000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('still open')), timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private pump(): void {
    while (this.waiters.length > 0 && this.received.length >= this.waiters[0].n) {
      const w = this.waiters.shift()!;
      clearTimeout(w.timer);
      w.resolve(this.received.subarray(0, w.n));
      this.received = this.received.subarray(w.n);
    }
  }
}

/** A registered device as the registry returns it (no type yet, enabled), for tests that build ingest by hand. */
export function deviceRecord(id: number, over: { ident?: string; messagesTtl?: number } = {}): Device {
  return {
    id,
    name: `d${id}`,
    configuration: { ident: over.ident ?? `ident-${id}` },
    device_type_id: null,
    protocol_id: null,
    messages_ttl: over.messagesTtl ?? 3600,
    enabled: true,
    metadata: {},
  };
}
