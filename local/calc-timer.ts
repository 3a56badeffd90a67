import type { Logger } from '../core/logger.js';

/**
 * Runs the calculators' backfill and tick (core/calc-sync.ts) every `everyMs` in local mode, and at
 * once when kicked (an assignment needs its history calculated). One run at a time: a kick during a
 * run starts another right after it.
 */
export class CalcTimer {
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(
    private readonly run: () => Promise<unknown>,
    everyMs: number,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => this.kick(), everyMs);
    this.timer.unref();
  }

  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.run();
        } catch (err) {
          this.logger.error('calculator backfill/tick failed (retried at the next run)', { error: err instanceof Error ? err.message : String(err) });
        }
      } while (this.again && !this.closed);
      this.running = undefined;
    })();
  }

  /** Stops the timer and waits for a run in progress. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.running;
  }
}
