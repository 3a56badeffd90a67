import type { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { P } from '../params.js';

/**
 * The `posinfo` block (spec "The 'posinfo' binary block"): longitude, latitude, altitude as
 * doubles **little-endian** (degrees, m), speed u16 BE (km/h), course u16 BE (degrees),
 * satellites u8. Speed and course are unsigned as the spec says (Traccar reads them signed; the
 * values agree below 32768). Coordinates that are no number or out of range are not reported and
 * make the position invalid.
 */
export function decodePosinfo(b: Reader, m: Message): void {
  const lon = b.bytes(8).readDoubleLE(0);
  const lat = b.bytes(8).readDoubleLE(0);
  const altitude = b.bytes(8).readDoubleLE(0);
  const speed = b.u16();
  const course = b.u16();
  const satellites = b.u8();
  if (Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
    m['position.latitude'] = lat;
    m['position.longitude'] = lon;
  } else {
    m['position.valid'] = false;
  }
  if (Number.isFinite(altitude)) m['position.altitude'] = altitude;
  m['position.speed'] = speed;
  m['position.direction'] = course;
  m['position.satellites'] = satellites;
}

/**
 * The `imag` block (Wialon Retranslator 1.0 notes, "Image block"): title u64 (0), image size u32,
 * then the JPEG bytes, kept as hex with their size.
 */
export function decodeImage(b: Reader, m: Message): void {
  b.skip(8);
  const size = b.u32();
  const data = b.bytes(size);
  m[P.photoSize] = size;
  m[P.photoData] = data.toString('hex');
}
