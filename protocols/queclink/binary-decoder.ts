import { CodecError, CodecErrorCode } from '../common/errors.js';
import { Reader } from '../common/reader.js';
import type { Decoded, Message } from '../common/types.js';
import { BINARY_HEADS, type BinaryHead, COMPACT_IDENTIFIER, COMPACT_POSITION_ID, EVT_EXTRA_BYTES, InfType, RspType } from './constants.js';

/**
 * Binary ("HEX mode") reports: `+RSP`/`+EVT`/`+INF` (and their buffered `+B…` twins), binary
 * `+ACK`, and the compact `+ 00` frames of newer devices. Layouts: Queclink HEX-mode documents as
 * used by Traccar's Gl200BinaryProtocolDecoder. Every binary frame ends with send time (7 bytes),
 * count number (u16), a check word and `\r\n`, except the compact form.
 */

/** Binary event type → report code, alarm and ignition. */
const EVT_CODES: Readonly<Record<number, { code: string; alarm?: string; ignition?: boolean }>> = {
  6: { code: 'BPL', alarm: 'low_battery' },
  15: { code: 'UPD' },
  17: { code: 'IDF' },
  21: { code: 'GSS' },
  23: { code: 'CRA', alarm: 'accident' },
  26: { code: 'GES' },
  31: { code: 'GPJ', alarm: 'jamming' },
  33: { code: 'JDS', alarm: 'jamming' },
  34: { code: 'UPC' },
  35: { code: 'RMD' },
  45: { code: 'VGN', ignition: true },
  46: { code: 'VGF', ignition: false },
};

/** Mask bit 6: the 8-byte identity field holds the device name instead of the IMEI. */
const NAME_INSTEAD_OF_IMEI = 0x40;
const TRAILER = 13; // send time 7, count 2, check 2, CR LF

export function decodeBinary(frame: Buffer, out: Decoded): void {
  if (frame[1] === COMPACT_IDENTIFIER) {
    decodeCompact(frame, out);
    return;
  }
  const head = frame.toString('latin1', 0, 4) as BinaryHead;
  const r = new Reader(frame, 4, Math.max(4, frame.length - TRAILER));
  const base = trailer(frame, BINARY_HEADS[head]?.buffered === true);
  if (head === '+RSP' || head === '+BSP') out.messages.push(...decodeLocation(r, base));
  else if (head === '+EVT' || head === '+BVT') out.messages.push(decodeEvent(r, base));
  else if (head === '+INF' || head === '+BNF') out.messages.push(decodeInformation(r, base));
  else if (head === '+ACK') decodeAck(frame, base, out);
  else if (head !== '+HBD') out.errors.push(new CodecError(CodecErrorCode.Unsupported, `binary ${head} frames are not decoded`, 0));
}

/** The identity field: IMEI as 7 bytes of two decimal digits plus one last digit, or an ASCII name (mask bit 6). */
export function binaryIdent(id: Buffer, mask: number): string | undefined {
  if (mask & NAME_INSTEAD_OF_IMEI) return undefined;
  let out = '';
  for (let i = 0; i < 7; i++) {
    if (id[i] > 99) return undefined;
    out += String(id[i]).padStart(2, '0');
  }
  return out + String(id[7]);
}

/** Send time, count number and buffered flag from the trailer. */
function trailer(frame: Buffer, buffered: boolean): Message {
  const m: Message = {};
  if (buffered) m['message.buffered.status'] = true;
  if (frame.length >= TRAILER + 4) {
    const t = time(new Reader(frame, frame.length - TRAILER));
    if (t !== undefined) m['queclink.send.timestamp'] = t;
    m['queclink.count'] = frame.readUInt16BE(frame.length - 6);
  }
  return m;
}

function time(r: Reader): number | undefined {
  const [y, mo, d, h, mi, s] = [r.u16(), r.u8(), r.u8(), r.u8(), r.u8(), r.u8()];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return y < 2000 || Number.isNaN(ms) ? undefined : ms / 1000;
}

/** `type, mask u32, length u16, device type, protocol version u16, firmware u16, id 8, battery %, power mV, motion, satellites`. */
function decodeHeader(r: Reader, m: Message): { type: number } {
  const type = r.u8();
  const mask = r.u32();
  r.skip(2 + 1); // length, device type
  m['queclink.protocol.version'] = r.u16().toString(16).padStart(4, '0').toUpperCase();
  m['firmware.version'] = r.u16().toString(16).padStart(4, '0').toUpperCase();
  const id = r.bytes(8);
  if (mask & NAME_INSTEAD_OF_IMEI) m['queclink.device_name'] = id.toString('latin1').replace(/\0+$/, '');
  m['event.enum'] = type;
  m['battery.level'] = r.u8();
  m['external.powersource.voltage'] = r.u16() / 1000;
  return { type };
}

