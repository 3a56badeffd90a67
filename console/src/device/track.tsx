import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorNote, ErrorNotice, Notice } from '../components.js';
import { tilesAttribution } from '../config.js';
import { useApp } from '../context.js';
import { Form, InputField } from '../fields.js';
import { fmtDuration, fmtTime, fromLocalInput, toLocalInput } from '../format.js';
import { useAction } from '../hooks.js';
import type { Device, Message } from '../types.js';
import type { TrackPoint } from './track-map.js';

const FIELDS = 'timestamp,position.latitude,position.longitude,position.speed';
const RANGES: readonly { label: string; seconds: number }[] = [
  { label: 'Last hour', seconds: 3600 },
  { label: 'Last 24 h', seconds: 86400 },
  { label: 'Last 7 days', seconds: 7 * 86400 },
];

/** Great-circle distance in km. */
export function distanceKm(points: readonly TrackPoint[]): number {
  let km = 0;
  const rad = Math.PI / 180;
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    const dLat = (b.lat - a.lat) * rad;
    const dLon = (b.lon - a.lon) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
    km += 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  return km;
}

/** The positions of a time range drawn on a map (Leaflet, loaded on demand). */
export function TrackTab(p: { device: Device }) {
  const { api, config } = useApp();
  const now = Math.floor(Date.now() / 1000);
  const [from, setFrom] = useState(toLocalInput(now - 86400));
  const [to, setTo] = useState(toLocalInput(now + 60));
  const [points, setPoints] = useState<TrackPoint[] | undefined>();
  const [truncated, setTruncated] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const action = useAction();

  const load = async (f: number, t: number) => {
    await action.run(async () => {
      const { items, truncated: cut } = await api.all<Message>(`/gw/devices/${p.device.id}/messages`, { from: f, to: t, fields: FIELDS, count: 10000 }, 10);
      const pts: TrackPoint[] = [];
      for (const m of items) {
        const lat = m['position.latitude'];
        const lon = m['position.longitude'];
        if (typeof lat === 'number' && typeof lon === 'number' && (lat !== 0 || lon !== 0))
          pts.push({ lat, lon, ts: Number(m.timestamp), speed: typeof m['position.speed'] === 'number' ? m['position.speed'] : undefined });
      }
      setPoints(pts);
      setTruncated(cut);
    });
  };
  const submit = () => {
    const f = fromLocalInput(from);
    const t = fromLocalInput(to);
    if (f === undefined || t === undefined) return setProblem('Enter both ends of the range.');
    if (f > t) return setProblem('"From" must be before "To".');
    setProblem(undefined);
    void load(f, t);
  };
  const quick = (seconds: number) => {
    const t = Math.floor(Date.now() / 1000) + 60;
    setFrom(toLocalInput(t - seconds));
    setTo(toLocalInput(t));
    setProblem(undefined);
    void load(t - seconds, t);
  };
  return (
    <div>
      <Form class="toolbar range" onSubmit={submit} aria-label="Time range" noValidate={false}>
        <InputField id="track-from" label="From" type="datetime-local" value={from} onValue={setFrom} />
        <InputField id="track-to" label="To" type="datetime-local" value={to} onValue={setTo} />
        <button type="submit" class="primary" disabled={action.busy}>
          Show track
        </button>
        <fieldset class="quick" aria-label="Quick ranges">
          {RANGES.map((r) => (
            <button type="button" onClick={() => quick(r.seconds)}>
              {r.label}
            </button>
          ))}
        </fieldset>
      </Form>
      <ErrorNote>{problem}</ErrorNote>
      <ErrorNotice error={action.error} />
      {action.busy ? <p class="muted">Loading positions…</p> : null}
      {points ? (
        <>
          <TrackSummary points={points} truncated={truncated} />
          {points.length > 0 ? (
            <TrackMapLoader points={points} tilesUrl={config.tilesUrl} attribution={tilesAttribution(config)} />
          ) : (
            <Notice>No positions in this range.</Notice>
          )}
          {!config.tilesUrl && points.length > 0 ? (
            <p class="muted small">
              No map tiles are set: the track is drawn on a grid. Set a tile URL in <a href="#/preferences">Preferences</a>.
            </p>
          ) : null}
        </>
      ) : (
        <p class="muted">Choose a range and press “Show track”.</p>
      )}
    </div>
  );
}

function TrackSummary(p: { points: readonly TrackPoint[]; truncated: boolean }) {
  const pts = p.points;
  const maxSpeed = pts.reduce((m, x) => Math.max(m, x.speed ?? 0), 0);
  const first = pts[0];
  const last = pts[pts.length - 1];
  return (
    <p class="track-summary" role="status" data-testid="track-summary">
      {pts.length} points
      {first && last
        ? ` · ${distanceKm(pts).toFixed(2)} km · max ${maxSpeed} km/h · ${fmtTime(first.ts)} → ${fmtTime(last.ts)} (${fmtDuration(last.ts - first.ts)})`
        : ''}
      {p.truncated ? ' · truncated: narrow the range' : ''}
    </p>
  );
}

/** Loads Leaflet (a separate chunk) only when a track is shown; says so when the tiles could not be loaded. */
export function TrackMapLoader(p: { points: TrackPoint[]; tilesUrl: string; attribution: string }) {
  const el = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | undefined>();
  const [tilesFailed, setTilesFailed] = useState(false);
  useEffect(() => {
    let dispose: (() => void) | undefined;
    let alive = true;
    setTilesFailed(false);
    const opts = { tilesUrl: p.tilesUrl, attribution: p.attribution, onTilesFailed: () => alive && setTilesFailed(true) };
    import('./track-map.js').then(
      (mod) => {
        if (alive && el.current) dispose = mod.drawTrack(el.current, p.points, opts);
      },
      (err: unknown) => setError(String(err)),
    );
    return () => {
      alive = false;
      dispose?.();
    };
  }, [p.points, p.tilesUrl, p.attribution]);
  return (
    <>
      {error ? <Notice kind="error">The map could not load: {error}</Notice> : null}
      {tilesFailed ? (
        <Notice kind="warn" id="tiles-failed">
          Map tiles could not be loaded; drawn on a grid.
        </Notice>
      ) : null}
      <section ref={el} class="map" aria-label="Track map (arrow keys pan, + and − zoom)" data-testid="track-map" />
    </>
  );
}
