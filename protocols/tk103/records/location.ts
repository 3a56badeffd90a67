import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { MessageType } from '../constants.js';
import type { Packet } from '../packet.js';
import { ALARM_CODES, EXTENDED_ALARM_CODES, P } from '../params.js';
import { applyMileage, applyState, applyTypeEvent, coordinate, decimal, keepFields, reportTime, STATE_PATTERN, setAlarm } from './fields.js';

/**
 * §2 location data of the serial dialect, fixed widths: `yymmdd` `A|V` `ddmm.mmmm` `N|S`
 * `dddmm.mmmm` `E|W` speed (5, km/h) `hhmmss` (UTC) course (6) IO state (8) `L` + mileage (hex m),
 * then what firmware adds (a `+ddd.d` temperature). What comes before the date depends on the type:
 * the IMEI (BP05 login), the alarm code (BO01), `,ALARM,<code>,<n>,` (BQ81), nothing (BR00, BP04).
 */
const FIX_HEAD = /(\d{6}),?([AV]),? {0,3}(\d{0,2})(\d\d\.\d{1,6})([NS]),? {0,3}(\d{0,3})(\d\d\.\d{1,6})([EW]),?/;
const SPEED_TIME = /([ \d.]{5}),?(\d{6}),?/y;
const COURSE = /([ \d.]{6}),?/y;
const COURSE_DECIMAL = /(\d+\.\d+)/y;
const STATE = /([01][01][0-9A-Fa-f]{6})/y;
const MILEAGE = /L([0-9A-Fa-f]{1,12})/y;
const TEMPERATURE = /([+-]\d{3}\.\d)$/;

/** A sticky-regex cursor over the body text. */
class Cursor {
  constructor(
    readonly text: string,
    public pos: number,
  ) {}
  take(re: RegExp): RegExpExecArray | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (m) this.pos = re.lastIndex;
    return m ?? undefined;
  }
}

/** The location data in a serial-dialect body and the text before it; undefined when there is none. */
export function readFix(body: string, ctx: DecodeContext): { m: Message; prefix: string } | undefined {
  const head = FIX_HEAD.exec(body);
  if (!head) return undefined;
  const lat = coordinate(head[3], head[4], head[5], 90);
  const lon = coordinate(head[6], head[7], head[8], 180);
  if (Number.isNaN(lat) || Number.isNaN(lon)) return undefined;
  const c = new Cursor(body, head.index + head[0].length);
  const st = c.take(SPEED_TIME);
  const m: Message = {};
  const ts = reportTime(head[1], 'ymd', st?.[2] ?? '', ctx.receivedAt);
  if (ts !== undefined) m.timestamp = ts;
  m['position.latitude'] = lat;
  m['position.longitude'] = lon;
  m[P.valid] = head[2] === 'A';
  const speed = decimal(st?.[1]);
  if (!Number.isNaN(speed)) m[P.speed] = speed;
  if (st) readAfterTime(c, m);
  return { m, prefix: body.slice(0, head.index) };
}

/** Course, IO state and mileage (or a lone decimal course), then the temperature and any other tail. */
function readAfterTime(c: Cursor, m: Message): void {
  const at = c.pos;
  const course = c.take(COURSE);
  const state = course ? c.take(STATE) : undefined;
  let direction = NaN;
  if (course && state) {
    direction = decimal(course[1]);
    applyState(m, state[1]);
    const mileage = c.take(MILEAGE);
    if (mileage) applyMileage(m, mileage[1]);
  } else {
    c.pos = at;
    direction = decimal(c.take(COURSE_DECIMAL)?.[1]);
  }
  if (direction >= 0 && direction <= 360) m[P.course] = direction;
  let rest = c.text.slice(c.pos);
  const temperature = TEMPERATURE.exec(rest);
  if (temperature) {
    m[P.temperature] = Number(temperature[1]);
    rest = rest.slice(0, temperature.index);
  }
  if (rest.trim() !== '') m[P.tail] = rest;
}

