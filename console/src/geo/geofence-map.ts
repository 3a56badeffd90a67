import { circle, divIcon, type LatLngBounds, latLngBounds, layerGroup, type Marker, marker, type Path, polygon, polyline } from 'leaflet';
import { baseMap, type MapOptions } from '../device/track-map.js';
import type { Geofence, LatLon } from '../types.js';
import { type Draft, draftComplete } from './draft.js';

/** The geofence editor's map, driven by the page: shows the geofences, the draft and reports clicks and drags. */
export interface GeofenceMap {
  /** The stored geofences, drawn grey (the one being edited is left out by the caller). */
  showGeofences(list: readonly Geofence[]): void;
  /** The shape being drawn or edited: its points as draggable handles. */
  showDraft(draft: Draft): void;
  /** Fits the view to the draft, else to the geofences. */
  fit(): void;
  dispose(): void;
}

export interface GeofenceMapEvents {
  /** A click on the map (not on a handle). */
  onClick(p: LatLon): void;
  /** Handle `index` of the draft was dragged to `p` (for a circle, 0 is the center). */
  onMove(index: number, p: LatLon): void;
}

/** Where the map starts without anything to show. */
const HOME: [number, number] = [54.6872, 25.2797];
const STORED = { color: '#64748b', weight: 2, fillOpacity: 0.12, className: 'geofence-shape' };
const DRAFT = { color: '#2563eb', weight: 3, fillOpacity: 0.2, className: 'geofence-draft' };

export function createGeofenceMap(el: HTMLElement, opts: MapOptions, events: GeofenceMapEvents): GeofenceMap {
  const m = baseMap(el, opts);
  m.doubleClickZoom.disable(); // clicks place points
  m.setView(HOME, 13, { animate: false });
  const stored = layerGroup().addTo(m);
  const draftLayer = layerGroup().addTo(m);
  const handleLayer = layerGroup().addTo(m);
  let handles: Marker[] = [];
  let storedBounds: LatLngBounds | undefined;
  let draftBounds: LatLngBounds | undefined;
  // a drag ends with a click on the map where the handle was dropped: not a new point
  let draggedAt = 0;
  m.on('click', (e) => {
    if (Date.now() - draggedAt > 300) events.onClick({ lat: round(e.latlng.lat), lon: round(e.latlng.lng) });
  });
  return {
    showGeofences(list) {
      stored.clearLayers();
      storedBounds = undefined;
      for (const g of list) {
        for (const l of shapeLayers(g.geometry, STORED)) stored.addLayer(l.bindTooltip(g.name));
        const b = geometryBounds(g.geometry);
        storedBounds = storedBounds ? storedBounds.extend(b) : b;
      }
    },
    showDraft(draft) {
      draftLayer.clearLayers();
      const geometry = draftComplete(draft);
      if (geometry) for (const l of shapeLayers(geometry, DRAFT)) draftLayer.addLayer(l);
      else if (draft.points.length > 1) draftLayer.addLayer(polyline(draft.points.map(ll), { ...DRAFT, dashArray: '6 6' }));
      if (handles.length === draft.points.length) {
        for (const [i, p] of draft.points.entries()) handles[i].setLatLng(ll(p));
      } else {
        handleLayer.clearLayers();
        handles = draft.points.map((p, i) => {
          const h = marker(ll(p), { draggable: true, keyboard: false, icon: divIcon({ className: 'geofence-handle', iconSize: [14, 14] }) });
          h.on('drag', () => {
            const at = h.getLatLng();
            events.onMove(i, { lat: round(at.lat), lon: round(at.lng) });
          });
          h.on('dragend', () => {
            draggedAt = Date.now();
          });
          handleLayer.addLayer(h);
          return h;
        });
      }
      draftBounds = geometry ? geometryBounds(geometry) : draft.points.length > 0 ? latLngBounds(draft.points.map(ll)) : undefined;
    },
    fit() {
      const b = draftBounds ?? storedBounds;
      if (b?.isValid()) m.fitBounds(b, { padding: [24, 24], maxZoom: 16, animate: false });
    },
    dispose: () => {
      m.stop();
      m.remove();
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function ll(p: LatLon): [number, number] {
  return [p.lat, p.lon];
}

const KM_PER_DEGREE = 111.32;

/** The box around a geometry (a circle's by its radius), to fit the view. */
function geometryBounds(g: Geofence['geometry']): LatLngBounds {
  if (g.type !== 'circle') return latLngBounds(g.path.map(ll));
  const dLat = g.radius / KM_PER_DEGREE;
  const dLon = dLat / Math.max(0.01, Math.cos((g.center.lat * Math.PI) / 180));
  return latLngBounds([g.center.lat - dLat, g.center.lon - dLon], [g.center.lat + dLat, g.center.lon + dLon]);
}

/** Leaflet layers for a geometry; a corridor is its path plus, per segment, a band of the width and a disc at each point. */
function shapeLayers(g: Geofence['geometry'], style: typeof STORED): Path[] {
  switch (g.type) {
    case 'circle':
      return [circle(ll(g.center), { ...style, radius: g.radius * 1000 })];
    case 'polygon':
      return [polygon(g.path.map(ll), style)];
    case 'corridor': {
      const half = g.width / 2;
      const out: Path[] = [polyline(g.path.map(ll), { ...style, fill: false, dashArray: '4 4' })];
      for (const p of g.path) out.push(circle(ll(p), { ...style, weight: 0, radius: half * 1000 }));
      for (let i = 1; i < g.path.length; i++) out.push(polygon(band(g.path[i - 1], g.path[i], half), { ...style, weight: 0 }));
      return out;
    }
  }
}

/** The rectangle `halfKm` either side of a segment (local flat approximation, for drawing only). */
function band(a: LatLon, b: LatLon, halfKm: number): [number, number][] {
  const kmLat = KM_PER_DEGREE;
  const kmLon = KM_PER_DEGREE * Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180);
  const dx = (b.lon - a.lon) * kmLon;
  const dy = (b.lat - a.lat) * kmLat;
  const len = Math.hypot(dx, dy) || 1;
  const ox = (-dy / len) * halfKm;
  const oy = (dx / len) * halfKm;
  const off = (p: LatLon, s: number): [number, number] => [p.lat + (s * oy) / kmLat, p.lon + (s * ox) / kmLon];
  return [off(a, 1), off(b, 1), off(b, -1), off(a, -1)];
}
