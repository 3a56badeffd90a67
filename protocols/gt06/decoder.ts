import { crcVerdict, markCrcInvalid } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import { Reader } from '../common/reader.js';
import type { CommandReply, DecodeContext, Decoded, Message } from '../common/types.js';
import { type LongType, Msg, NOT_STORED, type ShortType } from './constants.js';
import { type Packet, parsePacket } from './packet.js';
import { type Family, MODELS } from './params.js';
import { lbsMultiple, wifi } from './records/cells.js';
import type { Ctx, Variant } from './records/fields.js';
import { az735, locationPlan, runPlan, x1Gps } from './records/location.js';
import { modular70, statusItems } from './records/modular.js';
import { alarm95, heartbeat, heartbeat23, info, status36 } from './records/status.js';
import { obd8c, serial9b, string15, string21 } from './records/text.js';

type Handler = (c: Ctx) => void;

/**
 * Dispatcher: envelope and CRC (packet.ts), then the reader for the packet type. Location packets
 * (GPS/LBS/status) are plans in records/location.ts; the others have one reader each. One line per
 * type; the types are listed in constants.ts, where the inspector finds which ones are stored.
 */
const SHORT: Readonly<Record<ShortType, Handler>> = {
  [Msg.Status]: heartbeat,
  [Msg.Heartbeat]: heartbeat23,
  [Msg.String]: string15,
  [Msg.Status2]: status36,
  [Msg.Info]: info,
  [Msg.Alarm]: alarm95,
  [Msg.X1Gps]: (c) => (c.variant === 'sl4x' ? lbsMultiple(c) : x1Gps(c)),
  [Msg.Wifi4]: wifi,
  [Msg.LbsExtend]: lbsMultiple,
  [Msg.LbsMultiple1]: lbsMultiple,
  [Msg.LbsMultiple2]: lbsMultiple,
  [Msg.LbsMultiple3]: lbsMultiple,
  [Msg.LbsWifi]: lbsMultiple,
  [Msg.Lbs2]: lbsMultiple,
  [Msg.Wifi3]: lbsMultiple,
  [Msg.Wifi5]: lbsMultiple,
};

/** 7979 packets whose layout differs from the 7878 packet of the same number. */
const LONG: Readonly<Record<LongType, Handler>> = {
  [Msg.StringInfo]: string21,
  [Msg.Info]: info,
  [Msg.Serial]: serial9b,
  [Msg.GpsModular]: modular70,
  [Msg.Obd]: obd8c,
  [Msg.Peripheral]: statusItems,
  [Msg.DeviceStatus]: statusItems,
  [Msg.GpsLbsStatus4]: az735,
  [Msg.Wifi5]: az735,
  [Msg.Status2]: () => undefined, // X1 photo data: not kept
};

/** The same tables looked up by any packet number. */
const SHORT_BY_TYPE: Readonly<Partial<Record<number, Handler>>> = SHORT;
const LONG_BY_TYPE: Readonly<Partial<Record<number, Handler>>> = LONG;

