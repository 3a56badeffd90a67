import { type ChildProcess, spawn } from 'node:child_process';
import type { QueuedFrame } from '../../core/envelope.js';
import type { FrameQueue } from '../../core/ports.js';
import { api } from './local-hub.js';

/**
 * A queue wrapper for fault injection: while `failing`, every send rejects (as SQS refusing a
 * SendMessageBatch would) and nothing reaches the wrapped queue.
 */
export class FlakyQueue implements FrameQueue {
  failing = false;
  readonly stats = { sent: 0, refused: 0, frames: 0 };

  constructor(private readonly inner: FrameQueue) {}

  async send(frames: readonly QueuedFrame[]): Promise<void> {
    if (this.failing) {
      this.stats.refused++;
      throw new Error('injected queue failure');
    }
    await this.inner.send(frames);
    this.stats.sent++;
    this.stats.frames += frames.length;
  }

  /** Fails every send for `ms`, then recovers. */
  async outage(ms: number): Promise<void> {
    this.failing = true;
    await new Promise((r) => setTimeout(r, ms));
    this.failing = false;
  }
}

/** Every message of a channel (timestamps and idents), through the API. */
export async function channelMessages(hub: { apiUrl: string }, channelId: number, token?: string): Promise<{ ident: string; timestamp: number }[]> {
  const out: { ident: string; timestamp: number }[] = [];
  let cursor: string | undefined;
  do {
    const r = await api(
      hub,
      'GET',
      `/gw/channels/${channelId}/messages?fields=ident,timestamp&count=100000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      undefined,
      token,
    );
    if (r.status !== 200) throw new Error(`messages: ${r.status} ${JSON.stringify(r.json)}`);
    out.push(...(r.json.result as { ident: string; timestamp: number }[]));
    cursor = r.json.next;
  } while (cursor);
  return out;
}

/** `hub start` as a child process (from source), ready once it printed its banner. */
export async function startChildHub(args: readonly string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/hub.ts', 'start', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const until = Date.now() + 60_000;
  while (!out.includes('Press Ctrl-C')) {
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`hub did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out };
}
