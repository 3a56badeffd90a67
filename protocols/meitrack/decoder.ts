import { crcVerdict, markCrcInvalid } from '../common/crc-policy.js';
import { CodecError, toCodecError } from '../common/errors.js';
import type { DecodeContext, Decoded, Message } from '../common/types.js';
import { CHECKSUM_NAME, FrameType } from './constants.js';
import { type Header, parseHeader } from './packet.js';
import { ALARMS } from './params.js';
import { decodeCcc, decodeCce, decodePhoto } from './records/binary.js';
import { decodeReply } from './records/reply.js';
import { decodeReport } from './records/text.js';

/**
 * Decodes one Meitrack frame: AAA text reports, CCC/CCE binary batches, D00 picture packets, and
 * any other command type as a reply to a server command (`C01,OK`, `D03,OK`, `D82,0`...).
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  const h = parseHeader(frame);
  if (h instanceof CodecError) {
    out.errors.push(h);
    return out;
  }
  const crc = crcVerdict(h.checksumOk, ctx.options, CHECKSUM_NAME, h.end);
  if (!crc.pass) {
    if (crc.error) out.errors.push(crc.error);
    return out;
  }
  try {
    decodeFrame(frame, h, ctx, out);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  for (const m of out.messages) applyEvent(m);
  if (crc.error) markCrcInvalid(out.messages);
  return out;
}

function decodeFrame(frame: Buffer, h: Header, ctx: DecodeContext, out: Decoded): void {
  switch (h.type) {
    case FrameType.Report:
      out.messages.push(decodeReport(frame.toString('latin1', h.body, h.end), model(ctx)));
      return;
    case FrameType.Compressed:
      decodeCcc(frame, h, out);
      return;
    case FrameType.Extended:
      decodeCce(frame, h, out);
      return;
    case FrameType.Confirm:
      return; // acked by the inspector, no data
    case FrameType.PhotoData:
      decodePhoto(frame, h, out);
      return;
    default:
      decodeReply(frame, h, out);
  }
}

/** Event code → `alarm.event.trigger` and `alarm.type` (table in params.ts). */
function applyEvent(m: Message): void {
  const code = m['event.enum'];
  const alarm = typeof code === 'number' ? ALARMS[code] : undefined;
  if (alarm === undefined) return;
  m['alarm.event.trigger'] = true;
  m['alarm.type'] = alarm;
}

/** Device model for the AD scale of old models: codec setting `model` (or Traccar's `modelOverride`). */
function model(ctx: DecodeContext): string | undefined {
  const s = ctx.options?.settings;
  const value = s?.model ?? s?.modelOverride;
  return typeof value === 'string' ? value : undefined;
}