/** One fix: hdop, speed (km/h integer + tenth), course, altitude, lon, lat (×1e-6), UTC time, cell. */
function readFix(r: Reader, m: Message): void {
  const hdop = r.u8();
  m['position.valid'] = hdop > 0;
  if (hdop > 0) m['position.hdop'] = hdop;
  m['position.speed'] = r.u16() + r.u8() / 10;
  m['position.direction'] = r.u16();
  m['position.altitude'] = r.i16();
  m['position.longitude'] = r.i32() / 1e6;
  m['position.latitude'] = r.i32() / 1e6;
  const t = time(r);
  if (t !== undefined) m.timestamp = t;
  const cell = r.bytes(8).toString('hex');
  Object.assign(m, {
    'gsm.mcc': Number(cell.slice(0, 4)),
    'gsm.mnc': Number(cell.slice(4, 8)),
    'gsm.lac': parseInt(cell.slice(8, 12), 16),
    'gsm.cellid': parseInt(cell.slice(12, 16), 16),
  });
  if (Number.isNaN(m['gsm.mcc']) || Number.isNaN(m['gsm.mnc'])) for (const k of ['gsm.mcc', 'gsm.mnc', 'gsm.lac', 'gsm.cellid']) delete m[k];
  r.skip(1); // reserved
}

/** +RSP: location reports (one message per fix; type 100 is a compressed track). */
function decodeLocation(r: Reader, base: Message): Message[] {
  const head: Message = { ...base };
  const { type } = decodeHeader(r, head);
  if (type === RspType.Geo) r.skip(2);
  head['queclink.motion_state'] = r.u8().toString(16).padStart(2, '0').toUpperCase();
  head['position.satellites'] = r.u8();
  if (type !== RspType.Compressed) r.skip(1); // report index
  if (type === RspType.Lcb) head['queclink.phone'] = readPhone(r);
  if (type === RspType.Compressed) return decodeCompressed(r, head);
  const count = r.u8();
  const messages: Message[] = [];
  for (let i = 0; i < count; i++) {
    const m: Message = { ...head };
    readFix(r, m);
    messages.push(m);
  }
  return messages.length > 0 ? messages : [withSendTime(head)];
}

/** Phone number: a length byte, then BCD digits up to an F nibble. */
function readPhone(r: Reader): string {
  r.skip(1);
  let digits = '';
  for (;;) {
    const b = r.u8();
    for (const nibble of [b >> 4, b & 0x0f]) {
      if (nibble === 0x0f) return digits;
      digits += nibble.toString(16);
    }
  }
}

/** Compressed track: full points (`01` prefix) and deltas (`10` prefix) of speed, heading and position. */
function decodeCompressed(r: Reader, head: Message): Message[] {
  const count = r.u16();
  const messages: Message[] = [];
  let [speed, heading, lat, lon, t] = [0, 0, 0, 0, 0];
  for (let i = 0; i < count; i++) {
    if (t > 0) t += 1;
    const kind = r.buf[r.pos] >> 6;
    if (kind === 1) {
      const bits = r.u24();
      speed = (bits >> 9) & 0xfff;
      heading = bits & 0x1ff;
      lon = r.i32();
      lat = r.i32();
      if (t === 0) t = r.u32();
    } else if (kind === 2) {
      const hi = r.u8();
      const lo = r.u32();
      const bits = (hi & 0x1f) * 2 ** 32 + lo; // 37 bits after the 2-bit attribute and fix type
      speed += signed(Math.floor(bits / 2 ** 30) & 0x7f, 7);
      heading += signed(Math.floor(bits / 2 ** 23) & 0x7f, 7);
      lon += signed(Math.floor(bits / 2 ** 11) & 0xfff, 12);
      lat += signed(bits % 2 ** 11, 11);
    } else {
      r.skip(1); // invalid or unchanged point
      continue;
    }
    messages.push({
      ...head,
      timestamp: t,
      'position.valid': true,
      'position.speed': speed / 10,
      'position.direction': heading,
      'position.longitude': lon / 1e6,
      'position.latitude': lat / 1e6,
    });
  }
  return messages;
}

function signed(value: number, bits: number): number {
  return value >= 2 ** (bits - 1) ? value - 2 ** bits : value;
}

/** +EVT: one event with its type-specific block and one fix. */
function decodeEvent(r: Reader, base: Message): Message {
  const m: Message = { ...base };
  const { type } = decodeHeader(r, m);
  m['queclink.motion_state'] = r.u8().toString(16).padStart(2, '0').toUpperCase();
  m['position.satellites'] = r.u8();
  const evt = EVT_CODES[type];
  if (evt) m['report.type'] = `GT${evt.code}`;
  if (evt?.alarm) Object.assign(m, { 'alarm.event.trigger': true, 'alarm.type': evt.alarm });
  if (evt?.ignition !== undefined) m['engine.ignition.status'] = evt.ignition;
  const extra = EVT_EXTRA_BYTES[type] ?? 0;
  if (extra > 0) m['queclink.event_data'] = r.bytes(extra).toString('hex');
  r.skip(1); // count
  readFix(r, m);
  return m;
}

