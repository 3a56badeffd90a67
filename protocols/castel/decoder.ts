import { crcVerdict, markCrcInvalid } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import { Reader } from '../common/reader.js';
import type { DecodeContext, Decoded } from '../common/types.js';
import { Cc, type Family, Mpip, Sc } from './constants.js';
import { hasNoData, parsePacket, typeHex } from './packet.js';
import { decodeCc, decodeMpip } from './records/legacy.js';
import { decodeCell, decodeLocation, decodeSleepFix } from './records/location.js';
import { decodeObd } from './records/obd.js';
import { decodeQueryResponse } from './records/reply.js';

type RecordDecoder = (type: number, r: Reader, ctx: DecodeContext, out: Decoded) => void;

/** Message types → record decoders, by family (packet.ts lists the same types for the inspector). */
const RECORDS: Readonly<Record<Family, ReadonlyMap<number, RecordDecoder>>> = {
  sc: new Map<number, RecordDecoder>([
    [Sc.Login, decodeLocation],
    [Sc.Logout, decodeLocation],
    [Sc.Gps, decodeLocation],
    [Sc.Alarm, decodeLocation],
    [Sc.Fuel, decodeLocation],
    [Sc.Comprehensive, decodeLocation],
    [Sc.CurrentLocation, decodeLocation],
    [Sc.PidData, decodeObd],
    [Sc.GSensor, decodeObd],
    [Sc.SupportedPids, decodeObd],
    [Sc.ObdData, decodeObd],
    [Sc.DtcsPassenger, decodeObd],
    [Sc.DtcsCommercial, decodeObd],
    [Sc.Cell, decodeCell],
    [Sc.GpsSleep, decodeSleepFix],
    [Sc.AgpsRequest, decodeSleepFix],
    [Sc.QueryResponse, decodeQueryResponse],
  ]),
  cc: new Map<number, RecordDecoder>([
    [Cc.Login, decodeCc],
    [Cc.Heartbeat, decodeCc],
  ]),
  mpip: new Map<number, RecordDecoder>([
    [Mpip.Position, decodeMpip],
    [Mpip.Report, decodeMpip],
    [Mpip.Fix1, decodeMpip],
    [Mpip.Fix2, decodeMpip],
    [Mpip.Fix6, decodeMpip],
    [Mpip.Batch, decodeMpip],
  ]),
};

/**
 * Decodes one Castel frame: the envelope (packet.ts), the channel's CRC policy, then the record
 * decoder of the family and type. Heartbeats carry nothing. Never throws.
 */
export function decode(frame: Buffer, ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  const p = parsePacket(frame);
  if (p instanceof CodecError) {
    out.errors.push(p);
    return out;
  }
  const crc = crcVerdict(p.crcOk, ctx.options, 'CRC-16/X-25', p.crcAt);
  if (crc.error) out.errors.push(crc.error);
  if (!crc.pass || hasNoData(p)) return out;
  const record = RECORDS[p.family].get(p.type);
  if (!record) {
    out.errors.push(new CodecError(CodecErrorCode.Unsupported, `${p.family.toUpperCase()} message ${typeHex(p.type)} is not decoded`, p.bodyStart - 2));
    return out;
  }
  try {
    record(p.type, new Reader(frame, p.bodyStart, p.bodyEnd), ctx, out);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  if (crc.error) markCrcInvalid(out.messages);
  return out;
}
