import { crcVerdict } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { AuthSr, Flags, PacketType, Result, Service } from './constants.js';
import { type Confirmation, encodeResponse, encodeResultCode } from './encoder.js';
import { HCS_NAME, type Header, packetIdentity, parseHeader, SFRCS_NAME, terminalIdent, walkRecords } from './packet.js';

/**
 * Identity and acknowledgement of one EGTS packet, without decoding records. Every APPDATA packet
 * is answered with an EGTS_PT_RESPONSE confirming the packet and each of its records (GOST
 * 33465-2015 §5.6.3.1, §6.7.2.1); an authentication (TERM_IDENTITY, DISPATCHER_IDENTITY, AUTH_INFO)
 * also gets EGTS_SR_RESULT_CODE 0 (§6.7.2.8). The unit is named by its TERM_IDENTITY (IMEI, IMSI,
 * MSISDN or TID); units that skip authentication, and platforms that retranslate many units after
 * a DISPATCHER_IDENTITY, are named by the OID of their records. Packet and record numbers of the
 * hub's packets count up in the session (`vars.pid`, `vars.rn`).
 */
export function inspect(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  const h = parseHeader(frame);
  if (h instanceof CodecError) return { store: false, error: h };
  const counters = { pid: num(state.vars.pid), rn: num(state.vars.rn) };
  const refuse = (pr: number, error: CodecError): Inspection => ({
    store: false,
    error,
    ...answer(encodeResponse(counters.pid, h.pid, pr, [], counters.rn), counters, 1, 0),
  });
  const hcs = crcVerdict(h.hcsOk, options, HCS_NAME, h.hl - 1);
  if (!hcs.pass && hcs.error) return refuse(Result.HeaderCrcError, hcs.error);
  const data = crcVerdict(h.sfrcsOk, options, SFRCS_NAME, h.dataEnd);
  if (!data.pass && data.error) return refuse(Result.DataCrcError, data.error);
  const crcError = hcs.error ?? data.error;
  const unreadable = unreadableReason(h);
  if (unreadable) return refuse(unreadable.pr, unreadable.error);
  if (h.pt !== PacketType.AppData && h.pt !== PacketType.SignedAppData) return crcError ? { store: false, error: crcError } : { store: false };
  return { ...appData(frame, h, state, options, counters), ...(crcError ? { error: crcError } : {}) };
}

function appData(frame: Buffer, h: Header, state: SessionState, options: CodecOptions, counters: { pid: number; rn: number }): Inspection {
  const { records, error } = walkRecords(frame, h);
  const id = packetIdentity(frame, records);
  const oid = records.find((r) => r.oid !== undefined)?.oid;
  const terminal = id.terminal ? terminalIdent(id.terminal) : undefined;
  const byOid = !terminal && state.vars.by !== 'terminal' && oid !== undefined ? String(oid) : undefined;
  const ident = terminal ?? byOid;
  const known = ident !== undefined || state.ident !== undefined || id.dispatcher !== undefined || state.vars.by === 'dispatcher';
  const status = known ? Result.Ok : Result.AuthDenied;
  const confirmations: Confirmation[] = records.map((r) => ({ rn: r.rn, service: r.sst, status }));
  const parts = [encodeResponse(counters.pid, h.pid, Result.Ok, confirmations, counters.rn)];
  if (known && id.authenticates) parts.push(encodeResultCode(counters.pid + 1, counters.rn + records.length, Result.Ok, resultCodeSubrecord(options)));
  const reply = answer(Buffer.concat(parts), counters, parts.length, records.length + parts.length - 1);
  if (!known) {
    return {
      store: false,
      ...reply,
      error: new CodecError(CodecErrorCode.Unidentified, 'records before any TERM_IDENTITY, without an OID: confirmed with RST 151 (EGTS_PC_AUTH_DENIED)'),
    };
  }
  const by = terminal ? 'terminal' : byOid ? 'oid' : id.dispatcher !== undefined ? 'dispatcher' : undefined;
  const vars = { ...reply.vars, ...(by ? { by } : {}), ...(id.dispatcher !== undefined ? { dispatcher: id.dispatcher } : {}) };
  const dispatcherOnly = id.dispatcher !== undefined && records.every((r) => r.sst === Service.Auth);
  const store = records.length > 0 && !dispatcherOnly;
  return { ...(ident ? { ident } : {}), store, reply: reply.reply, vars, ...(error ? { error } : {}) };
}

/** Encrypted or compressed frame data cannot be read: answered EGTS_PC_DECRYPT_ERROR / EGTS_PC_UNS_PROTOCOL. */
function unreadableReason(h: Header): { pr: number; error: CodecError } | undefined {
  if ((h.flags >> Flags.EncryptionShift) & Flags.EncryptionMask) {
    return { pr: Result.DecryptError, error: new CodecError(CodecErrorCode.Unsupported, 'encrypted frame data (ENA ≠ 0) is not supported', 2) };
  }
  if (h.flags & Flags.Compressed)
    return { pr: Result.UnsupportedProtocol, error: new CodecError(CodecErrorCode.Unsupported, 'compressed frame data (CMP = 1) is not supported', 2) };
  return undefined;
}

/** The reply and the session counters after it: `packets` packets and `records` records sent. */
function answer(reply: Buffer, counters: { pid: number; rn: number }, packets: number, records: number): { reply: Buffer; vars: Record<string, number> } {
  return { reply, vars: { pid: (counters.pid + packets) & 0xffff, rn: (counters.rn + records) & 0xffff } };
}

/** `settings.resultCodeSubrecord`: 9 (Order No. 285, default) or 7 (Traccar's numbering). */
function resultCodeSubrecord(options: CodecOptions): number {
  return options.settings?.resultCodeSubrecord === 7 ? 7 : AuthSr.ResultCode;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) ? v & 0xffff : 0;
}
