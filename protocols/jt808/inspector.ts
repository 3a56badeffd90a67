import { crcVerdict } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { ACKED, Attr, Msg, Result, UNACKED } from './constants.js';
import { type Addressee, encodeAck, encodeLockAck, encodeRegisterAck } from './encoder.js';
import { hex4, isText, isTimeRequest, modelOf, type Packet, parsePacket, terminalIdent, textIdent } from './packet.js';

/** Acked messages that carry nothing to store (or nothing in their usual form). */
const NOTHING_TO_STORE: ReadonlySet<number> = new Set([Msg.Logout, Msg.TimezoneSync, Msg.Heartbeat2, Msg.Photo]);

/**
 * Identity and acknowledgement of one JT/T 808 frame, without decoding records. Every frame names
 * its terminal in the header, so every frame identifies the device (no login is needed first, as
 * with Traccar; registration and authentication are answered when they come). Acks (§8.2 0x8001,
 * §8.9 0x8100) use the terminal's own number and edition; the platform serial is always 0.
 */
export function inspect(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  if (isText(frame)) return inspectText(frame, state);
  const p = parsePacket(frame, state.transport);
  if (p instanceof CodecError) return { store: false, error: p };
  const crc = crcVerdict(p.checkOk, options, 'XOR check code', p.checkAt);
  if (!crc.pass) return { store: false, error: crc.error };
  const ident = terminalIdent(p.terminal);
  if (!isValidIdent(ident)) return { store: false, close: true, error: new CodecError(CodecErrorCode.Malformed, 'terminal number is not an ident', 5) };
  const vars: Record<string, string | number> = { terminal: p.terminal.toString('hex'), version: p.version ?? -1 };
  const model = modelOf(p);
  if (model) vars.model = model;
  const i = answer(p);
  return { ...i, ident, vars, ...(crc.error && !i.error ? { error: crc.error } : {}) };
}

/** What to store and what to answer, by message id. */
function answer(p: Packet): Inspection {
  const to: Addressee = { terminal: p.terminal, version: p.version };
  const ack = () => encodeAck(to, p.serial, p.type, Result.Ok);
  if (p.total !== undefined && p.total > 1) {
    const error = new CodecError(CodecErrorCode.Unsupported, `split message 0x${hex4(p.type)} (packet ${p.index}/${p.total}) is acked, not reassembled`);
    return { store: false, reply: ack(), error };
  }
  switch (p.type) {
    case Msg.Register:
      return { store: true, reply: encodeRegisterAck(to, p.serial, authCode(p.terminal)) };
    case Msg.Auth:
      return { store: p.version !== undefined, reply: ack() }; // 2019 adds the IMEI and software version
    case Msg.Heartbeat:
      return { store: p.bodyEnd - p.bodyStart >= 3, reply: ack() };
    case Msg.LockLocation:
    case Msg.LockLocationBlind:
      return { store: true, ...(p.attr & Attr.Reserved ? { reply: encodeLockAck(to, p.type) } : {}) };
    case Msg.TimeQuery:
      return { store: false }; // §8.5 answers with the server's time: not the codec's to give
  }
  if (ACKED.has(p.type)) return { store: !NOTHING_TO_STORE.has(p.type), reply: ack() };
  if (UNACKED.has(p.type)) return { store: true };
  return {
    store: false,
    reply: encodeAck(to, p.serial, p.type, Result.Unsupported),
    error: new CodecError(CodecErrorCode.Unsupported, `message 0x${hex4(p.type)} is not supported (answered "unsupported")`, 1),
  };
}

/** The code the device authenticates with afterwards: its terminal number as sent (Traccar hands out the same). */
function authCode(terminal: Buffer): string {
  const digits = terminal.toString('hex');
  return /^\d+$/.test(digits) ? digits : terminalIdent(terminal);
}

/** `(id,…)` text of Jointech locks: the id is the terminal number; a time request is left unanswered. */
function inspectText(frame: Buffer, state: SessionState): Inspection {
  const ident = textIdent(frame);
  if (!ident && !state.ident)
    return { store: false, error: new CodecError(CodecErrorCode.Unidentified, 'text frame without a terminal number before any message') };
  return { store: !isTimeRequest(frame), ...(ident && isValidIdent(ident) ? { ident } : {}) };
}
