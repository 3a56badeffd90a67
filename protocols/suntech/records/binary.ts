import { CodecError, CodecErrorCode } from '../../common/errors.js';
import { Reader } from '../../common/reader.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { BINARY_HEADER, BinaryType, ZipType } from '../constants.js';
import { ALERTS, Bit, EMERGENCIES, P } from '../params.js';
import { setEvent } from './common.js';
import { decodeSerial } from './serial.js';

const ZIP_NAMES: Readonly<Record<number, string>> = { 0x10: 'STT', 0x11: 'EMG', 0x12: 'EVT', 0x13: 'ALT', 0x16: 'UEX' };
/** H_METER u32, BCK_VOLT (integer + BCD), MSG_TYPE: the optional zip tail (HBM_STT 1). */
const ZIP_HBM_BYTES = 7;
/** Alert 59 carries the driver id (8 bytes) in ALERT_DATA (Traccar). */
const ALERT_DRIVER_ID = 59;

/**
 * Zip reports (ST300/340 Operation Manual §6-3-2, §6-4-2, §6-7-2; ST310U §5-2-2): `02 | PKT_LEN u16
 * | HDR | DEV_ID BCD[5] | MODEL | SW_VER u16 | DATE_TIME (Y M D h m s) | CELL (LAC u16, BSIC) |
 * LAT, LON (integer degree + 3 BCD bytes of millionths) | SPD, CRS (u16 + 1 BCD byte of
 * hundredths) | SATT_FIX (bit 7 fix, 6/5 south/west, 4–0 satellites) | DIST u32 m | PWR_VOLT
 * (integer + BCD) | I/O (bit 0 ignition, 1–3 inputs, 4–5 outputs) | <type fields> | [H_METER u32 |
 * BCK_VOLT | MSG_TYPE] | 03`. Type fields: STT MODE u8, MSG_NUM u16; EMG/EVT/ALT one id byte; UEX
 * LEN u16, DATA, CHK_SUM.
 */
export function decodeZip(frame: Buffer, _ctx: DecodeContext, out: Decoded): void {
  const r = new Reader(frame, 3, frame.length - 1);
  const type = r.u8();
  r.skip(5);
  const m: Message = { [P.report]: ZIP_NAMES[type] ?? `0x${type.toString(16)}` };
  m[P.model] = r.u8();
  m[P.firmware] = r.u16().toString(16).toUpperCase().padStart(4, '0');
  const t = dateTime(r);
  if (t !== undefined) m[P.time] = t;
  m[P.lac] = r.u16();
  m[P.bsic] = r.u8();
  const lat = r.u8() + bcd(r, 3) / 1e6;
  const lon = r.u8() + bcd(r, 3) / 1e6;
  m[P.speed] = r.u16() + bcd(r, 1) / 100;
  m[P.course] = r.u16() + bcd(r, 1) / 100;
  const sf = r.u8();
  m[P.lat] = sf & 0x40 ? -lat : lat;
  m[P.lon] = sf & 0x20 ? -lon : lon;
  m[P.sats] = sf & 0x1f;
  m[P.valid] = (sf & 0x80) !== 0;
  m[P.mileage] = r.u32() / 1000;
  m[P.power] = r.u8() + bcd(r, 1) / 100;
  zipIo(m, r.u8());
  if (type === ZipType.Status) {
    m[P.mode] = r.u8();
    m[P.index] = r.u16();
  } else if (type === ZipType.Uex) {
    decodeSerial(m, r.bytes(r.u16()));
    r.skip(1); // CHK_SUM, checked with the frame (packet.ts)
  } else setEvent(m, r.u8(), type === ZipType.Alert ? ALERTS : type === ZipType.Emergency ? EMERGENCIES : undefined);
  if (r.remaining === ZIP_HBM_BYTES) {
    m[P.hours] = Math.round((r.u32() / 60) * 1e6) / 1e6;
    m[P.battery] = r.u8() + bcd(r, 1) / 100;
    if (r.u8() === 0) m[P.buffered] = true;
  }
  if (r.remaining > 0) m[P.unparsed] = r.bytes(r.remaining).toString('hex');
  out.messages.push(m);
}

function zipIo(m: Message, io: number): void {
  m[P.ignition] = (io & 1) !== 0;
  m[P.din] = (io >> 1) & 0x07;
  m[P.dout] = (io >> 4) & 0x03;
  for (let k = 1; k <= 3; k++) m[`din.${k}`] = (io & (1 << k)) !== 0;
  for (let k = 1; k <= 2; k++) m[`dout.${k}`] = (io & (1 << (3 + k))) !== 0;
}

/** `n` BCD bytes as an integer (`06 35 65` → 63565); a nibble above 9 is malformed. */
function bcd(r: Reader, n: number): number {
  let v = 0;
  for (const b of r.bytes(n)) {
    if (b >> 4 > 9 || (b & 0x0f) > 9) throw new CodecError(CodecErrorCode.Malformed, `0x${b.toString(16)} is not a BCD byte`, r.pos - 1);
    v = v * 100 + (b >> 4) * 10 + (b & 0x0f);
  }
  return v;
}

