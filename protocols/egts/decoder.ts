import { crcVerdict, markCrcInvalid } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import type { DecodeContext, Decoded, Message } from '../common/types.js';
import { Flags, PacketType, Service } from './constants.js';
import { HCS_NAME, parseHeader, type ServiceRecord, SFRCS_NAME, walkRecords, walkSubrecords } from './packet.js';
import { P, unknownSubrecord } from './params.js';
import { decodeAuth } from './records/auth.js';
import { decodeCommands } from './records/commands.js';
import { decodeTeledata } from './records/teledata.js';

/**
 * Decodes one EGTS packet (GOST 33465-2015 §5.6, §6.6): the header and frame data checksums under
 * the channel's CRC policy, then each service data record by its source service. A record without
 * a fix fills in the message of the record before it in the same packet and of the same object
 * (units send sensors and fixes as separate records); a record of an OID-named object (no
 * TERM_IDENTITY on the connection: a retranslating platform) carries that object's ident.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  const h = parseHeader(frame);
  if (h instanceof CodecError) {
    out.errors.push(h);
    return out;
  }
  const hcs = crcVerdict(h.hcsOk, ctx.options, HCS_NAME, h.hl - 1);
  const data = crcVerdict(h.sfrcsOk, ctx.options, SFRCS_NAME, h.dataEnd);
  const crcError = hcs.error ?? data.error;
  if (crcError) out.errors.push(crcError); // reported under both policies
  if (!hcs.pass || !data.pass) return out;
  if (h.flags & (Flags.Compressed | (Flags.EncryptionMask << Flags.EncryptionShift))) {
    out.errors.push(new CodecError(CodecErrorCode.Unsupported, 'encrypted or compressed frame data is not supported', 2));
    return out;
  }
  if (h.pt !== PacketType.AppData && h.pt !== PacketType.SignedAppData) return out; // a unit's EGTS_PT_RESPONSE: nothing to keep
  try {
    const { records, error } = walkRecords(frame, h);
    let previous: { message: Message; oid?: number } | undefined;
    for (const rec of records) {
      const messages = decodeRecord(frame, rec, ctx, out);
      if (previous && rec.sst === Service.Teledata && messages.length === 1 && messages[0][P.lat] === undefined && previous.oid === rec.oid) {
        fillIn(previous.message, messages[0]);
        continue;
      }
      out.messages.push(...messages);
      const last = messages[messages.length - 1];
      if (last?.[P.lat] !== undefined) previous = { message: last, oid: rec.oid };
    }
    if (error) out.errors.push(error);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  if (crcError) markCrcInvalid(out.messages);
  return out;
}

function decodeRecord(frame: Buffer, rec: ServiceRecord, ctx: DecodeContext, out: Decoded): Message[] {
  const base: Message = {};
  if (rec.time !== undefined) base.timestamp = rec.time;
  if (rec.oid !== undefined) {
    base[P.oid] = rec.oid;
    if (ctx.vars?.by !== 'terminal') base.ident = String(rec.oid);
  }
  if (rec.evid !== undefined) base[P.eventId] = rec.evid;
  switch (rec.sst) {
    case Service.Teledata:
      return decodeTeledata(frame, rec, base, out);
    case Service.Auth:
      return decodeAuth(frame, rec, base, out);
    case Service.Commands:
      return decodeCommands(frame, rec, base, out);
    default:
      return unknownRecord(frame, rec, base, out);
  }
}

/** Records of services without a reader (firmware, ECALL): their subrecords as hex. */
function unknownRecord(frame: Buffer, rec: ServiceRecord, base: Message, out: Decoded): Message[] {
  const { subrecords, error } = walkSubrecords(frame, rec);
  if (error) out.errors.push(error);
  if (subrecords.length === 0) return [];
  const m: Message = { ...base };
  for (const sub of subrecords) m[unknownSubrecord(rec.sst, sub.srt)] = frame.toString('hex', sub.start, sub.end);
  return [m];
}

/** The parameters of a record without a fix that the fix's message lacks (its time stays the fix's). */
function fillIn(target: Message, extra: Message): void {
  for (const [name, value] of Object.entries(extra)) if (target[name] === undefined) target[name] = value;
}
