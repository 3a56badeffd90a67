import { convertParam } from '../../common/params.js';
import { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { Msg } from '../constants.js';
import { EVENT_ALARMS_70, MODULES, moduleName, P } from '../params.js';
import { type Ctx, iccid, isPrintable, setAlarm, setPosition } from './fields.js';

/** Tagged data: modular packets (7979 0x70), status items (7979 0xF1, 0xF2) and the TLV modules of 0x36/0x37/0x38. */

/** 0x70 (7979): modules of type u16, length u16, data. */
export function modular70(c: Ctx): void {
  while (c.r.remaining >= 4) {
    const id = c.r.u16();
    const data = c.r.bytes(Math.min(c.r.u16(), c.r.remaining));
    const read = MODULES_70[id];
    if (read && tryRead(read, new Reader(data), c.m)) continue;
    c.m[moduleName(id)] = data.toString('hex');
  }
}

function tryRead(read: (r: Reader, m: Message) => void, r: Reader, m: Message): boolean {
  try {
    read(r, m);
    return true;
  } catch {
    return false; // a module shorter than its layout is kept as hex
  }
}

const MODULES_70: Readonly<Record<number, (r: Reader, m: Message) => void>> = {
  0x03: (r, m) => (m[P.iccid] = iccid(r.bytes(10))),
  0x09: (r, m) => (m[P.sats] = r.u8()),
  0x0a: (r, m) => (m[P.satsVisible] = r.u8()),
  0x11: (r, m) => {
    const [mcc, mnc, lac, cid, rssi] = [r.u16(), r.u16(), r.u16(), r.u24(), r.u8()];
    if (cid > 0) Object.assign(m, { [P.mcc]: mcc, [P.mnc]: mnc, [P.lac]: lac, [P.cid]: cid, [P.gsm]: rssi });
  },
  0x18: (r, m) => (m[P.battery] = r.u16() / 100),
  0x28: (r, m) => (m[P.hdop] = r.u8() / 10),
  0x29: (r, m) => (m[P.index] = r.u32()),
  0x2a: (r, m) => {
    const input = r.u8();
    m[P.door] = (input & 0x0f) > 0;
    m[P.tamper] = input >> 4 > 0;
  },
  0x2b: (r, m) => (m[P.bootReason] = r.u8()),
  0x2e: (r, m) => (m[P.mileage] = r.u32le() / 1000),
  0x33: (r, m) => {
    m[P.time] = r.u32();
    m[P.sats] = r.u8();
    m[P.altitude] = r.i16();
    const lat = r.u32() / 1800000;
    const lon = r.u32() / 1800000;
    m[P.speed] = r.u8();
    setPosition(m, lat, lon, r.u16());
  },
  0x34: (r, m) => {
    const event = r.u8();
    m[P.event] = event;
    if (EVENT_ALARMS_70[event]) setAlarm(m, EVENT_ALARMS_70[event]);
    m['gt06.event.time'] = r.u32();
    const content = r.bytes(r.u8());
    if (content.length > 0) m[P.eventData] = content.toString('hex');
  },
};

/** 0xF2 (VL842 peripherals) and 0xF1 (device status): Unix time, then status items. */
export function statusItems(c: Ctx): void {
  c.m[P.time] = c.r.u32();
  while (c.r.remaining >= 3) {
    const id = c.r.u16();
    if (c.p.type === Msg.Peripheral) peripheralItem(c, id);
    else deviceStatusItem(c, id, c.r.bytes(Math.min(c.r.u8(), c.r.remaining)));
  }
}

function peripheralItem(c: Ctx, id: number): void {
  const { r, m } = c;
  if (id === 0x000a) {
    const length = r.u16();
    r.skip(1); // MAC address type
    m['gt06.peripheral.mac'] = r.bytes(6).toString('hex');
    m[P.event] = r.u8();
    const eventData = r.u8();
    if (m[P.event] !== 0) m[P.eventData] = eventData;
    m['gt06.peripheral.data.type'] = r.u8();
    const details = r.bytes(Math.max(0, length - 10));
    m['gt06.peripheral.data'] = isPrintable(details) ? details.toString('latin1') : details.toString('hex');
  } else if (id === 0x000c) {
    r.skip(1); // length
    m['gt06.external.battery.level'] = r.u8();
    m['gt06.external.battery.charging.status'] = r.u8() > 0;
    m['gt06.external.battery.cycles'] = r.u16();
    r.skip(6);
  } else {
    const length = r.u8();
    m[moduleName(id)] = r.bytes(Math.min(length === 0 ? r.u8() : length, r.remaining)).toString('hex');
  }
}

const DEVICE_STATUS: Readonly<Record<number, (v: Buffer, m: Message) => void>> = {
  0x01: (v, m) => (m['movement.status'] = v[0] === 0x02 || v[0] === 0x04),
  0x02: (v, m) => (m[P.armed] = v[0] > 0),
  0x04: (v, m) => (m[P.ignition] = v[0] > 0),
  0x05: (v, m) => (m[P.power] = v.readUInt16BE(0) / 100),
  0x07: (v, m) => (m[P.charging] = v[0] > 0),
  0x0a: (v, m) => (m['gt06.charge.voltage'] = v.readUInt16BE(0)),
  0x0b: (v, m) => (m['battery.temperature'] = v.readUInt16BE(0) / 10),
};

function deviceStatusItem(c: Ctx, id: number, value: Buffer): void {
  const read = DEVICE_STATUS[id];
  if (read && value.length >= (id === 0x05 || id >= 0x0a ? 2 : 1)) read(value, c.m);
  else c.m[moduleName(id)] = value.toString('hex');
}

/** TLV modules (id u16, length u8, data) of 0x36/0x37/0x38 packets; ids without a known meaning are kept as hex. */
export function readModules(c: Ctx): void {
  while (c.r.remaining >= 3) {
    const id = c.r.u16();
    const data = c.r.bytes(Math.min(c.r.u8(), c.r.remaining));
    const def = MODULES[id];
    if (def && data.length === def.size) c.m[def.name] = convertParam(def, data.readUIntBE(0, def.size), def.size);
    else c.m[moduleName(id)] = data.toString('hex');
  }
}
