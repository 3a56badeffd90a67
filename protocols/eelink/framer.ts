import { CodecErrorCode } from '../common/errors.js';
import { cut, fail, MORE, nextMarker, whole } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { ENVELOPE_FIXED, ENVELOPE_HEADER, ENVELOPE_MARK, MARK, PACKAGE_HEADER } from './constants.js';

const PACKAGE_MARK = Buffer.from([0x67, 0x67]);
const EL_MARK = Buffer.from('EL', 'latin1');
/** The smallest package: header + sequence. */
const MIN_PACKAGE = PACKAGE_HEADER + 2;

/**
 * Cuts one Eelink frame from a TCP stream (§4.1): a package `67 67 | PID | size u16 | size bytes`
 * (what Traccar's `LengthFieldBasedFrameDecoder(1024, 3, 2)` cuts), or a whole `EL` envelope
 * `EL | size u16 | size bytes` (§4.2, UDP's form, accepted on TCP as Traccar's decoder does).
 * Bytes that start neither are skipped to the next mark. UDP datagrams are whole frames.
 */
export function frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (state.transport !== 'tcp') return whole(buf);
  if (buf.length === 0) return MORE;
  if (buf[0] !== PACKAGE_MARK[0] && buf[0] !== EL_MARK[0]) return resync(buf, 'expected 6767 or EL at the start of a frame');
  if (buf.length < 2) return MORE;
  const head = buf.readUInt16BE(0);
  if (head === MARK) {
    if (buf.length < PACKAGE_HEADER) return MORE;
    const size = buf.readUInt16BE(3);
    if (size < MIN_PACKAGE - PACKAGE_HEADER) return resync(buf, `package size ${size} leaves no room for the sequence`);
    return cut(buf, 0, PACKAGE_HEADER + size, options, 'package');
  }
  if (head === ENVELOPE_MARK) {
    if (buf.length < ENVELOPE_HEADER) return MORE;
    const size = buf.readUInt16BE(2);
    if (size < ENVELOPE_FIXED + MIN_PACKAGE) return resync(buf, `envelope size ${size} leaves no room for the IMEI and a package`);
    return cut(buf, 0, ENVELOPE_HEADER + size, options, 'envelope');
  }
  return resync(buf, 'expected 6767 or EL at the start of a frame');
}

/** Skips to the next `6767` or `EL` (keeping a trailing first byte of either that may start one). */
function resync(buf: Buffer, reason: string): FrameResult {
  const next = Math.min(nextMarker(buf, PACKAGE_MARK, 1), nextMarker(buf, EL_MARK, 1));
  return fail(CodecErrorCode.Malformed, reason, next);
}
