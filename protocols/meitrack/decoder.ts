import { CodecError, toCodecError } from '../common/errors.js';
import type { CommandReply, DecodeContext, Decoded, Message } from '../common/types.js';
import { decodeCcc, decodeCce, parsePhotoPacket } from './binary-decoder.js';
import { FrameType } from './constants.js';
import { checksumError, type Header, parseHeader } from './header.js';
import { ALARMS } from './params.js';
import { decodeReport } from './text-decoder.js';

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
  if (!h.checksumOk && ctx.options?.crc !== 'lenient') {
    out.errors.push(checksumError(h));
    return out;
  }
  try {
    decodeFrame(frame, h, ctx, out);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  for (const m of out.messages) {
    applyEvent(m);
    if (!h.checksumOk) m['crc.valid'] = false;
  }
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
    case FrameType.PhotoData: {
      const packet = parsePhotoPacket(frame, h);
      if (packet instanceof CodecError) throw packet;
      out.messages.push({
        'meitrack.photo.file': packet.file,
        'meitrack.photo.packets': packet.total,
        'meitrack.photo.packet': packet.index,
        'meitrack.photo.data': packet.data.toString('hex'),
      });
      return;
    }
    default:
      decodeReply(frame, h, out);
  }
}

/** A reply to a server command: the text from the command type to `*`, correlated by the flag. */
function decodeReply(frame: Buffer, h: Header, out: Decoded): void {
  const response = frame.toString('latin1', h.typeAt, h.end);
  const executed = /,OK$/i.test(response) ? true : /,(error|fail(ed)?)$/i.test(response) ? false : undefined;
  const reply: CommandReply = { response, correlation: h.flag, ...(executed === undefined ? {} : { executed }) };
  out.commandReplies.push(reply);
  out.messages.push({ 'command.response': response });
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
