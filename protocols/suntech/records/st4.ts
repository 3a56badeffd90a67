import type { DecodeContext, Decoded, Message, MessageValue } from '../../common/types.js';
import type { TextPacket } from '../packet.js';
import { P } from '../params.js';
import { keepRest, num, putNum, setPosition, setTime } from './common.js';

/** ST419 (model 41) sends a variant after the model, and its internal temperature and motion state before the fix. */
const MODEL_ST419 = 41;
const CELLS = 7;

/**
 * ST4xx reports (ST410/ST419 personal trackers; notes "ST4xx puts 7 cells and the battery before
 * the fix"): `<hdr>;DEV_ID;SW_VER;MODEL;[variant];` 7 cells of 6 fields (`cid;mcc;mnc;rssi;lac;ta`
 * for the serving one, `cid;mcc;mnc;lac;rssi;ta` for neighbours; cid 0 = none), `BATT;MSG_TYPE;
 * MSG_NUM;MODE;[collaborative network, 3 digits];DATE;TIME;LAT;LON;SPD;CRS;SATT;FIX`. A report
 * without a fix has empty date and position fields.
 */
export function decodeSt4(p: TextPacket, ctx: DecodeContext, out: Decoded): void {
  const v = p.fields;
  const m: Message = { [P.report]: p.type };
  if (v[2]) m[P.firmware] = v[2];
  const model = num(v[3]);
  if (model !== undefined) m[P.model] = model;
  let i = model === MODEL_ST419 ? 5 : 4;
  i = readCells(m, v, i);
  putNum(m, P.battery, v[i]);
  if (v[i + 1] === '0') m[P.buffered] = true;
  putNum(m, P.index, v[i + 2]);
  putNum(m, P.mode, v[i + 3]);
  i += 4;
  if (v[i]?.length === 3 || model === MODEL_ST419) m[P.network] = v[i++];
  if (model === MODEL_ST419) {
    putNum(m, P.temperature, v[i]);
    if (v[i + 1]) m[P.moving] = v[i + 1] === '2';
    i += 2;
  }
  setTime(m, v[i], v[i + 1], ctx);
  if (v[i]) {
    setPosition(m, v[i + 2], v[i + 3]);
    putNum(m, P.speed, v[i + 4]);
    putNum(m, P.course, v[i + 5]);
    putNum(m, P.sats, v[i + 6]);
    m[P.valid] = v[i + 7] === '1';
    i += 8;
  } else i += 2;
  keepRest(m, v, i);
  out.messages.push(m);
}

function readCells(m: Message, v: readonly string[], from: number): number {
  const cells: MessageValue[] = [];
  let i = from;
  for (let k = 0; k < CELLS; k++, i += 6) {
    const [cid, mcc, mnc, a, b] = v.slice(i, i + 5).map(num);
    const [lac, rssi] = k === 0 ? [b, a] : [a, b];
    if (cid === undefined || cid <= 0 || mcc === undefined || mnc === undefined || lac === undefined) continue;
    cells.push([mcc, mnc, lac, cid, rssi ?? null]);
    if (cells.length === 1) {
      Object.assign(m, { [P.mcc]: mcc, [P.mnc]: mnc, [P.lac]: lac, [P.cid]: cid });
      if (rssi !== undefined) m[P.rssi] = rssi;
    }
  }
  if (cells.length > 0) m[P.cells] = cells;
  return i;
}
