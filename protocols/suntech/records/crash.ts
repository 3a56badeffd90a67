import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import type { TextPacket } from '../packet.js';
import { P } from '../params.js';
import { putNum } from './common.js';

/**
 * CRR crash reports: `CRR;DEV_ID;<part>;<parts>;<LEN>;<LEN bytes of accelerometer data>;<sum>`;
 * the first part starts with the crash time (year from 2000, month, day, hour, minute, second). The
 * samples' layout is not public (Traccar's reading of them is disabled in its tests): each part is
 * kept as hex for the application to join.
 */
export function decodeCrash(p: TextPacket, ctx: DecodeContext, out: Decoded): void {
  const v = p.fields;
  const m: Message = { [P.report]: p.type };
  putNum(m, P.crashPart, v[2]);
  putNum(m, P.crashParts, v[3]);
  const data = p.data?.bytes ?? Buffer.alloc(0);
  m[P.crashData] = data.toString('hex');
  const t = v[2] === '1' && data.length >= 6 ? crashTime(data) : undefined;
  if (t !== undefined) m[P.time] = t;
  else if (ctx.receivedAt !== undefined) m[P.time] = Math.floor(ctx.receivedAt);
  out.messages.push(m);
}

function crashTime(d: Buffer): number | undefined {
  const [y, mo, day, h, mi, s] = [...d.subarray(0, 6)];
  if (mo < 1 || mo > 12 || day < 1 || day > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  return Date.UTC(2000 + y, mo - 1, day, h, mi, s) / 1000;
}
