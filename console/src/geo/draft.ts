import type { Geometry, LatLon } from '../types.js';

export type ShapeType = Geometry['type'];
export const SHAPE_TYPES: readonly ShapeType[] = ['circle', 'polygon', 'corridor'];

/**
 * A geofence being drawn: the points placed on the map (a circle's center is its first), the
 * circle's radius and the corridor's width in km as typed (text, checked on submit).
 */
export interface Draft {
  readonly type: ShapeType;
  readonly points: readonly LatLon[];
  readonly radius: string;
  readonly width: string;
}

export const EMPTY_DRAFT: Draft = { type: 'polygon', points: [], radius: '0.5', width: '0.2' };

/** Great-circle distance in km (haversine, mean Earth radius). */
export function distanceKm(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The geometry the draft describes, as the API takes it (the hub checks it; numbers as typed). */
export function draftGeometry(d: Draft): Geometry {
  const path = [...d.points];
  switch (d.type) {
    case 'circle':
      return { type: 'circle', center: path[0] ?? { lat: Number.NaN, lon: Number.NaN }, radius: Number(d.radius) };
    case 'polygon':
      return { type: 'polygon', path };
    case 'corridor':
      return { type: 'corridor', path, width: Number(d.width) };
  }
}

/** The geometry when the draft has enough to draw (points, a positive size), else undefined. */
export function draftComplete(d: Draft): Geometry | undefined {
  const g = draftGeometry(d);
  if (g.type === 'circle') return d.points.length > 0 && g.radius > 0 ? g : undefined;
  if (g.type === 'polygon') return g.path.length >= 3 ? g : undefined;
  return g.path.length >= 2 && g.width > 0 ? g : undefined;
}

/** What is still missing before the draft can be saved, in words; undefined when nothing is. */
export function draftProblem(d: Draft): string | undefined {
  if (d.type === 'circle') {
    if (d.points.length === 0) return 'Click the map to place the center.';
    return Number(d.radius) > 0 ? undefined : 'The radius must be a positive number of km.';
  }
  if (d.type === 'polygon') return d.points.length >= 3 ? undefined : `Click at least 3 points on the map (${d.points.length} so far).`;
  if (d.points.length < 2) return `Click at least 2 points of the path on the map (${d.points.length} so far).`;
  return Number(d.width) > 0 ? undefined : 'The width must be a positive number of km.';
}

export function draftFrom(g: Geometry): Draft {
  if (g.type === 'circle') return { ...EMPTY_DRAFT, type: 'circle', points: [g.center], radius: String(g.radius) };
  if (g.type === 'polygon') return { ...EMPTY_DRAFT, type: 'polygon', points: g.path };
  return { ...EMPTY_DRAFT, type: 'corridor', points: g.path, width: String(g.width) };
}

/** A click on the map: a circle's first click is its center, the next ones set the radius; a path gets a point. */
export function clickDraft(d: Draft, p: LatLon): Draft {
  if (d.type !== 'circle') return { ...d, points: [...d.points, p] };
  const center = d.points[0];
  if (!center) return { ...d, points: [p] };
  return { ...d, radius: String(Math.max(0.001, Math.round(distanceKm(center, p) * 1000) / 1000)) };
}

export function moveDraft(d: Draft, index: number, p: LatLon): Draft {
  return { ...d, points: d.points.map((q, i) => (i === index ? p : q)) };
}

/** A different shape keeps the points that still make sense (a circle keeps the first as its center). */
export function retypeDraft(d: Draft, type: ShapeType): Draft {
  return { ...d, type, points: type === 'circle' ? d.points.slice(0, 1) : d.points };
}
