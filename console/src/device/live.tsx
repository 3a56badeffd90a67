import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../api.js';
import { ErrorNote } from '../components.js';
import { useApp } from '../context.js';
import { fmtTime } from '../format.js';
import type { Device, Message } from '../types.js';
import { type FeedMode, startFeed } from './live-feed.js';

const MAX_SHOWN = 500;
const HISTORY = 50;

interface Row {
  readonly key: string;
  readonly message: Message;
  readonly fresh: boolean;
}

function keyOf(m: Message): string {
  return [m.timestamp, m['server.timestamp'], m['position.latitude'], m['position.longitude'], m['event.enum']].join('|');
}

/**
 * Where new and loaded messages go: duplicates (by key) are dropped, fresh ones held back while
 * paused, the rest added to the top of the list (newest first).
 */
function rowSink(o: { alive: () => boolean; paused: () => boolean; hold: (list: Message[]) => void; activity: () => void; add: (rows: Row[]) => void }) {
  const seen = new Set<string>();
  let since = Date.now() / 1000 - 60;
  const show = (list: Message[], fresh: boolean) => {
    const added: Row[] = [];
    for (const m of list) {
      const k = keyOf(m);
      if (seen.has(k)) continue;
      seen.add(k);
      added.push({ key: k, message: m, fresh });
    }
    if (seen.size > 5000) seen.clear();
    since = maxTimestamp(list, since);
    if (added.length === 0 || !o.alive()) return;
    if (fresh) o.activity();
    if (o.paused() && fresh) return o.hold(added.map((r) => r.message));
    o.add(added.reverse());
  };
  return {
    show,
    since: () => since,
    /** Shows held messages again (after a pause): their keys are forgotten first. */
    reshow: (list: Message[], fresh: boolean) => {
      for (const m of list) seen.delete(keyOf(m));
      show(list, fresh);
    },
  };
}

function maxTimestamp(list: readonly Message[], start: number): number {
  return list.reduce((t, m) => (typeof m.timestamp === 'number' && m.timestamp > t ? m.timestamp : t), start);
}

/**
 * Live messages: pushed over the hub's live WebSocket (`liveUrl` of config.json: the local hub's
 * `/live`, the WebSocket API on AWS) with a subscription to `gw/devices/{id}/messages`; where the
 * deployment has no push, or the socket is refused, polling `messages?from=` every `pollMs`. The
 * last messages are loaded first; duplicates are dropped by key.
 */
export function LiveTab(p: { device: Device; onActivity?: () => void }) {
  const { api, config } = useApp();
  const [rows, setRows] = useState<Row[]>([]);
  const [mode, setMode] = useState<FeedMode>('connecting');
  const [paused, setPaused] = useState(false);
  const [held, setHeld] = useState(0);
  const [error, setError] = useState<string | undefined>();
  const pausedRef = useRef(false);
  const heldRef = useRef<Message[]>([]);
  const showRef = useRef<(list: Message[], fresh: boolean) => void>(() => undefined);
  const activityRef = useRef(p.onActivity);
  activityRef.current = p.onActivity;

  useEffect(() => {
    let alive = true;
    const sink = rowSink({
      alive: () => alive,
      paused: () => pausedRef.current,
      hold: (list) => setHeld(heldRef.current.push(...list)),
      activity: () => activityRef.current?.(),
      add: (added) => setRows((prev) => [...added, ...prev].slice(0, MAX_SHOWN)),
    });
    const show = sink.show;
    showRef.current = sink.reshow;

    const stop = startFeed({
      api,
      deviceId: p.device.id,
      config: { live: config.live, liveUrl: config.liveUrl, pollMs: config.pollMs },
      since: sink.since,
      onMessages: (list) => show(list, true),
      onMode: setMode,
      onError: setError,
    });

    // History after the stream is open, so nothing falls between the two.
    api.get<Message>(`/gw/devices/${p.device.id}/messages`, { reverse: true, count: HISTORY }).then(
      (list) => {
        const ordered = [...list].sort((a, b) => Number(a.timestamp) - Number(b.timestamp));
        show(ordered, false);
      },
      (err: unknown) => setError(describeError(err)),
    );
    return () => {
      alive = false;
      stop();
    };
  }, [api, p.device.id, config.live, config.liveUrl, config.pollMs]);

  const togglePause = () => {
    const next = !paused;
    pausedRef.current = next;
    setPaused(next);
    if (!next && heldRef.current.length > 0) {
      const list = heldRef.current;
      heldRef.current = [];
      setHeld(0);
      showRef.current(list, true);
    }
  };

  return (
    <div>
      <LiveToolbar mode={mode} paused={paused} held={held} shown={rows.length} pollMs={config.pollMs} onPause={togglePause} onClear={() => setRows([])} />
      <ErrorNote>{error}</ErrorNote>
      {rows.length === 0 ? <p class="muted">No messages yet. New ones appear here as the device sends them.</p> : null}
      <ol class="messages" aria-label="Messages, newest first">
        {rows.map((r) => (
          <MessageRow key={r.key} row={r} />
        ))}
      </ol>
    </div>
  );
}

function LiveToolbar(p: { mode: FeedMode; paused: boolean; held: number; shown: number; pollMs: number; onPause: () => void; onClear: () => void }) {
  const status = p.paused
    ? `Paused (${p.held} new held back)`
    : {
        connecting: 'Connecting…',
        push: 'Live: push (WebSocket)',
        poll: `Live: polling every ${p.pollMs / 1000} s`,
        reconnecting: 'Live: reconnecting…',
      }[p.mode];
  return (
    <div class="toolbar">
      <p class={`live-status live-${p.paused ? 'paused' : p.mode}`} role="status" data-testid="live-status">
        <span class="dot" aria-hidden="true" /> {status}
      </p>
      <button type="button" aria-pressed={p.paused} onClick={p.onPause}>
        {p.paused ? 'Resume' : 'Pause'}
      </button>
      <button type="button" onClick={p.onClear}>
        Clear
      </button>
      <span class="muted small">{p.shown} shown</span>
    </div>
  );
}

const STANDARD = new Set(['timestamp', 'server.timestamp', 'ident', 'channel.id', 'protocol.id', 'peer', 'device.id', 'device.name', 'device.type.id']);

/** A few telling parameters of a message without a position (command replies, events). */
function gist(m: Message): string {
  const parts = Object.keys(m)
    .filter((k) => !STANDARD.has(k) && !k.startsWith('position.'))
    .slice(0, 3)
    .map((k) => `${k}=${typeof m[k] === 'string' ? m[k] : JSON.stringify(m[k])}`);
  const text = parts.join(' ');
  return text.length > 90 ? `${text.slice(0, 89)}…` : text || 'no position';
}

function MessageRow(p: { row: Row }) {
  const m = p.row.message;
  const lat = m['position.latitude'];
  const lon = m['position.longitude'];
  const speed = m['position.speed'];
  const count = Object.keys(m).length;
  return (
    <li class={p.row.fresh ? 'message fresh' : 'message'}>
      <details>
        <summary>
          <time class="mono">{fmtTime(m.timestamp)}</time>
          <span class="mono pos">{typeof lat === 'number' && typeof lon === 'number' ? `${lat.toFixed(6)}, ${lon.toFixed(6)}` : gist(m)}</span>
          <span>{typeof speed === 'number' ? `${speed} km/h` : ''}</span>
          <span class="muted small">{count} parameters</span>
        </summary>
        <pre>{JSON.stringify(m, null, 2)}</pre>
      </details>
    </li>
  );
}
