import { CRC16, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import { Reader } from '../common/reader.js';
import type { CommandReply, DecodeContext, Decoded, Message } from '../common/types.js';
import { BYTE_REPLIES, CRC_SIZE, DTC_ARCHIVED, FILE_PART, HEADER_SIZE, MessageType, TEXT_REPLIES } from './constants.js';
import { decodeRecords } from './records.js';

const crcKermit = crc16(CRC16.KERMIT);

/** True when the length field spans the frame exactly and the CRC-16/KERMIT of IMEI..payload matches. */
export function checkCrc(frame: Buffer): boolean {
  if (frame.length < HEADER_SIZE + CRC_SIZE) return false;
  const length = frame.readUInt16BE(0);
  if (2 + length + CRC_SIZE !== frame.length) return false;
  return crcKermit(frame, 2, 2 + length) === frame.readUInt16BE(2 + length);
}

/** The IMEI (u64 after the length) as a decimal ident of at least 15 digits. */
export function readIdent(frame: Buffer): string | undefined {
  if (frame.length < 10) return undefined;
  const imei = frame.readBigUInt64BE(2);
  return imei === 0n ? undefined : imei.toString().padStart(15, '0');
}

/**
 * Decodes one Ruptela frame: `len u16 | IMEI u64 | command u8 | payload | CRC u16`. The payload is
 * read up to the CRC (the last two bytes), whatever the length field says.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  if (frame.length < HEADER_SIZE + CRC_SIZE) {
    out.errors.push(new CodecError(CodecErrorCode.Truncated, `frame of ${frame.length} bytes is shorter than a header and CRC`, 0));
    return out;
  }
  const crcOk = checkCrc(frame);
  if (!crcOk && ctx.options?.crc !== 'lenient') {
    out.errors.push(new CodecError(CodecErrorCode.Checksum, 'length field or CRC-16/KERMIT does not match the frame', frame.length - CRC_SIZE));
    return out;
  }
  const type = frame[HEADER_SIZE - 1];
  const r = new Reader(frame, HEADER_SIZE, frame.length - CRC_SIZE);
  try {
    decodePayload(type, r, out);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  if (!crcOk) for (const m of out.messages) m['crc.valid'] = false;
  return out;
}

function decodePayload(type: number, r: Reader, out: Decoded): void {
  if (TEXT_REPLIES.has(type) || BYTE_REPLIES.has(type)) {
    addReply(out, decodeReply(type, r), type);
    return;
  }
  switch (type) {
    case MessageType.Records:
    case MessageType.ExtendedRecords:
      decodeRecords(r, type === MessageType.ExtendedRecords, out.messages);
      return;
    case MessageType.Dtcs:
      decodeDtcs(r, out.messages);
      return;
    case MessageType.Identification:
      out.messages.push(decodeIdentification(r));
      return;
    case MessageType.Heartbeat:
      return; // keep-alive, nothing to report
    case MessageType.DriverDlt:
      out.messages.push(decodeDriverDlt(r));
      return;
    case MessageType.Files:
      out.messages.push(decodeFile(r));
      return;
    default:
      throw new CodecError(CodecErrorCode.Unsupported, `command ${type} is not supported`, HEADER_SIZE - 1);
  }
}

/** The reply goes to `commandReplies` and, with the command id it answers, to a message. */
function addReply(out: Decoded, reply: CommandReply, type: number): void {
  out.commandReplies.push(reply);
  out.messages.push({ 'command.response': reply.response, 'ruptela.command': type });
}

/** Text replies (2, 3, 4, 7): the payload as ASCII. Result replies (5, 6, 17): one byte. */
function decodeReply(type: number, r: Reader): CommandReply {
  const payload = r.bytes(r.remaining);
  if (TEXT_REPLIES.has(type)) return { response: payload.toString('latin1').replace(/\0/g, '').trim() };
  const result = payload.length > 0 ? payload[0] : 0;
  return { response: String(result), hex: payload.toString('hex') };
}

/** count u8, then per code: reserved u8 | time u32 | lon, lat i32 ×1e-7 | archive u8 (2 = memory) | code 5 ASCII */
function decodeDtcs(r: Reader, messages: Message[]): void {
  const count = r.u8();
  for (let i = 0; i < count; i++) {
    r.skip(1);
    const m: Message = { timestamp: r.u32() };
    const lon = r.i32();
    const lat = r.i32();
    m['position.longitude'] = lon / 1e7;
    m['position.latitude'] = lat / 1e7;
    m['position.valid'] = lat !== 0 || lon !== 0;
    if (r.u8() === DTC_ARCHIVED) m['message.buffered.status'] = true;
    m['obd.dtc.codes'] = r.ascii(5).replace(/\0/g, '').trim();
    messages.push(m);
  }
}

/**
 * Identification (15), layout inferred from device captures: 15 ASCII of model + firmware
 * (`Es04` + `00.03.68.04`), IMSI u64, GSM operator u32 (MCC+MNC), then settings kept as hex.
 */
function decodeIdentification(r: Reader): Message {
  const m: Message = {};
  const text = r.ascii(Math.min(15, r.remaining)).replace(/\0/g, '');
  const version = /^(.*?)(\d{2}\.\d{2}\.\d{2}\.\d{2})$/.exec(text);
  if (version && version[1] !== '') m['device.model'] = version[1];
  m['firmware.version'] = version ? version[2] : text;
  if (r.remaining >= 12) {
    m['gsm.sim.imsi'] = r.buf.readBigUInt64BE(r.pos).toString();
    r.skip(8);
    m['gsm.operator.code'] = r.u32();
  }
  if (r.remaining > 0) m['ruptela.identification.extra'] = r.bytes(r.remaining).toString('hex');
  return m;
}

/** Driver DLT card (36): sub-command | time u32 | registration u8 | card u8 | track id u8 | 3 × (len u16 + ASCII). */
function decodeDriverDlt(r: Reader): Message {
  const subcommand = r.u8();
  const m: Message = { timestamp: r.u32() };
  m['ruptela.dlt.subcommand'] = subcommand;
  m['ruptela.dlt.registration.status'] = r.u8();
  m['ruptela.dlt.card.status'] = r.u8();
  m['ruptela.dlt.track.id'] = r.u8();
  for (let track = 1; track <= 3; track++) m[`ruptela.dlt.track.${track}`] = r.ascii(r.u16());
  if (r.remaining > 0) m['ruptela.dlt.extra'] = r.bytes(r.remaining).toString('hex');
  return m;
}

/** Files (37): sub-command | source | for a part (2): name 8 ASCII | parts u16 | part u16 | data. */
function decodeFile(r: Reader): Message {
  const subcommand = r.u8();
  const m: Message = { 'ruptela.file.subcommand': subcommand, 'ruptela.file.source': r.u8() };
  if (subcommand === FILE_PART) {
    m['ruptela.file.name'] = r.ascii(8);
    m['ruptela.file.parts'] = r.u16();
    m['ruptela.file.part'] = r.u16();
  }
  m['ruptela.file.data'] = r.bytes(r.remaining).toString('hex');
  return m;
}
