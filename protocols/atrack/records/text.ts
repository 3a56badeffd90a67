import { CodecError, CodecErrorCode } from '../../common/errors.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import type { Packet } from '../packet.js';
import { RECORD } from '../params.js';
import { applyTextCustom, textValue } from './custom.js';
import { recordSettings, setField, setTimes, textTime } from './fields.js';

/** Fields of an ASCII record before the fixed ones of params.ts RECORD: GPS, RTC and send times. */
const TIMES = 3;
const FIXED = TIMES + RECORD.length;

/**
 * The records of an ASCII report (Protocol Document §3), one per line, one message each: the
 * three times (`yyyymmddhhmmss` or Unix seconds), the fixed fields in the binary order (strings
 * end with SUB, 0x1A), then the custom values: a leading `%CI…` value is their format, else the
 * channel setting `form`; values without a format are kept as `io.<n>`.
 */
export function decodeText(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const form = recordSettings(ctx).form;
  for (const line of (p.text ?? '').split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const f = line.split(',');
    if (f.length < FIXED) {
      out.errors.push(new CodecError(CodecErrorCode.Malformed, `ASCII record has ${f.length} fields, fewer than ${FIXED}`, p.bodyAt));
      continue;
    }
    const m: Message = {};
    setTimes(m, textTime(f[0]), textTime(f[1]), textTime(f[2]), ctx);
    RECORD.forEach(([name, wire, divisor], i) => {
      const value = textValue(f[TIMES + i]);
      setField(m, name, wire, divisor, value);
    });
    applyTextCustom(m, f.slice(FIXED), form);
    out.messages.push(m);
  }
}
