import { bcd, Reader } from '../../common/reader.js';
import type { CommandReply, Message } from '../../common/types.js';
import { Msg, Result } from '../constants.js';
import { cleanText, field, hex4, type Packet } from '../packet.js';
import { P, type ParamType, TERMINAL_PARAMS } from '../params.js';
import { bcdTime, decodeLocation, type LocationContext } from './location.js';

/**
 * Terminal management and answers (JT/T 808-2019 §8.1, §8.3, §8.8, §8.11, §8.15, §8.18, §8.23,
 * §8.31, §8.45, §8.47) and vendor text answers. Each returns the message and, for answers to hub
 * commands, the command reply (correlated by the reply serial the device echoes).
 */
export interface Decodedish {
  readonly messages: Message[];
  readonly replies: CommandReply[];
}

const gbk = new TextDecoder('gbk');
const utf16 = new TextDecoder('utf-16be');
const RESULTS = ['ok', 'failed', 'bad message', 'unsupported', 'alarm confirmed'];

function text(buf: Buffer, from: number, to: number): string {
  return cleanText(gbk.decode(buf.subarray(from, to)));
}

/** §8.8 registration: province, city, manufacturer, model, terminal id, plate colour, plate (2011: model BYTE[8]; 2019: wider fields). */
export function registration(p: Packet): Message {
  const r = new Reader(p.buf, p.bodyStart, p.bodyEnd);
  const v2019 = p.version !== undefined;
  const v2011 = !v2019 && p.bodyEnd - p.bodyStart < 37;
  const m: Message = { 'jt808.province': r.u16(), 'jt808.city': r.u16() };
  m['jt808.manufacturer'] = field(r.bytes(v2019 ? 11 : 5));
  m[P.model] = field(r.bytes(v2019 ? 30 : v2011 ? 8 : 20));
  m['jt808.terminal.id'] = field(r.bytes(v2019 ? 30 : 7));
  m['jt808.plate.color'] = r.u8();
  const plate = text(p.buf, r.pos, r.end);
  if (plate) m['jt808.plate'] = plate;
  return m;
}

/** §8.11 authentication: the code (2011/2013: the whole body); 2019: code length, code, IMEI[15], software version[20]. */
export function authentication(p: Packet): Message {
  const r = new Reader(p.buf, p.bodyStart, p.bodyEnd);
  if (p.version === undefined) return { 'jt808.auth.code': cleanText(r.ascii(r.remaining)) };
  const m: Message = { 'jt808.auth.code': cleanText(r.ascii(r.u8())) };
  m['jt808.imei'] = cleanText(r.ascii(15));
  m[P.firmware] = cleanText(r.ascii(Math.min(20, r.remaining)));
  return m;
}

/** §8.18 terminal attributes: type, manufacturer, model, terminal id, ICCID BCD[10], hardware and firmware versions, GNSS and network flags. */
export function attributes(p: Packet): Message {
  const r = new Reader(p.buf, p.bodyStart, p.bodyEnd);
  const v2019 = p.version !== undefined;
  const m: Message = { 'jt808.terminal.type': r.u16(), 'jt808.manufacturer': field(r.bytes(5)) };
  m[P.model] = field(r.bytes(v2019 ? 30 : 20));
  m['jt808.terminal.id'] = field(r.bytes(v2019 ? 30 : 7));
  m[P.iccid] = bcd(r.bytes(10), 0, 10);
  const hardware = cleanText(r.ascii(r.u8()));
  if (hardware) m[P.hardware] = hardware;
  const firmware = cleanText(r.ascii(r.u8()));
  if (firmware) m[P.firmware] = firmware;
  if (r.remaining >= 2) {
    m['jt808.gnss.flags'] = r.u8();
    m['jt808.network.flags'] = r.u8();
  }
  return m;
}

/** §8.3 heartbeat: empty; Jimi adds battery level, signal, status. */
export function heartbeat(p: Packet): Message[] {
  if (p.bodyEnd - p.bodyStart < 3) return [];
  const b = p.buf;
  return [{ [P.batteryLevel]: b[p.bodyStart], [P.rssi]: b[p.bodyStart + 1], 'jt808.heartbeat.status': b[p.bodyStart + 2] }];
}

