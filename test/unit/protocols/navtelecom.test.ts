import { describe, expect, it } from 'vitest';
import { identify } from '../../../bin/commands/identify.js';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import { CRC8, crc8 } from '../../../protocols/common/crc.js';
import type { CodecOptions, SessionState } from '../../../protocols/common/types.js';
import { Var } from '../../../protocols/navtelecom/constants.js';
import { flexArchive, flexEvent, flexRecord, identFrame, negotiationFrame, SIM_FIELDS } from '../../../protocols/navtelecom/device.js';
import { encodeCommand, encodeFlexAck, ntcbFrame } from '../../../protocols/navtelecom/encoder.js';
import { navtelecom } from '../../../protocols/navtelecom/index.js';
import { negotiationVars, readFlexNegotiation, readNtcb } from '../../../protocols/navtelecom/packet.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { type AttributeMap, entryBytes, loadCorpus, replayDecode, reportPassRate, sanityProblems, setupSettings } from '../../helpers/conformance.js';
import { hexFixture } from '../../helpers/hex.js';

/**
 * Navtelecom NTCB / FLEX. Spec: Navtelecom "Protocol of information exchange" v6.2 — §1.1 NTCB
 * transport, §1.2.1 connection over FLEX (identification, negotiation), §1.2.2 FLEX messages,
 * §2.2 outputs control, §2.4 NTCB telemetry. Fixtures marked "Traccar" are frames of Traccar's
 * NavisProtocolDecoderTest (Apache-2.0), the others are built by hand from the spec.
 */
const hex = hexFixture;
const IMEI = '861785005205079';
const STRICT: CodecOptions = { crc: 'strict', maxFrameSize: 65536 };
const LENIENT: CodecOptions = { crc: 'lenient', maxFrameSize: 65536 };
const session = (ident?: string, vars: SessionState['vars'] = {}): SessionState => ({ transport: 'tcp', vars, ...(ident ? { ident } : {}) });

/** §1.2.1 identification (Traccar testDecodeNtcb #0). */
const IDENT = hex(`
  404e5443                        // @NTC
  01000000                        // receiver 1 (the server)
  7b000000                        // sender 0x7B (the terminal)
  1300                            // data length 19
  44                              // CSd: XOR of the data
  34                              // CSp: XOR of the 15 header bytes
  2a3e533a 383631373835303035323035303739 // "*>S:" "861785005205079"
`);

/** §1.2.1 FLEX 2.0 negotiation (Traccar testDecodeFlex20 #1): 122 fields, 26 enabled. */
const NEGOTIATION = hex(`
  404e5443 01000000 a9eef602 1a00 3f 8e // @NTC, receiver 1, sender 0x02F6EEA9, length 26, CSd, CSp
  2a3e464c4558                    // "*>FLEX"
  b0                              // protocol FLEX
  14 14                           // protocol version 2.0, struct version 2.0
  7a                              // 122 fields
  fffff008 08080000 0e000000 00000000 // mask: fields 1-20, 29, 37, 45, 69-71
`);

/** §1.2.2 `~A` archive with one record under NEGOTIATION's mask (Traccar testDecodeFlex20 #3). */
const ARCHIVE = hex(`
  7e41 01                         // "~A", 1 record
  27000000                        // 1 record index 39
  0b17                            // 2 event code 5899
  b16b435c                        // 3 event time 2019-01-19 18:25:53
  00 a9 00                        // 4 device status, 5-6 modules status
  0d                              // 7 GSM level 13
  4b                              // 8 navigation: valid (bit 1), 18 satellites (bits 2-7)
  b26b435c                        // 9 time of the fix
  aaa20302 29f29201               // 10-11 latitude 33792682, longitude 26407465 (1/600000 degree)
  62050000                        // 12 altitude 1378 ×0.1 m
  00000000                        // 13 speed 0.0 km/h (float)
  9300                            // 14 course 147
  4493d53f ee892d3e               // 15 mileage, 16 segment distance (float km)
  1f00 1f00                       // 17-18
  ac6c 5910                       // 19 power 27820 mV, 20 backup battery 4185 mV
  81                              // 29 inputs 1-8: 1 and 8
  f0000000                        // 37 engine hours 240 s
  17                              // 45 thermometer 1: 23 °C
  00                              // 69 CAN speed
  080a000000000000                // 70 satellites per system
  0609                            // 71 HDOP 0.6, PDOP 0.9
  f2                              // CRC-8/NRSC-5
`);

