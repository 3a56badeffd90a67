import { CodecError, CodecErrorCode } from '../../common/errors.js';
import { Reader } from '../../common/reader.js';
import type { Decoded, Message } from '../../common/types.js';
import { BINARY_HEADS, type BinaryHead, EVT_EXTRA_BYTES, InfType, NAME_INSTEAD_OF_IMEI, RspType } from '../constants.js';
import { EVT_CODES } from '../params.js';

/**
 * Binary ("HEX mode") reports: `+RSP`/`+EVT`/`+INF` (and their buffered `+B…` twins) and binary
 * `+ACK`. Layouts: Queclink HEX-mode documents as
 * used by Traccar's Gl200BinaryProtocolDecoder. Every binary frame ends with send time (7 bytes),
 * count number (u16), a check word and `\r\n` (the compact form is in compact.ts).
 */

const TRAILER = 13; // send time 7, count 2, check 2, CR LF

export function decodeBinary(frame: Buffer, out: Decoded): void {
  const head = frame.toString('latin1', 0, 4) as BinaryHead;
  const r = new Reader(frame, 4, Math.max(4, frame.length - TRAILER));
  const base = trailer(frame, BINARY_HEADS[head]?.buffered === true);
  if (head === '+RSP' || head === '+BSP') out.messages.push(...decodeLocation(r, base));
  else if (head === '+EVT' || head === '+BVT') out.messages.push(decodeEvent(r, base));
  else if (head === '+INF' || head === '+BNF') out.messages.push(decodeInformation(r, base));
  else if (head === '+ACK') decodeAck(frame, base, out);
  else if (head !== '+HBD') out.errors.push(new CodecError(CodecErrorCode.Unsupported, `binary ${head} frames are not decoded`, 0));
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
