import { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { fuelN, humidity, P, temp } from '../params.js';
import { type Acc, alarm, cell } from './acc.js';

/**
 * Vendor additional items with sub-structures (JT/T 808-2019 §8.21 leaves 0xE1–0xFF to vendors):
 * 0xE6 OBD text or BLE sensors, 0xE8 Jimi extensions, 0xEA external sensors, 0xEB cells, time zone
 * or Howen sub-items, 0xF3 BLE tags or OBD sub-items, 0xF6/0xF9/0xFE sensor masks, 0x80/0x91 OBD.
 * Layouts as Traccar's Jt808ProtocolDecoder reads them.
 */
type ItemReader = (r: Reader, a: Acc, len: number) => unknown;

const set = (a: Acc, name: string, value: number | string | boolean) => {
  a.m[name] = value;
};

/** Jimi 0xE8 alarm codes (extended type → alarm). */
const JIMI_ALARMS: Readonly<Record<number, string>> = {
  0x0001: 'fault',
  0x0400: 'hard_acceleration',
  0x0412: 'hard_acceleration',
  0x0401: 'hard_braking',
  0x0413: 'hard_braking',
  0x0402: 'hard_cornering',
  0x0414: 'hard_cornering',
  0x0403: 'overspeed',
  0x0405: 'accident',
  0x0416: 'accident',
  0x0417: 'accident',
  0x0406: 'vibration',
  0x0407: 'tow',
  0x0408: 'geofence_enter',
  0x0409: 'geofence_exit',
  0x040c: 'door',
  0x0415: 'lane_change',
  0x0c01: 'sos',
  0x0c02: 'low_power',
  0x0c05: 'general',
  0x0c0e: 'power_cut',
  0x0c0f: 'low_battery',
  0x0c10: 'power_off',
  0x0c12: 'tamper',
};

/** Jimi 0xE8 0x2005 status sub-items: id → reader. */
const JIMI_STATUS: Readonly<Record<number, ItemReader>> = {
  0x0001: (r, a) => set(a, P.battery, r.u16() / 100),
  0x0002: (r, a) => set(a, 'jt808.data.usage', r.u32()),
  0x0003: (r, a) => set(a, P.batteryLevel, r.u8()),
  0x0004: (r, a) => set(a, P.charge, r.u8() === 0),
  0x0005: (r, a) => set(a, P.iccid, r.bytes(10).toString('hex').slice(0, 19)),
  0x0007: (r, a) => set(a, P.hdop, r.u16() / 10),
  0x2001: (r, a) => set(a, P.power, r.u16() / 10),
};

function jimi(r: Reader, a: Acc): void {
  const type = r.u16();
  if (type === 0x2002) {
    r.skip(1);
    set(a, 'jt808.upload.mode', r.u8());
    set(a, P.archive, r.u8() === 1);
  } else if (type === 0x2003) {
    r.skip(1);
    set(a, P.charge, r.u8() === 1);
    const level = r.u8();
    if (level >= 1 && level <= 6) set(a, P.batteryLevel, Math.floor((level * 100) / 6));
    set(a, P.battery, r.u16() / 100);
    set(a, P.rssi, r.u8());
    set(a, P.power, r.u16() / 100);
  } else if (type === 0x2005) {
    r.skip(1);
    subItems(r, a, JIMI_STATUS, 2, 1);
  } else if (type === 0x0c03 || type === 0x0c04) set(a, P.ignition, type === 0x0c03);
  else alarm(a, JIMI_ALARMS[type]);
}

/** Sub-items `type (idSize bytes) | length (lenSize bytes) | value` to the end of `r`, each read by its reader. */
function subItems(r: Reader, a: Acc, readers: Readonly<Record<number, ItemReader>>, idSize: 1 | 2, lenSize: 1 | 2, lengthFirst = false): void {
  while (r.remaining >= idSize + lenSize) {
    let id: number;
    let len: number;
    if (lengthFirst) {
      len = r.uint(lenSize) - idSize;
      id = r.uint(idSize);
    } else {
      id = r.uint(idSize);
      len = r.uint(lenSize);
    }
    if (len < 0 || len > r.remaining) return;
    const to = r.pos + len;
    readers[id]?.(new Reader(r.buf, r.pos, to), a, len);
    r.pos = to;
  }
}

/** Howen-style 0xEB sub-items: `length u16 (type + value) | type u16 | value`. */
const EB_SUB: Readonly<Record<number, ItemReader>> = {
  0x0001: (r, a) => set(a, fuelN(1), r.u16() / 10),
  0x0023: (r, a) => set(a, fuelN(2), Number(r.ascii(6))),
  0x002d: (r, a, len) => (len === 4 ? set(a, P.power, r.u32() / 1000) : set(a, P.battery, r.u16() / 1000)),
  0x0089: (r, a) => {
    const v = r.u32();
    if (!(v & 1)) alarm(a, 'power_off');
    if (!(v & 0x1000)) alarm(a, 'removing');
  },
  0x00b2: (r, a) => set(a, P.iccid, r.bytes(10).toString('hex').replace(/f+$/, '')),
  0x00b9: (r, a, len) => {
    r.skip(1);
    const parts = r.ascii(len - 1).split(',');
    for (let i = 0; i + 1 < parts.length; i += 2) a.wifi.push([parts[i], Number(parts[i + 1])]);
  },
  0x00c5: (r, a) => {
    const v = r.u32();
    if (!(v & 0x40)) alarm(a, 'vibration');
    const motion = (v >>> 23) & 3;
    if (motion < 2) set(a, P.motion, motion === 0);
  },
  0x00c6: (r, a) => {
    const v = r.u8();
    if (v === 3 || v === 4) alarm(a, 'low_battery');
    set(a, 'jt808.battery.alarm', v);
  },
  0x00ce: (r, a) => set(a, P.power, r.u16() / 100),
  0x00d8: (r, a) => cell(a, r.u16(), r.u8(), r.u16(), r.u32(), 0),
  0x00a8: (r, a) => set(a, P.batteryLevel, r.u8()),
  0x00e1: (r, a) => set(a, P.batteryLevel, r.u8()),
};

function eb(r: Reader, a: Acc, len: number): void {
  const text = r.buf.toString('latin1', r.pos, r.end);
  if (len >= 3 && r.buf.readUInt16BE(r.pos) > 200 && (len - 3) % 5 === 0) {
    const [mcc, mnc] = [r.u16(), r.u8()];
    while (r.remaining >= 5) cell(a, mcc, mnc, r.u16(), r.u16(), r.u8());
  } else if (len > 0 && /^[\x20-\x7e]+$/.test(text)) set(a, P.timezone, text);
  else subItems(r, a, EB_SUB, 2, 2, true);
}

/** 0xE6: `$OBD-RT,…` text, or BLE sensors (index, MAC[6], temperature and humidity as byte + 1/255). */
function e6(r: Reader, a: Acc, len: number): boolean | undefined {
  if (len >= 7 && r.buf.toString('latin1', r.pos, r.pos + 7) === '$OBD-RT') {
    obdText(a.m, r.ascii(len));
    return;
  }
  if (len < 11 || len % 11 !== 0) return false;
  while (r.remaining >= 11) {
    const i = r.u8();
    r.skip(6);
    set(a, temp(i), customDouble(r));
    set(a, humidity(i), customDouble(r));
  }
}

function customDouble(r: Reader): number {
  const whole = r.i8();
  const fraction = r.u8() / 255;
  return whole < 0 ? -(-whole + fraction) : whole + fraction;
}

/** `$OBD-RT,power,rpm,speed,throttle,load,coolant,instant fuel,average fuel,trip km,odometer km,trip fuel,fuel used`. */
export function obdText(m: Message, text: string): void {
  const names = [P.power, P.rpm, P.obdSpeed, P.throttle, P.engineLoad, P.coolant, P.fuelConsumption, P.fuelConsumption, P.tripMileage, P.obdMileage];
  const v = text.trim().split(',');
  for (let i = 0; i < names.length; i++) if (v[i + 1]) m[names[i]] = Number(v[i + 1]);
  if (v[11]) m['jt808.trip.fuel.used'] = Number(v[11]);
  if (v[12]) m[P.fuelUsed] = Number(v[12]);
}

/** 0xEA external sensors: info type, then (type u8, length u8, value). */
const EA_SUB: Readonly<Record<number, ItemReader>> = {
  0x11: (r, a) => {
    set(a, 'jt808.external.alarms', r.u16());
    set(a, 'jt808.external.threshold.type', r.u8());
  },
  0x13: (r, a) => set(a, 'jt808.illuminance', r.u16()),
  0x14: (r, a) => set(a, 'jt808.air.pressure', r.u16()),
  0x15: (r, a) => set(a, 'jt808.external.humidity', r.u16() / 10),
  0x16: (r, a) => set(a, 'jt808.external.temperature', r.u16() / 10 - 50),
};

export const VENDOR_ITEMS: Readonly<Record<number, ItemReader>> = {
  0x91: (r, a) => obdBlock(r, a),
  0xe6: e6,
  0xe8: (r, a) => (a.family === 'jimi' ? jimi(r, a) : set(a, 'jt808.lock.status', r.u24())),
  0xea: (r, a, len) => {
    if (len <= 2) return false;
    r.skip(1);
    subItems(r, a, EA_SUB, 1, 1);
  },
  0xeb: eb,
  0xf3: (r, a) => (a.family === 'aovx' ? tags(r, a) : subItems(r, a, OBD_SUB, 2, 1)),
  0xf6: (r, a, len) => sensorMask(r, a, len),
  0xf9: (r, a) => {
    const mask = r.u16();
    if (mask & 1) r.skip(4); // GNSS age
    if (mask & 2) r.skip(4); // ACC on time
    if (mask & 4) set(a, P.hdop, r.u16() / 10);
    if (mask & 8) r.skip(6); // GNSS time
    if (mask & 0x20) r.skip(8); // sampling and report interval
    if (mask & 0x40) set(a, temp(3), r.i16() / 10);
  },
  0xfe: (r, a, len) => {
    if (len === 1) return set(a, P.batteryLevel, r.u8());
    if (len === 2) return set(a, P.power, r.u16() / 10);
    if (len === 4) return set(a, P.mileage, r.u32() / 1000);
    if (r.u8() === 0x7c) {
      const alarms = new Reader(r.buf, r.pos, r.end - 1);
      subItems(alarms, a, { 0x01: (s) => feAlarms(s.u32(), a) }, 1, 1);
      r.pos = r.end - 1;
    }
    set(a, P.batteryLevel, r.u8());
  },
};

function feAlarms(v: number, a: Acc): void {
  const names = ['hard_acceleration', 'hard_braking', 'hard_cornering', 'accident', 'tamper'];
  for (let bit = 0; bit < names.length; bit++) if (v & (1 << bit)) alarm(a, names[bit]);
}

/** 0x91 OBD block: battery 1/10 V, rpm, speed, throttle and load (x/255), coolant +40, …, fuel rate, …, fuel used. */
function obdBlock(r: Reader, a: Acc): void {
  set(a, P.battery, r.u16() / 10);
  set(a, P.rpm, r.u16());
  set(a, P.obdSpeed, r.u8());
  set(a, P.throttle, Math.floor((r.u8() * 100) / 255));
  set(a, P.engineLoad, Math.floor((r.u8() * 100) / 255));
  set(a, P.coolant, r.u8() - 40);
  r.skip(2);
  set(a, P.fuelConsumption, r.u16() / 100);
  r.skip(8);
  set(a, P.fuelUsed, r.u16() / 100);
}

/** 0xF3 OBD sub-items (type u16, length u8). */
const OBD_SUB: Readonly<Record<number, ItemReader>> = {
  0x0002: (r, a) => set(a, P.obdSpeed, r.u16() / 10),
  0x0003: (r, a) => set(a, P.rpm, r.u16()),
  0x0004: (r, a) => set(a, P.power, r.u16() / 1000),
  0x0005: (r, a) => set(a, P.obdMileage, r.u32() / 10),
  0x0007: (r, a) => set(a, P.fuelConsumption, r.u16() / 10),
  0x0008: (r, a) => set(a, P.engineLoad, r.u16() / 10),
  0x0009: (r, a) => set(a, P.coolant, r.u16() - 40),
  0x000e: (r, a) => set(a, P.throttle, Math.floor((r.u16() * 100) / 255)),
  0x0050: (r, a) => set(a, P.vin, r.ascii(17)),
  0x0100: (r, a) => set(a, P.tripMileage, r.u16() / 10),
};

/** AOVX (GL100/AL300) BLE tags: field mask, then per tag MAC[6], RSSI and the fields the mask names. */
function tags(r: Reader, a: Acc): void {
  const mask = r.u8();
  for (let i = 1; r.remaining >= 7; i++) {
    set(a, `jt808.tag.${i}.mac`, r.bytes(6).toString('hex'));
    set(a, `jt808.tag.${i}.rssi`, r.i8());
    if (mask & 1) set(a, `jt808.tag.${i}.name`, r.ascii(10).trim());
    if (mask & 2) r.skip(2); // firmware version
    if (mask & 4) set(a, `jt808.tag.${i}.battery`, r.u16() / 1000);
    if (mask & 8) set(a, `jt808.tag.${i}.temperature`, r.i16() / 10);
    if (mask & 0x10) set(a, `jt808.tag.${i}.humidity`, r.i16() / 10);
    r.skip((mask & 0x20 ? 6 : 0) + (mask & 0x40 ? 2 : 0) + (mask & 0x80 ? 2 : 0));
  }
}

/** 0xF6: air pressure (2 bytes), IMEI (8 bytes), or event + sensor mask (AOVX and others). */
function sensorMask(r: Reader, a: Acc, len: number): void {
  if (a.family !== 'aovx' && len === 2) {
    set(a, 'jt808.air.pressure', r.u16());
    return;
  }
  if (a.family !== 'aovx' && len === 8) {
    set(a, 'jt808.imei', r.bytes(8).toString('hex').slice(1));
    return;
  }
  const event = r.u8();
  set(a, P.event, event);
  if (event === 2) set(a, P.motion, true);
  const mask = r.u8();
  if (mask & 1) set(a, 'jt808.illuminance', r.u16());
  if (mask & 2) set(a, temp(1), r.i16() / 10);
  if (mask & 4) set(a, humidity(1), r.i16() / 10);
  if (mask & 8) r.skip(6); // acceleration
  if (mask & 0x10) r.skip(10); // threshold configuration
  if (mask & 0x20) set(a, 'jt808.air.pressure', r.u16());
}

/** 0x80 OBD extension: a content byte, then (type u8, length u8, value) items to the end of the body. */
const OBD_EXTENSION: Readonly<Record<number, ItemReader>> = {
  0x01: (r, a) => set(a, P.mileage, r.u32() / 10),
  0x02: (r, a) => set(a, P.fuel, r.u16() / 10),
  0x03: (r, a) => set(a, P.obdSpeed, r.u16() / 10),
  0x56: (r, a) => {
    r.skip(1);
    set(a, P.batteryLevel, r.u8());
  },
  0x61: (r, a) => set(a, P.power, r.u16() / 100),
  0x69: (r, a) => set(a, P.battery, r.u16() / 100),
  0x80: (r, a) => set(a, P.obdSpeed, r.u8()),
  0x81: (r, a) => set(a, P.rpm, r.u16()),
  0x82: (r, a) => set(a, P.power, r.u16() / 10),
  0x83: (r, a) => set(a, P.engineLoad, r.u8()),
  0x84: (r, a) => set(a, P.coolant, r.u8() - 40),
  0x85: (r, a) => set(a, P.fuelConsumption, r.u16()),
  0x89: (r, a) => set(a, P.throttle, r.u8()),
  0x8b: (r, a) => set(a, P.vin, r.ascii(17)),
  0x8c: (r, a) => set(a, P.obdMileage, r.u32() / 10),
  0x8d: (r, a) => set(a, P.tripMileage, r.u16()),
  0x8e: (r, a) => set(a, P.fuel, r.u8()),
  0xa0: (r, a, len) => set(a, P.dtcs, r.ascii(len).replace(/,/g, ' ')),
  0xcc: (r, a) => set(a, P.iccid, r.ascii(20)),
};

export function obdExtension(buf: Buffer, from: number, to: number, a: Acc): void {
  subItems(new Reader(buf, from, to), a, OBD_EXTENSION, 1, 1);
}
