import type { Reader } from '../../common/reader.js';
import type { CommandReply } from '../../common/types.js';
import { Codec, MessageType } from '../constants.js';

/** Codec 12/13/14 record: type, size, [timestamp (13)], [IMEI (14)], payload. Undefined for camera data. */
export function decodeResponse(r: Reader, codec: number): CommandReply | undefined {
  const type = r.u8();
  let size = r.u32();
  let timestamp: number | undefined;
  if (codec === Codec.C13) {
    timestamp = r.u32();
    size -= 4;
  }
  if (codec === Codec.C14 && type !== MessageType.Camera) {
    r.skip(8); // IMEI as BCD digits
    size -= 8;
  }
  const payload = r.bytes(Math.max(0, size));
  if (type === MessageType.Camera) return undefined; // DualCam file transfer, not a command reply
  const printable = payload.every((b) => b >= 32 || b === 0x0d || b === 0x0a);
  return {
    response: printable ? payload.toString('latin1', 0, payload.length).trim() : payload.toString('hex'),
    executed: type !== MessageType.Nack,
    ...(printable ? {} : { hex: payload.toString('hex') }),
    ...(timestamp !== undefined ? { timestamp } : {}),
  };
}
