import { describe, expect, it } from 'vitest';
import { identify } from '../../../bin/commands/identify.js';
import { alarm, gps, heartbeat, login, statBytes } from '../../../protocols/castel/device.js';
import { correlate, encodeCommand } from '../../../protocols/castel/encoder.js';
import { castel } from '../../../protocols/castel/index.js';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import type { CodecOptions, DecodeContext, Message, SessionState } from '../../../protocols/common/types.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { type AttributeMap, entryBytes, loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';
import { hexFixture } from '../../helpers/hex.js';

const hex = hexFixture;
const STRICT: CodecOptions = { crc: 'strict', maxFrameSize: 65536 };
const LENIENT: CodecOptions = { crc: 'lenient', maxFrameSize: 65536 };
const RX = Date.UTC(2026, 0, 15, 12, 0, 0) / 1000;
const tcp = (ident?: string): SessionState => ({ transport: 'tcp', vars: {}, ...(ident ? { ident } : {}) });
const ctx: DecodeContext = { transport: 'tcp', receivedAt: RX, options: STRICT };
const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number) => Date.UTC(y, mo - 1, d, h, mi, s) / 1000;

/** Independent CRC-16/X-25 (bitwise: poly 0x1021 reflected = 0x8408, init and xorout 0xFFFF), so acks are not checked against the encoder. */
function x25(bytes: Buffer): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return (crc ^ 0xffff) & 0xffff;
}
/** `@@` len version id type content CRC 0D0A, built byte by byte for expected answers. */
function expectedFrame(version: number, ident: string, type: number, content = ''): Buffer {
  const id = Buffer.alloc(20);
  id.write(ident, 'latin1');
  const body = Buffer.from(content.replace(/\s/g, ''), 'hex');
  const len = 31 + body.length;
  const head = Buffer.concat([Buffer.from([0x40, 0x40, len & 0xff, len >> 8, version]), id, Buffer.from([type >> 8, type & 0xff]), body]);
  const crc = x25(head);
  return Buffer.concat([head, Buffer.from([crc & 0xff, crc >> 8, 0x0d, 0x0a])]);
}

// Frames: Sinocastel CB212-C1005 §1.1 (package), §1.1.2.6 VSTATE, §1.1.2.7 STAT_DATA, §1.1.2.9
// GSENSOR_DATA, §1.1.2.10 ALARM_DATA, §4.3 TLVs; the castel notes in ../shared/protocols/README.md;
// Traccar's CastelProtocolDecoderTest frames (Apache-2.0), named by their corpus seq; frames built
// here (id CASTEL000000001) reuse the stat block of #42 and the fix of #51.

/** §1.1 SC login 0x1001 with one fix, corpus #39. */
const LOGIN = hex(`
  4040 7f00 04                                  // @@, length 127 (LE), version 4 (SC)
  3130303131313235323939383700000000000000      // device id "1001112529987", NUL padded to 20
  1001                                          // type (BE): login
  c1f06952 fdf06952                             // §1.1.2.7: last ACC on 2013-10-25 04:17:05, UTC 04:18:05
  9c911100 00000000 69830000 0c00               // mileage 1151388 m, trip 0 m, fuel 336.41 L, trip fuel 0.12 L
  00000000 036401014c000300                     // §1.1.2.6 VSTATE 0, 8 reserved bytes
  01                                            // fix count
  190a0d 04121a 1480d604 88c57218 0000 0000 af  // 25-10-13 04:18:26, 22.54621 N, 113.93746 E, 0 cm/s, 0.0°, flags: 10 sats, fixed, N, E
  4944445f3231364730325f532056312e322e3100      // software version "IDD_216G02_S V1.2.1"
  4944445f3231364730325f482056312e322e3100      // hardware version "IDD_216G02_H V1.2.1"
  0000                                          // supported parameter tags: none
  df64 0d0a                                     // CRC-16/X-25 (LE), stop
`);

/** SC heartbeat 0x1003 (empty), corpus #48. */
const HEARTBEAT = hex(`
  4040 1f00 04 3130303131313235323939383700000000000000 1003  // @@, 31 bytes, v4, id, heartbeat
  0332 0d0a                                                   // CRC, stop
`);

/** SC GPS 0x4001, corpus #51: history flag, stat, one fix, one RPM sample. */
const GPS = hex(`
  4040 5900 04 3335343034333035303834343134330000000000 4001   // id "354043050844143"
  00                                            // history: live
  f61a7355 c11b7355 71000000 0b000000 00000000 0000 00000400 000000240e020002 // stat: 113 m, 11 m, VSTATE bit 18 (ignition)
  01 06060f 100b2d 5a78a707 6ec0fb1d 0000 8c06 5f // 2015-06-06 16:11:45, 35.671065 N, 139.732795 E, 0 km/h, 167.6°, 5 sats
  01 0000                                       // RPM samples: one, 0 rpm
  ac22 0d0a
`);

/** §1.1.2.10 SC alarm 0x4007, corpus #3: power on, ignition on. */
const ALARM = hex(`
  4040 6600 04 3231334744533230323130303030353200000000 4007   // id "213GDS2021000052"
  01000000                                      // alarm index 1 (echoed in 0xC007)
  cee93667 d0e93667 00000000 00000000 00000000 0000 00020400 003e00400000001c // stat 2024-11-15 06:27:28
  01 0f0b18 061b13 4c96d604 106e7218 0000 0000 03 // 2024-11-15 06:27:19, 22.54779 N, 113.93124 E, not fixed
  02                                            // alarm count
  01 09 0000 0000                               // new, 0x09 power on, value 0, threshold 0
  01 16 0200 0000                               // new, 0x16 ignition on, value 2, threshold 0
  f39a 0d0a
`);

/** SC PID data 0x4002, corpus #22: five data streams in one group. */
const PID_DATA = hex(`
  4040 5700 04 3231334e58323031363030313137370000000000 4002   // id "213NX2016001177"
  c458ce57 2159ce57 a9e20200 82030000 500c0000 0f00 00000400 036401240e040302 // stat 2016-09-06 05:50:25
  3c00                                          // sample rate 60
  05 0521 0c21 0d21 0f21 1021                   // 5 PIDs: coolant, rpm, speed, intake temp, MAF
  01 07                                         // one group of 7 bytes
  5b 1403 01 21 3302                            // 91 °C, 788 rpm, 1 km/h, 33 °C, 563
  6943 0d0a
`);

