import { CodecError, CodecErrorCode } from '../../common/errors.js';
import { Reader } from '../../common/reader.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { MIN_RECORD, MIN_RECORD_LONG_DATE } from '../constants.js';
import type { Packet } from '../packet.js';
import { RECORD } from '../params.js';
import { cString, formCodes, readBinaryCustom, readWire, startsCustomInfo } from './custom.js';
import { longDate, type RecordSettings, recordSettings, setField, setTimes } from './fields.js';

/**
 * The records of a binary report (Protocol Document §3), one message each: GPS, RTC and send
 * times (u32 Unix seconds, or 7-byte dates in the long-date mode: the channel setting `longDate`,
 * else detected from the bytes), the fixed fields of params.ts RECORD, then the custom fields of
 * the record's own `%CI` format or of the channel setting `form`.
 */
export function decodeBinary(frame: Buffer, p: Packet, ctx: DecodeContext, out: Decoded): void {
  const r = new Reader(frame, p.bodyAt, p.bodyEnd);
  const settings = recordSettings(ctx);
  while (r.remaining > 0) {
    const long = settings.longDate ?? longDate(frame, r.pos) !== undefined;
    const min = long ? MIN_RECORD_LONG_DATE : MIN_RECORD;
    if (r.remaining < min) {
      out.errors.push(new CodecError(CodecErrorCode.Malformed, `${r.remaining} byte(s) after the last record, fewer than a record (${min})`, r.pos));
      return;
    }
    out.messages.push(readRecord(r, long, settings, ctx, out));
  }
}

function readRecord(r: Reader, long: boolean, settings: RecordSettings, ctx: DecodeContext, out: Decoded): Message {
  const m: Message = {};
  const times = [0, 1, 2].map(() => (long ? readLongDate(r) : r.u32()));
  setTimes(m, times[0], times[1], times[2], ctx);
  for (const [name, wire, divisor] of RECORD) {
    const raw = readWire(r, wire);
    if (!Buffer.isBuffer(raw)) setField(m, name, wire, divisor, raw);
  }
  const form = startsCustomInfo(r) ? cString(r) : settings.form;
  if (form !== undefined) {
    const error = readBinaryCustom(
      r,
      formCodes(form).filter((code) => code !== 'CI'),
      m,
    );
    if (error) out.errors.push(error);
  }
  return m;
}

function readLongDate(r: Reader): number | undefined {
  const at = r.pos;
  r.skip(7);
  return longDate(r.buf, at);
}
