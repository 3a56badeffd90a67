import { convertParam } from '../../common/params.js';
import { Reader } from '../../common/reader.js';
import { cleanText } from '../packet.js';
import { ain, humidity, ITEM_TABLE, itemName, P, temp } from '../params.js';
import { type Acc, alarm, cell, mac, signMagnitude } from './acc.js';
import { VENDOR_ITEMS } from './vendor.js';

/**
 * §8.21 additional location items (id u8, length u8, value): the standard items of JT/T 808-2019
 * and JT/T 1078, then vendor items (0x51–0xFE) as trackers send them. An item reader gets a Reader
 * bounded to its value; an item without a reader or table row, or whose reader does not know its
 * length (returns false), is kept as hex (`jt808.item.<id>`).
 */
type ItemReader = (r: Reader, a: Acc, len: number) => unknown;

const m = (a: Acc, name: string, value: number | string | boolean) => {
  a.m[name] = value;
};

const STANDARD: Readonly<Record<number, ItemReader>> = {
  // WORD 1/10 L; a set bit 15 marks a percentage in the low 15 bits (vendor)
  0x02: (r, a) => {
    const v = r.u16();
    m(a, P.fuel, v & 0x8000 ? v & 0x7fff : v / 10);
  },
  // 2019: carriage temperature WORD, sign and magnitude, °C; vendors: battery level BYTE
  0x06: (r, a, len) => (len === 1 ? m(a, P.batteryLevel, r.u8()) : m(a, 'jt808.carriage.temperature', signMagnitude(r.u16()))),
  // overspeed: position type (0 none, 1 circle, 2 rectangle, 3 polygon, 4 route) [+ area id]
  0x11: (r, a, len) => {
    m(a, 'jt808.overspeed.area.type', r.u8());
    if (len >= 5) m(a, 'jt808.overspeed.area.id', r.u32());
  },
  // in/out of area or route: position type, area id, direction (0 in, 1 out)
  0x12: (r, a) => {
    m(a, 'jt808.area.type', r.u8());
    m(a, 'jt808.area.id', r.u32());
    m(a, 'jt808.area.direction', r.u8());
  },
  // route driving time: section id, driving time s, result (0 too short, 1 too long)
  0x13: (r, a) => {
    m(a, 'jt808.route.section', r.u32());
    m(a, 'jt808.route.time', r.u16());
    m(a, 'jt808.route.result', r.u8());
  },
  // analog DWORD: bits 16–31 AD1, bits 0–15 AD0 (vendors scale both by 1/100 V)
  0x2b: (r, a) => analog(r, a),
  0xa7: (r, a) => analog(r, a),
};

function analog(r: Reader, a: Acc): void {
  const ad1 = r.u16();
  m(a, ain(1), r.u16() / 100);
  m(a, ain(2), ad1 / 100);
}

