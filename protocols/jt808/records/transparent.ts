import { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { cleanText, hex4, type Packet } from '../packet.js';
import { P, temp } from '../params.js';
import { type Acc, alarm, finish, newAcc } from './acc.js';
import { bcdTime, type LocationContext, readStatus } from './location.js';
import { obdText } from './vendor.js';

/**
 * §8.61 uplink pass-through 0x0900: type u8, then data. Types 0x40 (driver card text), 0x41 (OBD
 * text), 0xF0 (Jimi OBD: data, fault codes, alarms, trips, VIN, events), 0xFF (location), 0xF3
 * (collision), 0x53/0x54 (AOVX BLE tags and sensors); others are kept as hex with their type.
 */
export function transparent(p: Packet, lc: LocationContext): Message[] {
  const type = p.buf[p.bodyStart];
  const r = new Reader(p.buf, p.bodyStart + 1, p.bodyEnd);
  const a = newAcc(lc.family);
  switch (type) {
    case 0x40:
      driverText(cleanText(r.ascii(r.remaining)), a.m);
      break;
    case 0x41:
      obdText(a.m, r.ascii(r.remaining));
      break;
    case 0xf0:
      if (!jimiObd(r, a, lc)) return [];
      break;
    case 0xff:
      location(r, a.m, lc);
      break;
    case 0xf3:
      collision(r, a.m, lc);
      break;
    case 0x53:
    case 0x54:
      sensors(r, a, lc, type === 0x53);
      break;
    default:
      Object.assign(a.m, { 'jt808.transparent.type': type, 'jt808.transparent.data': r.bytes(r.remaining).toString('hex') });
  }
  const m = finish(a);
  return Object.keys(m).length > 0 ? [m] : [];
}

/** `GTSL|…|…|…|<driver id>|…`: the driver card of a tachograph; other text kept as it is. */
function driverText(text: string, m: Message): void {
  if (!text) return;
  if (!text.startsWith('GTSL')) {
    m['jt808.transparent.text'] = text;
    return;
  }
  const fields = text.split('|');
  if (fields.length > 4) m[P.driverId] = fields[4];
}

/** Time BCD[6], stored flag, vehicle type, sub-type and its data; most sub-types end with status + lat/lon. */
function jimiObd(r: Reader, a: Acc, lc: LocationContext): boolean {
  const time = bcdTime(r.buf, r.pos, lc.tzMinutes, false) ?? lc.receivedAt;
  r.skip(6);
  if (r.u8() > 0) a.m[P.archive] = true;
  r.skip(1); // vehicle type
  const sub = r.u8();
  if (sub === 0x01) obdData(r, a.m);
  else if (sub === 0x02) faultCodes(r, a.m);
  else if (sub === 0x03) obdAlarms(r, a);
  else if (sub === 0x04) trip(r, a.m);
  else if (sub === 0x0b) {
    if (r.u8() > 0) a.m[P.vin] = r.ascii(17);
  } else if (sub === 0x15) obdEvent(r.i32(), a);
  else return false;
  if (sub <= 0x03) readStatus(r.u32(), a, r);
  if (time !== undefined) a.m.timestamp = time;
  return true;
}

/** OBD data items: id → [name, divisor, offset]; other ids of 1, 2 or 4 bytes as `jt808.obd.<id>`. */
const OBD_DATA: Readonly<Record<number, readonly [string, number, number?]>> = {
  0x0102: [P.mileage, 10],
  0x0528: [P.mileage, 10],
  0x0546: [P.mileage, 10],
  0x0103: [P.fuel, 100],
  0x052a: [P.fuel, 100],
  0x052b: [P.fuel, 1],
  0x0111: ['jt808.fuel.temperature', 1, -40],
  0x012e: ['jt808.oil.level', 10],
  0x0105: [P.fuelUsed, 100],
  0x052c: [P.fuelUsed, 100],
  0x014a: [P.fuelConsumption, 100],
  0x0537: [P.fuelConsumption, 100],
  0x0538: [P.fuelConsumption, 100],
  0x0539: [P.fuelConsumption, 100],
  0x052d: [P.coolant, 1, -40],
  0x052e: ['jt808.air.temperature', 1, -40],
  0x0530: [P.power, 1000],
  0x0535: [P.obdSpeed, 10],
  0x0536: [P.rpm, 1],
  0x053d: ['jt808.intake.pressure', 10],
  0x0544: ['jt808.liquid.level', 1],
  0x0547: [P.throttle, 1],
  0x0548: [P.throttle, 1],
};

function obdData(r: Reader, m: Message): void {
  const count = r.u8();
  for (let i = 0; i < count; i++) {
    const id = r.u16();
    const value = r.bytes(r.u8());
    const def = OBD_DATA[id];
    if (id === 0xfeec) m[P.vin] = value.toString('latin1');
    else if (value.length < 1 || value.length > 4) continue;
    else if (def) m[def[0]] = value.readUIntBE(0, value.length) / def[1] + (def[2] ?? 0);
    else m[`jt808.obd.${hex4(id)}`] = value.readUIntBE(0, value.length);
  }
}

/** Fault codes: count u16, then (system id u32, count u16, (code u32, status u32, text length u16 + text)…)…. */
function faultCodes(r: Reader, m: Message): void {
  const codes: string[] = [];
  for (let i = r.u16(); i > 0; i--) {
    r.skip(4);
    for (let j = r.u16(); j > 0; j--) {
      r.skip(8);
      codes.push(cleanText(r.ascii(r.u16())));
    }
  }
  m[P.dtcs] = codes.join(' ');
}

const OBD_ALARMS: Readonly<Record<number, string>> = {
  0x01: 'power_restored',
  0x02: 'power_cut',
  0x0e: 'idle',
  0x1a: 'hard_acceleration',
  0x1b: 'hard_braking',
  0x1c: 'hard_cornering',
  0x1d: 'lane_change',
  0x1e: 'lane_change',
  0x1f: 'lane_change',
  0x23: 'fatigue_driving',
  0x25: 'overspeed',
  0x26: 'accident',
  0x27: 'accident',
  0x28: 'accident',
  0x31: 'door',
  0x32: 'door',
};

function obdAlarms(r: Reader, a: Acc): void {
  for (let i = r.u8(); i > 0; i--) {
    alarm(a, OBD_ALARMS[r.u8()]);
    r.skip(r.u8());
  }
}

/** Trip: property (2 = ended), trip number, start time, [end time, start and end positions, flags, idling count and time, km/10, fuel/100]. */
function trip(r: Reader, m: Message): void {
  const property = r.u8();
  m['jt808.trip.number'] = r.u32();
  r.skip(6);
  if (property !== 2) return;
  r.skip(6 + 8 + 8 + 1);
  m['jt808.idling.count'] = r.u16();
  m['jt808.idling.time'] = r.u16();
  m[P.tripMileage] = r.u16() / 10;
  m['jt808.trip.fuel.used'] = r.u16() / 100;
}

function obdEvent(event: number, a: Acc): void {
  const type = ({ 51: 'hard_acceleration', 52: 'hard_braking', 53: 'hard_cornering', 54: 'lane_change', 56: 'accident' } as Record<number, string>)[event];
  if (type) alarm(a, type);
  else a.m[P.event] = event;
}

/** 0xFF: time BCD[6], latitude and longitude i32 (1e-6 degree), altitude, speed 1/10 km/h, course. */
function location(r: Reader, m: Message, lc: LocationContext): void {
  const time = bcdTime(r.buf, r.pos, lc.tzMinutes, false);
  r.skip(6);
  if (time !== undefined) m.timestamp = time;
  Object.assign(m, { [P.valid]: true, [P.lat]: r.i32() / 1e6, [P.lon]: r.i32() / 1e6, [P.altitude]: r.i16() });
  Object.assign(m, { [P.speed]: r.u16() / 10, [P.course]: r.u16() });
}

/** 0xF3: (type u16, length u16, value)…: 0x0002 collision (1/256 g ×100), 0x0006 time. */
function collision(r: Reader, m: Message, lc: LocationContext): void {
  while (r.remaining >= 4) {
    const type = r.u16();
    const to = r.pos + r.u16();
    if (type === 0x0002) m['jt808.collision'] = r.u16() / 256 / 100;
    else if (type === 0x0006) {
      const time = bcdTime(r.buf, r.pos, lc.tzMinutes, false);
      if (time !== undefined) m.timestamp = time;
    }
    r.pos = Math.min(to, r.end);
  }
}

/** AOVX 0x53 (BLE tags) and 0x54 (sensor samples) after status, lat/lon, altitude, speed, course and time. */
function sensors(r: Reader, a: Acc, lc: LocationContext, tagsFollow: boolean): void {
  readStatus(r.u32(), a, r);
  Object.assign(a.m, { [P.altitude]: r.i16(), [P.speed]: r.u16() / 10, [P.course]: r.u16() });
  const time = bcdTime(r.buf, r.pos, lc.tzMinutes, false);
  r.skip(6);
  if (time !== undefined) a.m.timestamp = time;
  if (tagsFollow) {
    r.skip(1); // node count over all packets
    while (r.remaining >= 9) {
      const i = r.u8() + 1;
      a.m[`jt808.tag.${i}.mac`] = r.bytes(6).toString('hex');
      a.m[`jt808.tag.${i}.rssi`] = r.i8();
      a.m[`jt808.tag.${i}.data`] = r.bytes(r.u8()).toString('hex');
    }
    return;
  }
  while (r.remaining >= 8) {
    const mask = r.u16();
    r.skip(6); // sample time
    if (mask & 1) a.m['jt808.illuminance'] = r.u16();
    if (mask & 2) Object.assign(a.m, { [P.deviceTemp]: r.i16() / 10, 'sensor.humidity.1': r.i16() / 10 });
    if (mask & 4) a.m[temp(3)] = r.i16() / 10;
    if (mask & 8) r.skip(6);
    if (mask & 0x10) a.m['jt808.air.pressure'] = r.u16();
  }
}
