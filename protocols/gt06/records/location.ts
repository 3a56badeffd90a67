import { type LocationType, Msg } from '../constants.js';
import { AZ735_ALARMS, ain, P } from '../params.js';
import {
  type Ctx,
  LBS_2G,
  LBS_4G,
  readGps,
  readLbs,
  readLbsWithLength,
  readStatusByte,
  setAlarm,
  setAlarmCode,
  setBatteryLevel,
  setDriver,
  type Variant,
} from './fields.js';
import { readModules } from './modular.js';

/**
 * Location packets (GPS / LBS / status family) as plans: the ordered field groups each packet type
 * (and model variant) carries. One line per packet shape; the steps below read one group each.
 */
type Step = (c: Ctx) => void;

const STEPS = {
  imei: (c) => c.r.skip(8),
  gps: (c) => readGps(c),
  lbs: (c) => readLbs(c, LBS_2G),
  lbsMnc16Cid32: (c) => readLbs(c, { mnc16: true, lac: 2, cid: 4 }),
  lbsCid32: (c) => readLbs(c, { lac: 2, cid: 4 }),
  lbs4g: (c) => readLbs(c, LBS_4G),
  lbsSl4x: (c) => readLbs(c, { mnc16: true, lac: 2, cid: 8 }),
  lbsLen: (c) => readLbsWithLength(c),
  lbsLenCid32: (c) => readLbsWithLength(c, true),
  status: (c) => statusBlock(c, true),
  statusNoAlarm: (c) => statusBlock(c, false),
  language: (c) => optional(c, 1, () => (c.m[P.language] = c.r.u8())),
  geofence: (c) => optional(c, 1, () => (c.m[P.geofence] = c.r.u8())),
  tail: (c) => accTail(c, false),
  accEvent: (c) => accTail(c, true),
  rfid: (c) => optional(c, 8, () => setDriver(c.m, c.r.bytes(8))),
  altitude: (c) => optional(c, 2, () => (c.m[P.altitude] = c.r.i16())),
  module37: (c) => optional(c, 3, () => readModules(c)),
  rawRest: (c) => (c.m[P.raw] = c.r.bytes(c.r.remaining).toString('hex')),
  ntHead: (c) => {
    c.r.skip(1 + 8); // location source type, IMEI
    c.r.skip(6); // device time (the GPS time follows)
  },
  ntStatus,
  vxt01,
  benway,
  s5,
  wetrust,
  gt06eCard,
  seeworld22,
  lw4g,
  sl4xTail,
  vl36,
  ibutton: (c) => (c.m[P.driver] = String(c.r.u32() * 65536 + c.r.u16())),
  phone: (c) => optional(c, 21, () => (c.m[P.phone] = c.r.ascii(21).replace(/\0+$/, ''))),
  cells7: (c) => neighbourCells(c),
  sr411: (c) => {
    c.m[P.ignition] = c.r.u8() > 0;
    c.m[P.power] = c.r.u16() / 100;
    c.m[P.battery] = c.r.u16() / 100;
  },
  gps8: (c) => {
    readGps(c);
    c.m[P.event] = c.r.u8(); // upload mode
    c.m[P.archive] = c.r.u8() > 0;
    const cellType = c.r.u8();
    readLbs(c, cellType >= 3 ? LBS_4G : LBS_2G);
    c.m[P.gsm] = cellType >= 3 ? c.r.u16() : c.r.u8();
    readModules(c);
  },
} satisfies Record<string, Step>;
type StepName = keyof typeof STEPS;

