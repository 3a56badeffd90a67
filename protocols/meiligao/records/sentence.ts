import { CodecError, CodecErrorCode } from '../../common/errors.js';
import { unknownParamName } from '../../common/params.js';
import type { Message } from '../../common/types.js';
import { ALTITUDE_RANGE, CSQ_UNKNOWN, Name, RMC_EXTRA, TAIL_CELL, TAIL_COMMON, TAIL_ODOMETER, type TailKind, type TailRow } from '../params.js';

/**
 * GPRS data (GPRS protocol V2.1 Annex 1): a GPRMC sentence without its `$GPRMC,` head,
 * `hhmmss.sss,A|V,ddmm.mmmm,N|S,dddmm.mmmm,E|W,<knots>,<course>,ddmmyy,[variation,E|W,mode]*<xor>`,
 * then `|HDOP|altitude|state|AD1,AD2...` and, by firmware, `|base ID|CSQ|journey|satellites|driver`
 * or `|odometer|RFID`. Time and date are UTC.
 */
const F = { time: 0, valid: 1, lat: 2, ns: 3, lon: 4, ew: 5, speed: 6, course: 7, date: 8 } as const;
const TIME = /^(\d{1,2})(\d\d)(\d\d)(\.\d+)?$/;
const DATE = /^(\d\d)(\d\d)(\d\d)$/;
const COORDINATE = /^(\d{1,3})(\d\d\.\d+)$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const HEX = /^[0-9A-Fa-f]+$/;
const KNOTS_TO_KMH = 1.852;
/** Two-digit years from 80 on are 19xx (a tracker without a fix reports 1999-08-22, the GPS week rollover). */
const CENTURY_PIVOT = 80;

/** Decodes one GPRS data text into `m`; a CodecError when its time, date or coordinates do not read. */
export function decodeSentence(text: string, m: Message = {}): Message {
  const parts = text.split('|');
  readRmc(parts[0], m);
  const rows = /^[0-9A-Fa-f]{16,20}$/.test(parts[5] ?? '') ? TAIL_CELL : TAIL_ODOMETER;
  applyTail(m, parts, [...TAIL_COMMON, ...rows]);
  return m;
}

function readRmc(rmc: string, m: Message): void {
  const star = rmc.indexOf('*');
  const f = (star < 0 ? rmc : rmc.slice(0, star)).split(',');
  m.timestamp = utcTime(f[F.time], f[F.date]);
  m['position.valid'] = f[F.valid] === 'A';
  m['position.latitude'] = coordinate(f[F.lat], f[F.ns], 'NS', 90);
  m['position.longitude'] = coordinate(f[F.lon], f[F.ew], 'EW', 180);
  const speed = f[F.speed] ?? '';
  const course = f[F.course] ?? '';
  if (NUMBER.test(speed)) m['position.speed'] = Math.round(Number(speed) * KNOTS_TO_KMH * 1000) / 1000;
  if (NUMBER.test(course) && Number(course) <= 360) m['position.direction'] = Number(course);
  for (const [index, name] of RMC_EXTRA) if (f[index]) m[name] = f[index];
}

/** `hhmmss[.sss]` (some firmware drops a leading zero of the hour) and `ddmmyy` → UTC seconds. */
export function utcTime(time: string | undefined, date: string | undefined): number {
  const t = TIME.exec(time ?? '');
  const d = DATE.exec(date ?? '');
  if (!t || !d) throw malformed(`time "${time}" / date "${date}" is not hhmmss / ddmmyy`);
  const [hour, minute, second] = [Number(t[1]), Number(t[2]), Number(t[3])];
  const [day, month, yy] = [Number(d[1]), Number(d[2]), Number(d[3])];
  if (hour > 23 || minute > 59 || second > 59 || day < 1 || day > 31 || month < 1 || month > 12) throw malformed(`time ${time} ${date} is out of range`);
  const year = yy >= CENTURY_PIVOT ? 1900 + yy : 2000 + yy;
  const whole = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  return t[4] ? Math.round((whole + Number(t[4])) * 1000) / 1000 : whole;
}