/** §8.47 driver identity: state (1 card in, 2 out), time, then (card in) result, name, certificate[20], agency, validity BCD[4]. */
export function driverIdentity(p: Packet, lc: LocationContext): Message {
  const r = new Reader(p.buf, p.bodyStart, p.bodyEnd);
  const m: Message = { 'jt808.driver.card.status': r.u8() };
  const time = bcdTime(p.buf, r.pos, lc.tzMinutes, false);
  if (time !== undefined) m.timestamp = time;
  r.skip(6);
  if (r.remaining === 0) return m;
  m['jt808.driver.card.result'] = r.u8();
  const name = text(p.buf, r.pos + 1, r.pos + 1 + r.buf[r.pos]);
  r.skip(1 + r.buf[r.pos]);
  if (name) m['jt808.driver.name'] = name;
  m['jt808.driver.certificate'] = cleanText(r.ascii(20));
  const agency = text(p.buf, r.pos + 1, r.pos + 1 + r.buf[r.pos]);
  r.skip(1 + r.buf[r.pos]);
  if (agency) m['jt808.driver.agency'] = agency;
  if (r.remaining >= 4) m['jt808.driver.card.validity'] = bcd(r.bytes(4), 0, 4);
  return m;
}

/** §8.1 terminal general response: reply serial, reply id, result → the reply to the hub command sent with that serial. */
export function generalResponse(p: Packet): Decodedish {
  const r = new Reader(p.buf, p.bodyStart, p.bodyEnd);
  const serial = r.u16();
  const type = r.u16();
  const result = r.u8();
  const response = `0x${hex4(type)} ${RESULTS[result] ?? `result ${result}`}`;
  return reply(response, serial, result === Result.Ok);
}

/** §8.15 parameters: reply serial, count, then (id u32, length u8, value) → `0x0001=60;0x0029=30;0x0010=cmnet`. */
export function parameters(p: Packet): Decodedish {
  const r = new Reader(p.buf, p.bodyStart, p.bodyEnd);
  const serial = r.u16();
  r.skip(1);
  const parts: string[] = [];
  while (r.remaining >= 5) {
    const id = r.u32();
    const len = r.u8();
    if (len > r.remaining) break;
    parts.push(`0x${hex4(id)}=${paramValue(TYPES.get(id), r.bytes(len))}`);
  }
  return reply(parts.join(';'), serial);
}

const TYPES = new Map<number, ParamType>(TERMINAL_PARAMS.map(([id, type]) => [id, type]));

function paramValue(type: ParamType | undefined, v: Buffer): string {
  if (type === 'string') return text(v, 0, v.length);
  if (type && v.length >= 1 && v.length <= 4) return String(v.readUIntBE(0, v.length));
  return v.toString('hex');
}

/** §8.23 / §8.31 answers carrying a location: reply serial, then a §8.21 body. */
export function locationAnswer(p: Packet, lc: LocationContext): Decodedish {
  const serial = p.buf.readUInt16BE(p.bodyStart);
  const m = decodeLocation(p.buf, p.bodyStart + 2, p.bodyEnd, lc);
  const answer = reply(p.type === Msg.LocationResponse ? 'location' : 'vehicle control done', serial);
  return { messages: [{ ...m, ...answer.messages[0] }], replies: answer.replies };
}

/** Vendor text answers: 0x6006 (encoding byte + GBK text), 0x1300 (reply serial + UTF-16BE text), §8.45 waybill (length u32 + content). */
export function textAnswer(p: Packet): Decodedish {
  const b = p.buf;
  if (p.type === Msg.TextResponse) return reply(cleanText(utf16.decode(b.subarray(p.bodyStart + 2, p.bodyEnd))), b.readUInt16BE(p.bodyStart));
  if (p.type === Msg.Waybill) {
    const len = Math.min(b.readUInt32BE(p.bodyStart), p.bodyEnd - p.bodyStart - 4);
    return { messages: [{ 'jt808.waybill': text(b, p.bodyStart + 4, p.bodyStart + 4 + len) }], replies: [] };
  }
  return reply(text(b, p.bodyStart + 1, p.bodyEnd));
}

/** Accelerometer samples 0x2070: (time BCD[6], x, y, z as sign-and-magnitude words)… → [[x, y, z], …]. */
export function acceleration(p: Packet): Message {
  const r = new Reader(p.buf, p.bodyStart, p.bodyEnd);
  const samples: number[][] = [];
  const word = () => {
    const v = r.u16();
    return v & 0x8000 ? -(v & 0x7fff) : v;
  };
  while (r.remaining >= 12) {
    r.skip(6);
    samples.push([word(), word(), word()]);
  }
  return { 'jt808.acceleration': samples };
}

function reply(response: string, serial?: number, executed?: boolean): Decodedish {
  const r: CommandReply = {
    response,
    ...(executed === undefined ? {} : { executed }),
    ...(serial === undefined ? {} : { correlation: String(serial) }),
  };
  return { messages: [{ [P.response]: response }], replies: [r] };
}