/** Frame shapes that select a layout variant (short frames; Traccar's `decodeVariant`). One line per rule. */
const VARIANTS: ReadonlyArray<readonly [type: number, test: (length: number, frame: Buffer) => boolean, variant: Variant]> = [
  [Msg.GpsLbs1, (l) => l === 0x24, 'vxt01'],
  [Msg.GpsLbsStatus1, (l) => l === 0x24, 'vxt01'],
  [Msg.LbsMultiple3, (l) => l === 0x31, 'wanway_s20'],
  [Msg.LbsMultiple3, (l) => l === 0x2e, 'sr411_mini'],
  [Msg.GpsLbs1, (l) => l >= 0x71, 'gt06e_card'],
  [Msg.GpsLbs1, (l) => l === 0x21, 'benway'],
  [Msg.GpsLbs1, (l) => l === 0x2b, 's5'],
  [Msg.LbsStatus, (l) => l >= 0x17, 'space10x'],
  [Msg.Status, (l) => l === 0x13, 'obd6'],
  [Msg.GpsLbs1, (l) => l === 0x29, 'wetrust'],
  [Msg.Alarm, (_l, f) => f.length >= 6 && f.readUInt16BE(4) === 0xffff, 'jc400'],
  [Msg.X1Gps, (l) => l === 0x37, 'sl4x'],
  [Msg.GpsLbs5, (l) => l === 0x2a, 'sl4x'],
  [Msg.GpsLbsStatus4, (l) => l === 0x27 || l === 0x29, 'sl4x'],
  [Msg.GpsLbs2, (l) => l === 0x2f, 'seeworld'],
  [Msg.GpsLbsStatus1, (l) => l === 0x26, 'seeworld'],
  [Msg.FenceSingle, (l) => l < 0x20, 'seeworld'],
  [Msg.Wifi, (l) => l === 0x27 || l === 0x28, 'rfid'],
  [Msg.Wifi3, (l) => l === 0x40, 'lw4g'],
];

function variantOf(p: Packet, frame: Buffer): Variant {
  if (p.long || p.lengthless) return 'standard';
  const rule = VARIANTS.find(([type, test]) => type === p.type && test(p.length, frame));
  return rule ? rule[2] : 'standard';
}

function familyOf(model: string): Family | undefined {
  if (model.startsWith('LW')) return 'lw';
  if (model === 'SEEWORLD') return 'sw';
  return (MODELS.vl as readonly string[]).includes(model) ? 'vl' : undefined;
}

function handlerFor(c: Ctx): Handler | undefined {
  const { type, long, lengthless } = c.p;
  if (lengthless) return wifi;
  const longHandler = LONG_BY_TYPE[type];
  if (long && longHandler) return longHandler;
  const plan = locationPlan(type, c.variant, c.model, c.family, c.nt);
  if (plan) return (ctx) => runPlan(ctx, plan);
  return SHORT_BY_TYPE[type];
}

/** Decodes one GT06 frame into at most one message (plus a command reply for text answers). */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const messages: Message[] = [];
  const commandReplies: CommandReply[] = [];
  const errors: CodecError[] = [];
  const out = { messages, commandReplies, errors };
  const p = parsePacket(frame);
  if (p instanceof CodecError) {
    errors.push(p);
    return out;
  }
  if (!p.long && p.type === Msg.Login) return out; // identity only (inspector)
  if (!ctx.ident) {
    errors.push(new CodecError(CodecErrorCode.Unidentified, `packet 0x${p.type.toString(16)} before the login packet`));
    return out;
  }
  const crc = crcVerdict(p.crcOk !== false, ctx.options, 'CRC-ITU (CRC-16/X-25)', p.crcAt);
  if (crc.error) errors.push(crc.error);
  if (!crc.pass) return out;
  const model = String(ctx.options?.settings?.modelOverride ?? '').toUpperCase();
  const c: Ctx = {
    r: new Reader(frame, p.bodyStart, p.bodyEnd),
    m: {},
    p,
    tz: typeof ctx.vars?.tz === 'number' ? ctx.vars.tz : 0,
    model,
    family: familyOf(model),
    nt: (MODELS.nt as readonly string[]).includes(model),
    variant: variantOf(p, frame),
    errors,
    replies: commandReplies,
  };
  const handler = NOT_STORED.has(p.type) ? () => undefined : handlerFor(c);
  if (!handler) {
    errors.push(new CodecError(CodecErrorCode.Unsupported, `packet type 0x${p.type.toString(16)} is not decoded`, p.bodyStart - 1));
    return out;
  }
  try {
    handler(c);
  } catch (err) {
    errors.push(toCodecError(err));
  }
  if (Object.keys(c.m).length > 0) messages.push(c.m);
  if (crc.error) markCrcInvalid(messages);
  return out;
}