/** SC OBD data 0x4005 (built): flag, three PIDs, one value each. */
const OBD = hex(`
  4040 4d00 04 43415354454c3030303030303030310000000000 4005   // id "CASTEL000000001"
  2ca89b55 a6a99b55 5c570000 00000000 c4020000 0b00 00001400 036401111f000302 // stat of #42: 2015-07-07 10:27:50
  00                                            // flag
  03 0c21 0d21 0521                             // rpm, speed, coolant
  d604 30 5b                                    // 1238 rpm, 48 km/h, 91 °C
  d132 0d0a
`);

/** SC supported PIDs 0x4004 (built). */
const SUPPORTED = hex(`
  4040 4800 04 43415354454c3030303030303030310000000000 4004
  2ca89b55 a6a99b55 5c570000 00000000 c4020000 0b00 00001400 036401111f000302
  03 0421 0c21 0d21                             // engine load, rpm, speed
  13a7 0d0a
`);

/** SC passenger DTCs 0x4006, corpus #6 (version 3). */
const DTCS = hex(`
  4040 4500 03 3231334c32303137303030343232000000000000 4006   // id "213L2017000422"
  e1ad205b f1ad205b 48510f00 00000000 50160000 0000 00020400 053f007c00008304 // stat 2018-06-13 05:38:57
  00 01 5113                                    // flag 0, one DTC: 0x1351 → P1351
  4616 0d0a
`);

/** SC commercial DTCs 0x400B (built): one J1939 DTC of 4 bytes. */
const J1939 = hex(`
  4040 4700 04 43415354454c3030303030303030310000000000 400b
  2ca89b55 a6a99b55 5c570000 00000000 c4020000 0b00 00001400 036401111f000302
  00 01 6e000e01                                // flag 0, one DTC: u32 LE 0x010e006e
  2b8d 0d0a
`);

/** §1.1.2.9 SC G-sensor 0x4003 (built): two samples. */
const GSENSOR = hex(`
  4040 5000 04 43415354454c3030303030303030310000000000 4003
  2ca89b55 a6a99b55 5c570000 00000000 c4020000 0b00 00001400 036401111f000302
  6400 02                                       // sample rate 100, two samples
  4000 e0ff 1000                                // 64, -32, 16 × 0.015625 g
  c0ff 2000 4000                                // -64, 32, 64
  c5dd 0d0a
`);

/** SC cell 0x4008, corpus #42. */
const CELL = hex(`
  4040 4500 04 323132474c313134333030353030330000000000 4008   // id "212GL1143005003"
  2ca89b55 a6a99b55 5c570000 00000000 c4020000 0b00 00001400 036401111f000302 // stat 2015-07-07 10:27:50, VSTATE 0x140000
  f553 3bd6                                     // LAC 21493, cell 54843
  53f1 0d0a
`);

/** SC GPS while sleeping 0x4009 (built): device time, one fix. */
const SLEEP = hex(`
  4040 3600 04 43415354454c3030303030303030310000000000 4009
  a6a99b55                                      // device time 2015-07-07 10:27:50
  06060f 100b2d 5a78a707 6ec0fb1d 0000 8c06 5f  // the fix of #51
  3b1d 0d0a
`);

/** SC AGPS request 0x5101 (built): the last fix. */
const AGPS = hex(`
  4040 3200 04 43415354454c3030303030303030310000000000 5101
  06060f 100b2d 5a78a707 6ec0fb1d 0000 8c06 5f
  de95 0d0a
`);

/** SC fuel 0x400E (built): stat, one fix, its fuel sensor value. */
const FUEL = hex(`
  4040 5700 04 43415354454c3030303030303030310000000000 400e
  2ca89b55 a6a99b55 5c570000 00000000 c4020000 0b00 00001400 036401111f000302
  01 06060f 100b2d 5a78a707 6ec0fb1d 0000 8c06 5f
  e803                                          // fuel sensor 1000
  9c3d 0d0a
`);

/** SC comprehensive 0x401F, corpus #4: history, index, stat, a fix, §4.3 TLVs. */
const COMPREHENSIVE = hex(`
  4040 6600 04 542d3233344c2d54455354313233343536000000 401f   // id "T-234L-TEST123456"
  00 0e000000                                   // live, index 14
  255c0367 4f5c0367 eb7d0000 00000000 00000000 0000 00020400 00002ec71e000036 // stat: 32235 m
  01 1e0918 080c28 2497d604 a86c7218 0000 0000 03 // 2024-09-30 08:12:40, 22.54785 N, 113.93114 E
  1000 0200 ff00                                // TLV 0x0010 device temperature: 255 / 10 = 25.5 °C
  2100 0200 8201                                // TLV 0x0021 battery: 386 / 100 = 3.86 V
  09bf 0d0a
`);

/** SC current location 0xB001 (built): request index 7, stat, one fix. */
const CURRENT = hex(`
  4040 5700 04 43415354454c3030303030303030310000000000 b001
  0700
  2ca89b55 a6a99b55 5c570000 00000000 c4020000 0b00 00001400 036401111f000302
  01 06060f 100b2d 5a78a707 6ec0fb1d 0000 8c06 5f
  c96a 0d0a
`);

/** SC logout 0x1002, corpus #44: stat, no fix. */
const LOGOUT = hex(`
  4040 4200 04 323132474c313134333030353030330000000000 1002
  2ca89b55 cca99b55 5c570000 00000000 cf020000 0b00 00000000 036401111f000002 // stat 2015-07-07 10:28:28
  00                                            // no fix
  13be 0d0a
`);

/** Parameter query answer 0xA002, corpus #7: index 0, tag 0x2001 = the VIN. */
const QUERY = hex(`
  4040 3a00 04 3231334744503230313830323133343300000000 a002   // id "213GDP2018021343"
  0000 01 00                                    // index 0, one answer frame, number 0
  00                                            // failed tags: none
  01 0120 1100 4d414c43333831434d4b4d353637313438 // one value: tag 0x2001, 17 bytes "MALC381CMKM567148"
  c8fc 0d0a
`);

