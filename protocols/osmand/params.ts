import { CodecError, CodecErrorCode } from '../common/errors.js';
import type { Message } from '../common/types.js';
import { KMH_PER_MPS } from './constants.js';
import { parseTimestamp, type Raw, round, snake, toBool, toNumber, typed } from './packet.js';

/**
 * OsmAnd / Traccar Client values → message parameters (DESIGN §3). One line per element: the tables
 * are the mapping; the decoders hold no per-parameter branches (the conversion of each `kind` is
 * below, shared by the inspector's check of position and time and by the record decoders).
 *
 * Unknown query parameters and JSON `extras` keep their value typed (number / boolean / text):
 * under their own name when it already is a DESIGN name (e.g. `battery.voltage`), otherwise as
 * `osmand.<lower_snake_name>`. Unknown JSON location properties become `osmand.<path_in_snake>`
 * (e.g. `geofence.action` → `osmand.geofence_action`).
 */

/**
 * How a raw value converts (`applyField` below):
 * - `ident`: the device id (not a message value; the ingest adds `ident`)
 * - `number` / `unsigned` (negative = unknown, skipped) / `latitude` / `longitude` (range-checked)
 * - `direction`: degrees 0..360, negative = unknown (skipped)
 * - `speed`: query speed, in the unit of the channel setting `speed` (knots by default) → km/h
 * - `mps`: m/s → km/h; `meters`: m → km; `fraction`: 0..1 → % (negative = unknown)
 * - `bool` (`true/false/1/0`), `valid` (`true` or `1` is valid), `text`, `typed`, `timestamp`
 * - `location` (`lat,lon`), `cell` (`mcc,mnc,lac,cid[,rssi]`), `wifi` (`mac,rssi`), `alarm`
 */
export type FieldKind =
  | 'ident'
  | 'number'
  | 'unsigned'
  | 'latitude'
  | 'longitude'
  | 'direction'
  | 'speed'
  | 'mps'
  | 'meters'
  | 'fraction'
  | 'bool'
  | 'valid'
  | 'text'
  | 'typed'
  | 'timestamp'
  | 'location'
  | 'cell'
  | 'wifi'
  | 'alarm';

export interface FieldDef {
  readonly name: string;
  readonly kind: FieldKind;
}

/** Query / form parameters (and JSON `extras` keys). Traccar attribute names are accepted as aliases. */
const QUERY: ReadonlyArray<readonly [param: string, name: string, kind: FieldKind]> = [
  ['id', '', 'ident'],
  ['deviceid', '', 'ident'],
  ['timestamp', 'timestamp', 'timestamp'],
  ['lat', 'position.latitude', 'latitude'],
  ['lon', 'position.longitude', 'longitude'],
  ['location', '', 'location'], // lat,lon
  ['cell', '', 'cell'], // gsm.mcc/mnc/lac/cellid/signal.level of the first; gsm.cells (raw text) when several
  ['wifi', 'wifi.networks', 'wifi'], // array of "mac,rssi", mac with colons, lower case
  ['speed', 'position.speed', 'speed'],
  ['bearing', 'position.direction', 'direction'],
  ['heading', 'position.direction', 'direction'],
  ['altitude', 'position.altitude', 'number'],
  ['accuracy', 'position.accuracy', 'unsigned'], // horizontal accuracy, m
  ['hacc', 'position.accuracy', 'unsigned'],
  ['hdop', 'position.hdop', 'number'],
  ['pdop', 'position.pdop', 'number'],
  ['sat', 'position.satellites', 'number'],
  ['satellites', 'position.satellites', 'number'],
  ['valid', 'position.valid', 'valid'],
  ['batt', 'battery.level', 'number'], // %
  ['batteryLevel', 'battery.level', 'number'],
  ['charge', 'battery.charging.status', 'bool'],
  ['battery', 'battery.voltage', 'number'], // Traccar attribute: V
  ['power', 'external.powersource.voltage', 'number'], // Traccar attribute: V
  ['ignition', 'engine.ignition.status', 'bool'],
  ['motion', 'movement.status', 'bool'],
  ['odometer', 'vehicle.mileage', 'meters'], // Traccar attribute: m
  ['rssi', 'gsm.signal.level', 'number'], // as reported (dBm from phones)
  ['fuel', 'fuel.level', 'number'],
  ['input', 'din', 'number'],
  ['output', 'dout', 'number'],
  ['event', 'event.enum', 'typed'],
  ['alarm', '', 'alarm'], // alarm.event.trigger + alarm.type (sos, low_battery, ...)
  ['driverUniqueId', 'driver.unique.id', 'text'],
  ['versionFw', 'firmware.version', 'text'],
  ['versionHw', 'hardware.version', 'text'],
  ['in1', 'din.1', 'bool'],
  ['in2', 'din.2', 'bool'],
  ['in3', 'din.3', 'bool'],
  ['in4', 'din.4', 'bool'],
  ['out1', 'dout.1', 'bool'],
  ['out2', 'dout.2', 'bool'],
  ['out3', 'dout.3', 'bool'],
  ['out4', 'dout.4', 'bool'],
  ['adc1', 'ain.1', 'number'],
  ['adc2', 'ain.2', 'number'],
  ['adc3', 'ain.3', 'number'],
  ['adc4', 'ain.4', 'number'],
  ['temp1', 'sensor.temperature.1', 'number'],
  ['temp2', 'sensor.temperature.2', 'number'],
  ['temp3', 'sensor.temperature.3', 'number'],
  ['temp4', 'sensor.temperature.4', 'number'],
];

