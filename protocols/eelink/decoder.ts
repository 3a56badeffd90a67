import { crcVerdict, markCrcInvalid } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import { Reader } from '../common/reader.js';
import type { CommandReply, DecodeContext, Decoded, Message } from '../common/types.js';
import { ENVELOPE_SUM_AT, Pid } from './constants.js';
import { parseFrame } from './packet.js';
import type { Ctx } from './records/common.js';
import { instructionAnswer } from './records/instruction.js';
import { heartbeat, legacy, obd } from './records/legacy.js';
import { location } from './records/location.js';

type Handler = (c: Ctx) => void;

/** The record decoder of each package identifier (constants.ts lists the ones the inspector stores). One line per PID. */
const HANDLERS: Readonly<Partial<Record<number, Handler>>> = {
  [Pid.Gps]: legacy,
  [Pid.Heartbeat]: heartbeat,
  [Pid.Alarm]: legacy,
  [Pid.State]: legacy,
  [Pid.Sms]: legacy,
  [Pid.Obd]: obd,
  [Pid.Location]: location,
  [Pid.Warning]: location,
  [Pid.Report]: location,
  [Pid.Message]: location,
  [Pid.ObdData]: location,
  [Pid.ObdBody]: location,
  [Pid.ObdFault]: location,
  [Pid.Instruction]: instructionAnswer,
};

/** Packages that carry nothing to decode (identity, server broadcasts). */
const NOTHING: ReadonlySet<number> = new Set([Pid.Login, Pid.Broadcast]);

/**
 * Decodes one Eelink frame: the envelope's sum under the channel's CRC policy (packet.ts), then
 * each package by its PID, one message per package. A package that fails to decode costs its own
 * message only.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const messages: Message[] = [];
  const commandReplies: CommandReply[] = [];
  const errors: CodecError[] = [];
  const out = { messages, commandReplies, errors };
  const f = parseFrame(frame);
  if (f instanceof CodecError) {
    errors.push(f);
    return out;
  }
  const crc = crcVerdict(f.envelope?.sumOk !== false, ctx.options, 'EL envelope sum', ENVELOPE_SUM_AT);
  if (crc.error) errors.push(crc.error);
  if (!crc.pass) return out;
  if (!ctx.ident && !f.envelope && !f.packages.some((p) => p.pid === Pid.Login)) {
    errors.push(new CodecError(CodecErrorCode.Unidentified, `package 0x${f.packages[0].pid.toString(16)} before the login package`));
    return out;
  }
  for (const p of f.packages) {
    const handler = HANDLERS[p.pid];
    if (!handler) {
      if (!NOTHING.has(p.pid)) errors.push(new CodecError(CodecErrorCode.Unsupported, `package 0x${p.pid.toString(16)} is not decoded`, p.at + 2));
      continue;
    }
    try {
      handler({ r: new Reader(frame, p.contentStart, p.end), pid: p.pid, receivedAt: ctx.receivedAt, messages, replies: commandReplies });
    } catch (err) {
      errors.push(toCodecError(err));
    }
  }
  if (crc.error) markCrcInvalid(messages);
  return out;
}