/** 6 bytes year (from 2000), month, day, hour, minute, second; undefined when not a date. */
function dateTime(r: Reader): number | undefined {
  const [y, mo, d, h, mi, s] = [...r.bytes(6)];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  return Date.UTC(2000 + y, mo - 1, d, h, mi, s) / 1000;
}

/**
 * Universal binary reports (notes: `type | len u16 | id BCD[5] | field mask u24 | …`; Traccar):
 * the universal fields of each set mask bit in binary — model u8, firmware 3 bytes (`1.0.3`),
 * MSG_TYPE u8, date and time 6 bytes, cell id u32, MCC u16, MNC u16, LAC u16, RX level u8,
 * latitude and longitude sign-magnitude i32 × 1e-6, speed and course u16 × 0.01, satellites, fix,
 * inputs (bit 0 ignition), outputs; then MODE u8 / STT_RPT_TYPE u8 / MSG_NUM u16 in a status report
 * (0x81), ALERT_ID u8 / ALERT_MOD u16 / the driver id of alert 59 in an alert (0x82). What follows
 * has no public layout and is kept as hex in `suntech.unparsed`.
 */
export function decodeBinary(frame: Buffer, _ctx: DecodeContext, out: Decoded): void {
  const type = frame[0];
  const r = new Reader(frame, BINARY_HEADER + 5, frame.length);
  const mask = r.u24();
  const has = (b: number) => (mask & (1 << b)) !== 0;
  const m: Message = { [P.report]: type === BinaryType.Status ? 'STT' : type === BinaryType.Alert ? 'ALT' : `0x${type.toString(16)}` };
  if (has(Bit.Model)) m[P.model] = r.u8();
  if (has(Bit.Firmware)) m[P.firmware] = [...r.bytes(3)].join('.');
  if (has(Bit.MessageType) && r.u8() === 0) m[P.buffered] = true;
  if (has(Bit.Date) && has(Bit.Time)) {
    const t = dateTime(r);
    if (t !== undefined) m[P.time] = t;
  } else r.skip((has(Bit.Date) ? 3 : 0) + (has(Bit.Time) ? 3 : 0));
  binaryCell(m, r, has);
  if (has(Bit.Latitude)) m[P.lat] = signMagnitude(r.u32()) / 1e6;
  if (has(Bit.Longitude)) m[P.lon] = signMagnitude(r.u32()) / 1e6;
  if (has(Bit.Speed)) m[P.speed] = r.u16() / 100;
  if (has(Bit.Course)) m[P.course] = r.u16() / 100;
  if (has(Bit.Satellites)) m[P.sats] = r.u8();
  if (has(Bit.Fix)) m[P.valid] = r.u8() > 0;
  if (has(Bit.Inputs)) {
    const din = r.u8();
    m[P.din] = din;
    m[P.ignition] = (din & 1) !== 0;
  }
  if (has(Bit.Outputs)) m[P.dout] = r.u8();
  binaryTypeFields(m, r, type, has);
  if (r.remaining > 0) m[P.unparsed] = r.bytes(r.remaining).toString('hex');
  out.messages.push(m);
}

function binaryCell(m: Message, r: Reader, has: (b: number) => boolean): void {
  const cid = has(Bit.CellId) ? r.u32() : 0;
  const mcc = has(Bit.Mcc) ? r.u16() : 0;
  const mnc = has(Bit.Mnc) ? r.u16() : 0;
  const lac = has(Bit.Lac) ? r.u16() : 0;
  if (cid > 0) Object.assign(m, { [P.cid]: cid, [P.mcc]: mcc, [P.mnc]: mnc, [P.lac]: lac });
  if (has(Bit.RxLevel)) m[P.rssi] = r.u8();
}

function binaryTypeFields(m: Message, r: Reader, type: number, has: (b: number) => boolean): void {
  if (type === BinaryType.Status) {
    if (has(Bit.Mode)) m[P.mode] = r.u8();
    if (has(Bit.Reason)) m[P.reason] = r.u8();
    if (has(Bit.Number)) m[P.index] = r.u16();
    return;
  }
  const alert = has(Bit.Mode) ? r.u8() : undefined;
  if (alert !== undefined) setEvent(m, alert, type === BinaryType.Alert ? ALERTS : undefined);
  if (has(Bit.Reason)) m[P.eventModifier] = String(r.u16());
  if (has(Bit.Number) && alert === ALERT_DRIVER_ID) m[P.driver] = r.bytes(8).toString('hex').toUpperCase();
}

/** Bit 31 is the sign, bits 30–0 the magnitude. */
function signMagnitude(v: number): number {
  return v >= 0x80000000 ? -(v - 0x80000000) : v;
}
