import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, ApiError } from '../api.js';
import type { Message } from '../types.js';
import { startFeed } from './live-socket.js';

const MAX_SHOWN = 500;
const HISTORY = 50;

export type Mode = 'connecting' | 'push' | 'poll' | 'reconnecting';

export interface Row {
  readonly key: string;
  readonly message: Message;
  readonly fresh: boolean;
}

function keyOf(m: Message): string {
  return [m.timestamp, m['server.timestamp'], m['position.latitude'], m['position.longitude'], m['event.enum']].join('|');
}

function maxTimestamp(list: readonly Message[], start: number): number {
  return list.reduce((t, m) => (typeof m.timestamp === 'number' && m.timestamp > t ? m.timestamp : t), start);
}

interface FeedOptions {
  readonly deviceId: number;
  readonly live: 'auto' | 'poll';
  /** The hub's live WebSocket (config.json), if it has one. */
  readonly liveUrl: string;
  readonly pollMs: number;
  /** An expression: history and new messages through `messages?filter=` (polling: the push stream is not filtered). */
  readonly filter: string;
}

interface FeedSink {
  show(list: Message[], fresh: boolean): void;
  mode(m: Mode): void;
  /** A failed read (undefined: the last one succeeded). */
  error(err: unknown): void;
}

/**
 * Without a filter, new messages are pushed over the hub's live WebSocket (live-socket.ts, which
 * falls back to polling itself); with a filter, polling `messages?filter=&from=` every `pollMs`
 * (the push is not filtered). The last messages are loaded after the stream opened. Returns the disposer.
 */
function connectFeed(api: Api, o: FeedOptions, sink: FeedSink): () => void {
  let alive = true;
  let since = Date.now() / 1000 - 60;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  const path = `/gw/devices/${o.deviceId}/messages`;
  const filter = o.filter ? { filter: o.filter } : {};
  const show = (list: Message[], fresh: boolean) => {
    since = maxTimestamp(list, since);
    if (alive) sink.show(list, fresh);
  };
  const poll = async () => {
    if (!alive) return;
    try {
      show(await api.get<Message>(path, { from: since, count: 1000, ...filter }), true);
      sink.error(undefined);
    } catch (err) {
      if (alive) sink.error(err);
      if (err instanceof ApiError && err.status === 400) return; // a bad filter: polling again cannot help
    }
    if (alive) pollTimer = setTimeout(poll, o.pollMs);
  };
  const startPolling = () => {
    if (!alive || pollTimer !== undefined) return;
    sink.mode('poll');
    pollTimer = setTimeout(poll, 0);
  };
  // no filter: pushed over the live WebSocket (it falls back to polling by itself); a filter: polled here
  const stopSocket = o.filter
    ? undefined
    : startFeed({
        api,
        deviceId: o.deviceId,
        config: { live: o.live, liveUrl: o.liveUrl, pollMs: o.pollMs },
        since: () => since,
        onMessages: (list) => show(list, true),
        onMode: (m) => sink.mode(m),
        onError: (e) => sink.error(e),
      });
  if (o.filter) startPolling();
  // History after the stream is open, so nothing falls between the two.
  api.get<Message>(path, { reverse: true, count: HISTORY, ...filter }).then(
    (list) =>
      show(
        [...list].sort((a, b) => Number(a.timestamp) - Number(b.timestamp)),
        false,
      ),
    (err: unknown) => alive && sink.error(err),
  );
  return () => {
    alive = false;
    stopSocket?.();
    if (pollTimer) clearTimeout(pollTimer);
  };
}

export interface LiveFeed {
  readonly rows: Row[];
  readonly mode: Mode;
  readonly paused: boolean;
  readonly held: number;
  readonly error: unknown;
  togglePause(): void;
  clear(): void;
}

/** The live messages of a device, newest first, deduplicated by key; paused, new ones are held back. */
export function useLiveFeed(api: Api, o: FeedOptions, onActivity?: () => void): LiveFeed {
  const [rows, setRows] = useState<Row[]>([]);
  const [mode, setMode] = useState<Mode>('connecting');
  const [paused, setPaused] = useState(false);
  const [held, setHeld] = useState(0);
  const [error, setError] = useState<unknown>();
  const pausedRef = useRef(false);
  const heldRef = useRef<Message[]>([]);
  const seen = useRef(new Set<string>());
  const activityRef = useRef(onActivity);
  activityRef.current = onActivity;

  const show = (list: Message[], fresh: boolean) => {
    const added: Row[] = [];
    for (const m of list) {
      const k = keyOf(m);
      if (seen.current.has(k)) continue;
      seen.current.add(k);
      added.push({ key: k, message: m, fresh });
    }
    if (seen.current.size > 5000) seen.current.clear();
    if (added.length === 0) return;
    if (fresh) activityRef.current?.();
    if (pausedRef.current && fresh) {
      heldRef.current.push(...added.map((r) => r.message));
      setHeld(heldRef.current.length);
      return;
    }
    setRows((prev) => [...added.reverse(), ...prev].slice(0, MAX_SHOWN));
  };
  const showRef = useRef(show);
  showRef.current = show;

  useEffect(() => {
    seen.current = new Set();
    setRows([]);
    setError(undefined);
    setMode('connecting');
    return connectFeed(api, o, { show: (l, f) => showRef.current(l, f), mode: setMode, error: setError });
  }, [api, o.deviceId, o.live, o.liveUrl, o.pollMs, o.filter]);

  const togglePause = () => {
    const next = !paused;
    pausedRef.current = next;
    setPaused(next);
    if (!next && heldRef.current.length > 0) {
      const list = heldRef.current;
      heldRef.current = [];
      setHeld(0);
      for (const m of list) seen.current.delete(keyOf(m));
      show(list, true);
    }
  };
  return { rows, mode, paused, held, error, togglePause, clear: () => setRows([]) };
}
