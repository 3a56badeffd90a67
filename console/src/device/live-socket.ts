import { type Api, describeError } from '../api.js';
import type { ConsoleConfig } from '../config.js';
import type { Message } from '../types.js';

export type FeedMode = 'connecting' | 'push' | 'poll' | 'reconnecting';

/** A frame of the live socket (docs/api.md, "Live push"). */
interface LiveFrame {
  readonly topic?: string;
  readonly message?: Message;
  readonly subscribed?: string;
  readonly error?: { readonly code: number; readonly reason: string };
}

function parseFrame(text: string): LiveFrame | undefined {
  try {
    const f: unknown = JSON.parse(text);
    return f && typeof f === 'object' ? (f as LiveFrame) : undefined;
  } catch {
    return undefined;
  }
}

export interface FeedOptions {
  readonly api: Api;
  readonly deviceId: number;
  readonly config: Pick<ConsoleConfig, 'live' | 'liveUrl' | 'pollMs'>;
  /** The newest timestamp shown (polling and catch-up read from it). */
  readonly since: () => number;
  readonly onMessages: (list: Message[]) => void;
  readonly onMode: (mode: FeedMode) => void;
  readonly onError: (error: string | undefined) => void;
}

/**
 * New messages of a device: pushed over the hub's live socket (a subscription to
 * `gw/devices/{id}/messages`) where the deployment has one (`liveUrl`), else polled
 * (`messages?from=` every `pollMs`). A socket that never gets to a subscription falls back to
 * polling; one that worked and closed (API Gateway closes idle sockets after 10 minutes, and every
 * socket after 2 hours) reconnects and fetches what it missed. Returns the stop function.
 */
export function startFeed(o: FeedOptions): () => void {
  let alive = true;
  let ws: WebSocket | undefined;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const topic = `gw/devices/${o.deviceId}/messages`;

  const fetchNew = async () => {
    try {
      const page = await o.api.get<Message>(`/gw/devices/${o.deviceId}/messages`, { from: o.since(), count: 1000 });
      if (alive) o.onMessages(page);
      o.onError(undefined);
    } catch (err) {
      if (alive) o.onError(describeError(err));
    }
  };
  const poll = async () => {
    if (!alive) return;
    await fetchNew();
    if (alive) pollTimer = setTimeout(poll, o.config.pollMs);
  };
  const startPolling = () => {
    if (!alive || pollTimer !== undefined) return;
    o.onMode('poll');
    pollTimer = setTimeout(poll, 0);
  };

  const socketUrl = o.config.live !== 'poll' && typeof WebSocket !== 'undefined' ? o.api.liveSocketUrl(o.config.liveUrl) : undefined;
  const connect = (reconnect: boolean) => {
    if (!alive || !socketUrl) return;
    let subscribed = false;
    const socket = new WebSocket(socketUrl);
    ws = socket;
    socket.onopen = () => socket.send(JSON.stringify({ action: 'subscribe', topic }));
    socket.onmessage = (e: MessageEvent<string>) => {
      const frame = parseFrame(e.data);
      if (frame?.subscribed === topic) {
        subscribed = true;
        o.onMode('push');
        if (reconnect) void fetchNew();
      } else if (frame?.error) socket.close();
      else if (frame?.topic === topic && frame.message) o.onMessages([frame.message]);
    };
    socket.onclose = () => {
      if (ws !== socket || !alive) return;
      ws = undefined;
      if (!subscribed) return startPolling();
      o.onMode('reconnecting');
      retryTimer = setTimeout(() => connect(true), 1000);
    };
  };
  if (socketUrl) connect(false);
  else startPolling();

  return () => {
    alive = false;
    ws?.close();
    if (pollTimer) clearTimeout(pollTimer);
    if (retryTimer) clearTimeout(retryTimer);
  };
}

/**
 * Interval events of one (calculator, device) pair over the live socket (`gw/calcs/{id}/devices/{id}/intervals`),
 * where the deployment has one: `onEvent` is called on each (the caller reloads its intervals; it
 * keeps polling, so a socket that fails or closes only makes updates slower). Returns the stop function.
 */
export function watchIntervals(o: {
  readonly api: Api;
  readonly config: Pick<ConsoleConfig, 'live' | 'liveUrl'>;
  readonly calcId: number;
  readonly deviceId: number;
  readonly onEvent: () => void;
}): () => void {
  const url = o.config.live !== 'poll' && typeof WebSocket !== 'undefined' ? o.api.liveSocketUrl(o.config.liveUrl) : undefined;
  if (!url) return () => undefined;
  const topic = `gw/calcs/${o.calcId}/devices/${o.deviceId}/intervals`;
  const socket = new WebSocket(url);
  socket.onopen = () => socket.send(JSON.stringify({ action: 'subscribe', topic }));
  socket.onmessage = (e: MessageEvent<string>) => {
    const frame = parseFrame(e.data);
    if (frame?.error) socket.close();
    else if (frame?.topic === topic) o.onEvent();
  };
  return () => socket.close();
}
