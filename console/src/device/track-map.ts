import { circleMarker, control, type Map as LeafletMap, map as leafletMap, polyline, tileLayer } from 'leaflet';
import 'leaflet/dist/leaflet.css';

export interface TrackPoint {
  readonly lat: number;
  readonly lon: number;
  /** Unix seconds */
  readonly ts: number;
  readonly speed?: number;
}

export interface MapOptions {
  /** Tile URL template; empty = no tiles (drawn on a grid). */
  readonly tilesUrl: string;
  /** HTML shown in the attribution control while tiles are shown. */
  readonly attribution: string;
  /** Called once when the tiles cannot be loaded and the map fell back to the grid. */
  readonly onTilesFailed?: () => void;
}

/** Tile errors without a single loaded tile after which the tiles are given up (offline, blocked, wrong URL). */
const FAILED_TILES = 3;

/**
 * A Leaflet map (SVG renderer) over the configured tiles when they load, else on a grid (the
 * container's background), with a metric scale. The geofence editor draws on it too.
 */
export function baseMap(el: HTMLElement, opts: MapOptions): LeafletMap {
  const m = leafletMap(el, { attributionControl: opts.tilesUrl !== '', zoomSnap: 0.25, keyboard: true });
  if (opts.tilesUrl) {
    // The page sends no referrer (index.html); tile servers such as OpenStreetMap's require the origin.
    const tiles = tileLayer(opts.tilesUrl, { maxZoom: 19, attribution: opts.attribution, referrerPolicy: 'strict-origin-when-cross-origin' });
    let loaded = 0;
    let failed = 0;
    const giveUp = () => {
      if (loaded > 0 || failed === 0 || !m.hasLayer(tiles)) return;
      m.removeLayer(tiles);
      opts.onTilesFailed?.();
    };
    tiles.on('tileload', () => loaded++);
    tiles.on('tileerror', () => {
      failed++;
      if (failed >= FAILED_TILES) giveUp();
    });
    tiles.on('load', giveUp); // every visible tile settled: none loaded means none will
    tiles.addTo(m);
  }
  control.scale({ imperial: false }).addTo(m);
  return m;
}

/**
 * Draws a track with Leaflet's SVG renderer: a polyline with start and end markers, fitted to
 * the view, over map tiles when configured and loadable, else on a grid (the container's
 * background), so it works offline. Returns a disposer.
 */
export function drawTrack(el: HTMLElement, points: readonly TrackPoint[], opts: MapOptions): () => void {
  const m = baseMap(el, opts);
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
