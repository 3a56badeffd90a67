import type { CalcDefinition } from '../schemas/calcs.js';
import type { CounterValue, Interval, RoutePoint } from './types.js';

/**
 * Interval exports (`GET .../intervals/{isel}?format=csv|gpx`).
 *
 * CSV (RFC 4180: CRLF line ends, a cell with a comma, quote, CR or LF in double quotes with quotes
 * doubled). Columns: `id`, `calc_id` and `device_id` when the intervals carry them, `begin`,
 * `begin_time`, `end`, `end_time`, `duration`, `active`, the calculator's counters in definition
 * order, then any other field (user fields) in order of first appearance. Times are Unix seconds
 * and ISO 8601 in the calculator's timezone (`2024-05-01T10:00:00+02:00`); arrays and routes are
 * JSON in their cell; null is an empty cell. The quoter is written here: the rule is four lines,
 * and `csv-stringify` would bring a streaming framework for it.
 *
 * GPX 1.1: one `<trk>` per interval (name = its id, desc = its begin and end), its first `route`
 * counter as one `<trkseg>` (an interval without a route has a `<trk>` without segment), `<time>` in UTC.
 */

function cell(v: CounterValue | undefined): string {
  if (v === null || v === undefined) return '';
  const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Formats Unix seconds as ISO 8601 with the zone's offset (milliseconds only when there are some). */
export function isoInZone(ts: number, timeZone: string): string {
  return zoneFormatter(timeZone)(ts);
}

function zoneFormatter(timeZone: string): (ts: number) => string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const utc = timeZone === 'UTC' || timeZone === 'Etc/UTC';
  return (ts) => {
    const ms = Math.round(ts * 1000);
    const date = new Date(ms);
    const p: Record<string, number> = {};
    for (const part of format.formatToParts(date)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    const offset = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60000);
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const frac = ms % 1000 === 0 ? '' : `.${pad(((ms % 1000) + 1000) % 1000, 3)}`;
    const sign = offset < 0 ? '-' : '+';
    const zone = utc ? 'Z' : `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
    return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${frac}${zone}`;
  };
}

export function intervalsToCsv(calc: Pick<CalcDefinition, 'counters' | 'timezone'>, intervals: readonly Interval[]): string {
  const iso = zoneFormatter(calc.timezone);
  const known = ['id', 'calc_id', 'device_id', 'begin', 'end', 'duration', 'active', ...calc.counters.map((c) => c.name)];
  const extra: string[] = [];
  for (const i of intervals) for (const k of Object.keys(i)) if (!known.includes(k) && !extra.includes(k)) extra.push(k);
  const ids = ['calc_id', 'device_id'].filter((k) => intervals.some((i) => i[k] !== undefined));
  const columns = ['id', ...ids, 'begin', 'begin_time', 'end', 'end_time', 'duration', 'active', ...calc.counters.map((c) => c.name), ...extra];
  const value = (i: Interval, col: string): CounterValue | undefined => {
    if (col === 'begin_time') return iso(i.begin);
    if (col === 'end_time') return iso(i.end);
    return i[col];
  };
  const lines = [columns.map(cell).join(','), ...intervals.map((i) => columns.map((col) => cell(value(i, col))).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
}

function isRoute(v: CounterValue | undefined): v is readonly RoutePoint[] {
  return Array.isArray(v) && v.every((p) => typeof p === 'object' && p !== null && 'lat' in p && 'lon' in p && 't' in p);
}

export function intervalsToGpx(calc: Pick<CalcDefinition, 'counters' | 'name'>, intervals: readonly Interval[]): string {
  const route = calc.counters.find((c) => c.type === 'route')?.name;
  const utc = zoneFormatter('UTC');
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="telematics-hub" xmlns="http://www.topografix.com/GPX/1/1">',
    `  <metadata><name>${xml(calc.name)}</name></metadata>`,
  ];
  for (const i of intervals) {
    out.push('  <trk>', `    <name>${i.id}</name>`, `    <desc>${xml(`${utc(i.begin)} – ${utc(i.end)}`)}</desc>`);
    const points = route === undefined ? undefined : i[route];
    if (isRoute(points) && points.length > 0) {
      out.push('    <trkseg>');
      for (const p of points) out.push(`      <trkpt lat="${p.lat}" lon="${p.lon}"><time>${utc(p.t)}</time></trkpt>`);
      out.push('    </trkseg>');
    }
    out.push('  </trk>');
  }
  out.push('</gpx>', '');
  return out.join('\n');
}