/** Plans by packet type, then by variant (`standard` is the default) or model family (`nt`, `vl`, `qh302r`). */
type Plans = Partial<Record<Variant | 'nt' | 'vl' | 'qh302r', readonly StepName[]>>;
const PLANS: Readonly<Record<LocationType, Plans>> = {
  [Msg.Gps]: { standard: ['gps'] },
  [Msg.GpsLbs6]: { standard: ['gps', 'lbsMnc16Cid32'] },
  [Msg.GpsLbs1]: {
    standard: ['gps', 'lbs', 'tail'],
    qh302r: ['imei', 'gps', 'lbs', 'tail'],
    vxt01: ['gps', 'lbs', 'vxt01'],
    benway: ['gps', 'lbs', 'benway'],
    s5: ['gps', 'lbs', 's5'],
    wetrust: ['gps', 'lbs', 'wetrust'],
    gt06e_card: ['gps', 'lbs', 'gt06eCard'],
  },
  [Msg.GpsLbsStatus1]: {
    standard: ['gps', 'lbsLen', 'status', 'language', 'rfid'],
    vxt01: ['gps', 'lbs', 'statusNoAlarm', 'language'],
    seeworld: ['gps', 'lbsLenCid32', 'status', 'language'],
  },
  [Msg.Wifi]: { rfid: ['gps', 'lbs', 'rfid'] },
  [Msg.LbsStatus]: { standard: ['lbs', 'status', 'language'], space10x: [] },
  [Msg.GpsPhone]: { standard: ['gps', 'phone', 'language'] },
  [Msg.GpsLbsExtend]: { standard: ['gps', 'cells7'] },
  [Msg.LbsMultiple3]: { sr411_mini: ['gps', 'lbs', 'sr411'] },
  [Msg.GpsLbs2]: { standard: ['gps', 'lbs', 'accEvent'], seeworld: ['gps', 'lbsCid32', 'seeworld22'], nt: ['ntHead', 'gps', 'lbsLen', 'ntStatus'] },
  [Msg.GpsLbsDriver]: { standard: ['gps', 'lbsCid32', 'accEvent'], nt: ['ntHead', 'gps', 'lbsLenCid32', 'ntStatus'] },
  [Msg.GpsLbsStatus2]: { standard: ['gps', 'lbsLen', 'status', 'language', 'rfid'] },
  [Msg.GpsLbsStatus3]: { standard: ['gps', 'lbsLen', 'status', 'language', 'geofence'] },
  [Msg.GpsLbs4]: { standard: ['gps', 'lbs', 'accEvent'] },
  [Msg.GpsLbs5]: { standard: ['gps', 'lbs', 'accEvent'], sl4x: ['gps', 'lbsSl4x', 'sl4xTail'] },
  [Msg.GpsLbsStatus4]: { standard: ['gps', 'lbsLen', 'status', 'language'], sl4x: ['gps', 'lbsLen', 'status', 'altitude'] },
  [Msg.Status2]: { vl: ['gps', 'lbsCid32', 'vl36'] },
  [Msg.GpsLbs3]: { standard: ['gps', 'lbs', 'accEvent', 'module37'] },
  [Msg.GpsLbs8]: { standard: ['gps8'] },
  [Msg.IButton]: { standard: ['imei', 'gps', 'lbsCid32', 'ibutton'] },
  [Msg.GpsLbs7]: { standard: ['gps', 'lbs4g', 'tail'] },
  [Msg.Wifi3]: { lw4g: ['gps', 'lbs4g', 'lw4g'] },
  [Msg.FenceSingle]: { standard: ['gps', 'geofence', 'lbs4g', 'status', 'language'], seeworld: ['rawRest'] },
  [Msg.FenceMulti]: { standard: ['gps', 'lbsLen', 'status', 'language', 'geofence'] },
  [Msg.LbsAlarm]: { standard: ['lbs4g', 'status', 'language'] },
  [Msg.LbsAddress]: { standard: ['lbs'] },
};

const PLANS_BY_TYPE: Readonly<Partial<Record<number, Plans>>> = PLANS;

/** The steps for a packet, or undefined when it is not a location packet of a known shape. */
export function locationPlan(type: number, variant: Variant, model: string, family: string | undefined, nt: boolean): readonly StepName[] | undefined {
  const plans = PLANS_BY_TYPE[type];
  if (!plans) return undefined;
  if (nt && plans.nt) return plans.nt;
  if (family === 'vl' && plans.vl) return plans.vl;
  if (model === 'QH302R' && plans.qh302r) return plans.qh302r;
  return plans[variant] ?? plans.standard;
}

export function runPlan(c: Ctx, plan: readonly StepName[]): void {
  for (const step of plan) STEPS[step](c);
}

/** Reads a trailing group only when the packet still has that many bytes. */
function optional(c: Ctx, size: number, read: () => void): void {
  if (c.r.remaining >= size) read();
}

/** Terminal info, voltage level (0-6) or percentage, GSM level, alarm byte. */
function statusBlock(c: Ctx, alarm: boolean): void {
  readStatusByte(c);
  setBatteryLevel(c.m, c.r.u8());
  c.m[P.gsm] = c.r.u8();
  let code = c.r.u8();
  if (c.p.type === Msg.GpsLbsStatus3 || c.p.type === Msg.FenceMulti) code |= (c.r.remaining > 0 ? c.r.buf[c.r.pos] >> 4 : 0) << 8;
  if (alarm) setAlarmCode(c, code);
  else if (code !== 0) c.m[P.event] = code;
}

