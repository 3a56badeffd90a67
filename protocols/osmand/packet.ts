import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import type { MessageValue } from '../common/types.js';
import { IDENT_PARAMS, JSON_IDENT_KEYS, SECONDS_LIMIT } from './constants.js';

/**
 * The envelope of an OsmAnd frame, read by the inspector and the decoder alike: the HTTP request,
 * its query / form parameters or JSON body, the device id, and the readers of the raw values
 * (numbers, booleans, times) that the parameter table (params.ts) converts.
 */

/**
 * One HTTP request as the listener frames it (protocols/common/types.ts `Transport`):
 * `{"method","path","headers","body"}`, path with its query string, body as text.
 */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One query or form parameter, decoded (`+` → space, `%xx`), in request order; keys repeat. */
export type Param = readonly [key: string, value: string];

/** What a request carries: query/form parameters, or a JSON body (plus any query parameters). */
export type Payload =
  | { readonly kind: 'query'; readonly params: readonly Param[] }
  | { readonly kind: 'json'; readonly root: unknown; readonly params: readonly Param[] };

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Malformed, reason);
}

/** Parses a request frame; anything but the JSON shape above is a `malformed` error. */
export function parseRequest(frame: Buffer): HttpRequest | CodecError {
  let value: unknown;
  try {
    value = JSON.parse(frame.toString('utf8'));
  } catch (err) {
    return malformed(`request frame is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isObject(value)) return malformed('request frame is not a JSON object');
  const { method, path, headers = {}, body = '' } = value;
  if (typeof method !== 'string' || !/^[A-Za-z]{1,16}$/.test(method)) return malformed('request frame has no HTTP "method"');
  if (typeof path !== 'string') return malformed('request frame has no "path"');
  if (!isObject(headers)) return malformed('request frame "headers" is not an object');
  if (typeof body !== 'string') return malformed('request frame "body" is not text');
  const lower: Record<string, string> = {};
  for (const [name, v] of Object.entries(headers)) lower[name.toLowerCase()] = String(v);
  return { method: method.toUpperCase(), path, headers: lower, body };
}

/** `application/json`, or no form content type and a body that opens a JSON object or array. */
function isJsonBody(req: HttpRequest): boolean {
  const type = req.headers['content-type'] ?? '';
  if (/json/i.test(type)) return true;
  if (/x-www-form-urlencoded/i.test(type)) return false;
  return /^\s*[[{]/.test(req.body);
}

function searchParams(text: string): Param[] {
  return [...new URLSearchParams(text)].map(([k, v]) => [k, v] as const);
}

/** The query string's parameters, then (not JSON) the form body's; a JSON body is parsed. */
export function readPayload(req: HttpRequest): Payload | CodecError {
  const q = req.path.indexOf('?');
  const query = q < 0 ? [] : searchParams(req.path.slice(q + 1));
  if (!isJsonBody(req)) return { kind: 'query', params: req.body.trim() ? [...query, ...searchParams(req.body.trim())] : query };
  try {
    return { kind: 'json', root: JSON.parse(req.body), params: query };
  } catch (err) {
    return malformed(`JSON body does not parse (${err instanceof Error ? err.message : String(err)})`);
  }
}

export function isIdentParam(key: string): boolean {
  return (IDENT_PARAMS as readonly string[]).includes(key.toLowerCase());
}

/** The device id: `id`/`deviceid` parameter, or the JSON root's `device_id` (then the query's). */
export function identOf(payload: Payload): string | undefined {
  if (payload.kind === 'json' && isObject(payload.root)) {
    for (const key of JSON_IDENT_KEYS) {
      const v = payload.root[key];
      if ((typeof v === 'string' && v.trim() !== '') || typeof v === 'number') return String(v).trim();
    }
  }
  const param = payload.params.find(([k, v]) => isIdentParam(k) && v.trim() !== '');
  return param?.[1].trim();
}

/** The JSON body's location objects: `location` (object or array), a root array, or a bare location. */
export function jsonLocations(root: unknown, locationKey: string): unknown[] {
  if (Array.isArray(root)) return root;
  if (!isObject(root)) return [];
  const loc = root[locationKey];
  if (Array.isArray(loc)) return loc;
  if (loc !== undefined) return [loc];
  return isObject(root.coords) ? [root] : [];
}

/** A parsed request with its device id, or the error that gets it a 400 (shared by inspect and decode). */
export function identifiedPayload(frame: Buffer): { readonly payload: Payload; readonly ident: string } | CodecError {
  const req = parseRequest(frame);
  if (req instanceof CodecError) return req;
  const payload = readPayload(req);
  if (payload instanceof CodecError) return payload;
  const ident = identOf(payload);
  if (ident === undefined) return new CodecError(CodecErrorCode.Unidentified, 'request has no id, deviceid or device_id');
  if (!isValidIdent(ident)) return malformed(`device id "${ident.slice(0, 32)}" is not a valid ident`);
  return { payload, ident };
}

/** A value as it arrives: query/form text, or a JSON scalar. */
export type Raw = string | number | boolean;

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite number from a JSON number or numeric text; undefined otherwise. */
export function toNumber(raw: Raw): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string' || !NUMERIC.test(raw.trim())) return undefined;
  const n = Number(raw.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** `true`/`false`/`1`/`0` (any case) or a JSON boolean. */
export function toBool(raw: Raw): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  const t = String(raw).trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return undefined;
}

/** Extra parameters: numbers when numeric, booleans for true/false, text otherwise. */
export function typed(raw: Raw): MessageValue {
  if (typeof raw !== 'string') return raw;
  const n = toNumber(raw);
  if (n !== undefined) return n;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return raw;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Unix seconds (fraction kept) from: Unix seconds or milliseconds (a number below 2^31 - 1 is
 * seconds), ISO 8601 (`2016-01-27T18:55:47Z`, offsets allowed), or `yyyy-MM-dd HH:mm:ss`. Text
 * without a zone is taken as UTC.
 */
export function parseTimestamp(raw: Raw): number | undefined {
  const n = toNumber(raw);
  if (n !== undefined) return n < 0 ? undefined : n < SECONDS_LIMIT ? n : n / 1000;
  if (typeof raw !== 'string') return undefined;
  const m = DATE_TIME.exec(raw.trim());
  if (!m) return undefined;
  const fraction = m[3] ? m[3].slice(0, 4) : '';
  const zone = !m[4] || m[4].toUpperCase() === 'Z' ? 'Z' : normaliseOffset(m[4]);
  const ms = Date.parse(`${m[1]}T${m[2]}${fraction}${zone}`);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** `+03` → `+03:00`, `+0330` → `+03:30`. */
function normaliseOffset(offset: string): string {
  const digits = offset.slice(1).replace(':', '');
  return `${offset[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
}

/** `driverUniqueId` → `driver_unique_id`, `Foo-Bar` → `foo_bar`; empty when nothing is left. */
export function snake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Rounds away binary noise from unit conversions (74.08000000000001 → 74.08). */
export function round(value: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