/**
 * A serial-dialect message with location data (§3.2.2 BP05, §3.2.4 BO01, §3.2.5 BP04, §3.2.6 BR00,
 * BQ81...): the position, and what the text before the date says for the type. False when the body
 * holds no location data.
 */
export function decodeLocation(p: Packet, ctx: DecodeContext, out: Decoded): boolean {
  const fix = readFix(p.body, ctx);
  if (!fix) return false;
  const m: Message = { [P.type]: p.type, ...fix.m };
  applyPrefix(m, p.type, fix.prefix);
  out.messages.push(m);
  return true;
}

function applyPrefix(m: Message, type: string, prefix: string): void {
  if (type === MessageType.Login && /^\d{15}$/.test(prefix)) m[P.imei] = prefix;
  else if (type === MessageType.Alarm && /^\d$/.test(prefix)) {
    m[P.event] = Number(prefix);
    setAlarm(m, ALARM_CODES[prefix]);
  } else if (type === MessageType.AlarmExtended) {
    const fields = prefix.split(',');
    const code = fields[1] === 'ALARM' ? fields[2] : undefined;
    if (code !== undefined && /^\d+$/.test(code)) {
      m[P.event] = Number(code);
      setAlarm(m, EXTENDED_ALARM_CODES[code]);
      keepFields(m, fields, 3);
    } else keepFields(m, fields, 0);
  } else if (prefix.trim() !== '') keepFields(m, prefix.split(','), 0);
}

/**
 * Comma-dialect position report (`ZC07`, `ZC11`-`ZC29` events, `DW3x`, `BP05`): `ddmmyy,A|V,
 * ddmm.mmmm<N|S>,dddmm.mmmm<E|W>,<km/h>,hhmmss,<course>` then either `<IO state>,L<mileage>` or
 * `<altitude m>,<satellites>` (as the units' frames read), then fields kept by index. False when the
 * fields are not a position.
 */
export function decodeCommaPosition(p: Packet, ctx: DecodeContext, out: Decoded): boolean {
  const f = p.body.split(',');
  const lat = /^ {0,3}(\d{0,2})(\d\d\.\d{1,6})([NS])$/.exec(f[2] ?? '');
  const lon = /^ {0,3}(\d{0,3})(\d\d\.\d{1,6})([EW])$/.exec(f[3] ?? '');
  if (!lat || !lon || !/^[AV]$/.test(f[1])) return false;
  const m: Message = { [P.type]: p.type };
  applyTypeEvent(m, p.type);
  const ts = reportTime(f[0], 'dmy', f[5] ?? '', ctx.receivedAt);
  if (ts !== undefined) m.timestamp = ts;
  const latitude = coordinate(lat[1], lat[2], lat[3], 90);
  const longitude = coordinate(lon[1], lon[2], lon[3], 180);
  if (Number.isNaN(latitude) || Number.isNaN(longitude)) return false;
  m['position.latitude'] = latitude;
  m['position.longitude'] = longitude;
  m[P.valid] = f[1] === 'A';
  const speed = decimal(f[4]);
  const course = decimal(f[6]);
  if (!Number.isNaN(speed)) m[P.speed] = speed;
  if (course >= 0 && course <= 360) m[P.course] = course;
  keepFields(m, f, readCommaTail(m, f));
  out.messages.push(m);
  return true;
}

/** After the course: IO state and mileage, or altitude and satellites. Returns the first field not read. */
function readCommaTail(m: Message, f: readonly string[]): number {
  if (STATE_PATTERN.test(f[7] ?? '')) {
    applyState(m, f[7]);
    const mileage = /^L([0-9A-Fa-f]{1,12})$/.exec(f[8] ?? '');
    if (!mileage) return 8;
    applyMileage(m, mileage[1]);
    return 9;
  }
  const altitude = decimal(f[7]);
  if (Number.isNaN(altitude)) return 7;
  m[P.altitude] = altitude;
  if (!/^\d{1,2}$/.test(f[8] ?? '')) return 8;
  m[P.satellites] = Number(f[8]);
  return 9;
}
