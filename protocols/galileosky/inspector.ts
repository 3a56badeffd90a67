import { crcVerdict } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { CRC_SIZE, Header } from './constants.js';
import { encodeAck } from './encoder.js';
import { CRC_NAME, crcMatches, findImei, iridiumImei, isEmpty, isIridium, tooShort } from './packet.js';

/**
 * Identity and confirmation of one Galileosky packet, without decoding values. The IMEI (tag 03)
 * usually comes only in the first packet of a connection; later packets are matched to the
 * session's ident. A packet is confirmed (`02` + its CRC) only once it is durable.
 */
export function inspect(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  if (isIridium(frame)) return inspectIridium(frame);
  const short = tooShort(frame);
  if (short) return { store: false, error: short };
  const crc = crcVerdict(crcMatches(frame), options, CRC_NAME, frame.length - CRC_SIZE);
  if (!crc.pass) return { store: false, error: crc.error };
  const ident = frame[0] === Header.Data ? findImei(frame) : undefined;
  if (!ident && !state.ident) {
    return { store: false, error: new CodecError(CodecErrorCode.Unidentified, 'packet before any packet carried the IMEI (tag 03)') };
  }
  return { ...(ident ? { ident } : {}), store: !isEmpty(frame), reply: encodeAck(frame), ...(crc.error ? { error: crc.error } : {}) };
}

/** Iridium messages carry the modem IMEI in every MO header; the gateway expects no answer. */
function inspectIridium(frame: Buffer): Inspection {
  const imei = iridiumImei(frame);
  if (!imei || !/^\d+$/.test(imei) || !isValidIdent(imei)) {
    return { store: false, error: new CodecError(CodecErrorCode.Malformed, 'Iridium MO header has no IMEI', 10) };
  }
  return { ident: imei, store: true };
}
