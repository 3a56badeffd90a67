import { CodecError, CodecErrorCode } from '../../common/errors.js';
import type { DecodeContext, Decoded, Message, MessageValue } from '../../common/types.js';
import { ReportType } from '../constants.js';
import type { TextPacket } from '../packet.js';
import { ALERTS, Bit, BLE_MASK, EMERGENCIES, P } from '../params.js';
import { keepRest, num, putNum, setEvent, setPosition, setTime } from './common.js';
import { decodeSerial } from './serial.js';

/**
 * Universal text reports (ST4300-era firmware; notes "Universal (newer) = bare type, 10-digit id
 * and a hex mask of the fields present"): `<type>;DEV_ID;<mask hex>;<field of each set bit>…`
 * (params.ts `Bit`). Bits 19–21 are MODE;STT_RPT_TYPE;MSG_NUM in a status report and
 * ALERT_ID;ALERT_MOD;ALERT_DATA in alerts (emergencies and events alike); UEX reports carry
 * LEN;DATA;CHK there. Bit 23 announces a hex map of the assigned fields that follow
 * (`suntech.assign.<bit+1>`); fields after the mask's without a map are the unit's assigned
 * fields in order (`suntech.assign.1`…). BLE reports have no mask (params.ts `BLE_MASK`).
 */
export function decodeUniversal(p: TextPacket, ctx: DecodeContext, out: Decoded): void {
  const v = p.fields;
  const m: Message = { [P.report]: p.type };
  if (p.type === ReportType.BleSensor) {
    keepRest(m, v, 2);
    out.messages.push(m);
    return;
  }
  const ble = p.type === ReportType.Ble;
  if (!ble && !/^[0-9A-Fa-f]{1,8}$/.test(v[2] ?? '')) throw new CodecError(CodecErrorCode.Malformed, `report mask "${v[2]}" is not hex`);
  const mask = ble ? BLE_MASK : parseInt(v[2], 16);
  const has = (b: number) => Math.floor(mask / 2 ** b) % 2 === 1;
  const r = { i: ble ? 2 : 3 };
  const next = (b: number): string | undefined => (has(b) ? v[r.i++] : undefined);
  putNum(m, P.model, next(Bit.Model));
  const fw = next(Bit.Firmware);
  if (fw) m[P.firmware] = fw;
  if (next(Bit.MessageType) === '0') m[P.buffered] = true;
  setTime(m, next(Bit.Date), next(Bit.Time), ctx);
  readCell(m, next(Bit.CellId), next(Bit.Mcc), next(Bit.Mnc), next(Bit.Lac), next(Bit.RxLevel));
  setPosition(m, next(Bit.Latitude), next(Bit.Longitude));
  if (ble) {
    r.i = readBeacons(m, v, r.i);
    keepRest(m, v, r.i);
    out.messages.push(m);
    return;
  }
  putNum(m, P.speed, next(Bit.Speed));
  putNum(m, P.course, next(Bit.Course));
  putNum(m, P.sats, next(Bit.Satellites));
  const fix = next(Bit.Fix);
  if (fix !== undefined) m[P.valid] = fix === '1';
  readInputs(m, next(Bit.Inputs), next(Bit.Outputs));
  if (p.type === ReportType.Uex && p.data) {
    decodeSerial(m, p.data.bytes);
    r.i = p.data.field + 2;
  } else readTypeFields(m, p.type, next(Bit.Mode), next(Bit.Reason), next(Bit.Number));
  next(Bit.Reserved);
  const map = next(Bit.AssignMap);
  r.i = readAssigned(m, v, r.i, map);
  keepRest(m, v, r.i);
  out.messages.push(m);
}

function readCell(m: Message, cid?: string, mcc?: string, mnc?: string, lac?: string, rssi?: string): void {
  if (cid && /^[0-9A-Fa-f]{1,8}$/.test(cid)) m[P.cid] = parseInt(cid, 16);
  putNum(m, P.mcc, mcc);
  putNum(m, P.mnc, mnc);
  if (lac && /^[0-9A-Fa-f]{1,8}$/.test(lac)) m[P.lac] = parseInt(lac, 16);
  putNum(m, P.rssi, rssi);
}

/** IN_STATE / OUT_STATE: 8 binary digits, bit 0 (the last) of the inputs being the ignition line. */
function readInputs(m: Message, inputs?: string, outputs?: string): void {
  const bits = (s?: string) => (s && /^[01]{1,16}$/.test(s) ? parseInt(s, 2) : num(s));
  const din = bits(inputs);
  if (din !== undefined) {
    m[P.din] = din;
    m[P.ignition] = din % 2 === 1;
  }
  const dout = bits(outputs);
  if (dout !== undefined) m[P.dout] = dout;
}

function readTypeFields(m: Message, type: string, a?: string, b?: string, c?: string): void {
  if (type === ReportType.Status) {
    putNum(m, P.mode, a);
    putNum(m, P.reason, b);
    putNum(m, P.index, c);
    return;
  }
  setEvent(m, a, type === ReportType.Alert ? ALERTS : type === ReportType.Emergency ? EMERGENCIES : undefined);
  if (b) m[P.eventModifier] = b;
  if (c) m[P.eventData] = c;
}

/** Assigned fields: by the map's bits when there is one, else in order; returned: where the unread fields start. */
function readAssigned(m: Message, v: readonly string[], from: number, map?: string): number {
  let at = from;
  if (map === undefined) {
    for (let n = 1; at < v.length; n++) m[P.assign(n)] = v[at++];
    return at;
  }
  if (!/^[0-9A-Fa-f]{1,8}$/.test(map)) return at;
  const bits = parseInt(map, 16);
  for (let b = 0; b < 32 && at < v.length; b++) if (Math.floor(bits / 2 ** b) % 2 === 1) m[P.assign(b + 1)] = v[at++];
  return at;
}

/** BLE: `<count>`, then per tag `rssi;rssi min;rssi max;id;samples;major;minor`. */
function readBeacons(m: Message, v: readonly string[], from: number): number {
  const count = num(v[from]) ?? 0;
  const beacons: MessageValue[] = [];
  let at = from + 1;
  for (let k = 0; k < count && at + 6 < v.length; k++, at += 7) {
    const [rssi, min, max, id, samples, major, minor] = v.slice(at, at + 7);
    beacons.push([id, num(rssi) ?? null, num(min) ?? null, num(max) ?? null, num(samples) ?? null, num(major) ?? null, num(minor) ?? null]);
  }
  if (beacons.length > 0) m[P.beacons] = beacons;
  return at;
}
