import { crcVerdict } from '../common/crc-policy.js';
import { CodecError } from '../common/errors.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { CHECKSUM_NAME, DEFAULT_PHOTO_FILE, FrameType, PHOTO_BATCH } from './constants.js';
import { encodeAacAck, encodeCccAck, encodePhotoRequest } from './encoder.js';
import { cccRecordCount, type Header, parseHeader, parsePhotoPacket } from './packet.js';

/**
 * Identity and acknowledgement of one Meitrack frame. Every frame carries the IMEI. AAA reports
 * and CCE batches are stored without an ack; CCC batches are acked with the number of records
 * (the device then deletes them); AAC is confirmed and not stored; picture packets are stored
 * and every eighth asks for the next batch; a D03 (take picture) OK starts the picture download.
 * Any other type is a command reply, stored for the decoder.
 */
export function inspect(frame: Buffer, _state: SessionState, options: CodecOptions): Inspection {
  const h = parseHeader(frame);
  if (h instanceof CodecError) return { store: false, error: h };
  const crc = crcVerdict(h.checksumOk, options, CHECKSUM_NAME, h.end);
  if (!crc.pass) return { store: false, error: crc.error };
  const base = crc.error ? { ident: h.ident, error: crc.error } : { ident: h.ident };
  switch (h.type) {
    case FrameType.Confirm:
      return { ...base, store: false, reply: encodeAacAck(h.flag, h.ident) };
    case FrameType.Compressed:
      return { ...base, store: true, reply: encodeCccAck(h.flag, h.ident, cccRecordCount(frame, h)) };
    case FrameType.PhotoData:
      return { ...base, store: true, reply: nextPhotoBatch(frame, h) };
    case FrameType.Photo:
      return {
        ...base,
        store: true,
        reply: /,OK$/i.test(frame.toString('latin1', h.typeAt, h.end)) ? encodePhotoRequest(h.ident, DEFAULT_PHOTO_FILE, 0) : undefined,
      };
    default:
      return { ...base, store: true };
  }
}

/** After packets 7, 15, 23... of a picture, ask for the next eight (unless it was the last). */
function nextPhotoBatch(frame: Buffer, h: Header): Buffer | undefined {
  const packet = parsePhotoPacket(frame, h);
  if (packet instanceof CodecError) return undefined;
  const next = packet.index + 1;
  return next < packet.total && next % PHOTO_BATCH === 0 ? encodePhotoRequest(h.ident, packet.file, next) : undefined;
}