/** +INF: device information (`type, mask u16, length u16, id 8, device type, protocol, firmware`, then per type). */
function decodeInformation(r: Reader, base: Message): Message {
  const m: Message = { ...base, 'report.type': 'GTINF' };
  const type = r.u8();
  const mask = r.u16();
  r.skip(2); // length
  const id = r.bytes(8);
  if (mask & NAME_INSTEAD_OF_IMEI) m['queclink.device_name'] = id.toString('latin1').replace(/\0+$/, '');
  r.skip(1); // device type
  m['queclink.protocol.version'] = r.u16().toString(16).padStart(4, '0').toUpperCase();
  m['firmware.version'] = r.u16().toString(16).padStart(4, '0').toUpperCase();
  m['event.enum'] = type;
  if (type === InfType.Ver) m['hardware.version'] = r.u16().toString(16).padStart(4, '0').toUpperCase();
  return withSendTime(m);
}

/** Binary +ACK: `type, mask, length, device type, protocol, firmware, id 8, …, serial u16` before the trailer. */
function decodeAck(frame: Buffer, base: Message, out: Decoded): void {
  const type = frame[4];
  const serial = frame.length >= TRAILER + 2 ? frame.toString('hex', frame.length - TRAILER - 2, frame.length - TRAILER).toUpperCase() : undefined;
  const response = `ACK type 0x${type.toString(16).padStart(2, '0')}`;
  const timestamp = base['queclink.send.timestamp'];
  out.commandReplies.push({
    response,
    hex: frame.toString('hex'),
    executed: true,
    ...(serial ? { correlation: serial } : {}),
    ...(typeof timestamp === 'number' ? { timestamp } : {}),
  });
  out.messages.push(withSendTime({ ...base, 'command.response': response }));
}

function withSendTime(m: Message): Message {
  const t = m['queclink.send.timestamp'];
  if (m.timestamp === undefined && typeof t === 'number') {
    m.timestamp = t;
    delete m['queclink.send.timestamp'];
  }
  return m;
}

/**
 * Compact frame: `+`, `00`, length u16, flags (bit 7: u16 frame number follows), IMEI (8 bytes,
 * hex digits after the first), device type u16, protocol version u16, custom version, reserved
 * block, then records up to the last 4 bytes (count, check byte, `$`). A record: length, generated
 * time u32, record count u16, record id, event code, then items `<id><length><data>` (both
 * lengths one byte, or two with bit 7 set). Item 0x52 is a position; others are kept as `io.<id>`.
 */
function decodeCompact(frame: Buffer, out: Decoded): void {
  const r = new Reader(frame, 4);
  if (r.u8() & 0x80) r.skip(2);
  r.skip(8 + 2);
  const version = r.u16().toString(16).padStart(4, '0').toUpperCase();
  r.skip(1);
  r.skip(r.u8());
  const recordsEnd = frame.length - 4;
  while (r.pos < recordsEnd) {
    const start = r.pos;
    const recordEnd = start + varLength(r);
    const m: Message = {
      'queclink.protocol.version': version,
      timestamp: r.u32(),
      'queclink.record_count': r.u16(),
      'queclink.record_id': r.u8(),
      'event.enum': r.u8(),
    };
    const rec = new Reader(frame, r.pos, Math.min(recordEnd, recordsEnd));
    while (rec.remaining > 0) {
      const id = varLength(rec);
      const item = rec.bytes(varLength(rec));
      if (id === COMPACT_POSITION_ID) compactPosition(new Reader(item), m);
      else m[`io.${id}`] = item.toString('hex');
    }
    out.messages.push(m);
    r.pos = Math.max(recordEnd, start + 1);
  }
}

function varLength(r: Reader): number {
  const first = r.u8();
  return first & 0x80 ? ((first & 0x7f) << 8) | r.u8() : first;
}

/** Position item: status (bits 2–3 = 10: valid fix), lon, lat, time, speed ×0.1, hdop ×0.1, course, altitude ×0.1 (u24), satellites. */
function compactPosition(r: Reader, m: Message): void {
  m['position.valid'] = ((r.u8() >> 2) & 0x03) === 0b10;
  m['position.longitude'] = r.i32() / 1e6;
  m['position.latitude'] = r.i32() / 1e6;
  m.timestamp = r.u32();
  m['position.speed'] = r.u16() / 10;
  m['position.hdop'] = r.u8() / 10;
  m['position.direction'] = r.u16();
  m['position.altitude'] = r.u24() / 10;
  const sats = r.u8();
  if (sats <= 64) m['position.satellites'] = sats;
  else m['queclink.satellites_raw'] = sats;
}
