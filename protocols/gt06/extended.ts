import { Reader } from '../common/reader.js';
import type { CommandReply, Message } from '../common/types.js';
import { Msg } from './constants.js';
import { type Ctx, cleanText, iccid, isPrintable, readGps, readLbsWithLength, readPacketTime, setAlarm, setPosition, toUnix } from './fields.js';
import { AZ735_ALARMS, EVENT_ALARMS_70, moduleName, OBD_KEYS, P } from './params.js';

/** Text replies (0x15, 0x21), peripheral data (0x9B, 0xF1, 0xF2), modular (0x70), OBD (0x8C), X1 (0x34), AZ735 (0x32/0x33). */

/** Records a device's answer to a command: a command reply and a `command.response` message. */
function reply(c: Ctx, text: string, flag: number): void {
  const r: CommandReply = { response: text, ...(flag !== 0 ? { correlation: String(flag) } : {}) };
  c.replies.push(r);
  c.m[P.response] = text;
  if (text.startsWith('<ICCID:')) c.m[P.iccid] = text.slice(7, 27);
}

/** 0x15: command length (server flag + text), server flag u32, ASCII text, [language u16]. */
export function string15(c: Ctx): void {
  const length = c.r.u8();
  const flag = c.r.u32();
  const size = length >= 4 && length - 4 <= c.r.remaining ? length - 4 : Math.max(0, c.r.remaining - 2);
  reply(c, cleanText(c.r.bytes(size)), flag);
  if (c.r.remaining === 2) c.m[P.language] = c.r.u16();
}

const LOCATION_TEXT =
  /Current position!\s*Lat:([NS])([\d.]+),Lon:([EW])([\d.]+),Course:([\d.]+),Speed:([\d.]+),DateTime:(\d{4})-(\d\d)-(\d\d) +(\d\d):(\d\d):(\d\d)/;

/** 0x21 (7979): server flag u32, encoding (1 ASCII, else UTF-16BE), text; `Current position!...` answers carry a fix. */
export function string21(c: Ctx): void {
  const flag = c.r.u32();
  const ascii = c.r.u8() === 1;
  const raw = c.r.bytes(c.r.remaining);
  const text = cleanText(ascii ? raw : utf16be(raw));
  reply(c, text, flag);
  const m = LOCATION_TEXT.exec(text);
  if (!m) return;
  c.m[P.lat] = Number(m[2]) * (m[1] === 'S' ? -1 : 1);
  c.m[P.lon] = Number(m[4]) * (m[3] === 'W' ? -1 : 1);
  c.m[P.course] = Number(m[5]);
  c.m[P.speed] = Number(m[6]);
  c.m[P.valid] = true;
  const t = toUnix(Number(m[7]), Number(m[8]), Number(m[9]), Number(m[10]), Number(m[11]), Number(m[12]), c.tz);
  if (t !== undefined) c.m[P.time] = t;
}

/** UTF-16BE text as latin1-safe bytes (characters outside latin1 become `?`). */
function utf16be(raw: Buffer): Buffer {
  const even = Buffer.from(raw.subarray(0, raw.length & ~1)).swap16();
  return Buffer.from(even.toString('utf16le').replace(/[\u0100-\uffff]/g, '?'), 'latin1');
}

/** 0x9B: external device type, then pass-through data (text when printable, else hex). */
export function serial9b(c: Ctx): void {
  c.m['gt06.serial.device'] = c.r.u8();
  const data = c.r.bytes(c.r.remaining);
  if (data.length > 0) c.m[P.serialData] = isPrintable(data) ? data.toString('latin1').trim() : data.toString('hex');
}

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

/** 0x8C (7979) FM08ABC OBD: date, ACC, `<id>=<hex>,...` text, then 12 bytes kept as hex. */
export function obd8c(c: Ctx): void {
  readPacketTime(c);
  c.m[P.ignition] = c.r.u8() > 0;
  const text = c.r.ascii(Math.max(0, c.r.remaining - 12));
  for (const pair of text.split(',')) {
    const [id, value] = pair.split('=');
    if (!id || value === undefined || !/^[0-9A-Za-z]+$/.test(id)) continue;
    const name = OBD_KEYS[id.slice(0, 2).toUpperCase()];
    if (name === P.vin) c.m[name] = value;
    else if (name && /^[0-9A-Fa-f]+$/.test(value)) c.m[name] = parseInt(value, 16) / 100;
    else c.m[`gt06.obd.${id.toLowerCase()}`] = value;
  }
  if (c.r.remaining > 0) c.m[P.raw] = c.r.bytes(c.r.remaining).toString('hex');
}

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
