/**
 * The part of a joiner shared by MQTT and ThingsBoard: queue a platform's command through the
 * CommandGateway, then poll for its result (every `everyMs`, at most `maxMs`), bounded in count.
 */
import type { Logger } from '../../core/logger.js';
import type { CommandGateway } from '../../core/streams/types.js';
import { reasonOf } from './errors.js';

export interface CommandRunnerOptions {
  /** Poll period for the result. @default 1000 */
  readonly everyMs?: number;
  /** Give up waiting for a result after this long. @default 24 h */
  readonly maxMs?: number;
  /** Commands waiting for results at once; beyond it a request is refused. @default 1000 */
  readonly maxPending?: number;
}

export const COMMAND_RUNNER_DEFAULTS = { everyMs: 1_000, maxMs: 24 * 3600 * 1000, maxPending: 1_000 } as const;

export interface CommandRequest {
  readonly name: string;
  readonly properties: Record<string, unknown>;
}

export type CommandOutcome =
  /** Queueing was refused (unknown ident, invalid properties, too many pending). */
  | { readonly kind: 'refused'; readonly error: string }
  | { readonly kind: 'done'; readonly id: number; readonly deviceId: number; readonly executed: boolean; readonly response: string; readonly status: string }
  /** No result within `maxMs`. */
  | { readonly kind: 'timeout'; readonly id: number; readonly deviceId: number }
  /** The joiner stopped while waiting: nothing to publish. */
  | { readonly kind: 'stopped' };

export class CommandRunner {
  private readonly opts: Required<CommandRunnerOptions>;
  private readonly sleeping = new Map<NodeJS.Timeout, () => void>();
  private pending = 0;
  private stopped = false;

  constructor(
    private readonly gateway: CommandGateway,
    private readonly origin: string,
    private readonly logger: Logger,
    options: CommandRunnerOptions = {},
  ) {
    this.opts = { ...COMMAND_RUNNER_DEFAULTS, ...options };
  }

  /** Queues the command and waits for its result (never throws). */
  async run(ident: string, command: CommandRequest): Promise<CommandOutcome> {
    if (this.stopped) return { kind: 'stopped' };
    if (this.pending >= this.opts.maxPending) return { kind: 'refused', error: `too many commands waiting for results (${this.opts.maxPending})` };
    let queued: { id: number; deviceId: number };
    try {
      queued = await this.gateway.queue(ident, command, this.origin);
    } catch (err) {
      return { kind: 'refused', error: reasonOf(err) };
    }
    this.pending++;
    try {
      return await this.poll(queued.id, queued.deviceId);
    } finally {
      this.pending--;
    }
  }

  stop(): void {
    this.stopped = true;
    for (const [timer, wake] of this.sleeping) {
      clearTimeout(timer);
      wake();
    }
    this.sleeping.clear();
  }

  private async poll(id: number, deviceId: number): Promise<CommandOutcome> {
    const until = Date.now() + this.opts.maxMs;
    while (Date.now() < until) {
      await this.sleep(Math.min(this.opts.everyMs, Math.max(0, until - Date.now())));
      if (this.stopped) return { kind: 'stopped' };
      try {
        const r = await this.gateway.result(deviceId, id);
        if (r) return { kind: 'done', id, deviceId, ...r };
      } catch (err) {
        this.logger.warn('command result lookup failed, polling again', { commandId: id, deviceId, reason: reasonOf(err) });
      }
    }
    return { kind: 'timeout', id, deviceId };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.sleeping.delete(timer);
        resolve();
      }, ms);
      this.sleeping.set(timer, resolve);
    });
  }
}
