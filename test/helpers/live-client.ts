import WebSocket from 'ws';

/** A frame the hub sends on the live socket (docs/api.md, "Live push"). */
export type Frame = Record<string, any>;

/**
 * A live-push client over a real WebSocket: collects every frame, and waits for the next one
 * matching a predicate (frames already received count, in order, each consumed once).
 */
export class LiveClient {
  readonly frames: Frame[] = [];
  private consumed = 0;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Opens `/live` with `?access_token=`; rejects with the HTTP status when the upgrade is refused. */
  static connect(apiUrl: string, token: string | undefined): Promise<LiveClient> {
    const url = `${apiUrl.replace(/^http/, 'ws')}/live${token === undefined ? '' : `?access_token=${encodeURIComponent(token)}`}`;
    const ws = new WebSocket(url);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new LiveClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  subscribe(topic: string): Promise<Frame> {
    this.send({ action: 'subscribe', topic });
    return this.next((f) => f.subscribed === topic || f.error?.topic === topic);
  }

  /** The next frame (after those already taken) for which `test` holds; frames before it are skipped. */
  async next(test: (f: Frame) => boolean, timeoutMs = 3000): Promise<Frame> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      while (this.consumed < this.frames.length) {
        const f = this.frames[this.consumed++];
        if (test(f)) return f;
      }
      const left = until - Date.now();
      if (left <= 0) throw new Error(`no matching live frame within ${timeoutMs} ms; received ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Frames received after the ones already taken, without consuming them. */
  pending(): Frame[] {
    return this.frames.slice(this.consumed);
  }

  close(): void {
    this.ws.close();
  }
}