/** Vendor items with one meaning across trackers (Jimi, Jointech, Howen, BSJ and others). */
const COMMON: Readonly<Record<number, ItemReader>> = {
  // 1 byte: working mode; text `*M00,…`: e-lock status whose characters 10–12 are the battery in 1/100 V
  0x33: (r, a, len) => {
    if (len === 1) return m(a, 'jt808.mode', r.u8());
    const text = r.ascii(len);
    if (!text.startsWith('*M00') || text.length < 15) return false;
    m(a, P.battery, Number(text.slice(10, 13)) / 100);
  },
  // temperature sensors: WORD each, sign and magnitude, 1/10 °C, FFFF absent
  0x51: (r, a, len) => {
    if (len !== 2 && len !== 16) return false;
    for (let i = 1; i <= len / 2; i++) {
      const v = r.u16();
      if (v !== 0xffff) m(a, temp(i), signMagnitude(v) / 10);
    }
  },
  0x56: (r, a) => m(a, P.batteryLevel, r.u8() * 10),
  0x57: (r, a) => {
    const driving = r.u16();
    if (driving & 0x100) alarm(a, 'hard_acceleration');
    if (driving & 0x200) alarm(a, 'hard_braking');
    if (driving & 0x400) alarm(a, 'hard_cornering');
    r.skip(2); // external switch state
    if (a.family === 'mv' && r.u32() & 0x10000) alarm(a, 'door');
  },
  0x60: (r, a) => {
    const event = r.u16();
    m(a, P.event, event);
    if (event >= 0x61 && event <= 0x66) {
      r.skip(6); // lock id
      m(a, P.driverId, r.ascii(8));
    }
  },
  // e-lock list: id[6], battery mV, sealed ('1'), physical state, signal
  0x63: (r, a, len) => {
    for (let i = 1; i <= Math.floor(len / 11); i++) {
      m(a, `jt808.lock.${i}.id`, r.bytes(6).toString('hex'));
      m(a, `jt808.lock.${i}.battery`, r.u16() / 1000);
      m(a, `jt808.lock.${i}.sealed`, r.u8() === 0x31);
      r.skip(2);
    }
  },
  0x64: (r, a, len) => activeSafety(r, a, len, 'jt808.adas.alarm'),
  0x65: (r, a, len) => activeSafety(r, a, len, 'jt808.dms.alarm'),
  0x70: (r, a) => {
    r.skip(5); // alarm serial, status
    alarm(a, ({ 1: 'hard_acceleration', 2: 'hard_braking', 3: 'hard_cornering', 0x16: 'accident' } as Record<number, string>)[r.u8()]);
  },
  // tyres: index, sensor id[3], pressure (10 bits, 1/40 bar), temperature +50 °C, status
  0x77: (r, a) => {
    while (r.remaining >= 7) {
      const i = r.u8();
      m(a, `jt808.tire.${i}.sensor`, r.bytes(3).toString('hex'));
      m(a, `jt808.tire.${i}.pressure`, (r.u16() & 0x3ff) / 40);
      m(a, `jt808.tire.${i}.temperature`, r.u8() - 50);
      m(a, `jt808.tire.${i}.status`, r.u8());
    }
  },
  0xd0: (r, a) => {
    if (r.u32() & 0x8) alarm(a, 'vibration');
  },
  0xd4: (r, a, len) => batteryOrCells(r, a, len, false),
  0xe1: (r, a, len) => batteryOrCells(r, a, len, true),
  0xe9: (r, a, len) => batteryOrCells(r, a, len, false),
  0xd5: (r, a, len) => {
    if (len === 2) return m(a, P.battery, r.u16() / 100);
    const count = r.u8();
    for (let i = 1; i <= count; i++) {
      m(a, `jt808.lock.${i}.id`, r.bytes(5).toString('hex'));
      m(a, `jt808.lock.${i}.card`, r.bytes(5).toString('hex'));
      m(a, `jt808.lock.${i}.battery.level`, r.u8());
      m(a, `jt808.lock.${i}.locked`, (r.u16() & 0x20) === 0);
    }
  },
  0xda: (r, a) => {
    r.skip(2); // string cut count
    const s = r.u8();
    m(a, 'jt808.string.status', (s & 1) !== 0);
    m(a, P.motion, (s & 4) !== 0);
    m(a, 'jt808.cover.status', (s & 8) !== 0);
  },
  0xe2: (r, a) => {
    if (a.family !== 'dt800') m(a, P.fuel, r.u32() / 10);
  },
  // reserved, battery level, battery 1/100 V (4–6 bytes; other lengths are vendor text)
  0xe3: (r, a, len) => {
    if (len < 4 || len > 6) return false;
    r.skip(1);
    m(a, P.batteryLevel, r.u8());
    m(a, P.battery, r.u16() / 100);
  },
  0xe4: (r, a) => {
    if (r.u8() === 0) m(a, P.charge, true);
    m(a, P.batteryLevel, r.u8());
  },
  0xe5: (r, a, len) => len === 1 && m(a, P.motion, r.u8() === 1),
  0xe7: (r, a, len) => {
    if (len !== 8) return false;
    const v = r.u16();
    if (v & 1) alarm(a, 'vibration');
    if (v & 0x0e) alarm(a, 'sos');
  },
  0xec: (r, a) => wifiList(r, a),
  0xf4: (r, a) => wifiList(r, a),
  0xee: (r, a, len) => {
    if (len !== 6) return false;
    m(a, P.rssi, r.u8());
    m(a, P.power, r.u16() / 1000);
    m(a, P.battery, r.u16() / 1000);
    m(a, P.sats, r.u8());
  },
  // cells: MCC u16, MNC u16, cell id u32, LAC u32, signal
  0xf0: (r, a) => {
    while (r.remaining >= 13) {
      const [mcc, mnc, cid, lac] = [r.u16(), r.u16(), r.u32(), r.u32()];
      cell(a, mcc, mnc, lac, cid, r.u8());
    }
  },
  0xf5: (r, a, len) => len === 2 && m(a, 'jt808.illuminance', r.u16()),
  0xf7: (r, a, len) => {
    if (len === 2) return m(a, humidity(1), r.u16() / 10);
    m(a, P.battery, r.u32() / 1000);
    if (len >= 5 && [2, 3].includes(r.u8())) m(a, P.charge, true);
    if (len >= 6) m(a, P.batteryLevel, r.u8());
  },
  0xf8: (r, a) => {
    if (a.family === 'aovx') {
      r.skip(9); // working mode, IMEI
      m(a, P.iccid, r.bytes(10).toString('hex'));
    } else if (a.family === 'c5') m(a, 'jt808.steps', r.u16());
    else m(a, temp(2), r.u16() / 10 - 50);
  },
};