/** JSON (Transistorsoft) location properties, flattened to dotted paths. `extras` go through QUERY. */
const JSON_LOCATION: ReadonlyArray<readonly [path: string, name: string, kind: FieldKind]> = [
  ['timestamp', 'timestamp', 'timestamp'], // ISO 8601
  ['coords.latitude', 'position.latitude', 'latitude'],
  ['coords.longitude', 'position.longitude', 'longitude'],
  ['coords.accuracy', 'position.accuracy', 'unsigned'], // m
  ['coords.speed', 'position.speed', 'mps'], // m/s, -1 unknown
  ['coords.heading', 'position.direction', 'direction'], // deg, -1 unknown
  ['coords.altitude', 'position.altitude', 'number'], // m
  ['coords.altitude_accuracy', 'osmand.altitude_accuracy', 'unsigned'], // m
  ['coords.speed_accuracy', 'osmand.speed_accuracy', 'unsigned'], // m/s
  ['coords.heading_accuracy', 'osmand.heading_accuracy', 'unsigned'], // deg
  ['coords.ellipsoidal_altitude', 'osmand.ellipsoidal_altitude', 'number'], // m
  ['coords.floor', 'osmand.floor', 'number'],
  ['is_moving', 'movement.status', 'bool'],
  ['odometer', 'vehicle.mileage', 'meters'], // m
  ['event', 'event.enum', 'text'], // motionchange, heartbeat, geofence, ...
  ['battery.level', 'battery.level', 'fraction'], // 0..1, -1 unknown
  ['battery.is_charging', 'battery.charging.status', 'bool'],
  ['activity.type', 'osmand.activity', 'text'], // still, on_foot, in_vehicle, ...
  ['activity.confidence', 'osmand.activity_confidence', 'number'], // %
  ['mock', 'osmand.mock', 'bool'],
  ['uuid', 'osmand.uuid', 'text'],
  ['age', 'osmand.age', 'number'], // ms since the fix
  ['is_heartbeat', 'osmand.heartbeat', 'bool'],
  ['sample', 'osmand.sample', 'bool'],
];

/** DESIGN §3 names: a parameter already named so keeps its name. */
export const DESIGN_NAMES: ReadonlySet<string> = new Set([
  'position.latitude',
  'position.longitude',
  'position.altitude',
  'position.speed',
  'position.direction',
  'position.satellites',
  'position.valid',
  'position.hdop',
  'position.pdop',
  'engine.ignition.status',
  'movement.status',
  'external.powersource.voltage',
  'battery.voltage',
  'battery.level',
  'battery.charging.status',
  'gsm.signal.level',
  'gsm.mcc',
  'gsm.mnc',
  'gsm.lac',
  'gsm.cellid',
  'vehicle.mileage',
  'din',
  'dout',
  'fuel.level',
  'ibutton.code',
  'alarm.event.trigger',
  'alarm.type',
  'event.enum',
  'report.type',
  'message.buffered.status',
  'device.model',
  'firmware.version',
  'hardware.version',
]);

