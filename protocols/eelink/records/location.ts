import type { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { Mask, Pid } from '../constants.js';
import { ain, BLE, P } from '../params.js';
import { alarmParams, type Ctx, coordinate, keepRest, setTime, statusParams } from './common.js';
import { readNetwork } from './network.js';

/** Packages with a status word after the location fields (§5.4–§5.6). */
const WITH_STATUS: ReadonlySet<number> = new Set([Pid.Location, Pid.Warning, Pid.Report]);

/** One BLE tag (V2.1 §3.7): MAC[6], RSSI i8, reserved, model, version, battery mV u16, temperature i16 (1/256 °C), data u16. */
const BLE_TAG = 16;

/**
 * §5.4 location package 0x12 and the packages that share its head (§5.5 warning 0x14, §5.6 report
 * 0x15, §5.7 message 0x16, §5.8–§5.10 OBD 0x17–0x19): time u32, mask u8, the position (mask bit 0:
 * lat, lon i32 1/1,800,000°, altitude i16 m, speed u16 km/h, course u16, satellites u8), cells and
 * access points (readNetwork); then the warning type (0x14) or report type (0x15) and the status
 * word; 0x12 goes on with its optional fields. What is left is kept as hex.
 */
export function location(c: Ctx): void {
  const r = c.r;
  const m: Message = {};
  setTime(m, r.u32(), c.receivedAt);
  const mask = r.u8();
  if (mask & Mask.Position) {
    m[P.lat] = coordinate(r.i32());
    m[P.lon] = coordinate(r.i32());
    m[P.altitude] = r.i16();
    m[P.speed] = r.u16();
    m[P.course] = r.u16();
    m[P.sats] = r.u8();
  }
  readNetwork(r, mask, m);
  if (c.pid === Pid.Warning) alarmParams(m, r.u8());
  else if (c.pid === Pid.Report) m[P.event] = r.u8();
  if (WITH_STATUS.has(c.pid)) statusParams(m, r.u16(), (mask & Mask.Position) !== 0);
  if (c.pid === Pid.Location) readOptional(r, m);
  keepRest(c, m);
  c.messages.push(m);
}

/**
 * §5.4 optional fields of 0x12, in order; firmware sends a prefix of them, so each is read only when
 * all its bytes are there. AIN values are 1/100 V (vehicle units report 12.60 and 14.10 on AIN0).
 */
const OPTIONAL: ReadonlyArray<readonly [size: number, read: (r: Reader, m: Message) => void]> = [
  [
    2,
    (r, m) => {
      m[P.battery] = r.u16() / 1000;
    },
  ],
  [
    4,
    (r, m) => {
      m[ain(1)] = r.u16() / 100;
      m[ain(2)] = r.u16() / 100;
    },
  ],
  [
    4,
    (r, m) => {
      m[P.mileage] = r.u32() / 1000;
    },
  ],
  [
    4,
    (r, m) => {
      m[P.gsmCounter] = r.u16();
      m[P.gpsCounter] = r.u16();
    },
  ],
  [
    4,
    (r, m) => {
      m[P.steps] = r.u16();
      m[P.walkTime] = r.u16();
    },
  ],
  [
    12, // V2.0.1 sensors: temperature i16 1/256 °C, humidity u16 1/10 %, illuminance u32 1/256 lux, CO2 u32 ppm
    (r, m) => {
      m[P.temperature1] = r.i16() / 256;
      m[P.humidity] = r.u16() / 10;
      m[P.illuminance] = r.u32() / 256;
      m[P.co2] = r.u32();
    },
  ],
  [
    2,
    (r, m) => {
      m[P.temperature2] = r.i16() / 16;
    },
  ],
  [2, readBle],
];

function readOptional(r: Reader, m: Message): void {
  for (const [size, read] of OPTIONAL) {
    if (r.remaining < size) return;
    read(r, m);
  }
}

/** BLE tags (V2.1 §3.7): count u8, an id byte, then `count` tags of 16 bytes (only whole tags are read). */
function readBle(r: Reader, m: Message): void {
  const count = r.u8();
  r.u8(); // id of the tag list
  for (let n = 1; n <= count && r.remaining >= BLE_TAG; n++) {
    m[BLE.id(n)] = r.bytes(6).toString('hex');
    m[BLE.rssi(n)] = r.i8();
    r.u8(); // reserved
    m[BLE.model(n)] = r.bytes(2).toString('hex');
    m[BLE.battery(n)] = r.u16() / 1000;
    m[BLE.temperature(n)] = r.i16() / 256;
    m[BLE.data(n)] = r.u16();
  }
}
