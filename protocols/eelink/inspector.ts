import { crcVerdict } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { DECODED_PIDS, ENVELOPE_SUM_AT, LEGACY_PIDS, LOCATION_PIDS, LOGIN_MIN, NOT_ANSWERED, Pid } from './constants.js';
import { encodeAck, encodeEnvelope, encodeLoginReply } from './encoder.js';
import { imeiAt, type Package, parseFrame } from './packet.js';

/**
 * Identity and acknowledgement of one Eelink frame, without decoding records. The device logs in
 * with 0x01 (§5.2) before anything else on TCP; a UDP envelope names its IMEI in every datagram
 * (§4.2). Every package except 0x02 and 0x81 is answered with its PID and sequence (§5.1); the
 * login answer carries time, version and param-set action. Over UDP the answers travel in one
 * envelope naming the device.
 */
export function inspect(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  const f = parseFrame(frame);
  if (f instanceof CodecError) return { store: false, error: f };
  const crc = crcVerdict(f.envelope?.sumOk !== false, options, 'EL envelope sum', ENVELOPE_SUM_AT);
  if (!crc.pass) return { store: false, error: crc.error };
  const login = f.packages.find((p) => p.pid === Pid.Login);
  const loginImei = login && login.end - login.contentStart >= LOGIN_MIN ? imeiAt(frame, login.contentStart) : undefined;
  if (login && !f.envelope && (!loginImei || !isValidIdent(loginImei))) {
    return { store: false, close: true, error: new CodecError(CodecErrorCode.Malformed, 'login package without an IMEI of BCD digits', login.contentStart) };
  }
  const named = f.envelope?.imei ?? loginImei;
  const ident = named ?? state.ident;
  if (!ident) {
    const error = new CodecError(CodecErrorCode.Unidentified, `package 0x${hex2(f.packages[0].pid)} before the login package`);
    return { store: false, error, close: state.transport === 'tcp' };
  }
  const answers = f.packages
    .filter((p) => !NOT_ANSWERED.has(p.pid))
    .map((p) => (p.pid === Pid.Login ? encodeLoginReply(p.sequence) : encodeAck(p.pid, p.sequence)));
  const acks = Buffer.concat(answers);
  const reply = answers.length === 0 ? undefined : f.envelope || state.transport === 'udp' ? encodeEnvelope(ident, acks) : acks;
  const store = f.packages.some((p) => isDecodable(p));
  return {
    store,
    ...(named ? { ident: named } : {}),
    ...(reply ? { reply } : {}),
    ...(crc.error ? { error: crc.error } : {}),
  };
}

/** Packages with something for the queue: the ones the decoder reads, long enough for their fixed part. */
function isDecodable(p: Package): boolean {
  if (!DECODED_PIDS.has(p.pid)) return false;
  const size = p.end - p.contentStart;
  if (LOCATION_PIDS.has(p.pid)) return size >= 5; // time + mask
  if (LEGACY_PIDS.has(p.pid)) return size >= 4 + 8 + 3 + 9 + 1; // time, lat/lon, speed/course, cell, fix flag
  if (p.pid === Pid.Instruction) return size >= 5; // type + server flag
  return size >= 2; // heartbeat and OBD status words
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
