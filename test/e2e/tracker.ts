import { connect, type Socket } from 'node:net';
import { avlPacket, codec12Response, codec12Text, handshake, type SimRecord } from '../../protocols/teltonika/device.js';

/**
 * A simulated Teltonika tracker on a real TCP socket for browser tests: sends AVL records and
 * waits for their acks, and answers the hub's Codec 12 commands like a device would (getparam
 * from its parameter store, setparam into it, getver). With `hold` on, commands are recorded but
 * left unanswered until `release()`, so a test can watch "pending" states.
 */
export class SimulatedTracker {
  readonly commands: string[] = [];
  readonly params = new Map<string, string>([
    ['10000', '30'],
    ['10050', '60'],
    ['2004', 'hub.example.com'],
    ['2005', '5027'],
  ]);
  hold = false;
  closed = false;
  private held: string[] = [];
  private buf = Buffer.alloc(0);
  private identified = false;
  private onIdentified?: () => void;
  private ackWaiters: ((n: number) => void)[] = [];
  private commandWaiters: { test: (c: string) => boolean; resolve: (c: string) => void }[] = [];
  private closeWaiters: (() => void)[] = [];

  private constructor(
    private readonly socket: Socket,
    readonly imei: string,
  ) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.closeWaiters.splice(0)) w();
    });
    socket.on('error', () => undefined);
  }

  /** Connects and identifies (the hub answers the IMEI handshake with 0x01). */
  static async connect(port: number, imei: string): Promise<SimulatedTracker> {
    const socket = connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const t = new SimulatedTracker(socket, imei);
    const ok = new Promise<void>((resolve) => (t.onIdentified = resolve));
    socket.write(handshake(imei));
    await withTimeout(ok, 5000, 'no handshake answer');
    return t;
  }

  /** Sends records in one AVL packet and resolves when the hub acknowledged them. */
  async send(records: readonly SimRecord[]): Promise<void> {
    const acked = new Promise<number>((resolve) => this.ackWaiters.push(resolve));
    this.socket.write(avlPacket(records));
    const n = await withTimeout(acked, 5000, 'no AVL ack');
    if (n !== records.length) throw new Error(`hub acked ${n} of ${records.length} records`);
  }

  /** Resolves with the first command (already received or coming) that passes `test`. */
  waitCommand(test: (c: string) => boolean, timeoutMs = 10000): Promise<string> {
    const seen = this.commands.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return withTimeout(new Promise<string>((resolve) => this.commandWaiters.push({ test, resolve })), timeoutMs, 'command not received');
  }

  /** Answers every command held back while `hold` was on, and stops holding. */
  release(): void {
    this.hold = false;
    for (const c of this.held.splice(0)) this.answer(c);
  }

  waitClosed(timeoutMs = 10000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return withTimeout(new Promise<void>((resolve) => this.closeWaiters.push(resolve)), timeoutMs, 'connection still open');
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      if (!this.identified) {
        if (this.buf.length < 1) return;
        this.identified = this.buf[0] === 1;
        this.buf = this.buf.subarray(1);
        this.onIdentified?.();
        continue;
      }
      if (this.buf.length < 4) return;
      const head = this.buf.readUInt32BE(0);
      if (head !== 0) {
        // An AVL ack: the number of records accepted (never 0), where a command starts with 4 zero bytes.
        this.buf = this.buf.subarray(4);
        this.ackWaiters.shift()?.(head);
        continue;
      }
      if (this.buf.length < 8) return;
      const total = 8 + this.buf.readUInt32BE(4) + 4;
      if (this.buf.length < total) return;
      const text = codec12Text(this.buf.subarray(0, total));
      this.buf = this.buf.subarray(total);
      if (text !== undefined) this.onCommand(text);
    }
  }

  private onCommand(text: string): void {
    this.commands.push(text);
    for (const w of [...this.commandWaiters]) {
      if (w.test(text)) {
        this.commandWaiters.splice(this.commandWaiters.indexOf(w), 1);
        w.resolve(text);
      }
    }
    if (this.hold) this.held.push(text);
    else this.answer(text);
  }

  private answer(text: string): void {
    if (!this.closed) this.socket.write(codec12Response(this.respond(text)));
  }

  /** What an FMB tracker answers (firmware 03.28 wording). */
  private respond(text: string): string {
    const [cmd, ...rest] = text.split(' ');
    const arg = rest.join(' ');
    if (cmd === 'getparam') {
      const ids = arg.split(';').filter(Boolean);
      return ids.map((id) => `Param ID:${id} Value:${this.params.get(id) ?? ''}`).join(';');
    }
    if (cmd === 'setparam') {
      const pairs = arg.split(';').filter(Boolean);
      for (const p of pairs) {
        const i = p.indexOf(':');
        this.params.set(p.slice(0, i), p.slice(i + 1));
      }
      return `New value ${pairs.join(';')};`;
    }
    if (cmd === 'getver')
      return `Ver:03.28.07_04 GPS:AXN_5.10_3333 Hw:FMB920 Mod:13 IMEI:${this.imei} Init:2024-1-1 0:0 Uptime:3600 MAC:001E42000000 SPC:1(0) AXL:0 OBD:0 BL:1.10 BT:4`;
    return `${cmd} OK`;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
