import { CodecError, CodecErrorCode } from '../../common/errors.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { Keyword } from '../constants.js';
import type { Report } from '../packet.js';
import { ALARM_KEYWORDS, CELL_FIELDS, IGNITION_KEYWORDS, LOCATION_TAIL, PHONE_NAME, PHOTO_PARTS_NAME, PREFIX_KEYWORDS, RFID_NAME } from '../params.js';
import { applyRows, decimal, degreesMinutes, knotsToKmh, localTime, reportTime, utcSeconds } from './fields.js';

/**
 * §4.1 location sentence: `imei:<IMEI>,<keyword>,<local yymmddhhmm[ss]>,<phone|rfid>,F,<UTC
 * hhmmss.sss>,A|V,ddmm.mmmm,N|S,dddmm.mmmm,E|W,<knots>,<course>[,alt,acc,door,fuel1%,fuel2%,temp]`,
 * or without a fix `…,L,,,<lac hex>,,<cid hex>,,,…` (the cell in the coordinate fields).
 */
const F = { phone: 3, fix: 4, local: 2, utc: 5, valid: 6, lat: 7, ns: 8, lon: 9, ew: 10, speed: 11, course: 12, tail: 13 } as const;

export function decodeLocation(report: Report, ctx: DecodeContext, out: Decoded): void {
  const f = report.fields;
  if (f.length <= F.fix) throw new CodecError(CodecErrorCode.Malformed, `location report has ${f.length} fields, needs F or L at field ${F.fix}`, report.at);
  const m: Message = {};
  applyKeyword(m, report.keyword);
  const phone = f[F.phone].trim();
  if (phone !== '') m[report.keyword === Keyword.Rfid ? RFID_NAME : PHONE_NAME] = phone;
  if (f[F.fix] === 'F') readFix(m, f, ctx);
  else {
    const ts = reportTime(undefined, undefined, ctx.receivedAt); // no fix: the local time has no UTC reference
    if (ts !== undefined) m.timestamp = ts;
    applyRows(m, f, CELL_FIELDS);
  }
  applyRows(m, f, LOCATION_TAIL, F.tail);
  const echo = commandEcho(report.keyword);
  if (echo) {
    m['command.response'] = report.keyword;
    out.commandReplies.push({ response: report.keyword, ...echo, ...(typeof m.timestamp === 'number' ? { timestamp: m.timestamp } : {}) });
  }
  out.messages.push(m);
}

/** Time (§4.2: local date, UTC time of day), position, speed in knots → km/h, course. */
function readFix(m: Message, f: readonly string[], ctx: DecodeContext): void {
  const ts = reportTime(localTime(f[F.local]), utcSeconds(f[F.utc]), ctx.receivedAt);
  if (ts !== undefined) m.timestamp = ts;
  const lat = degreesMinutes(f[F.lat], f[F.ns], true);
  const lon = degreesMinutes(f[F.lon], f[F.ew], false);
  if (Number.isNaN(lat) || Number.isNaN(lon)) return;
  m['position.latitude'] = lat;
  m['position.longitude'] = lon;
  m['position.valid'] = f[F.valid] === 'A';
  const speed = decimal(f[F.speed]);
  const course = decimal(f[F.course]);
  if (!Number.isNaN(speed)) m['position.speed'] = knotsToKmh(speed);
  if (!Number.isNaN(course) && course <= 360) m['position.direction'] = course;
}

/** §4.3: the keyword as `report.type`, with the alarm, ignition or value it carries. */
function applyKeyword(m: Message, keyword: string): void {
  if (keyword === '') return;
  m['report.type'] = keyword;
  const alarm = ALARM_KEYWORDS[keyword];
  if (alarm) setAlarm(m, alarm);
  for (const [prefix, type, valuePrefix, name] of PREFIX_KEYWORDS) {
    if (!keyword.startsWith(prefix)) continue;
    setAlarm(m, type);
    const value = keyword.startsWith(valuePrefix) ? keyword.slice(valuePrefix.length).trim() : '';
    if (/^[-+]?\d+(\.\d+)?$/.test(value)) m[name] = Number(value);
  }
  const ignition = IGNITION_KEYWORDS[keyword];
  if (ignition !== undefined) m['engine.ignition.status'] = ignition;
  const parts = /^vt(\d+)$/.exec(keyword);
  if (parts) m[PHOTO_PARTS_NAME] = Number(parts[1]);
}

function setAlarm(m: Message, type: string): void {
  m['alarm.event.trigger'] = true;
  m['alarm.type'] = type;
}

/**
 * The device answers a §3 command with a report whose keyword echoes it: `<code>t` done or
 * `<code>f` refused for letter codes (`J` → `jt`, `L` → `lt`/`lf`), the code itself (done) or
 * the code + 400 (refused, e.g. `511` for `111`) for numeric codes. The correlation is the code.
 */
function commandEcho(keyword: string): { correlation: string; executed: boolean } | undefined {
  const letter = /^([a-uw-z])([tf])$/.exec(keyword);
  if (letter) return { correlation: letter[1].toUpperCase(), executed: letter[2] === 't' };
  const numeric = /^([15])(\d\d)$/.exec(keyword);
  if (numeric) return { correlation: `1${numeric[2]}`, executed: numeric[1] === '1' };
  return undefined;
}
