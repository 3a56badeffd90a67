import { packEnvelopes, parseEnvelope, type QueuedFrame } from '../core/envelope.js';
import type { FrameQueue } from '../core/ports.js';

/**
 * Messages between a cluster primary and its listener workers (JSON over the IPC channel). Every
 * message carries `hub` so other IPC traffic is left alone.
 */
export type ToPrimary =
  | { readonly hub: 'send'; readonly id: number; readonly bodies: readonly string[]; readonly frames: number }
  | { readonly hub: 'state'; readonly channels: readonly unknown[]; readonly stats: Record<string, number> }
  | { readonly hub: 'synced'; readonly id: number }
  /** A worker writing its own journal lane: everything up to `end` of `segment` is durable. */
  | { readonly hub: 'appended'; readonly segment: number; readonly end: number }
  | { readonly hub: 'drained' };

export type ToWorker =
  | { readonly hub: 'sent'; readonly id: number; readonly error?: string }
  | { readonly hub: 'nudge' }
  | { readonly hub: 'sync'; readonly id: number }
  | { readonly hub: 'drain' };

export function isHubMessage<T extends { hub: string }>(m: unknown): m is T {
  return typeof m === 'object' && m !== null && typeof (m as { hub?: unknown }).hub === 'string';
}

interface Waiting {
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/**
 * The queue of a cluster worker: batches go to the primary, which appends them to its queue (the
 * local journal, fsynced) and answers; `send` resolves only on that answer, so a worker acks a
 * device only once the primary made its frames durable. A lost primary fails every send. The
 * worker packs the queue bodies itself (JSON, gzip): the primary, which every worker waits on,
 * only appends them.
 */
export class IpcFrameQueue implements FrameQueue {
  private seq = 0;
  private readonly waiting = new Map<number, Waiting>();

  constructor(private readonly channel: Pick<NodeJS.Process, 'send' | 'on' | 'connected'> = process) {
    channel.on('message', (m: unknown) => {
      if (!isHubMessage<ToWorker>(m) || m.hub !== 'sent') return;
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.error === undefined) w.resolve();
      else w.reject(new Error(m.error));
    });
    channel.on('disconnect', () => {
      for (const w of this.waiting.values()) w.reject(new Error('cluster primary is gone'));
      this.waiting.clear();
    });
  }

  send(frames: readonly QueuedFrame[]): Promise<void> {
    if (!this.channel.connected || !this.channel.send) return Promise.reject(new Error('cluster primary is gone'));
    const id = ++this.seq;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      let bodies: string[];
      try {
        bodies = packEnvelopes(frames);
      } catch (err) {
        this.waiting.delete(id);
        return reject(err);
      }
      const message: ToPrimary = { hub: 'send', id, bodies, frames: frames.length };
      this.channel.send?.(message, undefined, undefined, (err: Error | null) => {
        if (!err) return;
        this.waiting.delete(id);
        reject(err);
      });
    });
  }
}

/** A queue that takes ready bodies (the local journal); `frames` is how many frames they hold. */
export interface BodyQueue extends FrameQueue {
  sendBodies(bodies: readonly string[], frames?: number): Promise<void>;
}

function takesBodies(q: FrameQueue): q is BodyQueue {
  return typeof (q as Partial<BodyQueue>).sendBodies === 'function';
}

/** Primary side: appends a worker's batch to the queue and answers once it is durable (or not). */
export function answerSend(queue: FrameQueue, message: Extract<ToPrimary, { hub: 'send' }>, reply: (m: ToWorker) => void): void {
  let sending: Promise<void>;
  try {
    sending = takesBodies(queue) ? queue.sendBodies(message.bodies, message.frames) : queue.send(message.bodies.flatMap((b) => parseEnvelope(b).frames));
  } catch (err) {
    sending = Promise.reject(err);
  }
  sending.then(
    () => reply({ hub: 'sent', id: message.id }),
    (err: unknown) => reply({ hub: 'sent', id: message.id, error: err instanceof Error ? err.message : String(err) }),
  );
}