/** 0xA002 (built): index 7, tag 0x2102 failed, two values. */
const QUERY_PARTIAL = hex(`
  4040 4400 04 43415354454c3030303030303030310000000000 a002
  0700 01 00
  01 0221                                       // failed: 0x2102
  02 0120 1100 4d414c43333831434d4b4d353637313438 0520 0400 312e3031 // 0x2001 VIN, 0x2005 "1.01"
  2129 0d0a
`);

/** CC login 0x4001 (version 5), corpus #12: fix, status, battery, odometer, cell, versions. Answered 0x8001. */
const CC_LOGIN = hex(`
  4040 5f00 05 3630333135303030333531320000000000000000 4001   // v5 = CC, id "603150003512"
  040212 102a2f 72b29302 a0af8512 b407 8701 8e  // 2018-02-04 16:42:47, 12.00942 N, 86.31976 W, 1972 cm/s, 39.1°, 8 sats
  00000000 00 43e4ae00                          // status 0, battery 0, odometer 11461699 m
  00 00 00                                      // geofence id, geofence flags, flags
  7ca0 f722                                     // LAC 41084, cell 8951
  4d5049503632305f56312e312e3000 4d5049502d3632302056322e3000 // "MPIP620_V1.1.0", "MPIP-620 V2.0"
  7214 0d0a
`);

/** CC heartbeat 0x4206 (version 12), corpus #40: one fix with status and cell. Answered 0x8206. */
const CC_HEARTBEAT = hex(`
  4040 4400 0c 3631313135303030303935360000000000000000 4206
  00 01                                         // live, one fix
  1e0a0f 0b1312 864fcd08 c07a1303 0100 640a cf  // 2015-10-30 11:19:18, 41.02027 N, 14.33563 E, 1 cm/s, 266.0°, 12 sats
  00000400 0a 00000000 00 00 00                 // status, battery 10, odometer 0, geofence, flags
  7ba0 83a6                                     // LAC 41083, cell 42627
  6ad8 0d0a
`);

/** MPIP 0x4001 ($$, no version), corpus #13: a fix and 31 bytes of its own. */
const MPIP_FIX = hex(`
  2424 5000 3631373131353132433331333600000000000000 4001      // $$, 80 bytes, id "61711512C3136"
  1b0112 07133a c49a3904 64514a15 0000 0000 8e  // 2018-01-27 07:19:58, 19.69001 N, 99.22001 W
  480c00000917000000000000ffafffaf00010000ffff7800ffffffffffffff // kept as castel.data
  003c 0d0a
`);

/** MPIP 0x2001, corpus #28: index, device time, flag, fix. Answered 0x1001. */
const MPIP_REPORT = hex(`
  2424 3f00 676e676865663631303131313239303031373400 2001      // id "gnghef6101112900174"
  840d0000 d2deb556 02                          // index 3460, time 2016-02-06 11:53:54, flag 2
  060210 0b3536 0456cf09 e6ebac02 0000 0000 03  // 2016-02-06 11:53:54, 45.71748 N, 12.46862 E, not fixed
  0000000001
  abc1 0d0a
`);

const STAT_42 = {
  'castel.acc.on.time': utc(2015, 7, 7, 10, 21, 32),
  'vehicle.mileage': 22.364,
  'trip.mileage': 0,
  'vehicle.fuel.used': 7.08,
  'castel.trip.fuel.used': 0.11,
  'castel.status': 0x140000,
  'harsh.acceleration.status': false,
  'harsh.braking.status': false,
  'idle.status': false,
  'engine.ignition.status': true,
  timestamp: utc(2015, 7, 7, 10, 27, 50),
};
const FIX_51 = {
  timestamp: utc(2015, 6, 6, 16, 11, 45),
  'position.latitude': 35.671065,
  'position.longitude': 139.732795,
  'position.speed': 0,
  'position.direction': 167.6,
  'position.valid': true,
  'position.satellites': 5,
};

const ALL = [
  LOGIN,
  HEARTBEAT,
  GPS,
  ALARM,
  PID_DATA,
  OBD,
  SUPPORTED,
  DTCS,
  J1939,
  GSENSOR,
  CELL,
  SLEEP,
  AGPS,
  FUEL,
  COMPREHENSIVE,
  CURRENT,
  LOGOUT,
  QUERY,
  QUERY_PARTIAL,
  CC_LOGIN,
  CC_HEARTBEAT,
  MPIP_FIX,
  MPIP_REPORT,
];

function decodeAll(frame: Buffer): Message[] {
  const out = castel.decode(frame, ctx);
  expect(out.errors).toEqual([]);
  for (const m of out.messages) expect(sanityProblems(m, RX)).toEqual([]);
  return out.messages;
}
function decodeOne(frame: Buffer): Message {
  const messages = decodeAll(frame);
  expect(messages).toHaveLength(1);
  return messages[0];
}

