import { Reader } from '../../common/reader.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { Iridium } from '../constants.js';
import { decodeCompressedRecords } from './compressed.js';
import { decodeTagStream } from './tags.js';

interface IridiumLocation {
  readonly latitude: number;
  readonly longitude: number;
  readonly cepRadius: number;
}

/**
 * Iridium SBD MO message: information elements (id u8, length u16 BE). The MO header gives the
 * session time and counters, the MO location the satellite-estimated position (CEP radius in
 * km), the payload the Galileosky data: tags as in a data packet, or compressed records when the
 * channel setting `compressed` is true. Payload values win over the header's.
 */
export function decodeIridium(frame: Buffer, ctx: DecodeContext, out: Decoded, now: number): void {
  const r = new Reader(frame, 3, Math.min(frame.length, 3 + frame.readUInt16BE(1)));
  const base: Message = {};
  let location: IridiumLocation | undefined;
  let payload: Buffer | undefined;
  while (r.remaining >= 3) {
    const id = r.u8();
    const data = r.bytes(r.u16());
    if (id === Iridium.MoHeader && data.length >= Iridium.MoHeaderLength) readHeader(data, base);
    else if (id === Iridium.MoLocation && data.length >= 11) location = readLocation(data);
    else if (id === Iridium.MoPayload) payload = data;
    else base[`galileosky.iridium.ie.${id}`] = data.toString('hex');
  }
  const first = out.messages.length;
  if (!payload) out.messages.push(base);
  else if (ctx.options?.settings?.compressed === true) decodeCompressedRecords(new Reader(payload), out, base, now);
  else decodeTagStream(new Reader(payload), out, base);
  if (!location) return;
  for (const m of out.messages.slice(first)) {
    m['galileosky.iridium.cep.radius'] = location.cepRadius;
    if (m['position.latitude'] !== undefined) continue;
    m['position.latitude'] = location.latitude;
    m['position.longitude'] = location.longitude;
    m['position.valid'] = false; // satellite-estimated, not a GNSS fix
  }
}

/** CDR reference u32 | IMEI | session status u8 | MOMSN u16 | MTMSN u16 | session time u32 (all BE). */
function readHeader(data: Buffer, m: Message): void {
  m['galileosky.iridium.cdr.reference'] = data.readUInt32BE(0);
  m['galileosky.iridium.session.status'] = data[19];
  m['galileosky.iridium.momsn'] = data.readUInt16BE(20);
  m['galileosky.iridium.mtmsn'] = data.readUInt16BE(22);
  m.timestamp = data.readUInt32BE(24);
}

/** flags u8 (bit 1 south, bit 0 west) | lat deg u8 + thousandths of minute u16 | lon likewise | CEP u32 km. */
function readLocation(data: Buffer): IridiumLocation {
  const flags = data[0];
  const lat = data[1] + data.readUInt16BE(2) / 60000;
  const lon = data[4] + data.readUInt16BE(5) / 60000;
  return {
    latitude: Math.round((flags & 0x02 ? -lat : lat) * 1e6) / 1e6,
    longitude: Math.round((flags & 0x01 ? -lon : lon) * 1e6) / 1e6,
    cepRadius: data.readUInt32BE(7),
  };
}