/** `(d)ddmm.mmmm` with its hemisphere letter → signed degrees. */
export function coordinate(value: string | undefined, hemisphere: string | undefined, letters: 'NS' | 'EW', max: number): number {
  const c = COORDINATE.exec(value ?? '');
  const h = hemisphere ?? '';
  if (!c || h.length !== 1 || !letters.includes(h)) throw malformed(`coordinate "${value},${hemisphere}" is not (d)ddmm.mmmm,${letters[0]}|${letters[1]}`);
  const minutes = Number(c[2]);
  const degrees = Number(c[1]) + minutes / 60;
  if (minutes >= 60 || degrees > max) throw malformed(`coordinate "${value}" is out of range`);
  return h === letters[1] ? -degrees : degrees;
}

/** Sets the parameters of `rows`; an empty field is skipped, one that does not read as its kind is kept as `io.<index>`. */
function applyTail(m: Message, parts: readonly string[], rows: readonly TailRow[]): void {
  const used = new Set<number>([0]);
  for (const [index, name, kind] of rows) {
    if (index >= parts.length) continue;
    const last = kind === 'text' ? parts.length - 1 : index;
    for (let i = index; i <= last; i++) used.add(i);
    const raw = parts.slice(index, last + 1).join('|');
    if (raw === '' || READERS[kind](m, name, raw)) continue;
    m[unknownParamName(index)] = printable(raw);
  }
  for (let i = 1; i < parts.length; i++) if (!used.has(i) && parts[i] !== '') m[unknownParamName(i)] = printable(parts[i]);
}

/** Each reader sets its parameter(s) and returns true, or returns false when the text is not of its kind. */
const READERS: Readonly<Record<TailKind, (m: Message, name: string, raw: string) => boolean>> = {
  decimal: (m, name, raw) => NUMBER.test(raw) && set(m, name, Number(raw)),
  altitude: (m, name, raw) => {
    if (!NUMBER.test(raw)) return false;
    const v = Number(raw);
    return set(m, v >= ALTITUDE_RANGE[0] && v <= ALTITUDE_RANGE[1] ? name : Name.RawAltitude, v);
  },
  state: (m, _name, raw) => {
    if (!/^[0-9A-Fa-f]{4}$/.test(raw)) return false;
    const state = parseInt(raw, 16);
    m.dout = state & 0x1f; //          outputs 1-5: bits 0-4
    m.din = (state >> 8) & 0x1f; //    inputs 1-5: bits 8-12
    if (state & ~0x1f1f) m[Name.State] = state;
    return true;
  },
  adc: (m, name, raw) => {
    const values = raw.split(',');
    if (!values.every((v) => /^[0-9A-Fa-f]{1,4}$/.test(v))) return false;
    values.forEach((v, i) => {
      m[`${name}.${i + 1}`] = parseInt(v, 16);
    });
    return true;
  },
  cell: (m, name, raw) => {
    const [mcc, mnc, lac, cell] = [raw.slice(0, 4), raw.slice(4, 8), raw.slice(8, 12), raw.slice(12)].map((x) => parseInt(x, 16));
    if (mcc === 0) return /^0+$/.test(raw);
    Object.assign(m, { [`${name}.mcc`]: mcc, [`${name}.mnc`]: mnc, [`${name}.lac`]: lac, [`${name}.cellid`]: cell });
    return true;
  },
  csq: (m, name, raw) => /^[0-9A-Fa-f]{2}$/.test(raw) && (parseInt(raw, 16) === CSQ_UNKNOWN || set(m, name, parseInt(raw, 16))),
  hex: (m, name, raw) => /^[0-9A-Fa-f]{1,8}$/.test(raw) && set(m, name, parseInt(raw, 16)),
  hex_metres: (m, name, raw) => /^[0-9A-Fa-f]{1,8}$/.test(raw) && set(m, name, parseInt(raw, 16) / 1000),
  metres: (m, name, raw) => /^\d{1,9}$/.test(raw) && set(m, name, Number(raw) / 1000),
  code: (m, name, raw) => raw.length >= 5 && HEX.test(raw) && (/^0+$/.test(raw) || set(m, name, raw)), // all zeros: no card
  text: (m, name, raw) => set(m, name, printable(raw)),
};

function set(m: Message, name: string, value: number | string): true {
  m[name] = value;
  return true;
}

/** A field's text as is when printable ASCII, else its bytes in hex (binary firmware fields). */
export function printable(raw: string): string {
  return /^[\x20-\x7e]*$/.test(raw) ? raw : Buffer.from(raw, 'latin1').toString('hex');
}

function malformed(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Malformed, reason);
}