describe('protocols/castel', () => {
  describe('framer', () => {
    it('keeps the framer contract for every fixture', () => {
      for (const f of ALL) assertFramerContract(castel, f);
    });
    it('gives the same result however the stream is chunked', () => {
      assertChunkingInvariant(castel, Buffer.concat(ALL));
    });
    it('§1.1: cuts at the length field (u16 LE, whole frame), for @@ and $$ frames', () => {
      expect(castel.frame(Buffer.concat([GPS, HEARTBEAT]), tcp(), STRICT)).toMatchObject({ type: 'frame', consumed: 89 });
      expect(castel.frame(Buffer.concat([MPIP_REPORT, GPS]), tcp(), STRICT)).toMatchObject({ type: 'frame', consumed: 63 });
      expect(castel.frame(Buffer.from('40', 'hex'), tcp(), STRICT)).toEqual({ type: 'more' });
      expect(castel.frame(Buffer.from('24', 'hex'), tcp(), STRICT)).toEqual({ type: 'more' });
      expect(castel.frame(GPS.subarray(0, 88), tcp(), STRICT)).toEqual({ type: 'more' });
    });
    it('skips garbage up to the next @@ or $$ with a typed error', () => {
      const r = castel.frame(Buffer.concat([Buffer.from('00ff4024', 'hex'), GPS]), tcp(), STRICT);
      expect(r).toMatchObject({ type: 'error', consumed: 4, error: { code: 'malformed' } });
      expect(castel.frame(Buffer.from('0a0b0c40', 'hex'), tcp(), STRICT)).toMatchObject({ type: 'error', consumed: 3 });
      expect(castel.frame(Buffer.concat([Buffer.from('78', 'hex'), MPIP_FIX]), tcp(), STRICT)).toMatchObject({ type: 'error', consumed: 1 });
    });
    it('refuses a length below the smallest frame, and a frame that does not end with 0D0A, resyncing at the next marker', () => {
      const short = Buffer.concat([Buffer.from('40401e00', 'hex'), GPS]);
      expect(castel.frame(short, tcp(), STRICT)).toMatchObject({
        type: 'error',
        consumed: 4,
        error: { code: 'malformed', reason: expect.stringContaining('30') },
      });
      const broken = Buffer.from(GPS);
      broken[broken.length - 1] = 0x0b;
      expect(castel.frame(Buffer.concat([broken, HEARTBEAT]), tcp(), STRICT)).toMatchObject({
        type: 'error',
        consumed: GPS.length,
        error: { code: 'malformed' },
      });
    });
    it('refuses a length above the channel limit as oversize, skipping to the next marker', () => {
      const r = castel.frame(Buffer.concat([LOGIN, HEARTBEAT]), tcp(), { crc: 'strict', maxFrameSize: 64 });
      expect(r).toMatchObject({ type: 'error', consumed: LOGIN.length, error: { code: 'oversize' } });
    });
    it('takes a UDP datagram whole', () => {
      expect(castel.frame(GPS, { transport: 'udp', vars: {} }, STRICT)).toMatchObject({ type: 'frame', consumed: GPS.length });
    });
  });

  describe('inspect', () => {
    it('§1.1 login 0x1001: identifies the device and answers 0x9001 with IP 0xFFFFFFFF, port 0 and the login UTC time', () => {
      const r = castel.inspect(LOGIN, tcp(), STRICT);
      expect(r).toMatchObject({ ident: '1001112529987', store: true, vars: { version: 4 } });
      expect(r.error).toBeUndefined();
      const ack = hex(`
        4040 2900 04 3130303131313235323939383700000000000000 9001 // @@, 41 bytes, v4, the login's 20 id bytes, type
        ffffffff 0000                                             // IP and port: keep this server
        fdf06952                                                  // UTC time u32 LE: 2013-10-25 04:18:05 (the login's own)
        d280 0d0a                                                 // CRC, stop
      `);
      expect(r.reply).toEqual(ack);
      expect(r.reply).toEqual(expectedFrame(4, '1001112529987', 0x9001, 'ffffffff0000fdf06952'));
    });
    it('answers the heartbeat 0x1003 with an empty 0x9003 and stores nothing', () => {
      const r = castel.inspect(HEARTBEAT, tcp(), STRICT);
      expect(r).toMatchObject({ ident: '1001112529987', store: false });
      expect(r.error).toBeUndefined();
      expect(r.reply).toEqual(hex('4040 1f00 04 3130303131313235323939383700000000000000 9003 cfbe 0d0a'));
      expect(r.reply).toEqual(expectedFrame(4, '1001112529987', 0x9003));
    });
    it('§1.1.2.10 acks an alarm 0x4007 with 0xC007 and its alarm index', () => {
      const r = castel.inspect(ALARM, tcp(), STRICT);
      expect(r).toMatchObject({ ident: '213GDS2021000052', store: true });
      expect(r.reply).toEqual(hex('4040 2300 04 3231334744533230323130303030353200000000 c007 01000000 90b7 0d0a'));
      expect(r.reply).toEqual(expectedFrame(4, '213GDS2021000052', 0xc007, '01000000'));
    });
    it('answers CC login 0x4001 with 0x8001 and CC heartbeat 0x4206 with 0x8206 (empty, their own version)', () => {
      expect(castel.inspect(CC_LOGIN, tcp(), STRICT)).toMatchObject({ ident: '603150003512', store: true, vars: { version: 5 } });
      expect(castel.inspect(CC_LOGIN, tcp(), STRICT).reply).toEqual(hex('4040 1f00 05 3630333135303030333531320000000000000000 8001 8cd3 0d0a'));
      expect(castel.inspect(CC_HEARTBEAT, tcp(), STRICT).reply).toEqual(expectedFrame(12, '611150000956', 0x8206));
    });
    it('answers MPIP 0x4001 with 0x4001 (version byte 0xFF) and MPIP 0x2001 with 0x1001 (no version, 4 zero and 8 0xFF bytes)', () => {
      expect(castel.inspect(MPIP_FIX, tcp(), STRICT).reply).toEqual(expectedFrame(0xff, '61711512C3136', 0x4001));
      const r = castel.inspect(MPIP_REPORT, tcp(), STRICT);
      expect(r).toMatchObject({ ident: 'gnghef6101112900174', store: true });
      expect(r.vars).toBeUndefined();
      expect(r.reply).toEqual(
        hex(`
          4040 2a00 676e676865663631303131313239303031373400 1001 // @@, 42 bytes, id (no version byte), type
          00000000 ffffffffffffffff                               // 4 zero bytes, 8 × 0xFF
          c2cf 0d0a
        `),
      );
    });
    it('stores data without an earlier login: every frame carries the device id; GPS, OBD and DTC frames get no answer', () => {
      for (const f of [GPS, PID_DATA, OBD, DTCS, CELL, COMPREHENSIVE, QUERY]) {
        const r = castel.inspect(f, tcp(), STRICT);
        expect(r.store).toBe(true);
        expect(r.reply).toBeUndefined();
        expect(r.error).toBeUndefined();
      }
      expect(castel.inspect(GPS, tcp(), STRICT).ident).toBe('354043050844143');
    });
    it('refuses a wrong CRC under the strict policy (no ack), acks and stores it under the lenient one', () => {
      const bad = Buffer.from(LOGIN);
      bad[bad.length - 4] ^= 0xff;
      const strict = castel.inspect(bad, tcp(), STRICT);
      expect(strict).toMatchObject({ store: false, error: { code: 'checksum', offset: bad.length - 4 } });
      expect(strict.reply).toBeUndefined();
      const lenient = castel.inspect(bad, tcp(), LENIENT);
      expect(lenient).toMatchObject({ ident: '1001112529987', store: true, error: { code: 'checksum' } });
      expect(lenient.reply).toEqual(castel.inspect(LOGIN, tcp(), STRICT).reply);
    });
    it('refuses frames it cannot read, and answers nothing to types it does not decode', () => {
      expect(castel.inspect(Buffer.from('hello'), tcp(), STRICT)).toMatchObject({ store: false, error: { code: 'malformed', offset: 0 } });
      expect(castel.inspect(GPS.subarray(0, 20), tcp(), STRICT)).toMatchObject({ store: false, error: { code: 'truncated' } });
      const badLength = Buffer.from(GPS);
      badLength[2] = 0x58;
      expect(castel.inspect(badLength, tcp(), STRICT)).toMatchObject({ store: false, error: { code: 'malformed', offset: 2 } });
      const badId = Buffer.from(GPS);
      badId[8] = 0x01; // inside the id (padding at either end is trimmed)
      expect(castel.inspect(badId, tcp(), STRICT)).toMatchObject({ store: false, error: { code: 'malformed', offset: 5 } });
      const loginAck = expectedFrame(4, '1001112529987', 0x9001, 'ffffffff0000fdf06952');
      expect(castel.inspect(loginAck, tcp(), STRICT)).toMatchObject({ ident: '1001112529987', store: false, error: { code: 'unsupported' } });
      const shortLogin = expectedFrame(4, '1001112529987', 0x1001, 'c1f06952');
      expect(castel.inspect(shortLogin, tcp(), STRICT)).toMatchObject({ ident: '1001112529987', store: false, error: { code: 'truncated' } });
      expect(castel.inspect(shortLogin, tcp(), STRICT).reply).toBeUndefined();
    });
  });

  describe('decode', () => {
    it('§1.1.2.7 login 0x1001: one message per fix with the stat counters, the versions and the supported parameters', () => {
      expect(decodeOne(LOGIN)).toEqual({
        timestamp: utc(2013, 10, 25, 4, 18, 26),
        'position.latitude': 22.54621,
        'position.longitude': 113.93746,
        'position.speed': 0,
        'position.direction': 0,
        'position.valid': true,
        'position.satellites': 10,
        'castel.acc.on.time': utc(2013, 10, 25, 4, 17, 5),
        'vehicle.mileage': 1151.388,
        'trip.mileage': 0,
        'vehicle.fuel.used': 336.41,
        'castel.trip.fuel.used': 0.12,
        'castel.status': 0,
        'harsh.acceleration.status': false,
        'harsh.braking.status': false,
        'idle.status': false,
        'engine.ignition.status': false,
        'firmware.version': 'IDD_216G02_S V1.2.1',
        'hardware.version': 'IDD_216G02_H V1.2.1',
        'castel.parameters': [],
      });
    });
    it('§1.1.2.6 GPS 0x4001: the fix, the VSTATE ignition bit, the history flag and the RPM sample', () => {
      expect(decodeOne(GPS)).toEqual({
        ...FIX_51,
        'message.buffered.status': false,
        'castel.acc.on.time': utc(2015, 6, 6, 16, 8, 22),
        'vehicle.mileage': 0.113,
        'trip.mileage': 0.011,
        'vehicle.fuel.used': 0,
        'castel.trip.fuel.used': 0,
        'castel.status': 0x40000,
        'harsh.acceleration.status': false,
        'harsh.braking.status': false,
        'idle.status': false,
        'engine.ignition.status': true,
        'obd.engine.rpm': 0,
      });
    });
    it('§1.1.2.10 alarm 0x4007: alarm.type of the first new alarm, the ignition alarm, values and thresholds', () => {
      expect(decodeOne(ALARM)).toMatchObject({
        timestamp: utc(2024, 11, 15, 6, 27, 19),
        'position.latitude': 22.54779,
        'position.longitude': 113.93124,
        'position.valid': false,
        'castel.alarm.index': 1,
        'alarm.event.trigger': true,
        'alarm.type': 'power_on',
        'castel.alarm.code': 9,
        'castel.alarm.9': 0,
        'castel.alarm.9.threshold': 0,
        'castel.alarm.22': 2,
        'castel.alarm.22.threshold': 0,
        'engine.ignition.status': true,
      });
    });
    it('alarm 0x4007 without a fix: one message at the stat time; an inactive alarm raises nothing', () => {
      const stat = { accOn: 1, utc: utc(2015, 7, 7, 10, 28, 27), mileage: 0, trip: 0, fuel: 0, tripFuel: 0, status: 0 };
      const m = decodeOne(alarm('CASTEL000000001', 18, stat, [], [{ code: 0x01, value: 130, threshold: 120, active: false }, { code: 0x17 }]));
      expect(m).toMatchObject({
        timestamp: stat.utc,
        'castel.alarm.index': 18,
        'castel.alarm.1': 130,
        'castel.alarm.1.threshold': 120,
        'engine.ignition.status': false,
      });
      expect(m['alarm.type']).toBeUndefined();
      expect(m['position.latitude']).toBeUndefined();
      expect(decodeOne(alarm('CASTEL000000001', 2, stat, [], [{ code: 0x0d }]))).toMatchObject({ 'alarm.type': 'fatigue_driving', 'castel.alarm.code': 13 });
    });
    it('PID data 0x4002: the first group of data streams, known PIDs by name and the others as castel.pid.<id>', () => {
      expect(decodeOne(PID_DATA)).toEqual({
        timestamp: utc(2016, 9, 6, 5, 50, 25),
        'castel.acc.on.time': utc(2016, 9, 6, 5, 48, 52),
        'vehicle.mileage': 189.097,
        'trip.mileage': 0.898,
        'vehicle.fuel.used': 31.52,
        'castel.trip.fuel.used': 0.15,
        'castel.status': 0x40000,
        'harsh.acceleration.status': false,
        'harsh.braking.status': false,
        'idle.status': false,
        'engine.ignition.status': true,
        'castel.sample.rate': 60,
        'obd.engine.coolant.temperature': 91,
        'obd.engine.rpm': 788,
        'obd.vehicle.speed': 1,
        'obd.intake.temperature': 33,
        'castel.pid.8464': 563,
      });
    });
    it('OBD data 0x4005: one value per PID; a PID of unknown size ends the reading and the rest is kept', () => {
      expect(decodeOne(OBD)).toEqual({
        ...STAT_42,
        'castel.obd.flag': 0,
        'obd.engine.rpm': 1238,
        'obd.vehicle.speed': 48,
        'obd.engine.coolant.temperature': 91,
      });
      const stat = { accOn: 1, utc: utc(2015, 7, 7, 10, 27, 50), mileage: 0, trip: 0, fuel: 0, tripFuel: 0, status: 0 };
      const unknown = Buffer.concat([statBytes(stat), Buffer.from('00 02 0c21 0130 d604 7f00'.replace(/ /g, ''), 'hex')]);
      const frame = expectedFrame(4, 'CASTEL000000001', 0x4005, unknown.toString('hex'));
      expect(decodeOne(frame)).toMatchObject({ 'obd.engine.rpm': 1238, 'castel.data': '7f00' });
    });
    it('supported PIDs 0x4004 and G-sensor 0x4003 (§1.1.2.9: s16 × 0.015625 g)', () => {
      expect(decodeOne(SUPPORTED)).toEqual({ ...STAT_42, 'castel.supported.pids': [0x2104, 0x210c, 0x210d] });
      expect(decodeOne(GSENSOR)).toEqual({
        ...STAT_42,
        'castel.sample.rate': 100,
        'castel.acceleration': [
          [1, -0.5, 0.25],
          [-1, 0.5, 1],
        ],
      });
    });
    it('DTCs: passenger 0x4006 as SAE codes, commercial 0x400B as J1939 hex', () => {
      expect(decodeOne(DTCS)).toMatchObject({ timestamp: utc(2018, 6, 13, 5, 38, 57), 'castel.dtc.flag': 0, 'obd.dtc.count': 1, 'obd.dtc.codes': 'P1351' });
      expect(decodeOne(J1939)).toEqual({ ...STAT_42, 'castel.dtc.flag': 0, 'obd.dtc.count': 1, 'castel.dtc.j1939': ['010e006e'] });
    });
    it('cell 0x4008, GPS while sleeping 0x4009, AGPS request 0x5101', () => {
      expect(decodeOne(CELL)).toEqual({ ...STAT_42, 'gsm.lac': 21493, 'gsm.cellid': 54843 });
      expect(decodeOne(SLEEP)).toEqual(FIX_51);
      expect(decodeOne(AGPS)).toEqual(FIX_51);
    });
    it('fuel 0x400E and current location 0xB001: the fix with the stat counters and their own fields', () => {
      const stat = { ...STAT_42, timestamp: FIX_51.timestamp };
      expect(decodeOne(FUEL)).toEqual({ ...stat, ...FIX_51, 'castel.fuel.sensor': 1000 });
      expect(decodeOne(CURRENT)).toEqual({ ...stat, ...FIX_51, 'castel.request.index': 7 });
    });
    it('§4.3 comprehensive 0x401F: history, index, the fix and the TLVs (device temperature, battery voltage)', () => {
      expect(decodeOne(COMPREHENSIVE)).toMatchObject({
        timestamp: utc(2024, 9, 30, 8, 12, 40),
        'message.buffered.status': false,
        'castel.index': 14,
        'vehicle.mileage': 32.235,
        'position.latitude': 22.54785,
        'device.temperature': 25.5,
        'battery.voltage': 3.86,
      });
    });
    it('§4.3 TLVs: PIDs, DTCs, alarms, signed temperatures, and unknown tags kept as castel.tlv.<tag>', () => {
      const stat = { accOn: 1, utc: utc(2024, 10, 7, 3, 58, 7), mileage: 0, trip: 0, fuel: 0, tripFuel: 0, status: 0 };
      const tlvs = [
        '0200 0c00 02 0c21 0200 d604 0d21 0100 30', // PIDs: rpm 1238, speed 48
        '0600 0400 00 01 5113', //                    passenger DTC P1351
        '0700 0b00 03000000 01 01 01 8200 7800', //  alarm index 3: overspeed 130 (threshold 120)
        '0b00 0800 00 01 6e000e01 0000', //           J1939 DTC, MIL status
        '1100 0200 9cff', //                          temperature 1: -100 / 10 = -10 °C
        '2000 0200 d804', //                          power: 1240 / 100 = 12.4 V
        '9900 0300 aabbcc', //                        unknown tag 0x0099
      ].join('');
      const body = `00 05000000 ${statBytes(stat).toString('hex')} 00 ${tlvs}`;
      expect(decodeOne(expectedFrame(4, 'CASTEL000000001', 0x401f, body))).toMatchObject({
        timestamp: stat.utc,
        'obd.engine.rpm': 1238,
        'obd.vehicle.speed': 48,
        'obd.dtc.codes': 'P1351',
        'alarm.type': 'overspeed',
        'castel.alarm.1': 130,
        'castel.alarm.1.threshold': 120,
        'castel.dtc.j1939': ['010e006e'],
        'sensor.temperature.1': -10,
        'external.powersource.voltage': 12.4,
        'castel.tlv.153': 'aabbcc',
      });
    });
    it('logout 0x1002 without a fix: the counters at the stat time, no position', () => {
      expect(decodeOne(LOGOUT)).toEqual({
        ...STAT_42,
        timestamp: utc(2015, 7, 7, 10, 28, 28),
        'vehicle.fuel.used': 7.19,
        'castel.status': 0,
        'engine.ignition.status': false,
      });
    });
    it('query answer 0xA002: the values, command.response, and a command reply correlated by the echoed index', () => {
      const out = castel.decode(QUERY, ctx);
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        { timestamp: RX, 'castel.request.index': 0, 'castel.param.8193': 'MALC381CMKM567148', 'command.response': 'MALC381CMKM567148' },
      ]);
      expect(out.commandReplies).toEqual([{ response: 'MALC381CMKM567148', executed: true, correlation: '0', timestamp: RX }]);
      const partial = castel.decode(QUERY_PARTIAL, ctx);
      expect(partial.messages[0]).toMatchObject({ 'castel.param.8197': '1.01', 'castel.param.failed': [0x2102], 'command.response': '1.01' });
      expect(partial.commandReplies).toEqual([{ response: 'MALC381CMKM567148;1.01', executed: false, correlation: '7', timestamp: RX }]);
    });
    it('CC login 0x4001 and heartbeat 0x4206: fix, status, battery, odometer (m → km), cell, versions', () => {
      expect(decodeOne(CC_LOGIN)).toEqual({
        timestamp: utc(2018, 2, 4, 16, 42, 47),
        'position.latitude': 0x0293b272 / 3_600_000,
        'position.longitude': -0x1285afa0 / 3_600_000,
        'position.speed': 70.992,
        'position.direction': 39.1,
        'position.valid': true,
        'position.satellites': 8,
        'castel.status': 0,
        'battery.level': 0,
        'vehicle.mileage': 11461.699,
        'castel.geofence.id': 0,
        'castel.geofence.flags': 0,
        'castel.flags': 0,
        'gsm.lac': 41084,
        'gsm.cellid': 8951,
        'firmware.version': 'MPIP620_V1.1.0',
        'hardware.version': 'MPIP-620 V2.0',
      });
      expect(decodeOne(CC_HEARTBEAT)).toMatchObject({
        timestamp: utc(2015, 10, 30, 11, 19, 18),
        'position.speed': 0.036,
        'position.direction': 266,
        'position.satellites': 12,
        'message.buffered.status': false,
        'battery.level': 10,
        'gsm.lac': 41083,
        'gsm.cellid': 42627,
      });
    });
    it('MPIP ($$) 0x4001 and 0x2001: the fix, the index, the bytes after it kept as hex', () => {
      expect(decodeOne(MPIP_FIX)).toMatchObject({
        timestamp: utc(2018, 1, 27, 7, 19, 58),
        'position.latitude': 0x04399ac4 / 3_600_000,
        'position.longitude': -0x154a5164 / 3_600_000,
        'castel.data': '480c00000917000000000000ffafffaf00010000ffff7800ffffffffffffff',
      });
      expect(decodeOne(MPIP_REPORT)).toMatchObject({
        timestamp: utc(2016, 2, 6, 11, 53, 54),
        'castel.index': 3460,
        'castel.report.flag': 2,
        'castel.data': '0000000001',
      });
    });
    it('decodes nothing from a heartbeat, refuses unknown types and cut frames with typed errors, never throwing', () => {
      expect(castel.decode(HEARTBEAT, ctx)).toEqual({ messages: [], commandReplies: [], errors: [] });
      expect(castel.decode(expectedFrame(4, 'X1', 0x9001, 'ffffffff0000fdf06952'), ctx).errors.map((e) => e.code)).toEqual(['unsupported']);
      expect(castel.decode(expectedFrame(4, 'X1', 0x4001, '00'), ctx).errors.map((e) => e.code)).toEqual(['truncated']);
      expect(castel.decode(expectedFrame(7, 'X1', 0x4206, '0002'), ctx).errors.map((e) => e.code)).toEqual(['truncated']);
      expect(castel.decode(Buffer.from('hello'), ctx).errors.map((e) => e.code)).toEqual(['malformed']);
    });
    it('applies the CRC policy: strict drops the frame, lenient marks its messages crc.valid=false', () => {
      const bad = Buffer.from(GPS);
      bad[bad.length - 3] ^= 0x01;
      expect(castel.decode(bad, ctx)).toMatchObject({ messages: [], errors: [{ code: 'checksum' }] });
      const lenient = castel.decode(bad, { ...ctx, options: LENIENT });
      expect(lenient.messages).toHaveLength(1);
      expect(lenient.messages[0]).toMatchObject({ 'crc.valid': false, 'position.latitude': 35.671065 });
    });
  });

  describe('encoder', () => {
    const state = { ident: '123456789012345', vars: {} };
    it('engine stop / resume: petrol control 0x4583 with version 1, content 01 / 00 (Traccar encoder frame)', () => {
      const stop = hex(`
        4040 2000 01                                   // @@, 32 bytes, version 1
        3132333435363738393031323334350000000000       // id "123456789012345"
        4583 01                                        // petrol control: cut
        a94a 0d0a
      `);
      expect(encodeCommand({ name: 'engine_stop', properties: {} }, state)).toEqual(stop);
      expect(encodeCommand({ name: 'engine_resume', properties: {} }, state)).toEqual(expectedFrame(1, '123456789012345', 0x4583, '00'));
    });
    it('custom: a type and content in the envelope with the session version, or whole bytes', () => {
      expect(encodeCommand({ name: 'custom', properties: { type: 0x2002, data: '0700010120' } }, { ident: 'CASTEL000000001', vars: { version: 4 } })).toEqual(
        expectedFrame(4, 'CASTEL000000001', 0x2002, '0700010120'),
      );
      expect(encodeCommand({ name: 'custom', properties: { type: 0x4583 } }, state)).toEqual(expectedFrame(1, '123456789012345', 0x4583));
      expect(encodeCommand({ name: 'custom', properties: { hex: '40401f00' } }, {})).toEqual(Buffer.from('40401f00', 'hex'));
    });
    it('names the bad property in a command error', () => {
      expect(encodeCommand({ name: 'custom', properties: {} }, state)).toMatchObject({ code: 'command', reason: expect.stringContaining('type') });
      expect(encodeCommand({ name: 'custom', properties: { type: 0x10000 } }, state)).toMatchObject({
        code: 'command',
        reason: expect.stringContaining('type'),
      });
      expect(encodeCommand({ name: 'custom', properties: { type: 1, data: 'zz' } }, state)).toMatchObject({
        code: 'command',
        reason: expect.stringContaining('data'),
      });
      expect(encodeCommand({ name: 'custom', properties: { hex: 'abc' } }, state)).toMatchObject({ code: 'command', reason: expect.stringContaining('hex') });
      expect(encodeCommand({ name: 'reboot', properties: {} }, state)).toMatchObject({ code: 'command', reason: expect.stringContaining('reboot') });
      expect(encodeCommand({ name: 'engine_stop', properties: {} }, {})).toMatchObject({ code: 'command', reason: expect.stringContaining('id') });
      expect(encodeCommand({ name: 'engine_stop', properties: {} }, { ident: 'X'.repeat(21) })).toMatchObject({
        code: 'command',
        reason: expect.stringContaining('20'),
      });
    });
    it('correlates a parameter query (custom 0x2002) with the index its content starts with, which 0xA002 echoes', () => {
      expect(correlate({ name: 'custom', properties: { type: 0x2002, data: '0700010120' } })).toBe('7');
      expect(correlate({ name: 'custom', properties: { type: 0x2002, data: '07' } })).toBeUndefined();
      expect(correlate({ name: 'custom', properties: { type: 0x4583, data: '01' } })).toBeUndefined();
      expect(correlate({ name: 'engine_stop', properties: {} })).toBeUndefined();
      const [reply] = castel.decode(QUERY_PARTIAL, ctx).commandReplies;
      expect(reply.correlation).toBe(correlate({ name: 'custom', properties: { type: 0x2002, data: '0700010221' } }));
    });
    it('lists its device type with JSON-schema commands whose examples encode, and no settings', () => {
      const [type] = castel.deviceTypes;
      expect(type).toMatchObject({ id: 17, name: 'castel', settings: [] });
      expect(type.commands.map((c) => c.name)).toEqual(['custom', 'engine_stop', 'engine_resume']);
      for (const c of type.commands) {
        for (const example of c.examples) {
          expect(c.validate?.(example), c.name).toBeUndefined();
          expect(encodeCommand({ name: c.name, properties: example }, state), c.name).toBeInstanceOf(Buffer);
        }
      }
      expect(type.commands[0].validate?.({ type: 1, data: 'x' })).toMatch(/data/);
    });
  });

  describe('device side', () => {
    const stat = { accOn: 0x55731af6, utc: 0x55731bc1, mileage: 113, trip: 11, fuel: 0, tripFuel: 0, status: 0x40000 };
    const fix = { atMs: FIX_51.timestamp * 1000, latitude: 35.671065, longitude: 139.732795, speed: 0, course: 167.6, satellites: 5 };
    it('builds the heartbeat byte for byte, and GPS and login frames that decode to what they were built from', () => {
      expect(heartbeat('1001112529987')).toEqual(HEARTBEAT);
      const built = gps('354043050844143', stat, [fix], [0]);
      expect(built.subarray(0, 28)).toEqual(GPS.subarray(0, 28));
      expect(built.subarray(62)).toEqual(Buffer.concat([GPS.subarray(62, GPS.length - 4), built.subarray(built.length - 4)]));
      expect(decodeOne(built)).toEqual(decodeOne(GPS));
      const south = decodeOne(gps('X1', stat, [{ ...fix, latitude: -33.5, longitude: -70.25, speed: 40, valid: false }], [], true));
      expect(south).toMatchObject({
        'position.latitude': -33.5,
        'position.longitude': -70.25,
        'position.speed': 39.996,
        'position.valid': false,
        'message.buffered.status': true,
      });
      expect(south['obd.engine.rpm']).toBeUndefined();
      const l = decodeOne(login('X1', stat, [fix], 'IDD-213G V2.0.0', 'IDD-213G V2.0', [0x1001, 0x2001]));
      expect(l).toMatchObject({ ...FIX_51, 'firmware.version': 'IDD-213G V2.0.0', 'hardware.version': 'IDD-213G V2.0', 'castel.parameters': [0x1001, 0x2001] });
    });
  });

  describe('connection', () => {
    it('decodes a TCP stream end to end with the answers in order', () => {
      const c = new ConnectionCodec(castel, STRICT);
      const out = c.decode(Buffer.concat([LOGIN, GPS, HEARTBEAT, ALARM, QUERY]));
      expect(out.errors).toEqual([]);
      expect(out.messages.map((m) => m.ident)).toEqual(['1001112529987', '354043050844143', '213GDS2021000052', '213GDP2018021343']);
      expect(out.replies.map((r) => r.toString('hex').slice(50, 54))).toEqual(['9001', '9003', 'c007']);
      expect(out.commandReplies).toHaveLength(1);
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input (fast-check)', () => {
      expect(fuzzCodec(castel, ALL, 2000, 'tcp', LOGIN)).toBe(2000);
      expect(fuzzCodec(castel, [GPS, ALARM, COMPREHENSIVE, MPIP_REPORT], 500, 'udp')).toBe(500);
    });
  });

  const corpus = loadCorpus('castel.json');
  /** Traccar attributes with a counterpart here (positions and times are checked by the helper). */
  const attributeMap: AttributeMap = {
    dtcs: { name: 'obd.dtc.codes' },
    result: { name: 'command.response' },
    battery: { name: 'battery.voltage' },
  };
  describe.runIf(corpus)('conformance corpus', () => {
    // Every decode frame passes (41/41 in the shared corpus). Frames the corpus expects no position
    // from (logins without a fix #17 #21 #27 #46, the 0x9001 echo #18, logout #20 #44, supported
    // PIDs #23 #38, alarms without a fix #43 #47, heartbeat #48) decode to no message or to
    // messages without a position.
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(castel, corpus!, attributeMap);
      const rate = reportPassRate('castel', results);
      expect(rate).toBeGreaterThanOrEqual(0.95);
      for (const r of results) for (const m of r.messages) expect(sanityProblems(m, RX + 86400 * 365), `#${r.entry.seq}`).toEqual([]);
    });
    it('passes every frame CRC-16/X-25 (the replay is lenient; these frames are all whole)', () => {
      for (const e of corpus!.filter((x) => x.kind === 'decode'))
        expect(castel.inspect(entryBytes(e), tcp(), STRICT).error?.code, `#${e.seq}`).not.toBe('checksum');
    });
    it('encodes the corpus commands byte for byte', () => {
      const vectors = corpus!.filter((x) => x.kind === 'encode');
      expect(vectors.length).toBeGreaterThan(0);
      const names: Record<string, string> = { engineStop: 'engine_stop', engineResume: 'engine_resume' };
      for (const e of vectors) {
        const bytes = encodeCommand({ name: names[e.expect.command!.type], properties: {} }, { ident: '123456789012345' });
        expect(Buffer.isBuffer(bytes) && bytes.toString('hex')).toBe(e.frame);
      }
    });
    it('is named by hub identify for a real corpus frame', () => {
      const entry = corpus!.find((x) => x.kind === 'decode' && x.seq === 51);
      expect(entry).toBeDefined();
      const candidates = identify(entryBytes(entry!));
      expect(candidates[0]).toMatchObject({ protocol: 'castel', confidence: 'high' });
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});
