import { bcd, Reader } from '../../common/reader.js';
import type { Decoded, Message } from '../../common/types.js';
import { BinaryLength } from '../constants.js';
import { toTimestamp } from '../packet.js';
import { applyStatus, BATTERY_RAW_NAME, BINARY_CELL, batteryLevel } from '../params.js';

const KNOTS_TO_KMH = 1.852;

/**
 * `$` | id (5 BCD, or 8 in the 42-byte form) | hhmmss DDMMYY (BCD) | latitude DDMM.MMMM (8 BCD
 * digits) | battery | longitude DDDMM.MMMM (9 BCD digits) + flags nibble | speed (3 BCD digits,
 * knots) + course (3 BCD digits) | status u32 | 45-byte form: ... MCC u16, MNC u8, LAC u16, cell u16 at 37.
 */
export function decodeBinary(frame: Buffer, out: Decoded): void {
  const r = new Reader(frame, 1);
  r.skip(frame.length === BinaryLength.LongId ? 8 : 5);
  const m: Message = {};
  const time = digits(r, 3);
  const date = digits(r, 3);
  const lat = digits(r, 4);
  const battery = r.u8();
  const lon = digits(r, 5);
  const motion = digits(r, 3);
  const status = r.u32();
  const ts = toTimestamp(date, time);
  if (ts !== undefined) m.timestamp = ts;
  const flags = parseInt(lon[9], 16);
  const latitude = coordinate(lat, 2);
  const longitude = coordinate(lon.slice(0, 9), 3);
  if (!Number.isNaN(latitude) && !Number.isNaN(longitude)) {
    m['position.latitude'] = flags & 0x04 ? latitude : -latitude;
    m['position.longitude'] = flags & 0x08 ? longitude : -longitude;
    m['position.valid'] = (flags & 0x02) !== 0;
  }
  const speed = /^\d{3}/.test(motion) ? Number(motion.slice(0, 3)) : NaN;
  const course = /^\d{2}$/.test(motion.slice(4)) ? (parseInt(motion[3], 16) & 0x0f) * 100 + Number(motion.slice(4)) : NaN;
  if (!Number.isNaN(speed)) m['position.speed'] = Math.round(speed * KNOTS_TO_KMH * 1000) / 1000;
  if (!Number.isNaN(course) && course <= 360) m['position.direction'] = course;
  const level = batteryLevel(battery);
  if (level !== undefined) m['battery.level'] = level;
  else if (battery !== 0) m[BATTERY_RAW_NAME] = battery;
  applyStatus(m, status);
  if (frame.length >= BinaryLength.Long && frame.length !== BinaryLength.LongId) decodeCell(frame, m);
  out.messages.push(m);
}

/** The serving cell of 45-byte frames (left out when MCC is 0). */
function decodeCell(frame: Buffer, m: Message): void {
  const values = BINARY_CELL.map((f) => (f.size === 1 ? frame[f.offset] : frame.readUInt16BE(f.offset)));
  if (values[0] === 0) return;
  BINARY_CELL.forEach((f, i) => {
    m[f.name] = values[i];
  });
}

function digits(r: Reader, bytes: number): string {
  const at = r.pos;
  r.skip(bytes);
  return bcd(r.buf, at, at + bytes);
}

/** BCD `DDMM` + 4 minute decimals, with `degreeDigits` digits of degrees. NaN on a non-decimal nibble. */
function coordinate(text: string, degreeDigits: number): number {
  if (!/^\d+$/.test(text)) return NaN;
  const minutes = Number(text.slice(degreeDigits)) / 10000;
  const value = Number(text.slice(0, degreeDigits)) + minutes / 60;
  return minutes < 60 && value <= (degreeDigits === 2 ? 90 : 180) ? value : NaN;
}