/** FLEX 1.0 negotiation (Traccar testDecodeFlex10 #1) and a `~T` under it (Traccar NavisFrameDecoderTest, flex data size 73). */
const NEGOTIATION_10 = hex('404e544301000000aaecf6021300c8712a3e464c4558 b0 0a 0a 45 ffff300a08080f8388');
const EVENT = hex(`
  7e54 04000000                   // "~T", event index 4
  04000000 3012 9957405c          // 1 index 4, 2 event 0x1230, 3 event time
  00 0b 00 63 2f                  // 4-7 status, modules, GSM 99; 8 navigation: valid, 11 satellites
  9857405c cace0302 1e129101      // 9 fix time, 10-11 coordinates
  a1030000 00000000 c400          // 12 altitude 92.9 m, 13 speed 0, 14 course 196
  5ba3fe3b 00000000               // 15 mileage, 16 distance
  1200 4610 00 00                 // 19 power 18 mV, 20 battery 4166 mV, 29 inputs, 31 outputs
  00000000 1a                     // 37 engine hours, 45 thermometer 1: 26 °C
  ff7f 000080bf ffff 80 000080bf  // 53-57 CAN fuel level, fuel used -1, rpm, coolant, mileage -1
  ff ff ff ff                     // 63-65 pedals, load; 69 CAN speed
  9f                              // CRC-8
`);

/** §1.2.2 `~C` current state under the simulator's mask (fields 1-3, 8-14, 19), built by hand. */
const SIM_NEGOTIATION = negotiationFrame(SIM_FIELDS);
const CURRENT = hex(`
  7e43                            // "~C"
  07000000 0000 a8c16869          // 1 index 7, 2 event 0, 3 event time 2026-01-15 10:30:00
  27                              // 8 navigation: on, valid, 9 satellites
  a8c16869                        // 9 fix time
  c0e0f301 aab6e600               // 10 latitude 32760000 (54.6°), 11 longitude 15120042 (25.20007°)
  b0040000 00002042 3100          // 12 altitude 120.0 m, 13 speed 40.0 km/h, 14 course 49
  3831                            // 19 power 12600 mV
  22                              // CRC-8
`);

/** FLEX 2.0 `~E` additional archive: one record with the static part (0x0A, 37 bytes) and 2 dynamic bytes. */
const EXTRA_BODY = `
  2900                            // record length 41
  0a 25                           // static part: version 0x0A, 37 bytes
  64000000 0b17 b16b435c          // index 100, event 5899, event time
  4b b26b435c                     // navigation, fix time
  aaa20302 29f29201 62050000      // latitude, longitude, altitude 137.8 m
  33335942 5a00 0000c03f          // speed 54.3 km/h, course 90, mileage 1.5 km
  abcd                            // dynamic part
`;
const EXTRA_ARCHIVE = hex(`7e45 01 ${EXTRA_BODY} 52`);
const EXTRA_EVENT = hex(`7e58 0a000000 ${EXTRA_BODY} be`);

/** §2.4 `*>T` F6.0 record (Traccar testDecodeNtcb #6: 2019-01-16 22:22:36, 56.318, 44.01523). */
const TELEMETRY_F60 = hex(`
  404e5443 01000000 cdfbf502 7200 85 2e // @NTC, receiver 1, sender 0x02F5FBCD, length 114
  2a3e54                          // "*>T"
  06                              // format F6.0
  aa170000 c111                   // index 6058, event 0x11C1
  161624100013                    // event time 22:22:36 16 (month 0) 2019
  10 a9 11                        // security, modules status, GSM 17
  0e 80                           // outputs, inputs
  996b 2810                       // power 27545 mV, battery 4136 mV
  0300 0a00 0800                  // analog inputs 1-3
  00000000 00000000               // counters 1-2
  d207 d207                       // frequency inputs 1-2
  ff ffff 00fbff 00fbff 00fbff 00fbff 00fbff 00fbff 00fbff // 8 fuel sensors: temperature i8, level u16
  2d 80 80 80                     // thermometers 1-4 (0x80: none)
  ffffffff ffff                   // axle weight, rpm
  2b                              // navigation: valid, 10 satellites
  161624100013                    // fix time
  509b0302 b0f89201               // latitude 56.318, longitude 44.0152267 (1/600000 degree)
  83050000                        // altitude 141.1 m
  00000000 3700                   // speed 0, course 55
  2fb8cf43 eed5843a               // mileage 415.4389 km, distance
  3500 3500                       // segment times
`);

