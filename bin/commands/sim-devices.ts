import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { DeviceSimulator } from '../../protocols/common/types.js';

/**
 * The simulated devices of `hub simulate`, one class per transport, over what a protocol's
 * `protocols/<name>/device.ts` simulator offers. They report to a DeviceHost (the run's share in
 * this process): counters, ack latencies and error codes.
 *
 * "Connected" is what the device knows now: a TCP device whose connection is open and logged in; a
 * UDP or HTTP device whose last word from the hub was an answer (UDP: an ack, until an ICMP error
 * comes back; HTTP: a 200, until a request fails). A TCP device whose connection closes or cannot
 * be opened reconnects with exponential backoff (1 s doubling to 60 s, ±25 % jitter) and logs in
 * again; reports in flight when a device loses the hub are counted `unacked`.
 */
export type Transport = 'tcp' | 'udp' | 'http';

/** What every protocols/<name>/device.ts `simulator` offers. */
export type DeviceProfile = DeviceSimulator;

export interface SimCounters {
  /** Devices connected now (see above). */
  connected: number;
  /**
   * Devices that connected at least once (TCP: logged in; UDP, HTTP: answered). For UDP protocols
   * whose reports are not acked: devices that sent a datagram and never had one refused.
   */
  loggedIn: number;
  sent: number;
  acked: number;
  /** Reports given up: in flight when the device lost the hub, or answered with an error. */
  unacked: number;
  errors: number;
  /** A connected device lost the hub (TCP connection closed, UDP datagram refused, HTTP request failed). */
  disconnects: number;
  /** A device connected again after a disconnect. */
  reconnects: number;
}

export function zeroCounters(): SimCounters {
  return { connected: 0, loggedIn: 0, sent: 0, acked: 0, unacked: 0, errors: 0, disconnects: 0, reconnects: 0 };
}

/** What a device reports to. */
export interface DeviceHost {
  readonly o: { readonly host: string; readonly port: number };
  readonly c: SimCounters;
  readonly profile: DeviceProfile;
  /** An ack of a report sent at `sentAt` (performance.now()). */
  ack(sentAt: number): void;
  error(code: string): void;
  /** The device may start reporting (once): TCP logged in, UDP socket connected, HTTP agent made. */
  ready(): void;
  /** The device is connected now; `again` after a disconnect. */
  online(again: boolean): void;
  /** A connected device lost the hub. */
  offline(): void;
}

export interface SimDevice {
  /** Connects (TCP), binds (UDP) or prepares a keep-alive agent (HTTP); `localPort` is used by TCP only. */
  open(localAddress: string | undefined, localPort?: number): void;
  send(atMs: number): void;
  /** Stops the device for good (no reconnect; the counters stay as they are). */
  close(): void;
}

/** Delay before reconnect attempt `failures` + 1 (ms): 1 s doubling to 60 s, ±25 % jitter, at most 60 s. */
export function backoffMs(failures: number, random = Math.random): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.min(failures, 6));
  return Math.min(60_000, Math.round(base * (0.75 + 0.5 * random())));
}

/** A device whose reports are acked in the order sent (TCP, UDP): each ack settles the oldest. */
abstract class OrderedAckDevice {
  seq = 0;
  private readonly sentAt: number[] = [];
  /** Connected now. */
  protected online = false;
  private everOnline = false;

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

  /** Connected now (again, after a disconnect). */
  protected up(): void {
    if (this.online) return;
    this.online = true;
    this.run.online(this.everOnline);
    this.everOnline = true;
  }

  /** Lost the hub: reports in flight will not be acked. */
  protected down(): void {
    this.run.c.unacked += this.sentAt.length;
    this.sentAt.length = 0;
    if (!this.online) return;
    this.online = false;
    this.run.offline();
  }
}

/** One simulated device on TCP: logs in on every connection, reconnects with backoff when it drops. */
class TcpDevice extends OrderedAckDevice implements SimDevice {
  private socket?: Socket;
  private rx: Buffer | null = null;
  private localAddress?: string;
  private localPort?: number;
  /** Connections since the last login that failed or closed (the backoff exponent). */
  private failures = 0;
  private everReady = false;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  open(localAddress: string | undefined, localPort?: number): void {
    this.localAddress = localAddress;
    this.localPort = localPort;
    this.connect();
  }

  private connect(): void {
    this.retry = undefined;
    const { host, port } = this.run.o;
    const s = connect({ host, port, localAddress: this.localAddress, localPort: this.localPort, noDelay: true });
    this.socket = s;
    let portTaken = false;
    s.on('connect', () => {
      const login = this.run.profile.login?.(this.ident);
      if (login) s.write(login);
      if (!login || !this.run.profile.loginAcked) this.loggedIn();
    });
    s.on('data', (d: Buffer) => {
      if (this.socket === s) this.onData(d);
    });
    s.on('error', (err: NodeJS.ErrnoException) => {
      // the port may be taken (a listener, a socket in TIME_WAIT): let the kernel choose instead
      if (err.code === 'EADDRINUSE' && this.localPort !== undefined) {
        this.localPort = undefined;
        portTaken = true;
      } else this.run.error(err.code ?? err.message);
    });
    s.on('close', () => this.closed(s, portTaken));
  }

