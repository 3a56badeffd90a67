import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { ALTERNATIVE_FIELDS } from '../params.js';
import { applyRows, decimal, utcDateTime } from './fields.js';

/**
 * The decimal-degree variant some GPS103 clones send, ended by `*`: `imei:<IMEI>,<name>,<event>,
 * <sensor id>,<sensor V>,hhmmss,ddmmyy,<rssi>,<gps 0|1>,<lat>,<lon>,<km/h>,<course>,<alt>,<hdop>,
 * <satellites>,<acc>,<charging>,<error>` (UTC; `---` = no value).
 */
const F = { time: 5, date: 6, gps: 8, lat: 9, lon: 10, speed: 11, course: 12, tail: 19 } as const;

export function decodeAlternative(fields: readonly string[], ctx: DecodeContext, out: Decoded): void {
  const m: Message = {};
  const ts = utcDateTime(fields[F.time], fields[F.date]) ?? ctx.receivedAt;
  if (ts !== undefined) m.timestamp = ts;
  const lat = Number(fields[F.lat]);
  const lon = Number(fields[F.lon]);
  if (Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
    m['position.latitude'] = lat;
    m['position.longitude'] = lon;
    m['position.valid'] = Number(fields[F.gps]) > 0;
    const speed = decimal(fields[F.speed]);
    const course = decimal(fields[F.course]);
    if (!Number.isNaN(speed)) m['position.speed'] = speed; // km/h as sent
    if (!Number.isNaN(course) && course <= 360) m['position.direction'] = course;
  }
  applyRows(m, fields, ALTERNATIVE_FIELDS, F.tail);
  out.messages.push(m);
}
