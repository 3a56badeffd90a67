import { markCrcInvalid } from '../common/crc-policy.js';
import { CodecError, toCodecError } from '../common/errors.js';
import type { DecodeContext, Decoded } from '../common/types.js';
import { D_FIELDS, PacketType, PIPE, SD_FIELDS, SEMICOLON } from './constants.js';
import { blackBoxRecords, isV2, type Packet, parsePacket, payload, payloadCrc } from './packet.js';
import { decodeRecords } from './records/location.js';
import { decodeDriverMessage } from './records/text.js';

/** Packet types that carry data, with the separator before their 2.0 CRC field. */
const DATA_SEPARATORS: ReadonlyMap<string, number> = new Map([
  [PacketType.ShortData, SEMICOLON],
  [PacketType.Data, SEMICOLON],
  [PacketType.BlackBox, PIPE],
  [PacketType.Message, SEMICOLON],
]);

/**
 * Decodes one Wialon IPS line into messages: `#SD#` and `#D#` give one message, `#B#` one per
 * record (marked `message.buffered.status`), `#M#` a `driver.message`. Login and ping carry no data.
 * The protocol has no command-reply packet, so `commandReplies` stays empty. A wrong 2.0 CRC is
 * reported under both policies; under the lenient one the messages are kept, marked.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  let crcInvalid = false;
  try {
    const p = parsePacket(frame);
    if (p instanceof CodecError) {
      out.errors.push(p);
      return out;
    }
    const separator = DATA_SEPARATORS.get(p.type);
    if (separator === undefined) return out; // L, P: identity and heartbeat only; others are refused by the inspector
    const body = payload(p, isV2(p, ctx.vars), separator);
    const crc = payloadCrc(body, ctx.options);
    if (crc.error) out.errors.push(crc.error);
    if (!crc.pass) return out;
    crcInvalid = crc.error !== undefined;
    decodeBody(p, body.text, out);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  if (crcInvalid) markCrcInvalid(out.messages);
  return out;
}

function decodeBody(p: Packet, text: string, out: Decoded): void {
  switch (p.type) {
    case PacketType.ShortData:
      decodeRecords([text], SD_FIELDS, false, out);
      return;
    case PacketType.Data:
      decodeRecords([text], D_FIELDS, false, out);
      return;
    case PacketType.BlackBox:
      decodeRecords(blackBoxRecords(text), 'any', true, out);
      return;
    default:
      out.messages.push(decodeDriverMessage(text));
  }
}
