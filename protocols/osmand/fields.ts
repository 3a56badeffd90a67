import { CodecError, CodecErrorCode } from '../common/errors.js';
import type { Message } from '../common/types.js';
import { KMH_PER_MPS } from './constants.js';
import type { FieldDef } from './params.js';
import { parseTimestamp, type Raw, round, snake, toBool, toNumber, typed } from './values.js';

/** One message being built from a request's values (both the query and the JSON decoder). */
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
