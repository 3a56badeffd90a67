import { crcVerdict } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { FLEX_CRC_SIZE, FlexType, NtcbHeader, NtcbMessage, Start, Var } from './constants.js';
import { encodeArchiveAck, encodeFlexAck, encodeIdentAck, encodeNegotiationAck, encodeTelemetryAck } from './encoder.js';
import {
  CSD_NAME,
  CSP_NAME,
  FLEX_CRC_NAME,
  flexCrcMatches,
  flexRecordSize,
  type NtcbPacket,
  negotiationVars,
  ntcbKind,
  readFlexNegotiation,
  readNtcb,
} from './packet.js';

const IGNORE: Inspection = { store: false };
const FLEX_TYPES: readonly number[] = Object.values(FlexType);

/**
 * Identity and answers of one Navtelecom frame, without decoding records (§1.2.1 connection:
 * `*>S:<IMEI>` → `*<S`, then `*>FLEX` → `*<FLEX` with the versions; §1.2.2 / §2.4 data answers).
 * Data before the identification closes the connection; FLEX records also need the negotiation.
 */
export function inspect(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  switch (frame[0]) {
    case Start.KeepAlive:
      return IGNORE;
    case Start.Ntcb:
      return inspectNtcb(frame, state, options);
    case Start.Flex:
      return inspectFlex(frame, state, options);
    default:
      return { store: false, error: new CodecError(CodecErrorCode.Malformed, 'not an NTCB or FLEX frame', 0) };
  }
}

function inspectNtcb(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  const p = readNtcb(frame);
  if (p instanceof CodecError) return { store: false, error: p };
  const crc = crcVerdict(p.headerOk && p.dataOk, options, p.headerOk ? CSD_NAME : CSP_NAME, p.headerOk ? NtcbHeader.DataXor : NtcbHeader.HeaderXor);
  if (!crc.pass) return { store: false, error: crc.error };
  const suspect = crc.error ? { error: crc.error } : {};
  if (p.data.length === 0) return { store: false, ...suspect }; // keep-alive: nothing to answer
  const kind = ntcbKind(p.data);
  if (kind === NtcbMessage.Ident) return { ...identify(p), ...suspect };
  if (kind === NtcbMessage.Flex) {
    const n = readFlexNegotiation(p.data);
    if (n instanceof CodecError) return { store: false, error: n };
    return { store: false, vars: negotiationVars(n), reply: encodeNegotiationAck(p, n), ...suspect };
  }
  if (!state.ident) return unidentified(`NTCB ${p.data.toString('latin1', 0, 3)} before the *>S identification`);
  if (kind === NtcbMessage.Telemetry || kind === NtcbMessage.Archive) {
    const reply = dataAck(p, kind);
    if (reply instanceof CodecError) return { store: false, error: reply };
    return { store: true, reply, ...suspect };
  }
  if (kind === NtcbMessage.Reply || kind === NtcbMessage.Answer || p.data[0] === 0x2a) return { store: true, ...suspect }; // command answers, other `*` messages: kept
  return { store: false, error: new CodecError(CodecErrorCode.Unsupported, 'NTCB data is not a `*` message', 16) };
}

/** `*>S:<IMEI>`: the ident, and the ids our answers and commands use (the terminal's swapped). */
function identify(p: NtcbPacket): Inspection {
  const ident = p.data
    .toString('latin1', NtcbMessage.Ident.length + 1)
    .replace(/\0+$/, '')
    .trim(); // some firmwares end it with NUL
  if (p.data[NtcbMessage.Ident.length] !== 0x3a || !isValidIdent(ident)) {
    return { store: false, close: true, error: new CodecError(CodecErrorCode.Malformed, '*>S identification without a valid IMEI after the colon', 19) };
  }
  return { ident, store: false, vars: { [Var.DeviceId]: p.sender, [Var.ServerId]: p.receiver }, reply: encodeIdentAck(p) };
}

/** `*<T` + the record index (after the format byte, or the u16 format when the first byte is 0), `*<A` + the count. */
function dataAck(p: NtcbPacket, kind: typeof NtcbMessage.Telemetry | typeof NtcbMessage.Archive): Buffer | CodecError {
  const at = kind.length;
  if (kind === NtcbMessage.Archive) {
    if (p.data.length <= at) return new CodecError(CodecErrorCode.Truncated, '*>A without a record count', 16 + at);
    return encodeArchiveAck(p, p.data[at]);
  }
  const indexAt = at + (p.data[at] === 0 ? 2 : 1);
  if (p.data.length < indexAt + 4) return new CodecError(CodecErrorCode.Truncated, '*>T without a record index', 16 + at);
  return encodeTelemetryAck(p, p.data.readUInt32LE(indexAt));
}

function inspectFlex(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  if (!state.ident) return unidentified('FLEX data before the *>S identification');
  const type = frame[1];
  if (!FLEX_TYPES.includes(type))
    return { store: false, error: new CodecError(CodecErrorCode.Unsupported, `FLEX message type 0x${Number(type).toString(16)} is not A, T, C, E or X`, 1) };
  const needsLayout = type === FlexType.Archive || type === FlexType.Event || type === FlexType.Current;
  if (needsLayout && flexRecordSize(state.vars) === undefined)
    return { store: false, close: true, error: new CodecError(CodecErrorCode.Unidentified, 'FLEX record before the *>FLEX negotiation') };
  const head = type === FlexType.Event || type === FlexType.ExtraEvent ? 6 : type === FlexType.Current ? 2 : 3;
  if (frame.length < head + FLEX_CRC_SIZE) return { store: false, error: new CodecError(CodecErrorCode.Truncated, `FLEX frame of ${frame.length} bytes`, 0) };
  const crc = crcVerdict(flexCrcMatches(frame), options, FLEX_CRC_NAME, frame.length - FLEX_CRC_SIZE);
  if (!crc.pass) return { store: false, error: crc.error };
  return { store: true, reply: encodeFlexAck(type, frame.subarray(2, head)), ...(crc.error ? { error: crc.error } : {}) };
}

function unidentified(reason: string): Inspection {
  return { store: false, close: true, error: new CodecError(CodecErrorCode.Unidentified, reason) };
}
