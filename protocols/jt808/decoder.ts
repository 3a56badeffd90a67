import { crcVerdict, markCrcInvalid } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import type { DecodeContext, Decoded, Message } from '../common/types.js';
import { DEFAULT_TZ_MINUTES, Msg } from './constants.js';
import { hex4, isText, isTimeRequest, type Packet, parsePacket } from './packet.js';
import { familyOf } from './params.js';
import { lockLocation, lockText } from './records/jointech.js';
import { decodeBatch, decodeLocation, type LocationContext } from './records/location.js';
import {
  acceleration,
  attributes,
  authentication,
  type Decodedish,
  driverIdentity,
  generalResponse,
  heartbeat,
  locationAnswer,
  parameters,
  registration,
  textAnswer,
} from './records/terminal.js';
import { transparent } from './records/transparent.js';

/**
 * Decodes one JT/T 808 frame: the envelope (packet.ts), the XOR check under the channel's CRC
 * policy, then the record decoder of its message id. Device time is GMT+8 unless
 * `settings.tz` (minutes east of UTC) says otherwise; `settings.modelOverride` (or the model the
 * device registered with) selects vendor readings of a few items.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  if (isText(frame)) {
    if (!isTimeRequest(frame)) {
      const t = lockText(frame);
      out.messages.push(t.message);
      out.commandReplies.push(t.reply);
    }
    return out;
  }
  const p = parsePacket(frame, ctx.transport);
  if (p instanceof CodecError) {
    out.errors.push(p);
    return out;
  }
  const crc = crcVerdict(p.checkOk, ctx.options, 'XOR check code', p.checkAt);
  if (!crc.pass) {
    if (crc.error) out.errors.push(crc.error);
    return out;
  }
  try {
    const r = dispatch(p, locationContext(ctx));
    if (r instanceof CodecError) out.errors.push(r);
    else {
      out.messages.push(...r.messages);
      out.commandReplies.push(...r.replies);
    }
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  if (crc.error) markCrcInvalid(out.messages);
  return out;
}

function locationContext(ctx: DecodeContext): LocationContext {
  const settings = ctx.options?.settings;
  const model = settings?.modelOverride ?? ctx.vars?.model;
  const tz = settings?.tz;
  return {
    family: familyOf(typeof model === 'string' ? model : undefined),
    tzMinutes: typeof tz === 'number' ? tz : DEFAULT_TZ_MINUTES,
    receivedAt: ctx.receivedAt,
  };
}

const only = (messages: Message[]): Decodedish => ({ messages, replies: [] });

function dispatch(p: Packet, lc: LocationContext): Decodedish | CodecError {
  if (p.total !== undefined && p.total > 1) {
    return new CodecError(CodecErrorCode.Unsupported, `packet ${p.index} of ${p.total} of a split 0x${hex4(p.type)}: split messages are not reassembled`);
  }
  switch (p.type) {
    case Msg.Location:
      return only([decodeLocation(p.buf, p.bodyStart, p.bodyEnd, lc)]);
    case Msg.Batch:
    case Msg.Batch2:
      return only(decodeBatch(p.buf, p.bodyStart, p.bodyEnd, lc, p.type === Msg.Batch2));
    case Msg.LocationResponse:
    case Msg.VehicleControlResponse:
      return locationAnswer(p, lc);
    case Msg.Register:
      return only([registration(p)]);
    case Msg.Auth:
      return only([authentication(p)]);
    case Msg.Attributes:
      return only([attributes(p)]);
    case Msg.Heartbeat:
      return only(heartbeat(p));
    case Msg.DriverIdentity:
      return only([driverIdentity(p, lc)]);
    case Msg.TerminalResponse:
      return generalResponse(p);
    case Msg.ParamsResponse:
      return parameters(p);
    case Msg.Waybill:
    case Msg.TextReport:
    case Msg.TextResponse:
      return textAnswer(p);
    case Msg.Transparent:
      return only(transparent(p, lc));
    case Msg.Acceleration:
      return only([acceleration(p)]);
    case Msg.LockLocation:
    case Msg.LockLocationBlind:
      return only([lockLocation(p)]);
    default:
      return only([]);
  }
}