/** §2.4 `*>A` with one F5.2 record (Traccar testDecodeNtcb #3): coordinates in float radians. */
const ARCHIVE_F52 = hex(`
  404e5443 00000000 04000000 5a00 c6 81 // @NTC, receiver 0, sender 4, length 90
  2a3e41 01                       // "*>A", 1 record
  25 e3a60700 0117                // format F5.2, index 501475, event 0x1701
  050715030110                    // event time 05:07:21 3 Feb 2016
  30 21 0c                        // security, modules status, GSM 12
  00 00 fa20 0910                 // outputs, inputs, power 8442 mV, battery 4105 mV
  e600 0000                       // analog inputs 1-2
  00000000 00000000               // counters
  01 082106150010                 // navigation (not valid), fix time 08:33:06 21 Jan 2016
  ae97643f 88a39f3f               // latitude 0.8929 rad, longitude 1.2472 rad
  00000000 9000                   // speed 0, course 144
  1fcc6c45 00000000 0000 0000     // mileage 3788.758 km, distance, segment times
  000000000000000000000000000000  // F5.1 sensor block
  f6 80 80 80                     // thermometers 1-4
`);

/** §2 the terminal's answer to `*!SETOUT 1Y,2N` (the vendor's standard-commands example), built by hand. */
const REPLY = hex(`
  404e5443 01000000 7b000000 1100 56 24 // @NTC, receiver 1, sender 0x7B, length 17, CSd, CSp
  2a40 5345544f5554 204f4b 2c3159 2c324e // "*@" "SETOUT" " OK" ",1Y" ",2N"
`);

/** §2 answer to the query `*?V` from an S-2421 (a real frame, traccar/traccar issue #5675). */
const VERSION_ANSWER = hex(`
  404e5443 01000000 00000000 2000 2c 14 // @NTC, receiver 1, sender 0, length 32, CSd, CSp
  2a23 56 3a532d32343231 3a30322e30302e3830 3a33312e31302e3234 3a5255 00 // "*#" "V" ":S-2421" ":02.00.80" ":31.10.24" ":RU" NUL
`);

/** Traccar attribute names (NavisProtocolDecoder) → ours (DESIGN §3), for corpus checks of attributes. */
const ATTRIBUTES: AttributeMap = {
  index: { name: 'navtelecom.record.index' },
  event: { name: 'event.enum' },
  format: { name: 'navtelecom.format' },
  sat: { name: 'position.satellites' },
  rssi: { name: 'gsm.signal.level' },
  power: { name: 'external.powersource.voltage' },
  battery: { name: 'battery.voltage' },
  odometer: { name: 'vehicle.mileage', convert: (km) => (typeof km === 'number' ? km * 1000 : km) }, // Traccar: m
  hours: { name: 'engine.hours', convert: (h) => (typeof h === 'number' ? Math.round(h * 3600000) : h) }, // Traccar: ms
  input: { name: 'din' },
  output: { name: 'dout' },
  hdop: { name: 'position.hdop' },
  pdop: { name: 'position.pdop' },
  temp1: { name: 'sensor.temperature.1' },
};

