import { unknownParamName } from '../../common/params.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import type { Packet } from '../packet.js';
import { DTC_NAME, OBD_ACCUMULATED, OBD_REALTIME } from '../params.js';
import { printable } from './sentence.js';

/**
 * OBD packets of trackers with an OBD module: 0x9901 real-time and 0x9902 accumulated data
 * (comma-separated decimals, in the order of the tables in params.ts) and 0x9903 trouble codes.
 * They carry no position or time: the message takes the receive time.
 */
const NUMBER = /^-?\d+(\.\d+)?$/;

export function decodeObdRealtime(frame: Buffer, p: Packet, ctx: DecodeContext, out: Decoded): void {
  out.messages.push(readFields(frame.toString('latin1', p.data, p.dataEnd), OBD_REALTIME, ctx));
}

export function decodeObdAccumulated(frame: Buffer, p: Packet, ctx: DecodeContext, out: Decoded): void {
  out.messages.push(readFields(frame.toString('latin1', p.data, p.dataEnd), OBD_ACCUMULATED, ctx));
}

/** 0x9903: the codes as text (`C1E88`), several joined with spaces as `obd.dtc.codes` elsewhere. */
export function decodeObdDtc(frame: Buffer, p: Packet, ctx: DecodeContext, out: Decoded): void {
  const codes = frame
    .toString('latin1', p.data, p.dataEnd)
    .split(/[\s,;|]+/)
    .filter((c) => /^[0-9A-Za-z]+$/.test(c));
  const m: Message = withTime(ctx);
  if (codes.length > 0) m[DTC_NAME] = codes.join(' ');
  out.messages.push(m);
}

/** Decimal fields by position; a field that is not a number (or beyond the table) is kept as `io.<index>`. */
function readFields(text: string, names: readonly string[], ctx: DecodeContext): Message {
  const m = withTime(ctx);
  text.split(',').forEach((raw, i) => {
    const v = raw.trim();
    if (v === '') return;
    if (i < names.length && NUMBER.test(v)) m[names[i]] = Number(v);
    else m[unknownParamName(i)] = printable(v);
  });
  return m;
}

function withTime(ctx: DecodeContext): Message {
  return ctx.receivedAt === undefined ? {} : { timestamp: ctx.receivedAt };
}
