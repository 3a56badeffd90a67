import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../api.js';
import { ErrorNote } from '../components.js';
import { useApp } from '../context.js';
import { fmtTime } from '../format.js';
import type { Device, Message } from '../types.js';

const MAX_SHOWN = 500;
const HISTORY = 50;

type Mode = 'connecting' | 'push' | 'poll' | 'reconnecting';

interface Row {
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

/**
 * Live messages: Server-Sent Events from `/gw/devices/{id}/messages/live` where the hub offers
 * them (local mode); otherwise, or when the stream is refused, polling `messages?from=` every
 * `pollMs`. The last messages are loaded first; duplicates are dropped by key.
 */
export function LiveTab(p: { device: Device; onActivity?: () => void }) {
  const { api, config } = useApp();
  const [rows, setRows] = useState<Row[]>([]);
  const [mode, setMode] = useState<Mode>('connecting');
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
    const seen = new Set<string>();
    let since = Date.now() / 1000 - 60;
    let es: EventSource | undefined;
    let pollTimer: ReturnType<typeof setTimeout> | undefined;

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
      if (added.length === 0 || !alive) return;
      if (fresh) activityRef.current?.();
      if (pausedRef.current && fresh) {
        heldRef.current.push(...added.map((r) => r.message));
        setHeld(heldRef.current.length);
        return;
      }
      setRows((prev) => [...added.reverse(), ...prev].slice(0, MAX_SHOWN));
    };
    showRef.current = (list, fresh) => {
      for (const m of list) seen.delete(keyOf(m));
      show(list, fresh);
    };

    const poll = async () => {
      if (!alive) return;
      try {
        const page = await api.get<Message>(`/gw/devices/${p.device.id}/messages`, { from: since, count: 1000 });
        show(page, true);
        setError(undefined);
      } catch (err) {
        setError(describeError(err));
      }
      if (alive) pollTimer = setTimeout(poll, config.pollMs);
    };
    const startPolling = () => {
      if (!alive || pollTimer !== undefined) return;
      setMode('poll');
      pollTimer = setTimeout(poll, 0);
    };

    if (config.live !== 'poll' && typeof EventSource !== 'undefined') {
      let opened = false;
      es = new EventSource(api.liveUrl(p.device.id));
      es.onopen = () => {
        opened = true;
        setMode('push');
      };
      es.onmessage = (e: MessageEvent<string>) => {
        try {
          show([JSON.parse(e.data) as Message], true);
        } catch {
          /* not a message */
        }
      };
      es.onerror = () => {
        if (!opened || es?.readyState === EventSource.CLOSED) {
          es?.close();
          es = undefined;
          startPolling();
        } else setMode('reconnecting');
      };
    } else startPolling();

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
      es?.close();
      if (pollTimer) clearTimeout(pollTimer);
    };
  }, [api, p.device.id, config.live, config.pollMs]);

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

  const status = paused
    ? `Paused (${held} new held back)`
    : {
        connecting: 'Connecting…',
        push: 'Live: push (Server-Sent Events)',
        poll: `Live: polling every ${config.pollMs / 1000} s`,
        reconnecting: 'Live: reconnecting…',
      }[mode];
  return (
    <div>
      <div class="toolbar">
        <p class={`live-status live-${paused ? 'paused' : mode}`} role="status" data-testid="live-status">
          <span class="dot" aria-hidden="true" /> {status}
        </p>
        <button type="button" aria-pressed={paused} onClick={togglePause}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" onClick={() => setRows([])}>
          Clear
        </button>
        <span class="muted small">{rows.length} shown</span>
      </div>
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
