import { describe, expect, it } from 'vitest';
import { identify } from '../../../bin/commands/identify.js';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import type { CodecOptions, CommandRequest, Message, SessionState } from '../../../protocols/common/types.js';
import { authentication, batch, generalResponse, heartbeat, location, registration, simJt808Fix, terminalOf } from '../../../protocols/jt808/device.js';
import { parseSettings } from '../../../protocols/jt808/device-types.js';
import { encodeCommand } from '../../../protocols/jt808/encoder.js';
import { frame } from '../../../protocols/jt808/framer.js';
import { jt808 } from '../../../protocols/jt808/index.js';
import { escapeFrame, terminalIdent, unescapeFrame } from '../../../protocols/jt808/packet.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { type AttributeMap, loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';
import { hexFixture } from '../../helpers/hex.js';

const hex = hexFixture;
const STRICT: CodecOptions = { crc: 'strict', maxFrameSize: 65536 };
const LENIENT: CodecOptions = { crc: 'lenient', maxFrameSize: 65536 };
const session = (ident?: string, vars: SessionState['vars'] = {}): SessionState => ({ transport: 'tcp', vars, ...(ident ? { ident } : {}) });
const decodeOne = (f: Buffer, settings: Record<string, string | number> = {}) =>
  jt808.decode(f, { transport: 'tcp', vars: {}, options: { ...STRICT, settings }, receivedAt: 1_768_435_200 });
/** GMT+8 wall-clock time of a frame → Unix seconds. */
const gmt8 = (y: number, mo: number, d: number, h: number, mi: number, s: number) => Date.UTC(y, mo - 1, d, h - 8, mi, s) / 1000;

/**
 * Independent frame builder for expected bytes (JT/T 808-2019 §4.4): header, body, XOR check over
 * id .. body, then 7E → 7D 02 and 7D → 7D 01, between 7E flags. The codec's encoder is not used.
 */
function build(type: number, terminal: string, serial: number, body: Buffer | string, version?: number): Buffer {
  const b = typeof body === 'string' ? hex(body) : body;
  const head = Buffer.alloc(5);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(b.length | (version === undefined ? 0 : 0x4000), 2);
  const content = Buffer.concat([
    head.subarray(0, 4),
    version === undefined ? Buffer.alloc(0) : Buffer.from([version]),
    hex(terminal),
    Buffer.from([serial >> 8, serial & 0xff]),
    b,
  ]);
  let check = 0;
  for (const x of content) check ^= x;
  const raw = [...content, check];
  const out: number[] = [0x7e];
  for (const x of raw) out.push(...(x === 0x7e ? [0x7d, 0x02] : x === 0x7d ? [0x7d, 0x01] : [x]));
  out.push(0x7e);
  return Buffer.from(out);
}

// Frames: Traccar's Jt808ProtocolDecoderTest vectors (Apache-2.0; the number is their place in
// ../shared/conformance/traccar/jt808.json), and frames built here from the standard's tables.

/** #84: §8.8 registration, 2013 layout (manufacturer[5], model[20], terminal id[7]). */
const REGISTER = hex(`
  7e
  0100 002d                  // id 0x0100, attributes: body length 45
  013511221122               // terminal number BCD[6] → 13511221122
  0005                       // serial
  0000 0000                  // province, city
  3730313037                 // manufacturer "70107"
  48422d52303347424400000000000000000000 00 // model "HB-R03GBD" (20 bytes, NUL padded)
  32333636313034             // terminal id "2366104"
  02                         // plate colour
  cbd5424136383630           // plate "苏BA6860" (GBK)
  38                         // check: XOR of 0100 .. plate
  7e
`);

/** #86: §8.11 authentication with the code the registration answer gave (2013: the whole body). */
const AUTH = hex(`
  7e 0102 000e 013511221122 0006
  61757468656e7469636174696f6e // "authentication"
  3f 7e
`);

/** #3 (the notes' ack example): §8.21 location report with standard and Jimi items. */
const LOCATION = hex(`
  7e 0200 0048 051160004464 000d
  00000000                   // alarm flags: none
  000c0002                   // status: fixed (bit 1), GPS (18) and BeiDou (19) in use
  0159885e                   // latitude  22.644830 (1e-6 degree)
  06cbf344                   // longitude 114.029380
  0000 0000 0000             // altitude 0 m, speed 0, course 0
  200807180722               // time BCD 2020-08-07 18:07:22 GMT+8
  01 04 00000001             // item 0x01 mileage: 0.1 km
  30 01 1c                   // item 0x30 signal strength 28
  31 01 09                   // item 0x31 satellites 9
  e4 02 0063                 // Jimi 0xE4: charging (0), battery 99 %
  e5 01 00                   // Jimi 0xE5: not moving
  e6 01 00                   // 0xE6 of one byte: no known layout, kept as hex
  e7 08 0000000000000000     // 0xE7: no alarm bits
  ee 0a 01cc01262c009a674300 // 0xEE of 10 bytes: no known layout, kept as hex
  1e 7e
`);

/** #82: §8.21 south of the equator (status bit 2), standard items only. */
const LOCATION_SOUTH = hex(`
  7e 0200 002c 001601285614 0003
  00000000 00040007          // alarms none; status: ACC (0), fixed (1), south (2), GPS (18)
  005de13c 065c6cdb          // 6.152508 S, 106.720475 E
  0016 0000 0000             // altitude 22 m
  170117100542               // 2017-01-17 10:05:42 GMT+8
  01 04 0000a900             // mileage 4326.4 km
  2a 02 0000                 // IO status
  30 01 1b 31 01 04          // signal 27, satellites 4
  e4 7e
`);

/** #92: §8.3 heartbeat, empty body. */
const HEARTBEAT = hex('7e 0002 0000 043048325465 00b7 ca 7e');

