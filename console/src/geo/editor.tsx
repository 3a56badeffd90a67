import { useEffect, useRef, useState } from 'preact/hooks';
import { Notice } from '../components.js';
import { tilesAttribution } from '../config.js';
import { useApp } from '../context.js';
import { CheckField, Field, Form, FormFooter, SelectField } from '../fields.js';
import { useAction } from '../hooks.js';
import { fieldReason, reasonFor } from '../reason.js';
import type { Geofence } from '../types.js';
import { clickDraft, type Draft, draftFrom, draftGeometry, draftProblem, EMPTY_DRAFT, moveDraft, retypeDraft, SHAPE_TYPES, type ShapeType } from './draft.js';
import type { GeofenceMap } from './geofence-map.js';

const HOW: Record<ShapeType, string> = {
  circle: 'Click the map to place the center, click again to set the radius (or type it). Drag the center to move it.',
  polygon: 'Click the map to add corners (3 to 1024; the last joins the first). Drag a corner to move it.',
  corridor: 'Click the map to add points of the path, and set the width. Drag a point to move it.',
};

/** Creates (no `geofence`) or edits a geofence: fields, and the shape drawn on the map. */
export function GeofenceEditor(p: { geofence?: Geofence; others: readonly Geofence[]; onDone(saved?: Geofence): void }) {
  const { api } = useApp();
  const g = p.geofence;
  const [name, setName] = useState(g?.name ?? '');
  const [priority, setPriority] = useState(String(g?.priority ?? 0));
  const [enabled, setEnabled] = useState(g?.enabled ?? true);
  const [draft, setDraft] = useState<Draft>(g ? draftFrom(g.geometry) : EMPTY_DRAFT);
  const [problem, setProblem] = useState<string | undefined>();
  const action = useAction();
  const edit = (d: Draft) => {
    setDraft(d);
    setProblem(undefined);
    action.clear();
  };
  const submit = async () => {
    const missing = !name.trim() ? 'Name is required.' : draftProblem(draft);
    if (missing) return setProblem(missing);
    setProblem(undefined);
    const body = { name: name.trim(), priority: Number(priority), enabled, geometry: draftGeometry(draft) };
    let saved: Geofence | undefined;
    const ok = await action.run(async () => {
      [saved] = g ? await api.put<Geofence>(`/gw/geofences/${g.id}`, body) : await api.post<Geofence>('/gw/geofences', [body]);
    });
    if (ok) p.onDone(saved);
  };
  const reason = fieldReason(action.error);
  const shapeError = reasonFor(reason, 'geometry.path', 'geometry.center', 'geometry.type', 'geometry');
  const titleId = 'geofence-form-title';
  return (
    <Form class="card form-grid geofence-form" onSubmit={submit} heading={g ? `Edit geofence ${g.name}` : 'New geofence'} headingId={titleId}>
      <Field id="gf-name" label="Name" required error={reasonFor(reason, 'name')}>
        <input id="gf-name" value={name} onInput={(e) => setName(e.currentTarget.value)} aria-invalid={reasonFor(reason, 'name') ? true : undefined} />
      </Field>
      <SelectField id="gf-type" label="Shape" value={draft.type} onValue={(v) => edit(retypeDraft(draft, v as ShapeType))}>
        {SHAPE_TYPES.map((t) => (
          <option value={t}>{t}</option>
        ))}
      </SelectField>
      <Field id="gf-priority" label="Priority" error={reasonFor(reason, 'priority')}>
        <input id="gf-priority" type="number" step="1" value={priority} onInput={(e) => setPriority(e.currentTarget.value)} />
      </Field>
      {draft.type === 'circle' ? (
        <Field id="gf-radius" label="Radius (km)" error={reasonFor(reason, 'geometry.radius')}>
          <input id="gf-radius" type="number" min="0" step="any" value={draft.radius} onInput={(e) => edit({ ...draft, radius: e.currentTarget.value })} />
        </Field>
      ) : null}
      {draft.type === 'corridor' ? (
        <Field id="gf-width" label="Width (km)" error={reasonFor(reason, 'geometry.width')}>
          <input id="gf-width" type="number" min="0" step="any" value={draft.width} onInput={(e) => edit({ ...draft, width: e.currentTarget.value })} />
        </Field>
      ) : null}
      <CheckField id="gf-enabled" label="Enabled" checked={enabled} onChange={setEnabled} />
      <ShapeSection draft={draft} others={p.others} onDraft={edit} error={shapeError} />
      <FormFooter action={{ ...action, error: reason ? undefined : action.error }} problem={problem} submit={g ? 'Save geofence' : 'Create geofence'}>
        <button type="button" onClick={() => p.onDone()}>
          Cancel
        </button>
      </FormFooter>
    </Form>
  );
}

