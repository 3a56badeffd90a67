/**
 * OsmAnd / Traccar Client over HTTP (default port 5055). Sources: ../shared/protocols/README.md
 * ("OsmAnd / Traccar Client"), the OsmAnd online-tracking URL template, Traccar Client's request
 * format, and the Transistorsoft background-geolocation HTTP JSON shape.
 */

/** Response statuses the listener sends (the body is the inspection's `reply`, or a queued command). */
export const HttpStatus = {
  /** Request accepted (a queued command's text, if any, goes in the body). */
  Ok: 200,
  /** No device id, an invalid id, or unparsable data. */
  BadRequest: 400,
} as const;

/** Query / form parameters that carry the device identifier (Traccar Client: `id`; others: `deviceid`). */
export const IDENT_PARAMS = ['id', 'deviceid'] as const;

/** JSON (Transistorsoft) root property that carries the device identifier. */
export const JSON_IDENT_KEYS = ['device_id', 'deviceid', 'id'] as const;

/** JSON root property holding one location object or an array of them (Transistorsoft `httpRootProperty`). */
export const JSON_LOCATION_KEY = 'location';

/** JSON location property holding free-form values (Transistorsoft `extras`), decoded like query parameters. */
export const JSON_EXTRAS_KEY = 'extras';

/**
 * Query `speed` unit → km/h factor, chosen by the channel setting `speed` (`settings.speed`).
 * Traccar Client sends knots (the default); the OsmAnd app template `{5}` sends m/s.
 */
export const SPEED_UNITS = {
  kn: 1.852,
  knots: 1.852,
  kmh: 1,
  kph: 1,
  ms: 3.6,
  mps: 3.6,
  mph: 1.609344,
} as const;
export const DEFAULT_SPEED_UNIT = 'kn';

/** A numeric `timestamp` below this is Unix seconds, at or above it milliseconds (2^31 - 1). */
export const SECONDS_LIMIT = 2147483647;

/** km/h per m/s, for the JSON form's `coords.speed`. */
export const KMH_PER_MPS = 3.6;

/** An accepted request's response body when no command is queued. */
export const EMPTY_BODY: Buffer = Buffer.alloc(0);
