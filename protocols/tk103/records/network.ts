import { CodecError, CodecErrorCode } from '../../common/errors.js';
import type { DecodeContext, Decoded, Message, MessageValue } from '../../common/types.js';
import type { Packet } from '../packet.js';
import { P } from '../params.js';
import { applyState, applyTypeEvent, keepFields, reportTime, STATE_PATTERN } from './fields.js';

/** Cell and Wi-Fi reports: no GPS fix, so the receive time unless the report carries its own. */

/**
 * BZ00 (serial dialect): `,<mcc>,<mnc>,<lac hex>,<cid hex>,...` the serving cell, then neighbours
 * in firmware-specific groups (kept by index), sometimes the IO state last.
 */
export function decodeNetwork(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const f = p.body.replace(/^,/, '').split(',');
  if (f.length < 4 || !/^\d+$/.test(f[0]) || !/^\d+$/.test(f[1]) || !/^[0-9A-Fa-f]+$/.test(f[2]) || !/^[0-9A-Fa-f]+$/.test(f[3])) {
    throw new CodecError(CodecErrorCode.Malformed, 'BZ00 is not ,mcc,mnc,lac,cid', p.at);
  }
  const m: Message = { [P.type]: p.type, [P.mcc]: Number(f[0]), [P.mnc]: Number(f[1]), [P.lac]: parseInt(f[2], 16), [P.cid]: parseInt(f[3], 16) };
  const last = f.length - 1;
  const state = last >= 4 && STATE_PATTERN.test(f[last]);
  if (state) applyState(m, f[last]);
  keepFields(m, state ? f.slice(0, last) : f, 4);
  if (ctx.receivedAt !== undefined) m.timestamp = ctx.receivedAt;
  out.messages.push(m);
}

/** BP05 login of cell-only clones: `<IMEI>,{mcc,mnc,lac,cid}\n{...}\n,<IO state>`. */
export function decodeCellLogin(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const cells = [...p.body.matchAll(/\{(\d+),(\d+),(\d+),(\d+)\}/g)].map((c) => c.slice(1, 5).map(Number));
  if (cells.length === 0) throw new CodecError(CodecErrorCode.Malformed, 'BP05 cell login without {mcc,mnc,lac,cid}', p.at);
  const m: Message = { [P.type]: p.type };
  const imei = /^(\d{15}),/.exec(p.body);
  if (imei) m[P.imei] = imei[1];
  [m[P.mcc], m[P.mnc], m[P.lac], m[P.cid]] = cells[0];
  m[P.cells] = cells as MessageValue;
  const state = /,([^,{}]*)$/.exec(p.body)?.[1].trim() ?? '';
  if (STATE_PATTERN.test(state)) applyState(m, state);
  if (ctx.receivedAt !== undefined) m.timestamp = ctx.receivedAt;
  out.messages.push(m);
}

const WIFI = /^((?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2})\*([-+]?\d+)\*(\d+)$/;

/**
 * DW5x (comma dialect) LBS + Wi-Fi report: `mcc,mnc,lac,cid,<n>,(mac*rssi*channel,)*n,ddmmyy,hhmmss`,
 * decimal cell values; the type may be an event (DW51 movement...).
 */
export function decodeLbsWifi(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const f = p.body.split(',');
  const n = f.length;
  if (n < 7 || !f.slice(0, 5).every((x) => /^\d+$/.test(x))) throw new CodecError(CodecErrorCode.Malformed, `${p.type} is not mcc,mnc,lac,cid,<n>,...`, p.at);
  const m: Message = { [P.type]: p.type };
  applyTypeEvent(m, p.type);
  const ts = reportTime(f[n - 2], 'dmy', f[n - 1], ctx.receivedAt);
  if (ts !== undefined) m.timestamp = ts;
  [m[P.mcc], m[P.mnc], m[P.lac], m[P.cid]] = f.slice(0, 4).map(Number);
  const aps: MessageValue[] = [];
  const other: string[] = f.slice(0, n - 2);
  for (let i = 5; i < n - 2; i++) {
    const ap = WIFI.exec(f[i]);
    if (!ap) continue;
    aps.push([ap[1], Number(ap[2]), Number(ap[3])]);
    other[i] = '';
  }
  if (aps.length > 0) m[P.wifi] = aps;
  keepFields(m, other, 5);
  out.messages.push(m);
}
