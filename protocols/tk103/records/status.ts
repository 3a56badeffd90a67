import { CodecError, CodecErrorCode } from '../../common/errors.js';
import type { CommandReply, DecodeContext, Decoded, Message } from '../../common/types.js';
import type { Packet } from '../packet.js';
import { ABSENT, BATTERY_LEVELS, P } from '../params.js';
import { keepFields, reportTime } from './fields.js';
import { readFix } from './location.js';

/** Reports without a position: battery, command results and answers, VIN, and types not known here. */

/** ZC20 (comma dialect): `ddmmyy,hhmmss,<level code>,<battery 0.01 V>,<power 0.1 V>,<installed>`. */
export function decodeBattery(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const f = p.body.split(',');
  if (f.length < 6 || !f.slice(2, 6).every((x) => /^\d+$/.test(x)))
    throw new CodecError(CodecErrorCode.Malformed, 'ZC20 is not date,time,level,battery,power,installed', p.at);
  const m: Message = { [P.type]: p.type };
  const ts = reportTime(f[0], 'dmy', f[1], ctx.receivedAt);
  if (ts !== undefined) m.timestamp = ts;
  const [level, battery, power, installed] = f.slice(2, 6).map(Number);
  if (level !== ABSENT.level && BATTERY_LEVELS[level] !== undefined) m[P.batteryLevel] = BATTERY_LEVELS[level];
  if (battery !== ABSENT.voltage) m[P.battery] = battery / 100;
  if (power !== ABSENT.voltage) m[P.power] = power / 10;
  m[P.installed] = installed;
  keepFields(m, f, 6);
  out.messages.push(m);
}

/** ZC03 (comma dialect): `ddmmyy,hhmmss,$<text>$`, the unit's answer to an sms2 command (free text, may hold `,` `)` line ends). */
export function decodeCommandResult(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const head = /^(\d{6}),(\d{6}),\$([\s\S]*?)(?:\$|$)/.exec(p.body);
  if (!head) throw new CodecError(CodecErrorCode.Malformed, 'ZC03 is not date,time,$text$', p.at);
  const ts = reportTime(head[1], 'dmy', head[2], ctx.receivedAt);
  const response = head[3];
  out.commandReplies.push({ response, ...(ts !== undefined ? { timestamp: ts } : {}) });
  out.messages.push({ [P.type]: p.type, ...(ts !== undefined ? { timestamp: ts } : {}), [P.response]: response });
}

const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;

/** BV00: the VIN report of OBD clones (17 characters), else the §3.2.9 answer to circuit control. */
export function decodeVinOrAnswer(p: Packet, ctx: DecodeContext, out: Decoded): void {
  if (!VIN.test(p.body)) {
    decodeAnswer(p, ctx, out);
    return;
  }
  const m: Message = { [P.type]: p.type, [P.vin]: p.body };
  if (ctx.receivedAt !== undefined) m.timestamp = ctx.receivedAt;
  out.messages.push(m);
}

/**
 * §3.2 answers to server commands (BP04 locate, BS08 interval, BV01 oil control, BT00 restart...):
 * a command reply correlated by the answer type (the protocol echoes no command id), with the
 * position when the answer carries location data. The response is the answer as sent (type + body).
 */
export function decodeAnswer(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const response = `${p.type}${p.body}`;
  const fix = readFix(p.body, ctx);
  const m: Message = { [P.type]: p.type, ...(fix?.m ?? {}), [P.response]: response };
  if (m.timestamp === undefined && ctx.receivedAt !== undefined) m.timestamp = ctx.receivedAt;
  const reply: CommandReply = { response, correlation: p.type, ...(typeof m.timestamp === 'number' ? { timestamp: m.timestamp } : {}) };
  out.commandReplies.push(reply);
  out.messages.push(m);
}

/** A type this decoder has no layout for: its fields kept by index (never dropped), the receive time. */
export function decodeGeneric(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const m: Message = { [P.type]: p.type };
  if (ctx.receivedAt !== undefined) m.timestamp = ctx.receivedAt;
  const fields = p.body.replace(/^,/, '').split(',');
  keepFields(m, fields, 0);
  out.messages.push(m);
}
