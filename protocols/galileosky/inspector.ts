import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { Reader } from '../common/reader.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { CRC_SIZE, HEADER_SIZE, Header, IMEI_LENGTH, LENGTH_MASK, Tag } from './constants.js';
import { checkCrc } from './decoder.js';
import { encodeAck } from './encoder.js';
import { iridiumImei, isIridium } from './iridium.js';
import { skipTag } from './records.js';

/**
 * Identity and confirmation of one Galileosky packet, without decoding values. The IMEI (tag 03)
 * usually comes only in the first packet of a connection; later packets are matched to the
 * session's ident. A packet is confirmed (`02` + its CRC) only once it is durable.
 */
export function inspect(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  if (isIridium(frame)) return inspectIridium(frame);
  if (frame.length < HEADER_SIZE + CRC_SIZE) return { store: false, error: new CodecError(CodecErrorCode.Truncated, 'packet shorter than header and CRC', 0) };
  const crcError = checkCrc(frame) ? undefined : new CodecError(CodecErrorCode.Checksum, 'CRC-16/MODBUS mismatch', frame.length - CRC_SIZE);
  if (crcError && options.crc !== 'lenient') return { store: false, error: crcError };
  const ident = frame[0] === Header.Data ? findImei(frame) : undefined;
  if (!ident && !state.ident) {
    return { store: false, error: new CodecError(CodecErrorCode.Unidentified, 'packet before any packet carried the IMEI (tag 03)') };
  }
  const empty = (frame.readUInt16LE(1) & LENGTH_MASK) === 0;
  return { ...(ident ? { ident } : {}), store: !empty, reply: encodeAck(frame), ...(crcError ? { error: crcError } : {}) };
}

/** Iridium messages carry the modem IMEI in every MO header; the gateway expects no answer. */
function inspectIridium(frame: Buffer): Inspection {
  const imei = iridiumImei(frame);
  if (!imei || !/^\d+$/.test(imei) || !isValidIdent(imei)) {
    return { store: false, error: new CodecError(CodecErrorCode.Malformed, 'Iridium MO header has no IMEI', 10) };
  }
  return { ident: imei, store: true };
}

/** Walks the first record's tags (without decoding them) until tag 03; undefined when absent. */
function findImei(frame: Buffer): string | undefined {
  const end = Math.min(frame.length - CRC_SIZE, HEADER_SIZE + (frame.readUInt16LE(1) & LENGTH_MASK));
  const r = new Reader(frame, HEADER_SIZE, Math.max(HEADER_SIZE, end));
  const seen = new Uint8Array(256);
  try {
    while (r.remaining > 0) {
      const tag = r.u8();
      if (seen[tag]) return undefined;
      seen[tag] = 1;
      if (tag === Tag.Imei) {
        const imei = r.ascii(IMEI_LENGTH);
        return /^\d+$/.test(imei) && isValidIdent(imei) ? imei : undefined;
      }
      if (!skipTag(r, tag)) return undefined;
    }
  } catch {
    return undefined; // truncated: the decoder reports it
  }
  return undefined;
}