/** How to draw, the point count with undo and clear, the map, and the hub's reason about the shape. */
function ShapeSection(p: { draft: Draft; others: readonly Geofence[]; onDraft(d: Draft): void; error: string | undefined }) {
  const { draft } = p;
  return (
    <div class="wide">
      <p class="muted small" id="gf-how">
        {HOW[draft.type]}
      </p>
      <div class="toolbar">
        <span data-testid="gf-points">
          {draft.points.length} point{draft.points.length === 1 ? '' : 's'}
        </span>
        <button type="button" disabled={draft.points.length === 0} onClick={() => p.onDraft({ ...draft, points: draft.points.slice(0, -1) })}>
          Undo last point
        </button>
        <button type="button" disabled={draft.points.length === 0} onClick={() => p.onDraft({ ...draft, points: [] })}>
          Clear shape
        </button>
      </div>
      <GeofenceMapView draft={draft} others={p.others} onDraft={p.onDraft} />
      {p.error ? (
        <small class="field-error" id="gf-shape-err" data-testid="gf-shape-error">
          {p.error}
        </small>
      ) : null}
    </div>
  );
}

/** The geofences on a map (Leaflet, loaded on demand), in grey; in the editor, the draft with handles. */
export function GeofenceMapView(p: { draft?: Draft; others: readonly Geofence[]; onDraft?(d: Draft): void }) {
  const { config } = useApp();
  const el = useRef<HTMLDivElement>(null);
  const mapRef = useRef<GeofenceMap | undefined>(undefined);
  const draftRef = useRef(p.draft ?? EMPTY_DRAFT);
  draftRef.current = p.draft ?? EMPTY_DRAFT;
  const onDraft = useRef(p.onDraft);
  onDraft.current = p.onDraft;
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let alive = true;
    const opts = { tilesUrl: config.tilesUrl, attribution: tilesAttribution(config) };
    import('./geofence-map.js').then(
      (mod) => {
        if (!alive || !el.current) return;
        const m = mod.createGeofenceMap(el.current, opts, {
          onClick: (pt) => onDraft.current?.(clickDraft(draftRef.current, pt)),
          onMove: (i, pt) => onDraft.current?.(moveDraft(draftRef.current, i, pt)),
        });
        mapRef.current = m;
        m.showGeofences(p.others);
        m.showDraft(draftRef.current);
        m.fit();
      },
      (err: unknown) => setError(String(err)),
    );
    return () => {
      alive = false;
      mapRef.current?.dispose();
      mapRef.current = undefined;
    };
  }, [config]);
  useEffect(() => mapRef.current?.showGeofences(p.others), [p.others]);
  useEffect(() => mapRef.current?.showDraft(p.draft ?? EMPTY_DRAFT), [p.draft]);
  return (
    <>
      {error ? <Notice kind="error">The map could not load: {error}</Notice> : null}
      <section
        ref={el}
        class="map geofence-map"
        aria-label={p.onDraft ? 'Geofence map: click to place points' : 'Geofences map'}
        aria-describedby={p.onDraft ? 'gf-how' : undefined}
        data-testid={p.onDraft ? 'geofence-map' : 'geofences-overview'}
      />
    </>
  );
}