  /** The connection closed (or never opened): count it, then try again after the backoff. */
  private closed(s: Socket, retryNow: boolean): void {
    if (this.socket !== s) return;
    this.socket = undefined;
    this.rx = null;
    if (this.stopped) return;
    this.down();
    this.retry = setTimeout(() => this.connect(), retryNow ? 0 : backoffMs(this.failures++));
  }

  private loggedIn(): void {
    if (this.online) return;
    this.failures = 0;
    this.up();
    if (this.everReady) return;
    this.everReady = true;
    this.run.ready();
  }

  private onData(d: Buffer): void {
    let buf = this.rx === null ? d : Buffer.concat([this.rx, d]);
    const cut = this.run.profile.replyLength;
    for (;;) {
      const n = cut ? cut(buf, this.online) : buf.length;
      if (n === undefined || n === 0 || n > buf.length) break;
      buf = buf.subarray(n);
      if (!this.online) this.loggedIn();
      else this.acked();
    }
    this.rx = buf.length > 0 ? Buffer.from(buf) : null;
  }

  send(atMs: number): void {
    const s = this.socket;
    if (!s || !this.online || s.destroyed) return;
    this.sendReport(atMs, 'tcp', (report) => s.write(report));
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.socket?.destroy();
  }
}

/**
 * One simulated device on UDP, its own socket connected to the hub (the ack comes back to its
 * address, and the kernel reports ICMP port-unreachable as ECONNREFUSED). UDP has no connection:
 * the device counts as connected once the hub acked a report, and as disconnected when a datagram
 * is refused. For protocols that do not ack reports "connected" cannot be known (n/a).
 */
class UdpDevice extends OrderedAckDevice implements SimDevice {
  private socket?: UdpSocket;
  private linked = false;
  private sentAny = false;
  private refused = false;

  open(localAddress: string | undefined): void {
    const s = createSocket('udp4');
    this.socket = s;
    s.on('message', () => this.answered());
    s.on('error', (err: NodeJS.ErrnoException) => this.failed(err));
    s.bind(0, localAddress, () =>
      s.connect(this.run.o.port, this.run.o.host, () => {
        this.linked = true;
        this.run.ready();
      }),
    );
  }

  private answered(): void {
    if (!this.run.profile.reportsAcked) return;
    this.acked();
    this.up();
  }

  private failed(err: NodeJS.ErrnoException): void {
    this.run.error(err.code ?? err.message);
    if (!this.linked) {
      // the socket could not be bound or connected: it will never send; do not hold up the run
      this.linked = true;
      this.socket = undefined;
      this.run.ready();
      return;
    }
    if (err.code !== 'ECONNREFUSED') return;
    this.down();
    if (this.run.profile.reportsAcked || this.refused) return;
    this.refused = true;
    if (this.sentAny) this.run.c.loggedIn--;
  }

  /** A datagram left; for protocols without acks, the first one counts the device (until refused). */
  private left(err: Error | null): void {
    if (err) this.failed(err);
    if (err || this.sentAny) return;
    this.sentAny = true;
    if (!this.run.profile.reportsAcked && !this.refused) this.run.c.loggedIn++;
  }

  send(atMs: number): void {
    const s = this.socket;
    if (!s || !this.linked) return;
    this.sendReport(atMs, 'udp', (report) => s.send(report, (err) => this.left(err)));
  }

  close(): void {
    try {
      this.socket?.close();
    } catch {
      // closed already
    }
  }
}

/** One simulated HTTP client (keep-alive, one request at a time): connected while its requests are answered 200. */
class HttpDevice implements SimDevice {
  private agent?: Agent;
  private localAddress?: string;
  private busy = false;
  private seq = 0;
  private online = false;
  private everOnline = false;

  constructor(
    readonly n: number,
    readonly ident: string,
    private readonly run: DeviceHost,
  ) {}

  open(localAddress: string | undefined): void {
    this.agent = new Agent({ keepAlive: true, maxSockets: 1 });
    this.localAddress = localAddress;
    this.run.ready();
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
        res.on('end', () => this.answered(res.statusCode, started));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      this.busy = false;
      this.run.error(err.code ?? err.message);
      this.run.c.unacked++;
      if (!this.online) return;
      this.online = false;
      this.run.offline();
    });
    req.end(r.body);
  }

  private answered(status: number | undefined, started: number): void {
    this.busy = false;
    if (status !== 200) {
      this.run.c.unacked++;
      this.run.error(`HTTP ${status}`);
      return;
    }
    this.run.c.acked++;
    this.run.ack(started);
    if (this.online) return;
    this.online = true;
    this.run.online(this.everOnline);
    this.everOnline = true;
  }

  close(): void {
    this.agent?.destroy();
  }
}

/** The simulated device number `n` on `transport`. */
export function simDevice(transport: Transport, n: number, ident: string, host: DeviceHost): SimDevice {
  return transport === 'udp' ? new UdpDevice(n, ident, host) : transport === 'http' ? new HttpDevice(n, ident, host) : new TcpDevice(n, ident, host);
}