/** ACC, upload mode (→ event.enum with `withEvent`), re-upload flag, optional mileage (m). */
function accTail(c: Ctx, withEvent: boolean): void {
  const n = c.r.remaining;
  if (n === 3 || n === 7 || (withEvent && n >= 3)) {
    c.m[P.ignition] = c.r.u8() > 0;
    const mode = c.r.u8();
    if (withEvent) c.m[P.event] = mode;
    if (c.r.u8() > 0) c.m[P.archive] = true;
  }
  if (c.r.remaining === 4) c.m[P.mileage] = c.r.u32() / 1000;
}

/** XT40 / NT models: status, power u16, battery ×0.1 V, GSM, alarm, language, mileage u24 (m), hours u24 (min), driver. */
function ntStatus(c: Ctx): void {
  readStatusByte(c);
  c.m[P.power] = c.r.u16() / 100;
  c.m[P.battery] = c.r.u8() / 10;
  c.m[P.gsm] = c.r.u8();
  setAlarmCode(c, c.r.u8());
  c.m[P.language] = c.r.u8();
  c.m[P.mileage] = c.r.u24() / 1000;
  c.m[P.hours] = c.r.u24() / 60;
  if (c.p.type === Msg.GpsLbsDriver && c.r.remaining > 0) {
    const length = c.r.u8();
    if (length > 1) {
      c.r.skip(1); // identifier type
      setDriver(c.m, c.r.bytes(length - 1));
    }
  }
}

/** VXT01 (0x12, length 0x24): status, power u16, GSM, alarm extension. */
function vxt01(c: Ctx): void {
  readStatusByte(c);
  c.m[P.power] = c.r.u16() / 100;
  c.m[P.gsm] = c.r.u8();
  const ext = c.r.u8();
  if (ext !== 0) c.m[P.event] = ext;
}

/** Benway (0x12, length 0x21): input mask with ACC, input 2 and either a temperature or an ADC value. */
function benway(c: Ctx): void {
  const mask = c.r.u16();
  c.m[P.ignition] = (mask & 0x8000) !== 0;
  c.m[P.din] = (mask >> 14) & 0x01 ? 2 : 0;
  if (mask & 0x1000) {
    const value = mask & 0x01ff;
    c.m[P.temperature] = mask & 0x0200 ? -value : value;
  } else {
    const value = mask & 0x03ff;
    c.m[ain(1)] = mask & 0x2000 ? value : value / 10;
  }
}

/** S5 (0x12, length 0x2b): status, power, GSM, alarm, oil u16, temperature (sign bit 7), mileage ×10 m. */
function s5(c: Ctx): void {
  readStatusByte(c);
  c.m[P.power] = c.r.u16() / 100;
  c.m[P.gsm] = c.r.u8();
  setAlarmCode(c, c.r.u8());
  c.m[P.oil] = c.r.u16();
  const t = c.r.u8();
  c.m[P.temperature] = t & 0x80 ? -(t & 0x7f) : t;
  c.m[P.mileage] = (c.r.u32() * 10) / 1000;
}

/** WeTrust (0x12, length 0x29): mileage, card text, alarm flag, card status, driving time. */
function wetrust(c: Ctx): void {
  c.m[P.mileage] = c.r.u32() / 1000;
  c.m[P.card] = c.r.ascii(c.r.u8());
  if (c.r.u8() > 0) setAlarm(c.m, 'general');
  c.m[P.cardStatus] = c.r.u8();
  c.m[P.drivingTime] = c.r.u16();
}

/** GT06E with card reader (0x12, length >= 0x71): mileage, card text, alarm, swiped flag. */
function gt06eCard(c: Ctx): void {
  c.m[P.mileage] = c.r.u32() / 1000;
  c.m[P.card] = c.r.ascii(c.r.u8()).trim();
  c.m['gt06.card.alarm'] = c.r.u8();
  c.m[P.cardStatus] = c.r.u8();
}

/** Seeworld 0x22 (length 0x2f): ACC, mode, re-upload, mileage, travel time, temperature, humidity. */
function seeworld22(c: Ctx): void {
  c.m[P.ignition] = c.r.u8() > 0;
  c.m[P.event] = c.r.u8();
  if (c.r.u8() > 0) c.m[P.archive] = true;
  c.m[P.mileage] = c.r.u32() / 1000;
  c.m[P.drivingTime] = c.r.u32();
  const t = c.r.u16();
  c.m[P.temperature] = (t & 0x8000 ? -(t & 0x7fff) : t) / 100;
  c.m[P.humidity] = c.r.u16() / 100;
}