/** #70: Jointech 0x5501 e-lock location (one-byte serial, JT600-style body). */
const LOCK = hex(`
  7e 5501 0028 700160818000 01
  270610080453               // BCD DDMMYYhhmmss: 2010-06-27 08:04:53 UTC
  22332880                   // latitude 22°33.2880'
  113555602 e                // longitude 113°55.5602', flags: not fixed, north, east
  05 00                      // speed 5 knots, course 0
  31 01 00000006 08          // signal 49, 1 satellite, odometer 6 km, battery 8 %
  00001093 1435              // cell 4243, LAC 5173
  01 0002 0003               // product 1 (padlock), status, alarms: bit 0 low power
  00 03 010005               // item 0x00 (unknown)
  1b 7e
`);

/** #22: §8.61 uplink pass-through, type 0x41: `$OBD-RT` text. */
const TRANSPARENT_OBD = hex(`
  7e 0900 004a 018178393931 0079
  41                         // pass-through type 0x41
  244f42442d52542c31322e332c302c32302c302e30302c302e30302c302c31302e38392c33312e31352c3138312e36382c3138312c35342e32362c3536352e39362c302c302c300d0a
  e9 7e
`);

/** #4: §8.8 registration of the 2019 edition: version flag (bit 14), protocol version 1, BCD[10] terminal number. */
const REGISTER_2019 = hex(`
  7e 0100 405c               // attributes: version flag + body length 92
  01                         // protocol version 1
  00000866496077582164       // terminal number BCD[10] → 866496077582164
  5218
  0000 0000                  // province, city
  0000000000000000000000     // manufacturer[11]
  4d4433303000000000000000000000000000000000000000000000000000 // model[30] "MD300"
  383636343936303737353832313634000000000000000000000000000000 // terminal id[30] "866496077582164"
  04                         // plate colour
  00000000000000000000000000000000 // plate (empty)
  7a 7e
`);

/** #100: Jimi §8.18 terminal attributes: type, manufacturer, model "C5L", terminal id, ICCID BCD[10], versions. */
const ATTRIBUTES = hex(`
  7e 0107 0049 045460005635 0003
  0000 5843000000            // terminal type, manufacturer "XC"
  43354c0000000000000000000000000000000000 // model "C5L"
  39383837313235             // terminal id "9887125"
  89883030000131882455       // ICCID
  00                         // hardware version: none
  19 43354c5f56322e3620323032362f30362f30342031353a3331 // firmware "C5L_V2.6 2026/06/04 15:31"
  03 01                      // GNSS (GPS + BeiDou), network
  f4 7e
`);

/** #7: §8.47 driver identity: card inserted, time, result, name (empty), certificate, agency (empty), validity. */
const DRIVER = hex(`
  7e 0702 0022 018270611514 01bc
  01 251009150751 00         // card inserted 2025-10-09 15:07:51 GMT+8, read ok
  00                         // name length 0
  3030323962383835000000000000000000000000 // certificate "0029b885"
  00 00000000                // agency length 0, validity
  2b 7e
`);

/** #67: Jointech text answer. */
const LOCK_TEXT = Buffer.from('(740190311185,1,001,ELOCK,3,529439)');

/** A §8.48 batch built from the table: two backfilled locations. */
const BATCH = build(
  0x0704,
  '013912345678',
  0x21,
  hex(`
    0002 01                  // count 2, type 1: blind-area backfill
    001c 00000000 00000003 0340dd14 01808e8c 0078 0190 005a 260115183000 // 54.582548 N, 25.202316 E, 120 m, 40 km/h, 90°
    001c 00000001 00000002 0340dd14 01808e8c 0078 0000 005a 260115183100 // SOS, not ACC
  `),
);

/** A §8.1 terminal general response to a 0x8103 sent with serial 0x1092 (result 0). */
const GENERAL_RESPONSE = build(0x0001, '013912345678', 0x22, '1092 8103 00');

/** A §8.15 parameter answer to serial 0x0007: heartbeat 60 s, APN "cmnet", report interval 30 s, an unknown id. */
const PARAMS = build(0x0104, '013912345678', 0x23, '0007 04 00000001 04 0000003c 00000010 05 636d6e6574 00000029 04 0000001e 0000f030 02 0102');

/** A §8.23 location answer to serial 0x0009. */
const LOCATION_ANSWER = build(0x0201, '013912345678', 0x24, '0009 00000000 00000003 0340dd14 01808e8c 0078 0190 005a 260115183000 3101 07');

/** Accelerometer samples 0x2070: two (time, x, y, z) with sign-and-magnitude words. */
const ACCELERATION = build(0x2070, '012152300153', 0x47, '210927151009 000e 002d 80ac 210927151010 000e 802d 0000');

/** The notes' `7e55…`-style answer: a one-byte serial variant of build() for 0x4401. */
function buildShort(type: number, terminal: string, serial: number, body: string): Buffer {
  const full = build(type, terminal, serial, body);
  const raw = unescapeFrame(full, 1, full.length - 1);
  const short = Buffer.concat([raw.subarray(0, 10), raw.subarray(11, raw.length - 1)]);
  let check = 0;
  for (const x of short) check ^= x;
  return escapeFrame(Buffer.concat([Buffer.from([0x7e]), short, Buffer.from([check, 0x7e])]));
}

/** The same frame with other attributes (check code recomputed). */
function withAttr(f: Buffer, attr: number): Buffer {
  const raw = Buffer.from(unescapeFrame(f, 1, f.length - 1));
  raw.writeUInt16BE(attr, 2);
  let check = 0;
  for (const x of raw.subarray(0, raw.length - 1)) check ^= x;
  raw[raw.length - 1] = check;
  return escapeFrame(Buffer.concat([Buffer.from([0x7e]), raw, Buffer.from([0x7e])]));
}