function byKey(rows: ReadonlyArray<readonly [string, string, FieldKind]>, fold: boolean): ReadonlyMap<string, FieldDef> {
  const map = new Map<string, FieldDef>();
  for (const [key, name, kind] of rows) {
    const k = fold ? key.toLowerCase() : key;
    if (map.has(k) && !fold) throw new Error(`duplicate osmand field ${key}`);
    if (!map.has(k)) map.set(k, { name, kind });
  }
  return map;
}
const QUERY_EXACT = byKey(QUERY, false);
const QUERY_FOLDED = byKey(QUERY, true);
const JSON_FIELDS = byKey(JSON_LOCATION, false);

/** The definition of a query parameter or JSON `extras` key; `undefined` name means "nothing to keep". */
export function queryFieldDef(param: string): FieldDef | undefined {
  const known = QUERY_EXACT.get(param) ?? QUERY_FOLDED.get(param.toLowerCase());
  if (known) return known;
  if (DESIGN_NAMES.has(param)) return { name: param, kind: 'typed' };
  return fallback([param]);
}

/** The definition of a flattened JSON location property (`coords.latitude`, `activity.type`, ...). */
export function jsonFieldDef(path: readonly string[]): FieldDef | undefined {
  return JSON_FIELDS.get(path.join('.')) ?? fallback(path);
}

function fallback(path: readonly string[]): FieldDef | undefined {
  const name = path
    .map(snake)
    .filter((s) => s !== '')
    .join('_');
  return name === '' ? undefined : { name: `osmand.${name}`, kind: 'typed' };
}

// ---- How a value converts by its kind ----

/** One message being built from a request's values (both record decoders, and the inspector's check). */
export interface Builder {
  readonly msg: Message;
  /** Raw `cell` values in request order. */
  readonly cells: string[];
  /** Normalised `wifi` values (`mac,rssi`). */
  readonly wifi: string[];
  readonly errors: CodecError[];
  /** km/h per unit of the query `speed` parameter. */
  readonly speedFactor: number;
}

export function newBuilder(speedFactor: number): Builder {
  return { msg: {}, cells: [], wifi: [], errors: [], speedFactor };
}

/**
 * Applies one value by its definition. A value that does not convert is not lost: it is kept as
 * text under `osmand.<source>` and a `malformed` error names it.
 */
export function applyField(b: Builder, source: string, def: FieldDef, raw: Raw): void {
  if (convert(b, def, raw)) return;
  b.errors.push(new CodecError(CodecErrorCode.Malformed, `${source}=${String(raw).slice(0, 64)} is not a valid ${def.kind}`));
  const keep = snake(source);
  if (keep !== '') b.msg[`osmand.${keep}`] = String(raw);
}

/** Completes a message: validity by default when it has a position, cell and Wi-Fi lists. */
export function finishMessage(b: Builder): Message {
  const { msg } = b;
  const hasLat = msg['position.latitude'] !== undefined;
  const hasLon = msg['position.longitude'] !== undefined;
  if (hasLat !== hasLon) b.errors.push(new CodecError(CodecErrorCode.Malformed, 'a position needs both latitude and longitude'));
  if (hasLat && hasLon && msg['position.valid'] === undefined) msg['position.valid'] = true;
  if (b.cells.length > 1) msg['gsm.cells'] = b.cells;
  if (b.wifi.length > 0) msg['wifi.networks'] = b.wifi;
  return msg;
}

