import { ain, EVENT_ALARMS_95, INFO_04_KEYS, P } from '../params.js';
import { type Ctx, iccid, readGps, readStatusByte, readTime, setAlarm, setAlarmCode, setBatteryLevel, setDriver, setTime } from './fields.js';
import { readModules } from './modular.js';

/** Status / heartbeat packets (0x13, 0x23, 0x36), information (0x94) and JC100/JC400 alarms (0x95). */

/**
 * 0x13 heartbeat: terminal info, voltage level, GSM level, alarm, language. Models differ:
 * R11 sends power u16 instead of the voltage level; LW* sends power (12 bits, ×0.1 V) instead of
 * the alarm; SEEWORLD sends power in volts in the alarm byte. OBD6 (length 0x13) and the 16-byte
 * form carry more.
 */
export function heartbeat(c: Ctx): void {
  const n = c.r.remaining;
  if (c.variant === 'obd6') {
    obd6(c);
    return;
  }
  if (n === 16) {
    status16(c);
    return;
  }
  readStatusByte(c);
  if (c.model === 'R11') c.m[P.power] = c.r.u16() / 100;
  else setBatteryLevel(c.m, c.r.u8());
  if (c.r.remaining === 0) return;
  c.m[P.gsm] = c.r.u8();
  if (c.family === 'lw' && c.r.remaining >= 2) c.m[P.power] = (c.r.u16() & 0x0fff) / 10;
  else if (c.family === 'sw' && c.r.remaining >= 1) c.m[P.power] = c.r.u8();
  else if (c.r.remaining >= 1) setAlarmCode(c, c.r.u8());
  if (c.r.remaining >= 1) c.m[P.language] = c.r.u8();
}

/** OBD6: status, satellites/GSM u16, alarm, language, battery %, mode, power, reserved, working time, [temperature]. */
function obd6(c: Ctx): void {
  readStatusByte(c);
  const signal = c.r.u16();
  c.m[P.sats] = ((signal >> 10) & 0x1f) + ((signal >> 5) & 0x1f);
  c.m[P.gsm] = signal & 0x1f;
  setAlarmCode(c, c.r.u8());
  c.m[P.language] = c.r.u8();
  c.m[P.batteryLevel] = c.r.u8();
  const mode = c.r.u8();
  c.m[P.power] = c.r.u16() / 100;
  c.r.skip(1); // reserved
  c.m[P.drivingTime] = c.r.u16();
  if (c.r.remaining >= 2) {
    const t = c.r.i16();
    if (mode === 4) c.m[P.temperature] = t / 10;
  }
}

/** 16-byte status: info, satellites, alarm, language, battery %, mode, voltage, reserved, work counters, temperature. */
function status16(c: Ctx): void {
  c.r.skip(1 + 2); // information content, satellite info
  setAlarmCode(c, c.r.u8());
  c.m[P.language] = c.r.u8();
  c.m[P.batteryLevel] = c.r.u8();
  c.r.skip(1); // working mode
  c.m['gt06.working.voltage'] = c.r.u16() / 100;
  c.r.skip(1 + 2); // reserved, working times
  c.m[P.drivingTime] = c.r.u16();
  const t = c.r.u16();
  c.m[P.temperature] = ((t & 0x8000 ? 1 : -1) * (t & 0x7fff)) / 10;
}

/** GK310 heartbeat 0x23: armed, ACC, charging bits; battery u16 (×0.01 V); GSM. */
export function heartbeat23(c: Ctx): void {
  const s = c.r.u8();
  c.m[P.status] = s;
  c.m[P.armed] = (s & 0x01) !== 0;
  c.m[P.ignition] = (s & 0x02) !== 0;
  c.m[P.charging] = (s & 0x04) !== 0;
  if (c.r.remaining >= 2) c.m[P.battery] = c.r.u16() / 100;
  if (c.r.remaining >= 1) c.m[P.gsm] = c.r.u8();
}

/** Jimi IoT 4G heartbeat 0x36: status block, language, then modules. */
export function status36(c: Ctx): void {
  readStatusByte(c);
  setBatteryLevel(c.m, c.r.u8());
  c.m[P.gsm] = c.r.u8();
  setAlarmCode(c, c.r.u8());
  c.m[P.language] = c.r.u8();
  readModules(c);
}

