import { CodecError, CodecErrorCode } from '../common/errors.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { EMPTY_BODY, HttpStatus, JSON_LOCATION_KEY } from './constants.js';
import { identifiedPayload, isIdentParam, isObject, jsonLocations, type Payload, type Raw } from './packet.js';
import { applyField, type FieldKind, jsonFieldDef, newBuilder, queryFieldDef } from './params.js';

/** Values whose failure makes the request unparsable (400): where and when. */
const CORE_KINDS: ReadonlySet<FieldKind> = new Set(['latitude', 'longitude', 'location', 'timestamp']);
const CORE_JSON_PATHS = [['timestamp'], ['coords', 'latitude'], ['coords', 'longitude']] as const;

/**
 * Identity and response of one request, without decoding it: 200 with an empty body (the listener
 * puts a queued command's text there instead) and `store` when the request carries data; 400 for a
 * request without a device id, with an invalid id, or with an unparsable position or time.
 */
export function inspect(frame: Buffer, _state: SessionState, _options: CodecOptions): Inspection {
  const request = identifiedPayload(frame);
  if (request instanceof CodecError) return refuse(request);
  const problem = checkCore(request.payload);
  if (problem) return refuse(problem);
  return { ident: request.ident, store: carriesData(request.payload), status: HttpStatus.Ok, reply: EMPTY_BODY };
}

function refuse(error: CodecError): Inspection {
  return { store: false, status: HttpStatus.BadRequest, reply: EMPTY_BODY, error };
}

/** A request with only its id (a ping) is answered but not stored. */
function carriesData(payload: Payload): boolean {
  return payload.kind === 'json' || payload.params.some(([key]) => !isIdentParam(key));
}

/** The first error among the position and time values, converted as the decoder would. */
function checkCore(payload: Payload): CodecError | undefined {
  const b = newBuilder(1);
  if (payload.kind === 'query') {
    for (const [key, value] of payload.params) {
      const def = queryFieldDef(key);
      if (def && CORE_KINDS.has(def.kind)) applyField(b, key, def, value);
    }
    return b.errors[0];
  }
  const locations = jsonLocations(payload.root, JSON_LOCATION_KEY);
  if (locations.length === 0) return new CodecError(CodecErrorCode.Malformed, 'JSON body has no location');
  for (const location of locations) {
    if (!isObject(location)) return new CodecError(CodecErrorCode.Malformed, 'a JSON location is not an object');
    for (const path of CORE_JSON_PATHS) {
      const value = valueAt(location, path);
      const def = jsonFieldDef(path); // defined for every core path
      if (isRaw(value) && def) applyField(b, path.join('.'), def, value);
      else if (value !== undefined && value !== null) return new CodecError(CodecErrorCode.Malformed, `location ${path.join('.')} is not a value`);
    }
  }
  return b.errors[0];
}

function isRaw(value: unknown): value is Raw {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function valueAt(obj: Record<string, unknown>, path: readonly string[]): unknown {
  let at: unknown = obj;
  for (const key of path) at = isObject(at) ? at[key] : undefined;
  return at;
}
