import { useState } from 'preact/hooks';
import { ApiError, describeError } from '../api.js';
import { ErrorNote } from '../components.js';
import { useApp } from '../context.js';
import { fmtTime } from '../format.js';
import { errorPosition } from '../reason.js';
import type { Device, Message } from '../types.js';
import { type LiveFeed, type Row, useLiveFeed } from './live-feed.js';

/** Live messages, newest first; with a filter expression, only the messages it matches (history and new ones). */
export function LiveTab(p: { device: Device; onActivity?: () => void }) {
  const { api, config } = useApp();
  const [filter, setFilter] = useState('');
  const feed = useLiveFeed(api, { deviceId: p.device.id, live: config.live, liveUrl: config.liveUrl, pollMs: config.pollMs, filter }, p.onActivity);
  const filterError = feed.error instanceof ApiError && feed.error.status === 400 ? feed.error.message : undefined;
  return (
    <div>
      <FilterInput applied={filter} error={filterError} onApply={setFilter} />
      <FeedToolbar feed={feed} pollMs={config.pollMs} filtered={filter !== ''} />
      <ErrorNote>{feed.error !== undefined && !filterError ? describeError(feed.error) : undefined}</ErrorNote>
      {feed.rows.length === 0 ? (
        <p class="muted">{filter ? 'No messages match the filter yet.' : 'No messages yet. New ones appear here as the device sends them.'}</p>
      ) : null}
      <ol class="messages" aria-label="Messages, newest first">
        {feed.rows.map((r) => (
          <MessageRow key={r.key} row={r} />
        ))}
      </ol>
    </div>
  );
}

function FeedToolbar(p: { feed: LiveFeed; pollMs: number; filtered: boolean }) {
  const f = p.feed;
  const refused = f.error instanceof ApiError && f.error.status === 400;
  const status = refused
    ? 'Stopped: the hub refused the filter'
    : f.paused
      ? `Paused (${f.held} new held back)`
      : {
          connecting: 'Connecting…',
          push: 'Live: push (WebSocket)',
          poll: `Live: polling every ${p.pollMs / 1000} s${p.filtered ? ' (filtered)' : ''}`,
          reconnecting: 'Live: reconnecting…',
        }[f.mode];
  return (
    <div class="toolbar">
      <p class={`live-status live-${f.paused || refused ? 'paused' : f.mode}`} role="status" data-testid="live-status">
        <span class="dot" aria-hidden="true" /> {status}
      </p>
      <button type="button" aria-pressed={f.paused} onClick={f.togglePause}>
        {f.paused ? 'Resume' : 'Pause'}
      </button>
      <button type="button" onClick={f.clear}>
        Clear
      </button>
      <span class="muted small">{f.rows.length} shown</span>
    </div>
  );
}

/**
 * The `filter` expression (API.md, Expressions): applied on Enter; the hub's 400 reason is shown
 * under the input with the position it names marked.
 */
function FilterInput(p: { applied: string; error: string | undefined; onApply(f: string): void }) {
  const [text, setText] = useState(p.applied);
  const at = p.error ? errorPosition(p.error) : undefined;
  return (
    <search>
      <form
        class="filter-form"
        onSubmit={(e) => {
          e.preventDefault();
          p.onApply(text.trim());
        }}
      >
        <div class="field grow">
          <label for="messages-filter">Filter (expression)</label>
          <div class="filter-row">
            <input
              id="messages-filter"
              class="mono"
              spellcheck={false}
              placeholder="position.speed > 80 && exists('position.satellites')"
              value={text}
              aria-invalid={p.error ? true : undefined}
              aria-describedby={p.error ? 'messages-filter-err' : undefined}
              onInput={(e) => setText(e.currentTarget.value)}
            />
            <button type="submit">Apply</button>
            {p.applied ? (
              <button
                type="button"
                onClick={() => {
                  setText('');
                  p.onApply('');
                }}
              >
                Clear filter
              </button>
            ) : null}
          </div>
          {p.error ? (
            <div class="field-error filter-error" id="messages-filter-err" role="alert">
              {at !== undefined ? (
                <pre class="mono caret" aria-hidden="true" data-testid="filter-caret">
                  {`${p.applied}\n${' '.repeat(at)}^`}
                </pre>
              ) : null}
              <span data-testid="filter-error">{p.error}</span>
            </div>
          ) : null}
        </div>
      </form>
    </search>
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
