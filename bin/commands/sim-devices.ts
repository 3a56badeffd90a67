import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { DeviceSimulator } from '../../protocols/common/types.js';

/**
 * The simulated devices of `hub simulate`, one class per transport, over what a protocol's
 * `protocols/<name>/device.ts` simulator offers. They report to a DeviceHost (the run's share in
 * this process): counters, ack latencies and error codes.
 */
export type Transport = 'tcp' | 'udp' | 'http';

/** What every protocols/<name>/device.ts `simulator` offers. */
export type DeviceProfile = DeviceSimulator;

export interface SimCounters {
  connected: number;
  loggedIn: number;
  sent: number;
  acked: number;
  errors: number;
  closed: number;
}

/** What a device reports to. */
export interface DeviceHost {
  readonly o: { readonly host: string; readonly port: number };
  readonly c: SimCounters;
  readonly profile: DeviceProfile;
  /** An ack of a report sent at `sentAt` (performance.now()). */
  ack(sentAt: number): void;
  error(code: string): void;
  loggedIn(): void;
}

export interface SimDevice {
  /** Connects (TCP), binds (UDP) or prepares a keep-alive agent (HTTP); `localPort` is used by TCP only. */
  open(localAddress: string | undefined, localPort?: number): void;
  send(atMs: number): void;
  close(): void;
}

/** A device whose reports are acked in the order sent (TCP, UDP): each ack settles the oldest. */
abstract class OrderedAckDevice {
  seq = 0;
  private readonly sentAt: number[] = [];

  constructor(
    readonly n: number,
    readonly ident: string,
    protected readonly run: DeviceHost,
  ) {}

  protected acked(): void {
    const at = this.sentAt.shift();
    if (at === undefined) return;
    this.run.c.acked++;
    this.run.ack(at);
  }

  /** Writes the next report and, when the protocol acks reports, remembers when it left. */
  protected sendReport(atMs: number, transport: 'tcp' | 'udp', write: (report: Buffer) => void): void {
    const report = this.run.profile.report;
    if (!report) return;
    write(report(this.ident, this.n, ++this.seq, atMs, transport));
    this.run.c.sent++;
    if (this.run.profile.reportsAcked) this.sentAt.push(performance.now());
  }
}

/** One simulated device on TCP. */
class TcpDevice extends OrderedAckDevice implements SimDevice {
  private socket?: Socket;
  private rx: Buffer | null = null;
  private loggedIn = false;

  open(localAddress: string | undefined, localPort?: number): void {
    const s = connect({ host: this.run.o.host, port: this.run.o.port, localAddress, localPort, noDelay: true });
    this.socket = s;
    s.on('connect', () => {
      this.run.c.connected++;
      const login = this.run.profile.login?.(this.ident);
      if (login) s.write(login);
      if (!login || !this.run.profile.loginAcked) this.ready();
    });
    s.on('data', (d: Buffer) => this.onData(d));
    s.on('error', (err: NodeJS.ErrnoException) => {
      // the port may be taken (a listener, a socket in TIME_WAIT): let the kernel choose instead
      if (err.code === 'EADDRINUSE' && localPort !== undefined && this.socket === s) this.open(localAddress);
      else this.run.error(err.code ?? err.message);
    });
    s.on('close', () => {
      if (this.socket !== s && this.socket !== undefined) return;
      this.run.c.closed++;
      if (this.socket === s) this.socket = undefined;
    });
  }

  private ready(): void {
    if (this.loggedIn) return;
    this.loggedIn = true;
    this.run.loggedIn();
  }

  private onData(d: Buffer): void {
    let buf = this.rx === null ? d : Buffer.concat([this.rx, d]);
    const cut = this.run.profile.replyLength;
    for (;;) {
      const n = cut ? cut(buf, this.loggedIn) : buf.length;
      if (n === undefined || n === 0 || n > buf.length) break;
      buf = buf.subarray(n);
      if (!this.loggedIn) this.ready();
      else this.acked();
    }
    this.rx = buf.length > 0 ? Buffer.from(buf) : null;
  }

  send(atMs: number): void {
    const s = this.socket;
    if (!s || !this.loggedIn || s.destroyed) return;
    this.sendReport(atMs, 'tcp', (report) => s.write(report));
  }

  close(): void {
    this.socket?.destroy();
  }
}

/** One simulated device on UDP (its own socket: the ack comes back to its address). */
class UdpDevice extends OrderedAckDevice implements SimDevice {
  private socket?: UdpSocket;

  open(localAddress: string | undefined): void {
    const s = createSocket('udp4');
    this.socket = s;
    s.on('message', () => this.acked());
    s.on('error', (err: NodeJS.ErrnoException) => this.run.error(err.code ?? err.message));
    s.bind(0, localAddress, () => {
      this.run.c.connected++;
      this.run.loggedIn();
    });
  }

  send(atMs: number): void {
    const s = this.socket;
    if (!s) return;
    this.sendReport(atMs, 'udp', (report) => s.send(report, this.run.o.port, this.run.o.host));
  }

  close(): void {
    try {
      this.socket?.close();
    } catch {
      // closed already
    }
  }
}

/** One simulated HTTP client (keep-alive, one request at a time). */
class HttpDevice implements SimDevice {
  private agent?: Agent;
  private localAddress?: string;
  private busy = false;
  private seq = 0;

  constructor(
    readonly n: number,
    readonly ident: string,
    private readonly run: DeviceHost,
  ) {}

  open(localAddress: string | undefined): void {
    this.agent = new Agent({ keepAlive: true, maxSockets: 1 });
    this.localAddress = localAddress;
    this.run.c.connected++;
    this.run.loggedIn();
  }

  send(atMs: number): void {
    const build = this.run.profile.request;
    if (this.busy || !this.agent || !build) return;
    this.busy = true;
    const r = build(this.ident, this.n, ++this.seq, atMs);
    const started = performance.now();
    this.run.c.sent++;
    const req = request(
      {
        host: this.run.o.host,
        port: this.run.o.port,
        method: r.method,
        path: r.path,
        headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) },
        agent: this.agent,
        localAddress: this.localAddress,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          this.busy = false;
          if (res.statusCode === 200) {
            this.run.c.acked++;
            this.run.ack(started);
          } else this.run.error(`HTTP ${res.statusCode}`);
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      this.busy = false;
      this.run.error(err.code ?? err.message);
    });
    req.end(r.body);
  }

  close(): void {
    this.agent?.destroy();
  }
}

/** The simulated device number `n` on `transport`. */
export function simDevice(transport: Transport, n: number, ident: string, host: DeviceHost): SimDevice {
  return transport === 'udp' ? new UdpDevice(n, ident, host) : transport === 'http' ? new HttpDevice(n, ident, host) : new TcpDevice(n, ident, host);
}
