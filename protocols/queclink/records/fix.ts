import type { Message } from '../../common/types.js';
import { layouts } from '../constants.js';
import type { Sentence } from '../packet.js';
import { type FieldKey, parseTime, setField } from '../params.js';

/**
 * The fix block shared by the text reports (TRACGL300AN001 §3.3.1): `<GPS accuracy>,<speed>,
 * <azimuth>,<altitude>,<longitude>,<latitude>,<GPS UTC time>,<MCC>,<MNC>,<LAC>,<cell id>`, then
 * model-specific fields (constants.ts `layouts.fix`): CSQ values, and the append field (mileage, or an append
 * mask selecting satellites / trigger type / jamming state).
 */
const COORD = /^-?\d{1,3}\.\d{4,7}$/;
const TIME14 = /^\d{14}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const FIX_CORE = 11;
const MAX_FIXES = 64;

/** Where the first fix starts: the layout position when it holds coordinates, else the first coordinates found. */
export function locateFix(v: readonly string[], layoutStart: number, from: number, end: number): number | undefined {
  if (looksLikeFix(v, layoutStart, end) && COORD.test(v[layoutStart + 4])) return layoutStart;
  for (let i = from + 4; i + 2 < end; i++) {
    if (COORD.test(v[i]) && COORD.test(v[i + 1]) && TIME14.test(v[i + 2])) return i - 4;
  }
  return looksLikeFix(v, layoutStart, end) ? layoutStart : undefined;
}

export function looksLikeFix(v: readonly string[], i: number, end: number): boolean {
  if (i < 0 || i + FIX_CORE > end) return false;
  const coords = (COORD.test(v[i + 4]) && COORD.test(v[i + 5])) || (v[i + 4] === '' && v[i + 5] === '');
  return coords && (v[i + 6] === '' || TIME14.test(v[i + 6]));
}

/** Reads `count` fixes from `start` (one message each, copies of `base`); stops early at a field that is no fix. */
export function readFixes(s: Sentence, start: number, wanted: number, base: Message, rest: string[]): { messages: Message[]; at: number } {
  const count = Number.isInteger(wanted) && wanted >= 1 && wanted <= MAX_FIXES ? wanted : 1;
  const messages: Message[] = [];
  let at = start;
  for (let k = 0; k < count && (k === 0 || looksLikeFix(s.v, at, s.end)); k++) {
    const m: Message = { ...base };
    at = readFix(s, at, m, rest);
    messages.push(m);
  }
  return { messages, at };
}

/** Reads one fix at `i` into `m`; returns the index after it (its model-specific fields included). */
export function readFix(s: Sentence, i: number, m: Message, rest: string[]): number {
  const v = s.v;
  const acc = v[i];
  if (COORD.test(v[i + 4]) && COORD.test(v[i + 5])) {
    m['position.longitude'] = Number(v[i + 4]);
    m['position.latitude'] = Number(v[i + 5]);
    m['position.valid'] = acc === '' || Number(acc) > 0;
  }
  if (DECIMAL.test(acc) && Number(acc) > 0) m['position.hdop'] = Number(acc);
  numeric(m, 'position.speed', v[i + 1]);
  numeric(m, 'position.direction', v[i + 2]);
  numeric(m, 'position.altitude', v[i + 3]);
  const time = parseTime(v[i + 6]) ?? s.sendTime;
  if (time !== undefined) m.timestamp = time;
  if (s.sendTime !== undefined && time !== s.sendTime) m['queclink.send.timestamp'] = s.sendTime;
  readCell(v, i + 7, m);
  let at = i + FIX_CORE;
  for (const key of layouts.fix(s.family)) {
    if (at >= s.end) break;
    if (key === 'append') at = readAppend(v, at, s.end, m, rest);
    else keep(m, key, v[at++], rest);
  }
  return at;
}

function numeric(m: Message, name: string, raw: string): void {
  if (DECIMAL.test(raw)) m[name] = Number(raw);
}

/** MCC, MNC (decimal), LAC and cell id (hex). */
export function readCell(v: readonly string[], i: number, m: Message): boolean {
  if (!/^\d{1,4}$/.test(v[i]) || !/^\d{1,4}$/.test(v[i + 1]) || !/^[0-9A-Fa-f]{1,8}$/.test(v[i + 2]) || !/^[0-9A-Fa-f]{1,8}$/.test(v[i + 3])) return false;
  m['gsm.mcc'] = Number(v[i]);
  m['gsm.mnc'] = Number(v[i + 1]);
  m['gsm.lac'] = parseInt(v[i + 2], 16);
  m['gsm.cellid'] = parseInt(v[i + 3], 16);
  return true;
}

/** The field after the cell: mileage (km) when it has a decimal point, else an append mask selecting extra fields. */
function readAppend(v: readonly string[], i: number, end: number, m: Message, rest: string[]): number {
  const raw = v[i++];
  if (raw === '') return i;
  if (raw.includes('.') && DECIMAL.test(raw)) {
    m['vehicle.mileage'] = Number(raw);
    return i;
  }
  if (!/^[0-9A-Fa-f]{2}$/.test(raw)) {
    rest.push(raw);
    return i;
  }
  const mask = parseInt(raw, 16);
  for (const [bit, key] of [
    [0, 'sats'],
    [1, 'trigger'],
    [4, 'jamming'],
  ] as const) {
    if (mask & (1 << bit) && i < end) keep(m, key, v[i++], rest);
  }
  return i;
}

/** Zips fields with their keys; without keys, keeps Traccar's shape rules (mileage first, battery last). */
export function applyTail(m: Message, fields: readonly string[], keys: readonly FieldKey[] | undefined, rest: string[]): void {
  if (keys) {
    fields.forEach((raw, j) => {
      keep(m, keys[j] ?? 'reserved', raw, rest);
    });
    return;
  }
  fields.forEach((raw, j) => {
    if (j === 0 && raw.includes('.') && DECIMAL.test(raw)) keep(m, 'mileage', raw, rest);
    else if (j === fields.length - 1 && /^\d{1,3}$/.test(raw)) keep(m, 'battery', raw, rest);
    else keep(m, 'reserved', raw, rest);
  });
}

/** Applies keys to consecutive fields from `i` (not past `end`); returns the index after them. */
export function applyKeys(m: Message, v: readonly string[], i: number, end: number, keys: readonly FieldKey[], rest: string[]): number {
  let at = i;
  for (const key of keys) {
    if (at >= end) break;
    keep(m, key, v[at++], rest);
  }
  return at;
}

/** Sets a field, or keeps its raw text for `queclink.unparsed`. */
export function keep(m: Message, key: FieldKey, raw: string | undefined, rest: string[]): void {
  if (!setField(m, key, raw) && raw !== undefined) rest.push(raw);
}

/** Attaches the fields nothing understood (never dropped silently). */
export function finish(m: Message, rest: readonly string[]): Message {
  const kept = rest.filter((x) => x !== '');
  if (kept.length > 0) m['queclink.unparsed'] = kept.join(',');
  return m;
}

/** True when bit `n` of a mask of up to 53 bits is set (masks above 2^31 break `&`). */
export function bit(mask: number, n: number): boolean {
  return Math.floor(mask / 2 ** n) % 2 === 1;
}
