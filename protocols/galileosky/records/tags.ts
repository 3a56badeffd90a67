import { CodecError, CodecErrorCode, toCodecError } from '../../common/errors.js';
import { convertParam } from '../../common/params.js';
import type { Reader } from '../../common/reader.js';
import type { Decoded, Message } from '../../common/types.js';
import { uintLe } from '../packet.js';
import { type CompositeTagDef, EXTENDED_LENGTHS, EXTENDED_VALUE_LENGTH, STATUS_BITS, STATUS_GSM_SHIFT, TAGS, type TagDef } from '../params.js';

/**
 * Tagged records (Galileosky "Server exchange protocol", tag table): reads a tag stream (the body
 * of a data packet 0x01 or of an Iridium payload) into records. A tag seen a second time starts
 * the next record (the terminal packs several archive records into one packet). An unknown tag ends the stream: its length is unknown, so nothing after it can be read;
 * the records read so far are kept and a typed `unsupported` error is added.
 */
export function decodeTagStream(r: Reader, out: Decoded, base: Message = {}): void {
  let m: Message = { ...base };
  const seen = new Uint8Array(256);
  try {
    while (r.remaining > 0) {
      const at = r.pos;
      const tag = r.u8();
      if (seen[tag]) {
        finishRecord(m, out);
        m = { ...base };
        seen.fill(0);
      }
      seen[tag] = 1;
      const def = TAGS[tag];
      if (!def) throw new CodecError(CodecErrorCode.Unsupported, `unknown tag 0x${hex2(tag)}: the rest of the packet cannot be read`, at);
      readTag(r, def, m);
    }
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  finishRecord(m, out);
}

/** Adds a record to the output: a message, and a command reply when it carries reply text (E1). */
export function finishRecord(m: Message, out: Decoded): void {
  if (Object.keys(m).length === 0) return;
  const response = m['command.response'];
  if (typeof response === 'string') {
    const number = m['galileosky.command.number'];
    out.commandReplies.push({
      response,
      ...(typeof number === 'number' ? { correlation: String(number) } : {}),
      ...(typeof m.timestamp === 'number' ? { timestamp: m.timestamp } : {}),
    });
  }
  out.messages.push(m);
}

/** Reads the value of one tag (the tag byte is already read) into the message, by the table. */
export function readTag(r: Reader, def: TagDef, m: Message): void {
  switch (def.kind) {
    case 'u':
    case 's':
      m[def.name] = convertParam(def, uintLe(r, def.length), def.length);
      return;
    case 'hex':
      m[def.name] = r.bytes(def.length).toString('hex');
      return;
    case 'ibutton':
      m[def.name] = uintLe(r, 4).toString(16).padStart(8, '0');
      return;
    case 'imei':
      r.skip(def.length); // the ident: taken by the inspector, added to messages by ingest
      return;
    case 'time':
      m.timestamp = uintLe(r, 4);
      return;
    case 'coords':
      readCoordinates(r, m);
      return;
    case 'motion':
      m[def.name] = uintLe(r, 2) / 10;
      m[def.extra ?? 'position.direction'] = uintLe(r, 2) / 10;
      return;
    case 'status':
      readStatus(uintLe(r, 2), def.name, m);
      return;
    default:
      readComposite(r, def, m);
  }
}

/** Tags with two or more values, or with their own length. */
function readComposite(r: Reader, def: CompositeTagDef, m: Message): void {
  switch (def.kind) {
    case 'thermometer': {
      const id = r.u8();
      m[def.name] = r.i8();
      if (def.extra) m[def.extra] = id;
      return;
    }
    case 'fuel_temp':
      m[def.name] = uintLe(r, 2);
      if (def.extra) m[def.extra] = r.i8();
      else r.skip(1);
      return;
    case 'can_a1':
      m[def.name] = (r.u8() * 4) / 10; // fuel level, %
      m['can.engine.temperature'] = r.u8() - 40; // coolant, °C
      m['can.engine.rpm'] = uintLe(r, 2) / 8;
      return;
    case 'text':
      m[def.name] = r.ascii(r.u8());
      return;
    case 'array':
      m[def.name] = r.bytes(r.u8()).toString('hex');
      return;
    case 'extended':
      readExtended(r, def.name, m);
  }
}

/** Tag 0x30: satellites (low nibble) | correctness (high nibble, 0 = valid fix) | lat i32 | lon i32, ×1e-6. */
function readCoordinates(r: Reader, m: Message): void {
  const flags = r.u8();
  m['position.latitude'] = intLe(r, 4) / 1e6;
  m['position.longitude'] = intLe(r, 4) / 1e6;
  m['position.satellites'] = flags & 0x0f;
  m['position.valid'] = flags >> 4 === 0;
  if (flags >> 4 !== 0) m['galileosky.coordinates.correctness'] = flags >> 4; // 2: from GSM cells
}

/** Tag 0x40: keep the raw word, and decode the bits listed in STATUS_BITS. */
function readStatus(status: number, name: string, m: Message): void {
  m[name] = status;
  for (const [bit, param] of STATUS_BITS) m[param] = (status & (1 << bit)) !== 0;
  m['gsm.signal.level'] = (status >> STATUS_GSM_SHIFT) & 0x03;
}

/**
 * Tag 0xFE: length u16 LE, then extended tags (id u16 LE + value, 4 bytes unless the table says
 * otherwise), each kept as `galileosky.ext.<id, 4 hex digits>`; bytes that do not make a whole
 * extended tag are kept as `galileosky.ext.raw`.
 */
function readExtended(r: Reader, name: string, m: Message): void {
  const block = r.bytes(uintLe(r, 2));
  let at = 0;
  while (block.length - at >= 2) {
    const id = block.readUInt16LE(at);
    const length = EXTENDED_LENGTHS[id] ?? EXTENDED_VALUE_LENGTH;
    if (at + 2 + length > block.length) break;
    m[`${name}.${id.toString(16).padStart(4, '0')}`] = block.readUIntLE(at + 2, length);
    at += 2 + length;
  }
  if (at < block.length) m[`${name}.raw`] = block.toString('hex', at);
}

function intLe(r: Reader, n: number): number {
  return r.bytes(n).readIntLE(0, n);
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