/** LWxG 0xA2 (length 0x40): network indicator, status, power, battery, GSM, alarm, language, mileage, hours, terminal id, inputs. */
function lw4g(c: Ctx): void {
  c.r.skip(1); // network indicator
  readStatusByte(c);
  c.m[P.power] = c.r.u16() / 100;
  setBatteryLevel(c.m, c.r.u8());
  c.m[P.gsm] = c.r.u8();
  setAlarmCode(c, c.r.u8());
  c.m[P.language] = c.r.u8();
  c.m[P.mileage] = c.r.u32() / 1000;
  c.m[P.hours] = c.r.u32() / 3600;
  c.r.skip(8); // terminal id
  c.m[P.din] = c.r.u16();
}

/** SL4X 0x31 (length 0x2a): ACC, upload mode, re-upload, optional mileage, altitude. */
function sl4xTail(c: Ctx): void {
  accTail(c, true);
  if (c.r.remaining > 2) c.m[P.mileage] = c.r.u32() / 1000;
  c.m[P.altitude] = c.r.i16();
}

/**
 * VL103 0x36: ACC, upload mode, re-upload, mileage u32 (m), four bytes of unknown meaning, battery ×0.1 V,
 * two more unknown bytes, one more, RFID card (8 bytes). The unknown bytes are kept as `gt06.raw`.
 */
function vl36(c: Ctx): void {
  accTail(c, true);
  c.m[P.mileage] = c.r.u32() / 1000;
  const a = c.r.bytes(2);
  c.m[P.battery] = c.r.u8() / 10;
  const b = c.r.bytes(3);
  c.m[P.raw] = Buffer.concat([a, b]).toString('hex');
  if (c.r.remaining >= 8) setDriver(c.m, c.r.bytes(8));
}

/** JI09 0x1E: MCC, MNC, seven cells (LAC u16, CI u24, RSSI), timing advance, language. */
function neighbourCells(c: Ctx): void {
  c.m[P.mcc] = c.r.u16() & 0x7fff;
  c.m[P.mnc] = c.r.u8();
  const cells = [];
  for (let i = 0; i < 7; i++) {
    const lac = c.r.u16();
    const cid = c.r.u24();
    const rssi = c.r.u8();
    if (lac > 0) cells.push([lac, cid, -rssi]);
  }
  if (cells.length > 0) c.m[P.cells] = cells;
  if (c.r.remaining > 0) c.r.skip(1); // timing advance
}

/** X1 0x34: data/alarm u32, GPS, terminal info u16, mileage, cell (u32 CI), driver, battery, power, ports, inputs, outputs, ADCs. */
export function x1Gps(c: Ctx): void {
  const { r, m } = c;
  m['gt06.x1.alarm'] = r.u32();
  readGps(c);
  m[P.status] = r.u16();
  m[P.mileage] = r.u32() / 1000;
  Object.assign(m, { [P.mcc]: r.u16(), [P.mnc]: r.u8(), [P.lac]: r.u16(), [P.cid]: r.u32() });
  const driver = r.u32();
  if (driver > 0) m[P.driver] = String(driver);
  m[P.battery] = r.u16() / 100;
  m[P.power] = r.u16() / 100;
  const ports = r.u32();
  m[P.din] = r.u8();
  m[P.dout] = r.u8();
  const adcs = (ports >> 20) & 0x0f;
  for (let i = 1; i <= adcs && r.remaining >= 2; i++) m[`ain.${i}`] = r.u16() / 100;
}

/** AZ735 (7979 0x32 location, 0x33 alarm): GPS and cell blocks with length bytes, extra cells, WiFi, status, extension. */
export function az735(c: Ctx): void {
  const { r, m } = c;
  readGps(c, { lengthByte: true });
  const hasCell = r.buf[r.pos] !== 0;
  readLbsWithLength(c);
  if (hasCell) m[P.gsm] = r.u8();
  r.skip(r.u8()); // additional cells
  r.skip(r.u8()); // WiFi access points
  const status = r.u8();
  m[P.status] = status;
  if (c.p.type === Msg.Wifi5) {
    if (status === 0xa0 || status === 0xa1) m[P.armed] = status === 0xa0;
    else if (AZ735_ALARMS[status]) setAlarm(m, AZ735_ALARMS[status]);
  }
  if (r.remaining > 0) r.skip(Math.min(r.u8(), r.remaining)); // reserved extension
}
