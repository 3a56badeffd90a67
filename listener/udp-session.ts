import type { SessionState } from '../protocols/common/types.js';
import type { Session } from './session.js';

/** What a UDP session needs from its endpoint: the channel's socket, and its own removal. */
export interface UdpLink {
  send(bytes: Buffer, port: number, address: string): void;
  close(session: UdpSession, reason: string): void;
}

/**
 * A device seen on a UDP channel. There is no connection: the session is what its datagrams said
 * (its ident and the vars the protocol keeps) and where the last one came from, the address and
 * port its NAT mapping had then. Commands wait for its next datagram (`deferred`), when that
 * mapping is open, and go to that address.
 */
export class UdpSession implements Session {
  readonly state: SessionState;
  readonly established: number;
  readonly deferred = true;
  lastActive: number;
  /** When the last datagram arrived (ms). */
  lastMs: number;
  bytesIn = 0;
  bytesOut = 0;
  framesIn = 0;
  peer: string;
  isOpen = true;

  constructor(
    readonly id: string,
    ident: string,
    public address: string,
    public port: number,
    private readonly link: UdpLink,
    now: number,
  ) {
    this.state = { transport: 'udp', ident, vars: {} };
    this.peer = `${address}:${port}`;
    this.lastMs = now;
    this.established = now / 1000;
    this.lastActive = this.established;
  }

  /** A datagram of this device arrived (the device may have moved to another address or port). */
  seen(address: string, port: number, bytes: number, now: number): void {
    if (address !== this.address || port !== this.port) {
      this.address = address;
      this.port = port;
      this.peer = `${address}:${port}`;
    }
    this.bytesIn += bytes;
    this.framesIn++;
    this.lastMs = now;
    this.lastActive = now / 1000;
  }

  /** A command: to the address and port of the device's last datagram. */
  write(bytes: Buffer): void {
    if (!this.isOpen) return;
    this.bytesOut += bytes.length;
    this.link.send(bytes, this.port, this.address);
  }

  close(reason: string): void {
    this.link.close(this, reason);
  }
}

export interface UdpSessionOptions {
  /** Prefix of the session ids (listener and channel). */
  readonly idPrefix: string;
  /** A session without a datagram for this long expires (ms). */
  readonly idleMs: number;
  /** Sessions kept at most; the least recently active goes first. */
  readonly max: number;
  /** A session was created: its device's first identifying datagram (since it last expired). */
  readonly onOpen?: (session: UdpSession) => void;
  /** A session ended: expired, dropped over the bound, kicked, or its channel stopped. */
  readonly onClose?: (session: UdpSession, reason: string) => void;
}

/**
 * The UDP sessions of one channel, by ident, least recently active first (a datagram moves its
 * session to the end), so expiry looks at the head only: one timer per channel, set for when the
 * oldest session expires.
 */
export class UdpSessionTable {
  private readonly byIdent = new Map<string, UdpSession>();
  private timer?: NodeJS.Timeout;
  private seq = 0;

  constructor(
    private readonly link: UdpLink,
    private readonly opts: UdpSessionOptions,
  ) {}

  get size(): number {
    return this.byIdent.size;
  }

  get(ident: string): UdpSession | undefined {
    return this.byIdent.get(ident);
  }

  /** The session of `ident`, refreshed by a datagram from `address:port` (created when there is none). */
  touch(ident: string, address: string, port: number, bytes: number, now = Date.now()): UdpSession {
    const known = this.byIdent.get(ident);
    if (known) {
      this.byIdent.delete(ident);
      this.byIdent.set(ident, known);
      known.seen(address, port, bytes, now);
      return known;
    }
    const session = new UdpSession(`${this.opts.idPrefix}-u${++this.seq}`, ident, address, port, this.link, now);
    session.seen(address, port, bytes, now);
    this.byIdent.set(ident, session);
    if (this.byIdent.size > this.opts.max) {
      const oldest = this.byIdent.values().next().value;
      if (oldest) this.remove(oldest, 'too many UDP sessions');
    }
    this.opts.onOpen?.(session);
    this.schedule(now);
    return session;
  }

  /** Ends a session (no-op for one already ended). */
  remove(session: UdpSession, reason: string): void {
    const ident = session.state.ident;
    if (ident === undefined || this.byIdent.get(ident) !== session) return;
    this.byIdent.delete(ident);
    session.isOpen = false;
    this.opts.onClose?.(session, reason);
  }

  /** Ends the sessions idle for the timeout; returns how many. */
  expire(now = Date.now()): number {
    let n = 0;
    for (const session of this.byIdent.values()) {
      if (now - session.lastMs < this.opts.idleMs) break;
      this.remove(session, 'idle timeout');
      n++;
    }
    return n;
  }

  /** Ends every session and the timer (the channel stops). */
  closeAll(reason: string): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const session of [...this.byIdent.values()]) this.remove(session, reason);
  }

  /** Sets the timer for the oldest session's expiry, unless one is set already. */
  private schedule(now: number): void {
    if (this.timer) return;
    const oldest = this.byIdent.values().next().value;
    if (!oldest) return;
    this.timer = setTimeout(() => this.tick(), Math.max(0, oldest.lastMs + this.opts.idleMs - now) + 1);
    this.timer.unref();
  }

  private tick(): void {
    this.timer = undefined;
    const now = Date.now();
    this.expire(now);
    this.schedule(now);
  }
}