/** False when the value does not convert to its kind. */
function convert(b: Builder, def: FieldDef, raw: Raw): boolean {
  switch (def.kind) {
    case 'ident':
      return true;
    case 'typed':
      b.msg[def.name] = typed(raw);
      return true;
    case 'text':
      b.msg[def.name] = String(raw);
      return true;
    case 'valid':
      b.msg[def.name] = toBool(raw) === true;
      return true;
    case 'bool':
      return set(b.msg, def.name, toBool(raw));
    case 'timestamp':
      return set(b.msg, def.name, parseTimestamp(raw));
    case 'location':
      return location(b.msg, String(raw));
    case 'cell':
      return cell(b, String(raw));
    case 'wifi':
      return wifi(b, String(raw));
    case 'alarm':
      return alarm(b.msg, String(raw));
    default: {
      const n = toNumber(raw);
      return n !== undefined && numeric(b, def, n);
    }
  }
}

function set(msg: Message, name: string, value: number | boolean | undefined): boolean {
  if (value === undefined) return false;
  msg[name] = value;
  return true;
}

/** Numeric kinds; negative speed, direction, accuracy and battery fraction mean "unknown" and are skipped. */
function numeric(b: Builder, def: FieldDef, n: number): boolean {
  const msg = b.msg;
  const name = def.name;
  switch (def.kind) {
    case 'latitude':
      return Math.abs(n) <= 90 && set(msg, name, n);
    case 'longitude':
      return Math.abs(n) <= 180 && set(msg, name, n);
    case 'direction':
      return n <= 360 && (n < 0 || set(msg, name, n));
    case 'unsigned':
      return n < 0 || set(msg, name, n);
    case 'speed':
      return n < 0 || set(msg, name, round(n * b.speedFactor));
    case 'mps':
      return n < 0 || set(msg, name, round(n * KMH_PER_MPS));
    case 'meters':
      return set(msg, name, round(n / 1000));
    case 'fraction': // 0..1 (Transistorsoft); a value above 1 is taken as a percentage already
      return n < 0 || set(msg, name, n <= 1 ? round(n * 100, 4) : n);
    default:
      return set(msg, name, n);
  }
}

/** `location=lat,lon` */
function location(msg: Message, text: string): boolean {
  const parts = text.split(',');
  if (parts.length !== 2) return false;
  const lat = toNumber(parts[0]);
  const lon = toNumber(parts[1]);
  if (lat === undefined || lon === undefined || Math.abs(lat) > 90 || Math.abs(lon) > 180) return false;
  msg['position.latitude'] = lat;
  msg['position.longitude'] = lon;
  return true;
}

/** `cell=mcc,mnc,lac,cid[,rssi]`: the first cell fills gsm.*, every cell is listed. */
function cell(b: Builder, text: string): boolean {
  const parts = text.split(',').map((p) => toNumber(p));
  if ((parts.length !== 4 && parts.length !== 5) || parts.some((p) => p === undefined || !Number.isInteger(p))) return false;
  if (b.cells.length === 0) {
    const [mcc, mnc, lac, cid, rssi] = parts as number[];
    Object.assign(b.msg, { 'gsm.mcc': mcc, 'gsm.mnc': mnc, 'gsm.lac': lac, 'gsm.cellid': cid });
    if (rssi !== undefined) b.msg['gsm.signal.level'] = rssi;
  }
  b.cells.push(text.trim());
  return true;
}

/** `wifi=mac,rssi` with the MAC as `00-14-22-01-23-45` or `00:14:...`. */
function wifi(b: Builder, text: string): boolean {
  const parts = text.split(',');
  if (parts.length !== 2 || !/^[0-9a-f]{2}([-:][0-9a-f]{2}){5}$/i.test(parts[0].trim())) return false;
  const rssi = toNumber(parts[1]);
  if (rssi === undefined || !Number.isInteger(rssi)) return false;
  b.wifi.push(`${parts[0].trim().replace(/-/g, ':').toLowerCase()},${rssi}`);
  return true;
}

/** `alarm=sos` (Traccar Client) or a Traccar alarm name (`lowBattery` → `low_battery`). */
function alarm(msg: Message, text: string): boolean {
  const type = snake(text);
  if (type === '') return false;
  msg['alarm.event.trigger'] = true;
  msg['alarm.type'] = type;
  return true;
}
