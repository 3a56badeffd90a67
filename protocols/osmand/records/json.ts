import { CodecError, CodecErrorCode } from '../../common/errors.js';
import type { Decoded } from '../../common/types.js';
import { JSON_EXTRAS_KEY, JSON_IDENT_KEYS, JSON_LOCATION_KEY } from '../constants.js';
import { isObject, type JsonObject, jsonLocations, type Param, type Raw } from '../packet.js';
import { applyField, type Builder, finishMessage, jsonFieldDef, newBuilder, queryFieldDef } from '../params.js';

/** Nesting kept as separate path segments; deeper values are kept as JSON text. */
const MAX_DEPTH = 6;
const IDENT_KEYS: ReadonlySet<string> = new Set(JSON_IDENT_KEYS);

/**
 * JSON form (Transistorsoft background-geolocation, Traccar Client 9+): `{device_id, location}` where
 * `location` is one location or an array of them, each `{timestamp, coords{latitude, longitude,
 * speed m/s, heading, accuracy, altitude}, is_moving, odometer m, event, battery{level 0..1,
 * is_charging}, activity{type}, extras{...}}`. One message per location; unknown root properties and
 * query parameters (besides the id) apply to every location.
 */
export function decodeJson(root: unknown, query: readonly Param[], out: Decoded): void {
  const locations = jsonLocations(root, JSON_LOCATION_KEY);
  if (locations.length === 0) {
    out.errors.push(new CodecError(CodecErrorCode.Malformed, 'JSON body has no location'));
    return;
  }
  const rootExtras = isObject(root) && root[JSON_LOCATION_KEY] !== undefined ? omit(root, [JSON_LOCATION_KEY, ...IDENT_KEYS]) : {};
  locations.forEach((location, i) => {
    if (!isObject(location)) {
      out.errors.push(new CodecError(CodecErrorCode.Malformed, `location ${i} is not an object`));
      return;
    }
    const b = newBuilder(1);
    decodeLocation(b, location);
    applyExtras(b, rootExtras);
    for (const [key, value] of query) {
      const def = queryFieldDef(key);
      if (def) applyField(b, key, def, value);
    }
    const msg = finishMessage(b);
    out.errors.push(...b.errors);
    if (Object.keys(msg).length > 0) out.messages.push(msg);
  });
}

function decodeLocation(b: Builder, location: JsonObject): void {
  for (const [path, value] of flatten(location, [], 0)) {
    if (path[0] === JSON_EXTRAS_KEY || (path.length === 1 && IDENT_KEYS.has(path[0]))) continue;
    const def = jsonFieldDef(path);
    if (def) applyField(b, path.join('.'), def, value);
  }
  if (isObject(location[JSON_EXTRAS_KEY])) applyExtras(b, location[JSON_EXTRAS_KEY]);
}

/** `extras` (and unknown root properties) read like query parameters: aliases, DESIGN names, `osmand.*`. */
function applyExtras(b: Builder, extras: JsonObject): void {
  for (const [path, value] of flatten(extras, [], 0)) {
    const key = path.join('.');
    const def = queryFieldDef(key);
    if (def) applyField(b, key, def, value);
  }
}

/** Scalars of a JSON object with their key paths; `null` is absent; arrays and deep objects become JSON text. */
function flatten(obj: JsonObject, prefix: readonly string[], depth: number): Array<[string[], Raw]> {
  const out: Array<[string[], Raw]> = [];
  for (const [key, value] of Object.entries(obj)) {
    const path = [...prefix, key];
    if (value === null || value === undefined) continue;
    if (isObject(value) && depth < MAX_DEPTH) out.push(...flatten(value, path, depth + 1));
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.push([path, value]);
    else out.push([path, JSON.stringify(value)]);
  }
  return out;
}

function omit(obj: JsonObject, keys: readonly string[]): JsonObject {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)));
}