/** Active-safety alarm (ADAS 0x64, DMS 0x65): alarm id, status, type, …, alarm identification (last 16 bytes). */
function activeSafety(r: Reader, a: Acc, len: number, name: string): void {
  r.skip(5);
  m(a, name, r.u8());
  if (len >= 47) {
    r.pos = r.end - 16;
    m(a, P.alarmLabel, r.bytes(16).toString('hex'));
  }
}

/** 0xD4/0xE1/0xE9: battery level (FF = charging), or (0xE1) a cell list, external power, or a driver id. */
function batteryOrCells(r: Reader, a: Acc, len: number, e1: boolean): void {
  if (len === 1) {
    const level = r.u8();
    if (level === 0xff) m(a, P.charge, true);
    else m(a, P.batteryLevel, level);
  } else if (e1 && len >= 12 && (len - 4) % 8 === 0) {
    const [mcc, mnc] = [r.u16(), r.u16()];
    while (r.remaining >= 8) {
      const [lac, cid, rssi] = [r.u24(), r.u32(), r.u8()];
      if (lac > 0 && lac <= 0xffff && cid <= 0xfffffff) cell(a, mcc, mnc, lac, cid, rssi);
    }
  } else if (e1 && len === 2) m(a, P.power, r.u16() / 10);
  else m(a, P.driverId, String(r.u32()));
}

function wifiList(r: Reader, a: Acc): void {
  while (r.remaining >= 7) a.wifi.push([mac(r.bytes(6)), r.i8()]);
}

/** Reads one item; a value shorter than its reader expects is kept as hex. */
export function decodeItem(buf: Buffer, id: number, from: number, to: number, a: Acc): void {
  const len = to - from;
  const reader = STANDARD[id] ?? COMMON[id] ?? VENDOR_ITEMS[id];
  try {
    if (reader) {
      if (reader(new Reader(buf, from, to), a, len) === false) a.m[itemName(id)] = buf.toString('hex', from, to);
      return;
    }
    const def = ITEM_TABLE[id];
    if (def && def.kind === 'ascii') a.m[def.name] = cleanText(buf.toString('latin1', from, to));
    else if (def && len > 0 && len <= 6) a.m[def.name] = convertParam(def, buf.readUIntBE(from, len), len);
    else a.m[itemName(id)] = buf.toString('hex', from, to);
  } catch {
    a.m[itemName(id)] = buf.toString('hex', from, to);
  }
}
