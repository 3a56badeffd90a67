import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { IDENT_PARAMS, JSON_IDENT_KEYS } from './constants.js';

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