describe('protocols/jt808', () => {
  describe('packet (§4.4)', () => {
    it('escapes 7E and 7D between the flags and unescapes them back', () => {
      const framed = hex('7e 30 7e 08 7d 55 7e');
      expect(escapeFrame(framed).toString('hex')).toBe('7e307d02087d01557e');
      expect(unescapeFrame(hex('7e307d02087d01557e'), 1, 8).toString('hex')).toBe('307e087d55');
    });
    it('names a terminal by its BCD digits without leading zeros, or an IMEI sent as u16 + u32 with its Luhn digit', () => {
      expect(terminalIdent(hex('013511221122'))).toBe('13511221122');
      expect(terminalIdent(hex('00000866496077582164'))).toBe('866496077582164');
      expect(terminalIdent(hex('000000000000'))).toBe('0');
      expect(terminalIdent(hex('0b3a73ce2ff2'))).toBe('123456789012347'); // 12345678901234 and its Luhn digit 7
      expect(terminalIdent(hex('2c944ab787a7'))).toBe('490154203237518'); // a valid IMEI
    });
  });

  describe('inspect', () => {
    it('answers a §8.8 registration with 0x8100: reply serial, result 0, auth code; keeps the model', () => {
      const r = jt808.inspect(REGISTER, session(), STRICT);
      expect(r).toMatchObject({ ident: '13511221122', store: true, vars: { terminal: '013511221122', version: -1, model: 'HB-R03GBD' } });
      expect(r.reply?.toString('hex')).toBe(build(0x8100, '013511221122', 0, Buffer.concat([hex('0005 00'), Buffer.from('013511221122')])).toString('hex'));
    });
    it('acks a §8.11 authentication with a §8.2 general response (reply serial, reply id, result 0) and does not store it', () => {
      const r = jt808.inspect(AUTH, session(), STRICT);
      expect(r).toMatchObject({ ident: '13511221122', store: false });
      expect(r.reply?.toString('hex')).toBe(build(0x8001, '013511221122', 0, '0006 0102 00').toString('hex'));
    });
    it('stores a §8.21 location and acks it byte for byte as the notes show (serial 000D → 7e8001…df7e)', () => {
      const r = jt808.inspect(LOCATION, session(), STRICT);
      expect(r).toMatchObject({ ident: '51160004464', store: true });
      expect(r.reply?.toString('hex')).toBe('7e800100050511600044640000000d020000df7e');
    });
    it('acks an empty §8.3 heartbeat without storing it', () => {
      const r = jt808.inspect(HEARTBEAT, session(), STRICT);
      expect(r).toMatchObject({ ident: '43048325465', store: false });
      expect(r.reply?.toString('hex')).toBe(build(0x8001, '043048325465', 0, '00b7 0002 00').toString('hex'));
    });
    it('answers the 2019 edition in its own header: version flag, version byte, BCD[10]', () => {
      const r = jt808.inspect(REGISTER_2019, session(), STRICT);
      expect(r).toMatchObject({ ident: '866496077582164', store: true, vars: { terminal: '00000866496077582164', version: 1, model: 'MD300' } });
      const body = Buffer.concat([hex('5218 00'), Buffer.from('00000866496077582164')]);
      expect(r.reply?.toString('hex')).toBe(build(0x8100, '00000866496077582164', 0, body, 1).toString('hex'));
    });
    it('identifies and acks a location sent before any registration or authentication (every header names the terminal)', () => {
      const c = new ConnectionCodec(jt808, STRICT);
      const out = c.decode(LOCATION_SOUTH);
      expect(out.errors).toEqual([]);
      expect(out.messages[0].ident).toBe('1601285614');
      expect(out.replies.map((x) => x.toString('hex'))).toEqual([build(0x8001, '001601285614', 0, '0003 0200 00').toString('hex')]);
    });
    it('answers a Jointech 0x5502 that asks for it (attribute bit 15) with 0x4401: id and result, one-byte serial', () => {
      const f = hex(
        '7e55028c37850011000200c008052106305122348621113550170700001e080000000aaa0000000000000300000000100100020200140a030000000c06003bffa8ffc3c77e',
      );
      const r = jt808.inspect(f, session(), STRICT);
      expect(r).toMatchObject({ ident: '850011000200', store: true });
      expect(r.reply?.toString('hex')).toBe(buildShort(0x4401, '850011000200', 1, '5502 00').toString('hex'));
      expect(jt808.inspect(LOCK, session(), STRICT)).toMatchObject({ ident: '700160818000', store: true });
      expect(jt808.inspect(LOCK, session(), STRICT).reply).toBeUndefined();
    });
    it('answers a message it does not know with result 3 (unsupported) and does not store it', () => {
      const r = jt808.inspect(build(0x0f01, '013912345678', 0x30, '01'), session(), STRICT);
      expect(r.store).toBe(false);
      expect(r.error?.code).toBe('unsupported');
      expect(r.reply?.toString('hex')).toBe(build(0x8001, '013912345678', 0, '0030 0f01 03').toString('hex'));
    });
    it('acks each packet of a split message (attribute bit 13) but does not store it', () => {
      const body = Buffer.concat([hex('0002 0001'), LOCATION.subarray(13, 13 + 28)]);
      const f = withAttr(build(0x0200, '013912345678', 0x31, body), 0x2000 | 28); // split flag; the length leaves out the packet fields
      const r = jt808.inspect(f, session(), STRICT);
      expect(r).toMatchObject({ store: false, error: { code: 'unsupported' } });
      expect(r.reply?.toString('hex')).toBe(build(0x8001, '013912345678', 0, '0031 0200 00').toString('hex'));
    });
    it('neither stores nor acks a frame with a wrong check code (strict)', () => {
      const bad = Buffer.from(LOCATION);
      bad[bad.length - 2] ^= 0xff;
      const r = jt808.inspect(bad, session(), STRICT);
      expect(r).toMatchObject({ store: false, error: { code: 'checksum' } });
      expect(r.reply).toBeUndefined();
    });
    it('stores and acks a wrong check code under the lenient policy, marking the message', () => {
      const bad = Buffer.from(LOCATION);
      bad[bad.length - 2] ^= 0xff;
      const out = new ConnectionCodec(jt808, LENIENT).decode(bad);
      expect(out.replies.map((x) => x.toString('hex'))).toEqual(['7e800100050511600044640000000d020000df7e']);
      expect(out.messages[0]['crc.valid']).toBe(false);
    });
    it('refuses a Jointech text frame before any frame named the terminal, stores it after, leaves a time request unanswered', () => {
      expect(jt808.inspect(Buffer.from('(x,1,001,ELOCK)'), session(), STRICT)).toMatchObject({ store: false, error: { code: 'unidentified' } });
      expect(jt808.inspect(LOCK_TEXT, session(), STRICT)).toEqual({ store: true, ident: '740190311185' });
      expect(jt808.inspect(Buffer.from('(794104004140,1,001,BASE,2,TIME)'), session(), STRICT)).toEqual({ store: false, ident: '794104004140' });
    });
    it('reads an escaped UDP datagram (7E inside the serial) and escapes its ack', () => {
      const datagram = build(0x0200, '013912345678', 0x7e7d, LOCATION.subarray(13, LOCATION.length - 2));
      expect(datagram.includes(hex('7d027d01'))).toBe(true);
      const out = new ConnectionCodec(jt808, STRICT, 'udp').decode(datagram);
      expect(out.errors).toEqual([]);
      expect(out.messages[0]).toMatchObject({ ident: '13912345678', 'position.latitude': 22.64483 });
      expect(out.replies.map((x) => x.toString('hex'))).toEqual([build(0x8001, '013912345678', 0, '7e7d 0200 00').toString('hex')]);
    });
  });

  describe('decode', () => {
    it('decodes a §8.21 location: basic information, standard items, Jimi items, unknown items as hex', () => {
      const out = decodeOne(LOCATION);
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          timestamp: gmt8(2020, 8, 7, 18, 7, 22),
          'jt808.alarm.flags': 0,
          'jt808.status': 0x000c0002,
          'engine.ignition.status': false,
          'engine.blocked.status': false,
          'position.valid': true,
          'position.latitude': 22.64483,
          'position.longitude': 114.02938,
          'position.altitude': 0,
          'position.speed': 0,
          'position.direction': 0,
          'vehicle.mileage': 0.1,
          'gsm.signal.level': 28,
          'position.satellites': 9,
          'battery.charging.status': true,
          'battery.level': 99,
          'movement.status': false,
          'jt808.item.e6': '00',
          'jt808.item.ee': '01cc01262c009a674300',
        },
      ]);
    });
    it('reads the hemispheres from status bits 2 and 3 and the IO status item 0x2A', () => {
      const [m] = decodeOne(LOCATION_SOUTH).messages;
      expect(m).toEqual({
        timestamp: gmt8(2017, 1, 17, 10, 5, 42),
        'jt808.alarm.flags': 0,
        'jt808.status': 0x00040007,
        'engine.ignition.status': true,
        'engine.blocked.status': false,
        'position.valid': true,
        'position.latitude': -6.152508,
        'position.longitude': 106.720475,
        'position.altitude': 22,
        'position.speed': 0,
        'position.direction': 0,
        'vehicle.mileage': 4326.4,
        'jt808.io.status': 0,
        'gsm.signal.level': 27,
        'position.satellites': 4,
      });
      expect(sanityProblems(m)).toEqual([]);
    });
    it('turns §8.21 alarm flag bits into alarm.type, in bit order', () => {
      const body = Buffer.from(LOCATION.subarray(13, 13 + 28));
      body.writeUInt32BE(0x80000181, 0); // SOS (0), main power low (7) and off (8), illegal door opening (31)
      const [m] = decodeOne(build(0x0200, '013912345678', 1, body)).messages;
      expect(m).toMatchObject({ 'alarm.event.trigger': true, 'alarm.type': 'sos,low_power,power_cut,door', 'jt808.alarm.flags': 0x80000181 });
    });
    it('decodes a §8.48 batch: every location, marked buffered when the type is backfill', () => {
      const out = decodeOne(BATCH);
      expect(out.errors).toEqual([]);
      expect(out.messages.map((m) => [m.timestamp, m['position.latitude'], m['position.speed'], m['message.buffered.status'], m['alarm.type']])).toEqual([
        [gmt8(2026, 1, 15, 18, 30, 0), 54.582548, 40, true, undefined],
        [gmt8(2026, 1, 15, 18, 31, 0), 54.582548, 0, true, 'sos'],
      ]);
      expect(jt808.inspect(BATCH, session(), STRICT).reply?.toString('hex')).toBe(build(0x8001, '013912345678', 0, '0021 0704 00').toString('hex'));
    });
    it('decodes a §8.8 registration (2013 layout) with its GBK plate', () => {
      expect(decodeOne(REGISTER).messages).toEqual([
        {
          'jt808.province': 0,
          'jt808.city': 0,
          'jt808.manufacturer': '70107',
          'device.model': 'HB-R03GBD',
          'jt808.terminal.id': '2366104',
          'jt808.plate.color': 2,
          'jt808.plate': '苏BA6860',
        },
      ]);
    });
    it('decodes a 2019 registration (manufacturer[11], model[30], terminal id[30])', () => {
      expect(decodeOne(REGISTER_2019).messages[0]).toEqual({
        'jt808.province': 0,
        'jt808.city': 0,
        'jt808.manufacturer': '',
        'device.model': 'MD300',
        'jt808.terminal.id': '866496077582164',
        'jt808.plate.color': 4,
      });
    });
    it('decodes the authentication code, §8.18 attributes and the §8.47 driver card', () => {
      expect(decodeOne(AUTH).messages).toEqual([{ 'jt808.auth.code': 'authentication' }]);
      expect(decodeOne(ATTRIBUTES).messages).toEqual([
        {
          'jt808.terminal.type': 0,
          'jt808.manufacturer': 'XC',
          'device.model': 'C5L',
          'jt808.terminal.id': '9887125',
          'gsm.sim.iccid': '89883030000131882455',
          'firmware.version': 'C5L_V2.6 2026/06/04 15:31',
          'jt808.gnss.flags': 3,
          'jt808.network.flags': 1,
        },
      ]);
      expect(decodeOne(DRIVER).messages).toEqual([
        {
          'jt808.driver.card.status': 1,
          timestamp: gmt8(2025, 10, 9, 15, 7, 51),
          'jt808.driver.card.result': 0,
          'jt808.driver.certificate': '0029b885',
          'jt808.driver.card.validity': '00000000',
        },
      ]);
    });
    it('turns a §8.1 general response into the reply of the command sent with that serial', () => {
      const out = decodeOne(GENERAL_RESPONSE);
      expect(out.commandReplies).toEqual([{ response: '0x8103 ok', executed: true, correlation: String(0x1092) }]);
      expect(out.messages).toEqual([{ 'command.response': '0x8103 ok' }]);
      const failed = decodeOne(build(0x0001, '013912345678', 0x22, '0005 8105 03'));
      expect(failed.commandReplies).toEqual([{ response: '0x8105 unsupported', executed: false, correlation: '5' }]);
    });
    it('lists a §8.15 parameter answer as id=value text, and reads settings out of it', () => {
      const out = decodeOne(PARAMS);
      const response = '0x0001=60;0x0010=cmnet;0x0029=30;0xf030=0102';
      expect(out.commandReplies).toEqual([{ response, correlation: '7' }]);
      expect(parseSettings(response)).toEqual({ values: { heartbeat_interval: 60, apn: 'cmnet', report_interval: 30 } });
    });
    it('decodes a §8.23 location answer as a position with the reply of the locate command', () => {
      const out = decodeOne(LOCATION_ANSWER);
      expect(out.commandReplies).toEqual([{ response: 'location', correlation: '9' }]);
      expect(out.messages[0]).toMatchObject({ 'position.latitude': 54.582548, 'position.satellites': 7, 'command.response': 'location' });
    });
    it('decodes a Jointech 0x5501: BCD day-first time (UTC), ddmm.mmmm coordinates, knots, battery, cell, alarms', () => {
      expect(decodeOne(LOCK).messages).toEqual([
        {
          timestamp: Date.UTC(2010, 5, 27, 8, 4, 53) / 1000,
          'position.valid': false,
          'position.latitude': 22.5548,
          'position.longitude': 113.9260033,
          'position.speed': 9.26,
          'position.direction': 0,
          'gsm.signal.level': 49,
          'position.satellites': 1,
          'vehicle.mileage': 6,
          'battery.level': 8,
          'gsm.cellid': 4243,
          'gsm.lac': 5173,
          'jt808.lock.state': 2,
          'alarm.event.trigger': true,
          'alarm.type': 'low_power',
        },
      ]);
      const text = decodeOne(LOCK_TEXT);
      expect(text.commandReplies).toEqual([{ response: LOCK_TEXT.toString() }]);
    });
    it('decodes §8.61 pass-through `$OBD-RT` text into OBD values', () => {
      expect(decodeOne(TRANSPARENT_OBD).messages).toEqual([
        {
          'external.powersource.voltage': 12.3,
          'obd.engine.rpm': 0,
          'obd.vehicle.speed': 20,
          'obd.throttle': 0,
          'obd.engine.load': 0,
          'obd.engine.coolant.temperature': 0,
          'fuel.consumption': 31.15,
          'trip.mileage': 181.68,
          'obd.mileage': 181,
          'jt808.trip.fuel.used': 54.26,
          'vehicle.fuel.used': 565.96,
        },
      ]);
    });
    it('decodes accelerometer samples (0x2070) as [x, y, z] lists', () => {
      expect(decodeOne(ACCELERATION).messages).toEqual([
        {
          'jt808.acceleration': [
            [14, 45, -172],
            [14, -45, 0],
          ],
        },
      ]);
    });
    it('reads standard and vendor items from their tables: area alarm, analog inputs, temperatures, e-locks', () => {
      const items = hex(`
        12 06 01 0000002a 01   // §8.21 0x12: circle area 42, leaving
        2b 04 01f4 04b0        // 0x2B: AD1 5.00, AD0 12.00 (1/100 V)
        51 02 80fa             // temperature sensor 1: -25.0 °C
        63 0b 0a0b0c0d0e0f 1004 31 00 00 // e-lock 1: id, 4.1 V, sealed
        fc 01 07               // geofence 7
      `);
      const body = Buffer.concat([LOCATION.subarray(13, 13 + 28), items]);
      const [m] = decodeOne(build(0x0200, '013912345678', 1, body)).messages;
      expect(m).toMatchObject({
        'jt808.area.type': 1,
        'jt808.area.id': 42,
        'jt808.area.direction': 1,
        'ain.1': 12,
        'ain.2': 5,
        'sensor.temperature.1': -25,
        'jt808.lock.1.id': '0a0b0c0d0e0f',
        'jt808.lock.1.battery': 4.1,
        'jt808.lock.1.sealed': true,
        'jt808.geofence.id': 7,
      });
    });
    it('reads a model family from settings.modelOverride or from the registered model (AOVX: alarm bit 16 is movement)', () => {
      const body = Buffer.from(LOCATION.subarray(13, 13 + 28));
      body.writeUInt32BE(0x10000, 0);
      const moving = build(0x0200, '013912345678', 2, body);
      expect(decodeOne(moving).messages[0]['alarm.type']).toBe('tamper');
      expect(decodeOne(moving, { modelOverride: 'GL100' }).messages[0]['alarm.type']).toBe('movement');
      const c = new ConnectionCodec(jt808, STRICT);
      c.decode(registration(terminalOf('13912345678'), 1, 'GL100'));
      expect(c.state.vars.model).toBe('GL100');
      expect(c.decode(moving).messages[0]['alarm.type']).toBe('movement');
    });
    it('reads device time as GMT+8 unless settings.tz says otherwise', () => {
      expect(decodeOne(LOCATION, { tz: 0 }).messages[0].timestamp).toBe(Date.UTC(2020, 7, 7, 18, 7, 22) / 1000);
    });
    it('returns a typed error for a truncated body, never an exception', () => {
      const out = decodeOne(build(0x0200, '013912345678', 1, LOCATION.subarray(13, 30)));
      expect(out.errors.map((e) => e.code)).toEqual(['truncated']);
      expect(decodeOne(hex('7e 0200 0000 0139')).errors.map((e) => e.code)).toEqual(['truncated']);
    });
    it('keeps every decoded message sane', () => {
      for (const f of [LOCATION, LOCATION_SOUTH, BATCH, LOCK, LOCATION_ANSWER, DRIVER]) {
        for (const m of decodeOne(f).messages) expect(sanityProblems(m as Message, 1_800_000_000)).toEqual([]);
      }
    });
  });

  describe('encoder', () => {
    const DEVICE = session('13912345678', { terminal: '013912345678', version: -1 });
    const cmd = (name: string, properties: Record<string, unknown> = {}, id?: number) =>
      encodeCommand({ name, properties, ...(id === undefined ? {} : { id }) }, DEVICE) as Buffer;
    const expected = (type: number, body: string | Buffer, serial = 0) => build(type, '013912345678', serial, body).toString('hex');
    it('encodes the named commands in their §8 messages, the hub command id as serial', () => {
      const cases: [string, Record<string, unknown>, number, string | Buffer][] = [
        ['locate', {}, 0x8201, ''], // §8.22
        ['tracking', { interval: 10, duration: 600 }, 0x8202, '000a 00000258'], // §8.24
        ['interval', { seconds: 30 }, 0x8103, '01 00000029 04 0000001e'], // §8.12
        ['interval', { value: 45 }, 0x8103, '01 00000029 04 0000002d'],
        ['heartbeat_interval', { seconds: 60 }, 0x8103, '01 00000001 04 0000003c'],
        [
          'set_parameters',
          { params: { '0x0010': 'cmnet', '0x0084': 1, '0x0029': 20 } },
          0x8103,
          '03 00000010 05 636d6e6574 00000084 01 01 00000029 04 00000014',
        ],
        ['get_parameters', {}, 0x8104, ''], // §8.13
        ['get_parameters', { ids: ['0x0029', 1] }, 0x8106, '02 00000029 00000001'], // §8.14
        ['engine_stop', {}, 0x8105, 'f0'], // §8.16 vendor command words
        ['engine_resume', {}, 0x8105, 'f1'],
        ['reboot', {}, 0x8105, '04'],
        ['factory_reset', {}, 0x8105, '05'],
        ['terminal_control', { command: 0x64 }, 0x8105, '64'],
        ['terminal_control', { command: 2, params: '0;cmnet' }, 0x8105, Buffer.concat([hex('02'), Buffer.from('0;cmnet')])],
        ['attributes', {}, 0x8107, ''], // §8.17
        ['custom', { text: 'STATUS#' }, 0x8300, Buffer.concat([hex('01'), Buffer.from('STATUS#')])], // §8.27
        ['custom', { text: 'Hi', flag: 0x0c }, 0x8300, '0c 4869'],
        ['passthrough', { text: 'TEST' }, 0x8900, 'f0 54455354'], // §8.60
        ['passthrough', { hex: '0102', type: 0x41 }, 0x8900, '41 0102'],
      ];
      for (const [name, props, type, body] of cases) expect(cmd(name, props).toString('hex'), name).toBe(expected(type, body));
      expect(cmd('locate', {}, 0x10092).toString('hex')).toBe(expected(0x8201, '', 0x0092));
    });
    it('correlates a command with the serial it went out with (the device echoes it in §8.1)', () => {
      expect(jt808.correlate?.({ name: 'reboot', properties: {}, id: 0x10092 })).toBe(String(0x0092));
      expect(jt808.correlate?.({ name: 'reboot', properties: {} })).toBeUndefined();
    });
    it('addresses the terminal as it last wrote: 2019 header and BCD[10], or an IMEI ident as u16 + u32', () => {
      const v2019 = encodeCommand({ name: 'locate', properties: {} }, session('866496077582164', { terminal: '00000866496077582164', version: 1 })) as Buffer;
      expect(v2019.toString('hex')).toBe(build(0x8201, '00000866496077582164', 0, '', 1).toString('hex'));
      const imei = encodeCommand({ name: 'engine_stop', properties: {} }, session('123456789012345')) as Buffer;
      expect(imei.toString('hex')).toBe('7e810500010b3a73ce2ff20000f0247e');
      expect(encodeCommand({ name: 'locate', properties: {} }, session())).toMatchObject({ code: 'command' });
    });
    it('sends custom hex as it is (a whole frame)', () => {
      expect(cmd('custom', { hex: '7e8201000001391234567800004b7e' }).toString('hex')).toBe('7e8201000001391234567800004b7e');
    });
    it('names the bad property of a command it cannot encode', () => {
      const bad = (name: string, properties: Record<string, unknown> = {}) => encodeCommand({ name, properties }, DEVICE);
      expect(bad('custom')).toMatchObject({ code: 'command', reason: expect.stringContaining('text') });
      expect(bad('custom', { hex: 'zz' })).toMatchObject({ code: 'command', reason: expect.stringContaining('hex') });
      expect(bad('interval', { seconds: -1 })).toMatchObject({ code: 'command', reason: expect.stringContaining('0x0029') });
      expect(bad('set_parameters', { params: { abc: 1 } })).toMatchObject({ code: 'command', reason: expect.stringContaining('abc') });
      expect(bad('set_parameters', { params: { '0x0010': 5 } })).toMatchObject({ code: 'command', reason: expect.stringContaining('text') });
      expect(bad('get_parameters', { ids: [] })).toMatchObject({ code: 'command', reason: expect.stringContaining('ids') });
      expect(bad('tracking', { interval: 5 })).toMatchObject({ code: 'command', reason: expect.stringContaining('duration') });
      expect(bad('terminal_control', { command: 0 })).toMatchObject({ code: 'command', reason: expect.stringContaining('command') });
      expect(bad('custom', { text: 'x'.repeat(1100) })).toMatchObject({ code: 'command', reason: expect.stringContaining('1023') });
      expect(bad('nope')).toMatchObject({ code: 'command', reason: expect.stringContaining('nope') });
    });
  });

  describe('device types', () => {
    const [type] = jt808.deviceTypes;
    it('describes the generic jt808 type; settings read and write with existing commands; examples encode', () => {
      expect(type).toMatchObject({ id: 10, name: 'jt808' });
      const names = new Set(type.commands.map((c) => c.name));
      for (const s of type.settings) expect(names.has(s.read) && names.has(s.write), s.name).toBe(true);
      expect(type.settings.map((s) => s.name)).toEqual([
        'heartbeat_interval',
        'apn',
        'server_address',
        'server_port',
        'sleep_report_interval',
        'report_interval',
        'report_distance',
        'overspeed_limit',
      ]);
      for (const c of type.commands)
        for (const example of c.examples) {
          expect(c.validate?.(example), c.name).toBeUndefined();
          expect(encodeCommand({ name: c.name, properties: example }, session('13912345678')), c.name).toBeInstanceOf(Buffer);
        }
    });
    it('writes a setting with set_parameters and reads its confirmation or refusal from the §8.1 answer', () => {
      const s = type.settings.find((x) => x.name === 'report_interval');
      expect(s?.readProperties).toEqual({ ids: ['0x0029'] });
      expect(s?.writeProperties?.(30)).toEqual({ params: { '0x0029': 30 } });
      expect(parseSettings('0x8103 ok', ['report_interval'])).toEqual({ values: {}, confirmed: ['report_interval'] });
      expect(parseSettings('0x8103 failed', ['report_interval'])).toEqual({ values: {}, refused: { report_interval: '0x8103 failed' } });
      expect(parseSettings('location')).toBeUndefined();
    });
  });

  describe('framer', () => {
    const FIXTURES = [REGISTER, AUTH, LOCATION, LOCATION_SOUTH, HEARTBEAT, LOCK, TRANSPARENT_OBD, REGISTER_2019, ATTRIBUTES, DRIVER, BATCH, LOCK_TEXT];
    it('keeps the framer contract for every fixture', () => {
      for (const f of FIXTURES) assertFramerContract(jt808, f);
    });
    it('gives the same messages and acks however the stream is chunked', () => {
      assertChunkingInvariant(jt808, Buffer.concat([REGISTER, AUTH, LOCATION, HEARTBEAT, LOCK_TEXT, BATCH, LOCK, REGISTER_2019]));
    });
    it('unescapes 7D 02 / 7D 01 and skips bytes before a flag (Jt808FrameDecoderTest)', () => {
      expect(frame(hex('7e307d02087d01557e'), session(), STRICT)).toMatchObject({ type: 'frame', consumed: 9 });
      const r = frame(hex('2424 7e307d02087d01557e'), session(), STRICT);
      expect(r).toMatchObject({ type: 'error', consumed: 2, error: { code: 'malformed' } });
    });
    it('takes two adjacent flags as the end of one frame and the start of the next', () => {
      const out = new ConnectionCodec(jt808, STRICT).decode(Buffer.concat([hex('7e'), HEARTBEAT]));
      expect(out.errors).toEqual(['malformed at byte 0: two 7E flags with nothing between them']);
      expect(out.replies).toHaveLength(1);
    });
    it('refuses a frame without its closing flag within the channel limit, and resynchronises', () => {
      const options = { crc: 'strict' as const, maxFrameSize: 64 };
      const r = frame(Buffer.concat([hex('7e'), Buffer.alloc(70, 1), LOCATION]), session(), options);
      expect(r).toMatchObject({ type: 'error', consumed: 71, error: { code: 'oversize' } });
      const unterminated = frame(Buffer.concat([hex('7e'), Buffer.alloc(70, 1)]), session(), options);
      expect(unterminated).toMatchObject({ type: 'error', consumed: 71, error: { code: 'oversize' } });
      expect(frame(LOCATION.subarray(0, 40), session(), options)).toEqual({ type: 'more' });
    });
    it('takes a UDP datagram whole', () => {
      expect(frame(LOCATION, { transport: 'udp', vars: {} }, STRICT)).toEqual({ type: 'frame', frame: LOCATION, consumed: LOCATION.length });
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input (fast-check)', () => {
      const seeds = [REGISTER, AUTH, LOCATION, HEARTBEAT, LOCK, TRANSPARENT_OBD, REGISTER_2019, ATTRIBUTES, DRIVER, BATCH, PARAMS, ACCELERATION, LOCK_TEXT];
      expect(fuzzCodec(jt808, seeds, 2000, 'tcp', AUTH)).toBe(2000);
      expect(fuzzCodec(jt808, seeds, 500, 'udp')).toBe(500);
    });
  });

  describe('device side', () => {
    it('builds what a terminal sends: authentication, location with items, batch, general response', () => {
      const to = terminalOf('13912345678');
      expect(authentication(to, 1, '013912345678').toString('hex')).toBe(build(0x0102, '013912345678', 1, Buffer.from('013912345678')).toString('hex'));
      const fix = simJt808Fix(0, 1, Date.UTC(2026, 0, 15, 10, 30, 0));
      const body = '00000000 00000003 03412140 0180858a 0078 0190 0007 260115183000 0104 00002711 30 01 19 31 01 09'; // 54.6 N, 25.20001 E, 120 m, 40 km/h, 7°, 1000.1 km
      expect(location(to, 2, fix).toString('hex')).toBe(build(0x0200, '013912345678', 2, body).toString('hex'));
      expect(batch(to, 3, [fix], false).toString('hex')).toBe(build(0x0704, '013912345678', 3, `0001 00 0028 ${body}`).toString('hex'));
      expect(generalResponse(to, 4, 0x1092, 0x8103).toString('hex')).toBe(build(0x0001, '013912345678', 4, '1092 8103 00').toString('hex'));
      expect(heartbeat(terminalOf('43048325465'), 0xb7).toString('hex')).toBe(HEARTBEAT.toString('hex'));
      const reg = registration(to, 5, 'GL100', 'B12345');
      const regBody = Buffer.concat([
        hex('002c 012c'),
        Buffer.from('HUB01'),
        Buffer.from('GL100'.padEnd(20, '\0')),
        Buffer.from('0000001'),
        hex('01'),
        Buffer.from('B12345'),
      ]);
      expect(reg.toString('hex')).toBe(build(0x0100, '013912345678', 5, regBody).toString('hex'));
    });
  });

  const corpus = loadCorpus('jt808.json');
  /** Traccar alarm names for ours (Traccar's Position.ALARM_* values). */
  const TRACCAR_ALARMS: Record<string, string> = {
    tamper: 'tampering',
    hard_braking: 'hardBraking',
    hard_acceleration: 'hardAcceleration',
    hard_cornering: 'hardCornering',
  };
  const traccarAlarm = (v: unknown) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((a) => TRACCAR_ALARMS[a] ?? a.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase()))
          .join(',')
      : v;
  /** Every Traccar attribute the corpus asserts, in our names. */
  const ATTRIBUTES_MAP: AttributeMap = {
    sat: { name: 'position.satellites' },
    power: { name: 'external.powersource.voltage' },
    battery: { name: 'battery.voltage' },
    batteryLevel: { name: 'battery.level' },
    charge: { name: 'battery.charging.status' },
    motion: { name: 'movement.status' },
    door: { name: 'door.status' },
    alarm: { name: 'alarm.type', convert: traccarAlarm },
    iccid: { name: 'gsm.sim.iccid' },
    rpm: { name: 'obd.engine.rpm' },
    fuelUsed: { name: 'vehicle.fuel.used' },
    dtcs: { name: 'obd.dtc.codes' },
    fuel1: { name: 'fuel.level.1' },
    temp1: { name: 'sensor.temperature.1' },
    temp3: { name: 'sensor.temperature.3' },
    deviceTemp: { name: 'device.temperature' },
    driverUniqueId: { name: 'ibutton.code' },
    driver: { name: 'jt808.driver.name' },
    cardCode: { name: 'jt808.driver.certificate' },
    timezone: { name: 'jt808.timezone' },
    tire1Pressure: { name: 'jt808.tire.1.pressure' },
    lock2Battery: { name: 'jt808.lock.2.battery' },
    alarmLabel: { name: 'jt808.alarm.label' },
    steps: { name: 'jt808.steps' },
    tag1Mac: { name: 'jt808.tag.1.mac' },
    result: { name: 'command.response' },
  };
  const TRACCAR_COMMANDS: Record<string, (data: unknown, model?: string) => CommandRequest> = {
    engineStop: () => ({ name: 'engine_stop', properties: {} }),
    // custom data: a hex frame as it is; BSJ units take it as a §8.27 text; Jimi JC units as 0x8900 pass-through
    custom: (data, model) =>
      model === 'BSJ'
        ? { name: 'custom', properties: { text: String(data) } }
        : model?.startsWith('JC')
          ? { name: 'passthrough', properties: { text: String(data) } }
          : { name: 'custom', properties: { hex: String(data) } },
  };
  describe.runIf(corpus)('conformance corpus', () => {
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(jt808, corpus!, ATTRIBUTES_MAP);
      const rate = reportPassRate('jt808', results);
      expect(rate).toBeGreaterThanOrEqual(0.95);
    });
    it('cuts the corpus framer vectors (after skipping what precedes a flag)', () => {
      for (const e of corpus!.filter((x) => x.kind === 'frameDecoder')) {
        let buf = Buffer.from(e.frame, 'hex');
        let r = jt808.frame(buf, session(), STRICT);
        while (r.type === 'error' && r.consumed > 0) {
          buf = buf.subarray(r.consumed);
          r = jt808.frame(buf, session(), STRICT);
        }
        expect(r.type === 'frame' && r.frame.toString('hex')).toBe(e.expect.frames![0]);
      }
    });
    it('encodes the corpus commands byte for byte (terminal 123456789012345 → IMEI id 0b3a73ce2ff2)', () => {
      const vectors = corpus!.filter((x) => x.kind === 'encode');
      expect(vectors.length).toBe(4);
      for (const e of vectors) {
        const model = /setModelOverride\("([^"]+)"\)/.exec((e.setup ?? []).join())?.[1];
        const request = TRACCAR_COMMANDS[e.expect.command!.type](e.expect.command!.attributes?.data, model);
        const bytes = encodeCommand(request, session('123456789012345'));
        expect(Buffer.isBuffer(bytes) && bytes.toString('hex'), e.test).toBe(e.frame);
      }
    });
    it('is what `hub identify` names first, with high confidence, for a real corpus frame', () => {
      const [first] = identify(LOCATION);
      expect(first).toMatchObject({ protocol: 'jt808', confidence: 'high' });
      for (const e of corpus!.filter((x) => x.kind === 'decode' && x.frame.startsWith('7e0200')).slice(0, 10)) {
        expect(identify(Buffer.from(e.frame, 'hex'))[0]?.protocol, `#${e.seq}`).toBe('jt808');
      }
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});
