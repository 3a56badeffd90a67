import { CodecError, CodecErrorCode } from '../../common/errors.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { ReportType } from '../constants.js';
import { legacyLayout, type TextPacket } from '../packet.js';
import { ALERTS, EMERGENCIES, P } from '../params.js';
import { keepRest, num, putNum, setEvent, setLegacyCell, setLegacyIo, setPosition, setTime } from './common.js';
import { decodeSerial } from './serial.js';
import { decodeTail } from './tail.js';

/**
 * Legacy text reports of the ST300/ST340/ST310U, SA200, ST500 and ST600 families (ST300/340
 * Operation Manual §6-1 STT, §6-2 EMG, §6-3 EVT, §6-4 ALT, §6-7 UEX):
 * `<hdr>;DEV_ID;[MODEL];SW_VER;DATE;TIME;CELL;LAT;LON;SPD;CRS;SATT;FIX;DIST;PWR_VOLT;I/O;<type fields>;<optional tail>`.
 * MODEL is sent by the ST3xx, ST500 and ST600; CELL is one field (LAC hex + BSIC), five on the ST600
 * (cell id hex;MCC;MNC;LAC hex;RX level) and absent on the ST500.
 */
export function decodeLegacy(p: TextPacket, ctx: DecodeContext, out: Decoded): void {
  if (p.type === ReportType.Travel) {
    out.messages.push(decodeTravel(p, ctx));
    return;
  }
  const v = p.fields;
  const layout = legacyLayout(p.prefix ?? '');
  const m: Message = { [P.report]: p.type };
  let i = 2;
  if (layout.model) putNum(m, P.model, v[i++]);
  if (v[i]) m[P.firmware] = v[i];
  setTime(m, v[i + 1], v[i + 2], ctx);
  i = readCell(m, v, i + 3, layout.cellFields);
  i = readFix(m, v, i);
  i = typeFields(p, m, i);
  keepRest(m, decodeTail(m, v, i, ctx.options), 0);
  out.messages.push(m);
}

function readCell(m: Message, v: readonly string[], i: number, fields: 0 | 1 | 5): number {
  if (fields === 1) setLegacyCell(m, v[i]);
  if (fields === 5) {
    const [cid, mcc, mnc, lac, rssi] = v.slice(i, i + 5);
    if (/^[0-9A-Fa-f]{1,8}$/.test(cid ?? '')) m[P.cid] = parseInt(cid, 16);
    putNum(m, P.mcc, mcc);
    putNum(m, P.mnc, mnc);
    if (/^[0-9A-Fa-f]{1,8}$/.test(lac ?? '')) m[P.lac] = parseInt(lac, 16);
    putNum(m, P.rssi, rssi);
  }
  return i + fields;
}

/** LAT;LON;SPD (km/h);CRS;SATT;FIX;DIST (m);PWR_VOLT;I/O. */
function readFix(m: Message, v: readonly string[], i: number): number {
  if (num(v[i]) === undefined || num(v[i + 1]) === undefined)
    throw new CodecError(CodecErrorCode.Malformed, `latitude "${v[i]}" / longitude "${v[i + 1]}" are not numbers`);
  setPosition(m, v[i], v[i + 1]);
  putNum(m, P.speed, v[i + 2]);
  putNum(m, P.course, v[i + 3]);
  putNum(m, P.sats, v[i + 4]);
  m[P.valid] = v[i + 5] === '1';
  putNum(m, P.mileage, v[i + 6], 1000);
  putNum(m, P.power, v[i + 7]);
  setLegacyIo(m, v[i + 8]);
  return i + 9;
}

/** STT: MODE;MSG_NUM. EMG: EMG_ID. EVT: EVT_ID. ALT: ALERT_ID. UEX: LEN;DATA;CHK_SUM. */
function typeFields(p: TextPacket, m: Message, i: number): number {
  const v = p.fields;
  switch (p.type) {
    case ReportType.Status:
      putNum(m, P.mode, v[i]);
      putNum(m, P.index, v[i + 1]);
      return i + 2;
    case ReportType.Emergency:
      setEvent(m, v[i], EMERGENCIES);
      return i + 1;
    case ReportType.Event:
      setEvent(m, v[i]);
      return i + 1;
    case ReportType.Alert:
      setEvent(m, v[i], ALERTS);
      return i + 1;
    case ReportType.Uex:
      if (!p.data) return i;
      decodeSerial(m, p.data.bytes);
      return p.data.field + 2;
    default:
      return i;
  }
}

/**
 * HTE trip report (ST300H/ST300A, with driver id): `<hdr>;DEV_ID;MODEL;SW_VER;DATE;TIME;…;
 * <start lat>;<start lon>;<end lat>;<end lon>;…;<driver id>`. The fields between are not
 * documented publicly and are kept in `suntech.unparsed`; the trip's ends are vendor parameters.
 */
function decodeTravel(p: TextPacket, ctx: DecodeContext): Message {
  const v = p.fields;
  const m: Message = { [P.report]: p.type };
  putNum(m, P.model, v[2]);
  if (v[3]) m[P.firmware] = v[3];
  setTime(m, v[4], v[5], ctx);
  const coord = /^[+-]\d{1,3}\.\d{4,}$/;
  let at = 6;
  while (at + 3 < v.length - 1 && !v.slice(at, at + 4).every((f) => coord.test(f))) at++;
  const last = v.length - 1;
  if (at + 3 < last) {
    putNum(m, P.tripStartLat, v[at]);
    putNum(m, P.tripStartLon, v[at + 1]);
    putNum(m, P.tripEndLat, v[at + 2]);
    putNum(m, P.tripEndLon, v[at + 3]);
  }
  if (last > 5 && v[last]) m[P.driver] = v[last];
  const rest = at + 3 < last ? [...v.slice(6, at), ...v.slice(at + 4, last)] : v.slice(6, last);
  keepRest(m, rest, 0);
  return m;
}
