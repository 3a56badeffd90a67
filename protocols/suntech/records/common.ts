import type { DecodeContext, Message } from '../../common/types.js';
import { P } from '../params.js';

/** Field helpers shared by the text record decoders (legacy, ST4xx, ST910, universal). */

const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/** A decimal field (`+37.478519`, `012.50`, `4659`) as a number; undefined when empty or not a number. */
export function num(s: string | undefined): number | undefined {
  return s !== undefined && DECIMAL.test(s) ? Number(s) : undefined;
}

/** Sets `name` to the number in `s` when there is one. */
export function putNum(m: Message, name: string, s: string | undefined, scale = 1): void {
  const v = num(s);
  if (v !== undefined) m[name] = scale === 1 ? v : Math.round((v / scale) * 1e6) / 1e6;
}

/** `yyyymmdd` and `hh:mm:ss` (UTC, §6-1 DATE/TIME) as Unix seconds; undefined when not a valid date. */
export function utc(date: string | undefined, time: string | undefined): number | undefined {
  const d = /^(\d{4})(\d{2})(\d{2})$/.exec(date ?? '');
  const t = /^(\d{2}):(\d{2}):(\d{2})$/.exec(time ?? '');
  if (!d || !t) return undefined;
  const [y, mo, day, h, mi, s] = [d[1], d[2], d[3], t[1], t[2], t[3]].map(Number);
  if (mo < 1 || mo > 12 || day < 1 || day > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  return Date.UTC(y, mo - 1, day, h, mi, s) / 1000;
}

/** The report time, or the receive time when the report has no valid date (decoders use no clock). */
export function setTime(m: Message, date: string | undefined, time: string | undefined, ctx: DecodeContext): void {
  const t = utc(date, time);
  if (t !== undefined) m[P.time] = t;
  else if (ctx.receivedAt !== undefined) m[P.time] = Math.floor(ctx.receivedAt);
}

/** Latitude and longitude (signed decimal degrees), set together when both are valid. */
export function setPosition(m: Message, lat: string | undefined, lon: string | undefined): void {
  const a = num(lat);
  const o = num(lon);
  if (a === undefined || o === undefined || Math.abs(a) > 90 || Math.abs(o) > 180) return;
  m[P.lat] = a;
  m[P.lon] = o;
}

/**
 * Legacy I/O field (§6-1 I/O): ignition, inputs 1–3, outputs 1–2 as `1`/`0` characters
 * (`100100`), longer on some models (ST600: 8, ST300V: 9); kept as sent in `suntech.io`.
 */
export function setLegacyIo(m: Message, io: string | undefined): void {
  if (io === undefined || !/^[01]{6,}$/.test(io)) {
    if (io) m[P.io] = io;
    return;
  }
  m[P.io] = io;
  m[P.ignition] = io[0] === '1';
  let din = 0;
  let dout = 0;
  for (let k = 1; k <= 3; k++) {
    m[`din.${k}`] = io[k] === '1';
    if (io[k] === '1') din |= 1 << (k - 1);
  }
  for (let k = 1; k <= 2; k++) {
    m[`dout.${k}`] = io[3 + k] === '1';
    if (io[3 + k] === '1') dout |= 1 << (k - 1);
  }
  m[P.din] = din;
  m[P.dout] = dout;
}

/** Legacy CELL (§6-4-1): the location area code in hex followed by the serving cell's BSIC in 2 decimal digits (`2F100`). */
export function setLegacyCell(m: Message, cell: string | undefined): void {
  const c = /^([0-9A-Fa-f]+)(\d{2})$/.exec(cell ?? '');
  if (!c) {
    if (cell) m[P.cell] = cell;
    return;
  }
  m[P.lac] = parseInt(c[1], 16);
  m[P.bsic] = Number(c[2]);
}

/** Sets `alarm.type` (and the trigger) when `code` is in `table`, and `event.enum` always. */
export function setEvent(m: Message, code: string | number | undefined, table?: Readonly<Record<number, string>>): void {
  const n = typeof code === 'number' ? code : num(code);
  if (n === undefined) return;
  m[P.event] = n;
  const alarm = table?.[n];
  if (alarm) {
    m[P.alarm] = alarm;
    m[P.alarmTrigger] = true;
  }
}

/** Keeps the fields from `at` that no decoder read (DESIGN §3: never dropped), `;`-joined. */
export function keepRest(m: Message, fields: readonly string[], at: number): void {
  const rest = fields.slice(at);
  if (rest.some((f) => f !== '')) m[P.unparsed] = rest.join(';');
}