/** 0x94 information. Short frame: external voltage i16 ×0.01. Long frame: by sub-type. */
export function info(c: Ctx): void {
  if (!c.p.long) {
    c.m[P.power] = c.r.i16() / 100;
    return;
  }
  const sub = c.r.u8();
  const read = INFO_SUBTYPES[sub];
  if (read) read(c);
  else c.m[`gt06.info.${sub.toString(16).padStart(2, '0')}`] = c.r.bytes(c.r.remaining).toString('hex');
}

const INFO_SUBTYPES: Readonly<Record<number, (c: Ctx) => void>> = {
  0x00: (c) => (c.m[ain(1)] = c.r.u16() / 100),
  0x04: (c) => keyValues(c, c.r.ascii(c.r.remaining)),
  0x05: (c) => {
    if (c.r.remaining >= 7) setTime(c, readTime(c), c.r.pos - 6);
    const flags = c.r.u8();
    c.m[P.door] = (flags & 0x01) !== 0;
    c.m['din.1'] = (flags & 0x04) !== 0;
  },
  0x0a: (c) => {
    c.r.skip(8 + 8); // IMEI, IMSI
    c.m[P.iccid] = iccid(c.r.bytes(10));
  },
  0x0b: (c) => {
    if (c.r.remaining === 1) c.m[P.network] = c.r.u8() > 0 ? '4G' : '2G';
    else if (c.r.remaining === 2) c.m[P.power] = c.r.u16() / 100;
  },
  0x0d: fuelSensor,
  0x1b: (c) => {
    const first = c.r.buf[c.r.pos];
    if ((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a)) {
      c.m[P.serialData] = c.r.ascii(c.r.remaining).trim();
    } else {
      c.r.skip(2); // header, type
      setDriver(c.m, c.r.bytes(4));
    }
  },
  0x1e: (c) => {
    c.m[P.temperature] = c.r.i32() / 10;
    c.m[P.humidity] = c.r.i32() / 10;
  },
};

/** `ALM1=C5;ALM2=CC;STA1=C0;DYD=01;SOS=...;` status dump. */
function keyValues(c: Ctx, text: string): void {
  for (const pair of text.replace(/\0+$/, '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1);
    const name = INFO_04_KEYS[key];
    if (name && /^[0-9A-Fa-f]+$/.test(value)) c.m[name] = parseInt(value, 16);
    else if (key === 'ICCID') c.m[P.iccid] = value.replace(/[^0-9]+$/, '');
    else if (/^[A-Za-z0-9_]+$/.test(key)) c.m[`gt06.config.${key.toLowerCase()}`] = value;
  }
}

/** `[time]!AIOIL,<addr>,<output>,<temperature>,<version>,<wave+status>,<measured>,<moving>,<times>,<cs>` fuel sensor. */
function fuelSensor(c: Ctx): void {
  if (c.r.buf[c.r.pos] !== 0x21) c.r.skip(6);
  const text = c.r.ascii(c.r.remaining);
  const m = /^!AIOIL,\d+,[\d.]+,([\d.]+),[^,]+,\d{4},([\d.]+),[01],\d+,[0-9A-Fa-f]{2}/.exec(text);
  if (!m) {
    c.m['gt06.fuel.sensor'] = text;
    return;
  }
  c.m[P.temperature] = Number(m[1]);
  c.m[P.fuel] = Number(m[2]);
}

/**
 * 0x95 alarm (JC100/JC400): short form = date + event; long form = GPS (JC400: marker, version,
 * satellites, course before speed u16, then power u16 ×0.1 V) + event, event data u16, file names.
 */
export function alarm95(c: Ctx): void {
  const extended = c.r.remaining > 7;
  if (extended) {
    const jc400 = c.variant === 'jc400';
    if (jc400) c.r.skip(3); // marker, version
    readGps(c, jc400 ? { sats: true, speed: 'u16', flagsFirst: true } : { sats: false, speed: 'none' });
    if (jc400) c.m[P.power] = c.r.u16() / 10;
  } else {
    const at = c.r.pos;
    setTime(c, readTime(c), at);
  }
  const event = c.r.u8();
  c.m[P.event] = event;
  const type = event === 0x01 ? (extended ? 'sos' : 'general') : EVENT_ALARMS_95[event];
  if (type) setAlarm(c.m, type);
  if (c.r.remaining >= 2) c.m[P.eventData] = c.r.u16();
  if (c.r.remaining > 0) c.m[P.eventFiles] = c.r.ascii(c.r.remaining).replace(/\0+/g, '').trim();
}