describe('protocols/navtelecom', () => {
  describe('crc', () => {
    it('uses CRC-8/NRSC-5 for FLEX (check value of "123456789" is 0xF7; ~A of 1 record is acked 7e4101df)', () => {
      expect(crc8(CRC8.NRSC5)(Buffer.from('123456789'))).toBe(0xf7);
      expect(encodeFlexAck(0x41, Buffer.from([1])).toString('hex')).toBe('7e4101df');
    });
    it('verifies the NTCB XORs of every fixture', () => {
      for (const f of [IDENT, NEGOTIATION, NEGOTIATION_10, SIM_NEGOTIATION, TELEMETRY_F60, ARCHIVE_F52]) {
        const p = readNtcb(f);
        expect(p).toMatchObject({ headerOk: true, dataOk: true });
      }
    });
  });

  describe('inspect', () => {
    it('§1.2.1 takes the IMEI from *>S and answers *<S with receiver and sender swapped', () => {
      const r = navtelecom.inspect(IDENT, session(), STRICT);
      expect(r).toMatchObject({ ident: IMEI, store: false, vars: { [Var.DeviceId]: 0x7b, [Var.ServerId]: 1 } });
      expect(r.reply?.toString('hex')).toBe(hex('404e5443 7b000000 01000000 0300 45 25 2a3c53').toString('hex'));
    });
    it('§1.2.1 keeps the negotiated mask and answers *<FLEX with the versions asked', () => {
      const r = navtelecom.inspect(NEGOTIATION, session(IMEI), STRICT);
      expect(r.vars).toEqual({ [Var.FlexVersion]: 0x14, [Var.FlexFields]: 122, [Var.FlexMask]: 'fffff008080800000e00000000000000', [Var.FlexSize]: 70 });
      expect(r.reply?.toString('hex')).toBe(hex('404e5443 a9eef602 01000000 0900 b1 13 2a3c464c4558 b0 14 14').toString('hex'));
    });
    it('§1.2.2 acks ~A with its count, ~T and ~X with the event index, ~C and ~E alike, each with CRC-8', () => {
      const s = session(IMEI, negotiationVars(readFlex(NEGOTIATION)));
      expect(navtelecom.inspect(ARCHIVE, s, STRICT)).toMatchObject({ store: true });
      expect(navtelecom.inspect(ARCHIVE, s, STRICT).reply?.toString('hex')).toBe('7e4101df');
      const s10 = session(IMEI, negotiationVars(readFlex(NEGOTIATION_10)));
      expect(navtelecom.inspect(EVENT, s10, STRICT).reply?.toString('hex')).toBe('7e540400000017');
      const sim = session(IMEI, negotiationVars(readFlex(SIM_NEGOTIATION)));
      expect(navtelecom.inspect(CURRENT, sim, STRICT).reply?.toString('hex')).toBe('7e43b9');
      expect(navtelecom.inspect(EXTRA_ARCHIVE, s, STRICT).reply?.toString('hex')).toBe('7e45015c');
      expect(navtelecom.inspect(EXTRA_EVENT, s, STRICT).reply?.toString('hex')).toBe('7e580a00000023');
    });
    it('§2.4 acks *>T with *<T + the record index and *>A with *<A + the count', () => {
      expect(navtelecom.inspect(TELEMETRY_F60, session(IMEI), STRICT).reply?.toString('hex')).toBe(
        hex('404e5443 cdfbf502 01000000 0700 ff 21 2a3c54 aa170000').toString('hex'),
      );
      expect(navtelecom.inspect(ARCHIVE_F52, session(IMEI), STRICT).reply?.toString('hex')).toBe(
        hex('404e5443 04000000 00000000 0400 56 4f 2a3c41 01').toString('hex'),
      );
    });
    it('stores command answers without acking them, and ignores keep-alives', () => {
      expect(navtelecom.inspect(REPLY, session(IMEI), STRICT)).toEqual({ store: true });
      expect(navtelecom.inspect(VERSION_ANSWER, session(IMEI), STRICT)).toEqual({ store: true });
      expect(navtelecom.inspect(Buffer.from([0x7f]), session(IMEI), STRICT)).toEqual({ store: false });
    });
    it('refuses data before *>S (and closes), and FLEX records before *>FLEX', () => {
      for (const f of [TELEMETRY_F60, ARCHIVE, REPLY]) {
        const r = navtelecom.inspect(f, session(), STRICT);
        expect(r).toMatchObject({ store: false, close: true });
        expect(r.error?.code).toBe('unidentified');
      }
      const r = navtelecom.inspect(ARCHIVE, session(IMEI), STRICT);
      expect(r).toMatchObject({ store: false, close: true });
      expect(r.reply).toBeUndefined();
    });
    it('refuses a *>S without an IMEI, and a *>FLEX that is not FLEX or lacks its mask', () => {
      expect(navtelecom.inspect(identFrame(''), session(), STRICT)).toMatchObject({ store: false, close: true, error: { code: 'malformed' } });
      const notFlex = hex('404e5443 01000000 00000000 0b00 45 56 2a3e464c4558 b1 0a 0a 08 ff'); // protocol B1
      expect(navtelecom.inspect(notFlex, session(IMEI), STRICT).error?.code).toBe('unsupported');
      const noMask = ntcbFrame(1, 0, Buffer.concat([Buffer.from('*>FLEX'), hex('b0 0a 0a 45 ffff')])); // 69 fields need 9 mask bytes
      expect(navtelecom.inspect(noMask, session(IMEI), STRICT)).toMatchObject({ store: false, error: { code: 'truncated' } });
    });
    it('refuses a wrong NTCB XOR under the strict policy; acks and marks it under the lenient one', () => {
      const bad = Buffer.from(TELEMETRY_F60);
      bad[bad.length - 1] ^= 0x01; // CSd no longer matches
      expect(navtelecom.inspect(bad, session(IMEI), STRICT)).toMatchObject({ store: false, error: { code: 'checksum', offset: 14 } });
      const c = new ConnectionCodec(navtelecom, LENIENT);
      c.decode(IDENT);
      const out = c.decode(bad);
      expect(out.replies.map((r) => r.toString('hex').slice(32))).toEqual(['2a3c54aa170000']);
      expect(out.messages[0]).toMatchObject({ 'crc.valid': false, ident: IMEI });
    });
    it('refuses a wrong FLEX CRC under the strict policy; acks and marks it under the lenient one', () => {
      const bad = Buffer.from(ARCHIVE);
      bad[bad.length - 1] ^= 0xff;
      const s = session(IMEI, negotiationVars(readFlex(NEGOTIATION)));
      const r = navtelecom.inspect(bad, s, STRICT);
      expect(r).toMatchObject({ store: false, error: { code: 'checksum' } });
      expect(r.reply).toBeUndefined();
      const c = new ConnectionCodec(navtelecom, LENIENT);
      c.decode(Buffer.concat([IDENT, NEGOTIATION]));
      const out = c.decode(bad);
      expect(out.replies.map((x) => x.toString('hex'))).toEqual(['7e4101df']);
      expect(out.messages.map((m) => m['crc.valid'])).toEqual([false]);
    });
  });

  describe('decode', () => {
    const flex = (frame: Buffer, negotiation: Buffer) =>
      navtelecom.decode(frame, { transport: 'tcp', vars: negotiationVars(readFlex(negotiation)), options: STRICT });

    it('§1.2.2 reads a ~A record field by field under the negotiated mask', () => {
      const out = flex(ARCHIVE, NEGOTIATION);
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          'navtelecom.record.index': 39,
          'event.enum': 5899,
          timestamp: 1547922353,
          'navtelecom.status': 0,
          'navtelecom.test.mode.status': false,
          'alarm.event.trigger': false,
          'towing.status': false,
          'navtelecom.power.saving.status': false,
          'navtelecom.modules.status.1': 169,
          'navtelecom.modules.status.2': 0,
          'gsm.signal.level': 13,
          'position.valid': true,
          'position.satellites': 18,
          'navtelecom.fix.timestamp': 1547922354,
          'position.latitude': 33792682 / 600000,
          'position.longitude': 26407465 / 600000,
          'position.altitude': 137.8,
          'position.speed': 0,
          'position.direction': 147,
          'vehicle.mileage': 1.668557,
          'navtelecom.distance': 0.1694715,
          'navtelecom.flex.17': 31,
          'navtelecom.flex.18': 31,
          'external.powersource.voltage': 27.82,
          'battery.voltage': 4.185,
          din: 0x81,
          'engine.hours': 240 / 3600,
          'sensor.temperature.1': 23,
          'can.vehicle.speed': 0,
          'navtelecom.satellites.systems': '080a000000000000',
          'position.hdop': 0.6,
          'position.pdop': 0.9,
        },
      ]);
      expect(sanityProblems(out.messages[0])).toEqual([]);
    });
    it('§1.2.2 reads a ~T event (FLEX 1.0 mask, CAN fields) with its event index', () => {
      const [m] = flex(EVENT, NEGOTIATION_10).messages;
      expect(m).toMatchObject({
        'navtelecom.event.index': 4,
        'navtelecom.record.index': 4,
        'event.enum': 0x1230,
        'position.valid': true,
        'position.satellites': 11,
        'position.altitude': 92.9,
        'position.direction': 196,
        'battery.voltage': 4.166,
        'sensor.temperature.1': 26,
        'can.fuel.level': 0x7fff,
        'can.fuel.used': -1,
        'can.engine.rpm': 0xffff,
        'can.engine.coolant.temperature': -128,
        'can.vehicle.mileage': -1,
        'can.vehicle.speed': 255,
      });
      expect(Object.keys(m)).toHaveLength(37); // 31 fields: the status byte gives 5, the navigation state 2, plus the event index
    });
    it('§1.2.2 reads a ~C current state', () => {
      expect(flex(CURRENT, SIM_NEGOTIATION).messages).toEqual([
        {
          'navtelecom.record.index': 7,
          'event.enum': 0,
          timestamp: 1768473000,
          'position.valid': true,
          'position.satellites': 9,
          'navtelecom.fix.timestamp': 1768473000,
          'position.latitude': 54.6,
          'position.longitude': 15120042 / 600000,
          'position.altitude': 120,
          'position.speed': 40,
          'position.direction': 49,
          'external.powersource.voltage': 12.6,
        },
      ]);
    });
    it('§1.2.2 reads FLEX 2.0 ~E / ~X records: the static part, the dynamic part as hex', () => {
      const want = {
        'navtelecom.record.index': 100,
        'event.enum': 5899,
        timestamp: 1547922353,
        'position.valid': true,
        'position.satellites': 18,
        'navtelecom.fix.timestamp': 1547922354,
        'position.latitude': 33792682 / 600000,
        'position.longitude': 26407465 / 600000,
        'position.altitude': 137.8,
        'position.speed': 54.3,
        'position.direction': 90,
        'vehicle.mileage': 1.5,
        'navtelecom.extra.data': 'abcd',
      };
      expect(flex(EXTRA_ARCHIVE, NEGOTIATION)).toEqual({ messages: [want], commandReplies: [], errors: [] });
      expect(flex(EXTRA_EVENT, NEGOTIATION).messages).toEqual([{ ...want, 'navtelecom.event.index': 10 }]);
    });
    it('§2.4 reads an F6.0 *>T record: fuel block, integer coordinates, altitude, satellites', () => {
      const out = navtelecom.decode(TELEMETRY_F60, { transport: 'tcp', options: STRICT });
      expect(out.errors).toEqual([]);
      expect(out.messages[0]).toMatchObject({
        'navtelecom.format': 6,
        'navtelecom.record.index': 6058,
        'event.enum': 0x11c1,
        timestamp: Date.UTC(2019, 0, 16, 22, 22, 36) / 1000,
        dout: 0x0e,
        din: 0x80,
        'external.powersource.voltage': 27.545,
        'battery.voltage': 4.136,
        'ain.3': 0.008,
        'navtelecom.frequency.1': 2002,
        'fuel.temperature.1': -1,
        'fuel.level.1': 0xffff,
        'fuel.level.8': 0xfffb,
        'sensor.temperature.1': 45,
        'sensor.temperature.4': -128,
        'position.valid': true,
        'position.satellites': 10,
        'position.latitude': 56.318,
        'position.longitude': 26409136 / 600000,
        'position.altitude': 141.1,
        'position.direction': 55,
        'vehicle.mileage': 415.4389,
        'alarm.event.trigger': false,
      });
      expect(sanityProblems(out.messages[0])).toEqual([]);
    });
    it('§2.4 reads an F5.2 *>A record: float radians to degrees, the F5.1 block kept as hex', () => {
      const out = navtelecom.decode(ARCHIVE_F52, { transport: 'tcp', options: STRICT });
      expect(out.errors).toEqual([]);
      expect(out.messages).toHaveLength(1);
      expect(out.messages[0]).toMatchObject({
        'navtelecom.format': 0x25,
        timestamp: Date.UTC(2016, 1, 3, 5, 7, 21) / 1000,
        'navtelecom.fix.timestamp': Date.UTC(2016, 0, 21, 8, 33, 6) / 1000,
        'position.valid': false,
        'position.latitude': 51.161662,
        'position.longitude': 71.45804,
        'position.direction': 144,
        'vehicle.mileage': 3788.758,
        'external.powersource.voltage': 8.442,
        'ain.1': 0.23,
        'navtelecom.f5.sensors': '00'.repeat(15),
        'sensor.temperature.1': -10,
      });
    });
    it('§2 turns *@ and *# answers into command replies correlated by the echoed keyword, and messages', () => {
      expect(navtelecom.decode(REPLY, { transport: 'tcp' })).toEqual({
        messages: [{ 'command.response': '*@SETOUT OK,1Y,2N' }],
        commandReplies: [{ response: '*@SETOUT OK,1Y,2N', executed: true, correlation: 'SETOUT' }],
        errors: [],
      });
      expect(navtelecom.decode(VERSION_ANSWER, { transport: 'tcp' }).commandReplies).toEqual([
        { response: '*#V:S-2421:02.00.80:31.10.24:RU', correlation: 'V' },
      ]);
      const binary = navtelecom.decode(ntcbFrame(1, 0, Buffer.from('*@C\x75\x04\x00\x00', 'latin1')), { transport: 'tcp' }).commandReplies;
      expect(binary).toEqual([{ response: '*@Cu...', hex: '2a404375040000', correlation: 'C' }]);
    });
    it('reports an unknown NTCB format, a short record and a FLEX record without a mask as typed errors', () => {
      const f = ntcbFrame(1, 0, Buffer.from('*>T\x09\x01\x00\x00\x00', 'latin1')); // format 0x09
      expect(navtelecom.decode(f, { transport: 'tcp', options: LENIENT }).errors.map((e) => e.code)).toContain('unsupported');
      const short = Buffer.from(ARCHIVE.subarray(0, 40));
      short[short.length - 1] = crc8(CRC8.NRSC5)(short.subarray(0, short.length - 1));
      expect(flex(short, NEGOTIATION).errors.map((e) => e.code)).toEqual(['truncated']);
      expect(navtelecom.decode(ARCHIVE, { transport: 'tcp' }).errors.map((e) => e.code)).toEqual(['unidentified']);
    });
  });

  describe('encoder', () => {
    const vars = { [Var.DeviceId]: 0x7b, [Var.ServerId]: 1 };
    it('§2.2 switches outputs with *!SETOUT <n>Y|N in an NTCB frame to the terminal', () => {
      const bytes = encodeCommand({ name: 'engine_stop', properties: {} }, { vars });
      expect(Buffer.isBuffer(bytes) && bytes.toString('hex')).toBe(
        hex(`
          404e5443 7b000000 01000000      // @NTC, receiver 0x7B (the terminal), sender 1
          0b00 4f 27                      // length 11, CSd, CSp
          2a21 5345544f5554 2031 59       // "*!" "SETOUT" " 1" "Y"
        `).toString('hex'),
      );
      const text = (name: string, properties: Record<string, unknown> = {}) => {
        const b = encodeCommand({ name, properties }, { vars: {} });
        return Buffer.isBuffer(b) ? b.toString('latin1', 16) : b.code;
      };
      expect(text('engine_resume')).toBe('*!SETOUT 1N');
      expect(text('output_control', { output: 3, state: true })).toBe('*!SETOUT 3Y');
      expect(text('output_control', { output: 2, state: 0 })).toBe('*!SETOUT 2N');
      expect(text('custom', { text: 'SETOUT 4Y' })).toBe('*!SETOUT 4Y');
      expect(text('custom', { hex: '2a3f56' })).toBe('*?V');
      expect(text('reboot')).toBe('*!DEV_RESET');
      expect(text('get_imei')).toBe('*?S');
      expect(text('get_iccid')).toBe('*?ICCID');
      expect(text('get_params', { ids: [21, 22] })).toBe('*?DATA 21,22');
      expect(text('time_adjust', { seconds: -300 })).toBe('*!SETTIME -300');
      expect(text('ussd', { code: '*100#' })).toBe('*?USSD *100#');
      expect(text('output_control', { output: 17, state: true })).toBe('command');
      expect(text('get_params', { ids: [] })).toBe('command');
      expect(text('locate')).toBe('command');
    });
    it('§2 sends queries with the default ids 0 and 1 before an identification (as a real *?V exchange, traccar#5675)', () => {
      const bytes = encodeCommand({ name: 'version', properties: {} }, { vars: {} });
      expect(Buffer.isBuffer(bytes) && bytes.toString('hex')).toBe(hex('404e5443 00000000 01000000 0300 43 58 2a3f56').toString('hex'));
    });
    it('correlates a command with the keyword its answer echoes', () => {
      expect(navtelecom.correlate?.({ name: 'output_control', properties: { output: 2, state: false } })).toBe('SETOUT');
      expect(navtelecom.correlate?.({ name: 'version', properties: {} })).toBe('V');
      expect(navtelecom.correlate?.({ name: 'custom', properties: { text: '*!DEV_RESET' } })).toBe('DEV_RESET');
      expect(navtelecom.correlate?.({ name: 'nope', properties: {} })).toBeUndefined();
    });
  });

  describe('framer', () => {
    const vars = (n: Buffer) => negotiationVars(readFlex(n));
    it('keeps the framer contract for NTCB, FLEX and keep-alive frames', () => {
      for (const f of [IDENT, NEGOTIATION, TELEMETRY_F60, ARCHIVE_F52, REPLY, VERSION_ANSWER, Buffer.from([0x7f])]) assertFramerContract(navtelecom, f);
      for (const f of [ARCHIVE, EXTRA_ARCHIVE, EXTRA_EVENT]) assertFramerContract(navtelecom, f, { vars: vars(NEGOTIATION) });
      assertFramerContract(navtelecom, EVENT, { vars: vars(NEGOTIATION_10) });
      assertFramerContract(navtelecom, CURRENT, { vars: vars(SIM_NEGOTIATION) });
    });
    it('gives the same result however the stream is chunked', () => {
      const stream = Buffer.concat([IDENT, NEGOTIATION, ARCHIVE, Buffer.from([0x7f]), EXTRA_ARCHIVE, EXTRA_EVENT, TELEMETRY_F60, ARCHIVE, REPLY, ARCHIVE_F52]);
      assertChunkingInvariant(navtelecom, stream);
      const out = new ConnectionCodec(navtelecom).decode(stream);
      expect(out.errors).toEqual([]);
      expect(out.messages).toHaveLength(7);
      expect(out.replies).toHaveLength(8); // all but the keep-alive and the command answer
    });
    it('refuses a frame above the channel limit, a first byte of no frame, and FLEX before the negotiation', () => {
      const big = navtelecom.frame(hex('404e5443 01000000 00000000 ffff 00 00'), session(), { crc: 'strict', maxFrameSize: 1024 });
      expect(big).toMatchObject({ type: 'error', consumed: 0, error: { code: 'oversize' } });
      expect(navtelecom.frame(hex('24 4e5443'), session(), STRICT)).toMatchObject({ type: 'error', consumed: 0, error: { code: 'malformed' } });
      expect(navtelecom.frame(hex('404e5458 00'), session(), STRICT)).toMatchObject({ type: 'error', consumed: 0, error: { code: 'malformed' } });
      expect(navtelecom.frame(ARCHIVE, session(IMEI), STRICT)).toMatchObject({ type: 'error', consumed: 0, error: { code: 'unidentified' } });
      expect(navtelecom.frame(hex('7e5a 00'), session(IMEI, vars(NEGOTIATION)), STRICT)).toMatchObject({ type: 'error', error: { code: 'malformed' } });
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input (fast-check)', () => {
      const seeds = [IDENT, NEGOTIATION, ARCHIVE, TELEMETRY_F60, ARCHIVE_F52, REPLY, VERSION_ANSWER, EXTRA_ARCHIVE, EXTRA_EVENT, Buffer.from([0x7f])];
      expect(fuzzCodec(navtelecom, seeds, 2000, 'tcp', Buffer.concat([IDENT, NEGOTIATION]))).toBe(2000);
    });
  });

  describe('device side', () => {
    it('builds the simulator frames the hub decodes back', () => {
      const c = new ConnectionCodec(navtelecom);
      const login = c.decode(Buffer.concat([identFrame('866795000000001'), SIM_NEGOTIATION]));
      expect(login.replies).toHaveLength(2);
      const out = c.decode(Buffer.concat([flexArchive([flexRecord(SIM_FIELDS, { 1: 5 })]), flexEvent(9, flexRecord(SIM_FIELDS, { 1: 6 }))]));
      expect(out.messages.map((m) => [m['navtelecom.record.index'], m['navtelecom.event.index']])).toEqual([
        [5, undefined],
        [6, 9],
      ]);
      expect(out.replies.map((r) => r.toString('hex'))).toEqual(['7e4101df', encodeFlexAck(0x54, hex('09000000')).toString('hex')]);
    });
  });

  const corpus = loadCorpus('navis.json');
  describe.runIf(corpus)('conformance corpus', () => {
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(navtelecom, corpus ?? [], ATTRIBUTES);
      const rate = reportPassRate('navtelecom', results);
      for (const r of results) for (const m of r.messages) expect(sanityProblems(m), `${r.entry.test}#${r.entry.seq}`).toEqual([]);
      for (const r of results) expect(r.errors, `${r.entry.test}#${r.entry.seq}`).toEqual([]); // every NTCB XOR and FLEX CRC matches
      expect(rate).toBeGreaterThanOrEqual(0.95);
    });
    it('cuts the corpus framer vectors (FLEX ones with the record size their test sets or negotiates)', () => {
      const flex30 = corpus?.find((e) => e.test === 'testDecodeFlex30' && e.seq === 1);
      const flex30Vars = flex30 ? negotiationVars(readFlex(entryBytes(flex30))) : {};
      for (const e of (corpus ?? []).filter((x) => x.kind === 'frameDecoder')) {
        const size = setupSettings(e.setup).flexDataSize;
        const vars = typeof size === 'number' ? { [Var.FlexSize]: size } : e.test.includes('Flex30Data') ? flex30Vars : {};
        const r = navtelecom.frame(Buffer.from(e.frame, 'hex'), session(IMEI, vars), STRICT);
        expect(r.type === 'frame' && r.frame.toString('hex'), `${e.test}#${e.seq}`).toBe(e.expect.frames?.[0]);
      }
    });
    it('encodes the corpus commands byte for byte', () => {
      for (const e of (corpus ?? []).filter((x) => x.kind === 'encode')) {
        const bytes = encodeCommand({ name: 'custom', properties: { text: String(e.expect.command?.attributes?.data) } }, { vars: {} });
        expect(Buffer.isBuffer(bytes) && bytes.toString('hex')).toBe(e.frame);
      }
    });
    it('is named by hub identify for a real identification frame', () => {
      const e = corpus?.find((x) => x.test === 'testDecodeNtcb' && x.seq === 0);
      const found = identify(e ? entryBytes(e) : IDENT);
      expect(found[0]).toMatchObject({ protocol: 'navtelecom', confidence: 'high' });
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});

function readFlex(frame: Buffer) {
  const p = readNtcb(frame);
  if (p instanceof Error) throw p;
  const n = readFlexNegotiation(p.data);
  if (n instanceof Error) throw n;
  return n;
}
