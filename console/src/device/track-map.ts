import { circleMarker, control, map as leafletMap, polyline, tileLayer } from 'leaflet';
import 'leaflet/dist/leaflet.css';

export interface TrackPoint {
  readonly lat: number;
  readonly lon: number;
  /** Unix seconds */
  readonly ts: number;
  readonly speed?: number;
}

export interface MapOptions {
  /** Tile URL template; empty = no tiles (plain background). */
  readonly tilesUrl: string;
  readonly attribution: string;
}

/**
 * Draws a track with Leaflet's SVG renderer: a polyline with start and end markers, fitted to
 * the view. Without tiles the map is a plain background, so it works offline. Returns a disposer.
 */
export function drawTrack(el: HTMLElement, points: readonly TrackPoint[], opts: MapOptions): () => void {
  const m = leafletMap(el, { attributionControl: opts.tilesUrl !== '', zoomSnap: 0.25, keyboard: true });
  if (opts.tilesUrl) tileLayer(opts.tilesUrl, { maxZoom: 19, attribution: opts.attribution }).addTo(m);
  control.scale({ imperial: false }).addTo(m);
  const latlngs = points.map((p) => [p.lat, p.lon] as [number, number]);
  const line = polyline(latlngs, { color: '#2563eb', weight: 4, opacity: 0.9, className: 'track-line' }).addTo(m);
  const first = points[0];
  const last = points[points.length - 1];
  circleMarker([first.lat, first.lon], { radius: 7, color: '#15803d', fillColor: '#22c55e', fillOpacity: 1, className: 'track-start' })
    .bindTooltip('Start')
    .addTo(m);
  circleMarker([last.lat, last.lon], { radius: 7, color: '#b91c1c', fillColor: '#ef4444', fillOpacity: 1, className: 'track-end' }).bindTooltip('End').addTo(m);
  if (points.length === 1) m.setView(latlngs[0], 15);
  else m.fitBounds(line.getBounds(), { padding: [24, 24], maxZoom: 17 });
  return () => m.remove();
}
