import { toCodecError } from '../../common/errors.js';
import { Reader } from '../../common/reader.js';
import type { Decoded, Message } from '../../common/types.js';
import { COMMAND_DATA, CONFIRMATION_IN_PROGRESS, CONFIRMATIONS, CommandType } from '../constants.js';
import { type ServiceRecord, type Subrecord, walkSubrecords } from '../packet.js';
import { P, unknownSubrecord } from '../params.js';

/** CHS values (§6.7.3.1) → text decoders; 2 and 4 are binary. Without CHS the text is CP-1251. */
const CHARSETS: Readonly<Record<number, string>> = {
  0: 'windows-1251',
  1: 'ascii',
  3: 'latin1',
  5: 'shift_jis',
  6: 'iso-8859-5',
  7: 'iso-8859-8',
  8: 'utf-16be',
};
const BINARY = new Set([2, 4]);

/**
 * EGTS_COMMANDS_SERVICE records (GOST 33465-2015 §6.7.3): EGTS_SR_COMMAND_DATA from the unit. A
 * CT_COMCONF is the answer to a hub command, correlated by the CID the command carried; CC_INPROG
 * (accepted, result later) and CT_DELIV (delivered) are kept as messages but complete nothing.
 */
export function decodeCommands(frame: Buffer, rec: ServiceRecord, base: Message, out: Decoded): Message[] {
  const { subrecords, error } = walkSubrecords(frame, rec);
  const messages: Message[] = [];
  for (const sub of subrecords) {
    try {
      if (sub.srt === COMMAND_DATA) messages.push(commandData(frame, sub, base, out));
      else if (sub.srt !== 0) messages.push({ ...base, [unknownSubrecord(rec.sst, sub.srt)]: frame.toString('hex', sub.start, sub.end) });
    } catch (err) {
      out.errors.push(toCodecError(err));
    }
  }
  if (error) out.errors.push(error);
  return messages;
}

/** CT/CCT | CID u32 | SID u32 | flags (0 CHSFE, 1 ACFE) | [CHS] | [ACL | AC] | CD. */
function commandData(frame: Buffer, sub: Subrecord, base: Message, out: Decoded): Message {
  const r = new Reader(frame, sub.start, sub.end);
  const first = r.u8();
  const type = first >> 4;
  const cct = first & 0x0f;
  const cid = r.u32le();
  r.skip(4); // SID
  const flags = r.u8();
  const chs = flags & 0x01 ? r.u8() : undefined;
  if (flags & 0x02) r.skip(r.u8()); // authorisation code
  const cd = r.bytes(r.remaining);
  const m: Message = { ...base, [P.commandType]: type, [P.commandId]: cid };
  if (type === CommandType.MsgFrom) {
    m[P.message] = decodeText(cd, chs);
    return m;
  }
  m[P.confirmation] = cct;
  if (type !== CommandType.ComConf) return m;
  const confirmation = CONFIRMATIONS[cct] ?? { text: `confirmation ${cct}` };
  const response = confirmationText(confirmation.text, cd, chs);
  m[P.response] = response;
  if (cct !== CONFIRMATION_IN_PROGRESS) {
    out.commandReplies.push({
      response,
      ...(confirmation.executed === undefined ? {} : { executed: confirmation.executed }),
      correlation: String(cid),
      ...(typeof base.timestamp === 'number' ? { timestamp: base.timestamp } : {}),
    });
  }
  return m;
}

/**
 * The reply text: `<result>`, or `<result>: 0x<CCD>[=<DT>]` when CD holds the command format (ADR
 * u16 | SZ/ACT | CCD u16 | DT) — a parameter value comes back in DT.
 */
function confirmationText(result: string, cd: Buffer, chs: number | undefined): string {
  if (cd.length === 0) return result;
  if (cd.length < 5) return `${result}: ${cd.toString('hex')}`;
  const code = `0x${cd.readUInt16LE(3).toString(16).padStart(4, '0')}`;
  const data = cd.subarray(5);
  return data.length === 0 ? `${result}: ${code}` : `${result}: ${code}=${value(data, chs)}`;
}

/** A returned value: text when printable, a little-endian integer of up to 4 bytes, else hex. */
function value(data: Buffer, chs: number | undefined): string {
  const trimmed = data.subarray(0, data.indexOf(0) < 0 ? data.length : data.indexOf(0));
  if ((chs === undefined || !BINARY.has(chs)) && trimmed.length > 0 && trimmed.every((b) => b >= 0x20 && b !== 0x7f)) return decodeText(trimmed, chs);
  if (data.length <= 4) return String(data.readUIntLE(0, data.length));
  return data.toString('hex');
}

function decodeText(bytes: Buffer, chs: number | undefined): string {
  if (chs !== undefined && BINARY.has(chs)) return bytes.toString('hex');
  try {
    return new TextDecoder(CHARSETS[chs ?? 0] ?? 'windows-1251').decode(bytes).replace(/\0+$/, '');
  } catch {
    return bytes.toString('latin1');
  }
}
