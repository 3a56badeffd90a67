import { CodecError, toCodecError } from '../common/errors.js';
import type { DecodeContext, Decoded } from '../common/types.js';
import { ANSWERS, CommaType, MessageType } from './constants.js';
import { type Packet, readPacket } from './packet.js';
import { decodeBmsBinary, decodeBmsDaly } from './records/bms.js';
import { decodeCommaPosition, decodeLocation } from './records/location.js';
import { decodeCellLogin, decodeLbsWifi, decodeNetwork } from './records/network.js';
import { decodeAnswer, decodeBattery, decodeCommandResult, decodeGeneric, decodeVinOrAnswer } from './records/status.js';

type RecordDecoder = (p: Packet, ctx: DecodeContext, out: Decoded) => void;

/** Serial-dialect types with their own layout; the others carry location data (or are kept by field). */
const SERIAL: Readonly<Record<string, RecordDecoder>> = {
  [MessageType.Handshake]: () => undefined, // §3.2.1: no data
  [MessageType.CircuitAnswer]: decodeVinOrAnswer,
  [MessageType.Network]: decodeNetwork,
  [MessageType.BmsBinary]: decodeBmsBinary,
  [MessageType.BmsDaly]: decodeBmsDaly,
  [MessageType.Login]: (p, ctx, out) => (p.body.includes('{') ? decodeCellLogin(p, ctx, out) : located(p, ctx, out)),
};

/** Comma-dialect types with their own layout; the others are positions (or kept by field). */
const COMMA: Readonly<Record<string, RecordDecoder>> = {
  [CommaType.Battery]: decodeBattery,
  [CommaType.CommandResult]: decodeCommandResult,
};

function located(p: Packet, ctx: DecodeContext, out: Decoded): void {
  if (!decodeLocation(p, ctx, out)) decodeGeneric(p, ctx, out);
}

function decoderFor(p: Packet): RecordDecoder {
  if (p.dialect === 'comma') {
    if (p.type.startsWith(CommaType.LbsWifiPrefix)) return decodeLbsWifi;
    return COMMA[p.type] ?? ((q, ctx, out) => decodeCommaPosition(q, ctx, out) || decodeGeneric(q, ctx, out));
  }
  return SERIAL[p.type] ?? (ANSWERS[p.type] ? decodeAnswer : located);
}

/**
 * Decodes one TK103 frame (serial or comma dialect) into a message and, for answers to commands, a
 * command reply. The protocol has no checksum, so the channel's CRC policy does not apply. Never throws.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  try {
    const packet = readPacket(frame);
    if (packet instanceof CodecError) out.errors.push(packet);
    else decoderFor(packet)(packet, ctx, out);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  return out;
}
