import { describe, expect, it } from 'vitest';
import { identify } from '../../../bin/commands/identify.js';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import type { CodecOptions, Message, SessionState } from '../../../protocols/common/types.js';
import { heartbeat, location, login, simEelinkFix } from '../../../protocols/eelink/device.js';
import { parseSettings } from '../../../protocols/eelink/device-types.js';
import { encodeAck, encodeCommand, encodeEnvelope, encodeLoginReply } from '../../../protocols/eelink/encoder.js';
import { eelink } from '../../../protocols/eelink/index.js';
import { envelopeSum } from '../../../protocols/eelink/packet.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { type AttributeMap, entryBytes, loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';
import { hexFixture } from '../../helpers/hex.js';

const hex = hexFixture;
const STRICT: CodecOptions = { crc: 'strict', maxFrameSize: 65536 };
const LENIENT: CodecOptions = { crc: 'lenient', maxFrameSize: 65536 };
const IMEI = '352544071677471';
const session = (ident?: string, transport: SessionState['transport'] = 'tcp'): SessionState => ({ transport, vars: {}, ...(ident ? { ident } : {}) });
const decodeOne = (frame: Buffer, ident: string | undefined = IMEI, receivedAt?: number) =>
  eelink.decode(frame, { transport: 'tcp', ident, vars: {}, options: STRICT, receivedAt });

/** Independent builders for expected bytes (§5.1 package, §4.2 envelope), so the encoder is not checked against itself. */
function pkg(pid: number, sequence: number, content: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from([0x67, 0x67, pid, (content.length + 2) >> 8, (content.length + 2) & 0xff, sequence >> 8, sequence & 0xff]), content]);
}
function rotateAdd(bytes: Buffer): number {
  let sum = 0;
  for (const b of bytes) sum = (((sum << 1) | (sum >> 15)) + b) & 0xffff;
  return sum;
}
function el(imei: string, packages: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(`0${imei}`, 'hex'), packages]);
  const sum = rotateAdd(body);
  return Buffer.concat([Buffer.from([0x45, 0x4c, (body.length + 2) >> 8, (body.length + 2) & 0xff, sum >> 8, sum & 0xff]), body]);
}

// Frames: Traccar's EelinkProtocolDecoderTest / EncoderTest vectors (Apache-2.0) and frames built
// from the Eelink Device Protocol 2.0 layouts (§ numbers below).

/** §5.2 login (2.0), EelinkProtocolDecoderTest #3 (inside its envelope). */
const LOGIN = hex(`
  6767              // §5.1 mark
  01                // PID: login
  0018              // size: sequence + content = 24
  0002              // sequence
  0352544071677471  // IMEI BCD[8], leading 0 → 352544071677471
  00                // language (0 Chinese, 1 English)
  20                // time zone: 32 quarter hours = GMT+8
  0205 0205         // system version, application version
  0001 0432 0000 86bd // param-set version, original size, compressed size, sum
`);

/** 1.x login (IMEI + language), EelinkProtocolDecoderTest #32. */
const LOGIN_V1 = hex(`
  6767 01 000b 001b // login, size 11, sequence 0x1b
  0354188046618349  // IMEI 354188046618349
  01                // language: English
`);

/** §5.3 heartbeat, EelinkProtocolDecoderTest #19. */
const HEARTBEAT = hex(`
  6767 03 0004 0021 // heartbeat, size 4, sequence 0x21
  006e              // §3.5 status: ACC present + on (1, 2), accelerometer (3), relay present (5), bit 6
`);

/** §5.4 location, EelinkProtocolDecoderTest #22: position, serving cell, status and the first optional fields. */
const LOCATION = hex(`
  6767 12 002d 066c // location, size 45, sequence 0x066c
  592cca68          // §3.4 time 2017-05-30 01:27:04 UTC
  03                // mask: position (0) + serving cell (1)
  002631a6          // §3.6 latitude  2503078 / 1,800,000 → 1.3905989
  0b221277          //      longitude 186782327 / 1,800,000 → 103.7679594
  0024 0046 005c 08 // altitude 36 m, speed 70 km/h, course 92, 8 satellites
  020d 0003 01af 000da0fd 12 // MCC 525, MNC 3, LAC 431, CID 893181, RxLev 18
  007f              // §3.5 status: fixed, ACC on, armed, still, relay present with bit 6 (not blocked)
  11ce              // battery 4558 mV
  0582 0000         // AIN0 1410 (14.10 V), AIN1 0
  001899c0          // mileage 1612224 m
`);

/** §5.4 location with mask 0x91 (position, Wi-Fi, LTE block), EelinkProtocolDecoderTest #1. */
const LOCATION_LTE = hex(`
  6767 12 0056 0966
  61d38e00 91       // 2022-01-04 00:00:00, mask: position + access point 0 + LTE
  fbf0aa3a 0f8fa085 0006 0051 015f 09 // -37.8410344, 145.0394339, 6 m, 81 km/h, 351°, 9 satellites
  002542e50e7e a6   // access point 00:25:42:e5:0e:7e, -90 dBm
  08 01             // radio access technology 8; 1 LTE cell, 0 access points
  01f9 0001 304e 304e 0818390d 0000 00c5 24c2 ae // MCC 505, MNC 1, LAC, TAC, CID, TA 0, PCID 197, EARFCN 9410, -82 dBm
  0699              // status
  102b 0000 0000 000115b0 0405 0405 0000 0000 // battery, AIN0/1, mileage 71088 m, GSM/GPS counters, pedometer
  1400 0000 00000000 00000000 // temperature 0x1400/256 = 20 °C, humidity, illuminance, CO2
  0000              // temperature 2
  00 02             // BLE: 0 tags, id 2
`);

/** §5.5 warning, EelinkProtocolDecoderTest #9: vibration. */
const WARNING = hex(`
  6767 14 0024 14b0
  5ad43a7d 03       // 2018-04-16 05:54:05, position + serving cell
  026b92b1 0c395499 ffd7 0000 0000 07 // 22.557965, 113.935445, -41 m, 0 km/h, 0°, 7 satellites
  01cc 0000 2495 00001420 36 // MCC 460, MNC 0, LAC 9365, CID 5152, RxLev 54
  04                // warning type: vibration
  067b              // status
`);

/** §5.6 report (built from the layout): position only, report type 1, status. */
const REPORT = hex(`
  6767 15 0019 0005
  5f3cf435 01       // 2020-08-19 09:43:17, mask: position
  fc94d376 0c79328a 0129 0028 005a 0a // -31.8641122, 116.26077, 297 m, 40 km/h, 90°, 10 satellites
  01                // report type 1
  0407              // status: fixed, ACC on, GPS module running
`);

/** §5.7 message (built from the layout): no location fields, the message kept as hex. */
const MESSAGE = hex('6767 16 000c 0006 5f3cf435 00 48454c4c4f');

/** 1.x GPS package, EelinkProtocolDecoderTest #30 (not answered). */
const GPS_V1 = hex(`
  6767 02 0025 00bb
  569fc361          // 2016-01-20 17:26:57
  0517a091 020b1160 // 47.4636183, 19.04432
  00 0019           // speed 0 km/h, course 25
  00d8 001e 005b 000446 // MCC 216, MNC 30, LAC 91, CID 1094 (u24)
  01                // fix flags: valid
  001f              // status
  1170 0032 0000 0000 // battery 4464 mV, signal 50, ADC1, ADC2
`);

/** 1.x alarm package, EelinkProtocolDecoderTest #28: geofence entered. */
const ALARM_V1 = hex(`
  6767 04 001c 01a4 // alarm, size 28, sequence 0x01a4
  569ff2dd          // 2016-01-20 20:49:33
  0517a0f7 020b0d9a // 47.463675, 19.0437833
  06 0110           // 6 km/h, course 272
  00d8 001e 005b 000445 // MCC 216, MNC 30, LAC 91, CID 1093
  01                // fix flags: valid
  83                // alarm code: geofence entered
`);

/** 1.x state package, EelinkProtocolDecoderTest #18: state type 1, device time, status. */
const STATE_V1 = hex(`
  6767 05 0022 001f // state, size 34, sequence 0x1f
  59643640          // 2017-07-11 02:21:52
  00000000 00000000 00 0000 // no position: 0, 0, 0 km/h, course 0
  01cc 0000 2495 001420 // MCC 460, MNC 0, LAC 9365, CID 5152
  00                // fix flags: not valid
  01                // state type 1
  5964a6c0          // device time of the change
  006e              // status
`);

/** 1.x OBD package, EelinkProtocolDecoderTest #6 (first elements): PID + 4 data bytes, 0x55 padding. */
const OBD_V1 = hex(`
  6767 07 001a 02df
  5c89fde8          // 2019-03-14 07:08:24
  0c 105c5555       // engine RPM (256A + B) / 4 = 1047
  0d 11555555       // vehicle speed 17 km/h
  4237f55555        // module voltage 14325 mV
  8a 0000aef7       // Eelink 0x8A odometer 44791 km
`);

/** §5.13 answer to WHERE#, EelinkProtocolDecoderTest #10. */
const WHERE_ANSWER = hex(`
  6767 80 005a 0000
  01 00000000       // type, server flag 0
  4c61743a4e33312e38333935352c4c6f6e3a5738322e36313334362c436f757273653a302e30302c53706565643a302e30306b6d2f682c4461746554696d653a323031372d31322d30322031313a32393a3433
`);

/** §4.2 UDP envelope around a location, EelinkProtocolDecoderTest #12. */
const ENVELOPE = hex(`
  454c 0050         // EL, size 80 (from the sum on)
  eae2              // sum (rotate left 1, add each byte after it)
  0352544071677471  // IMEI BCD[8]
  6767 12 0041 0021 // location, size 65, sequence 0x21
  590bd938 03       // 2017-05-05 01:45:28, position + serving cell
  026b940d 0c3952ad 0021 0000 0000 05 // 22.5581583, 113.9351717, 33 m, 0 km/h, 0°, 5 satellites
  01cc 0001 a53f 0170f0ab 13 // MCC 460, MNC 1, LAC, CID, RxLev
  0589 0f11 0000 0000 0000c2d0 // status (charging), battery 3857 mV, AIN0/1, mileage 49872 m
  001c 0016 0000 0000 // GSM/GPS counters, pedometer
  0000 0000 00000000 00000000 // temperature, humidity, illuminance, CO2
`);

describe('protocols/eelink', () => {
  describe('envelope sum (§4.2)', () => {
    it('rotates left by one and adds each byte after the sum field (EelinkProtocolDecoderTest #12 and EncoderTest UDP)', () => {
      expect(envelopeSum(ENVELOPE, 6, ENVELOPE.length)).toBe(0xeae2);
      expect(rotateAdd(ENVELOPE.subarray(6))).toBe(0xeae2);
      const udp = hex('454c001eb41a0123456789012345676780000f0000010000000052454c41592c3123');
      expect(envelopeSum(udp, 6, udp.length)).toBe(0xb41a);
    });
  });

  describe('inspect', () => {
    it('binds the IMEI of a §5.2 login and answers time 0, version 0001, action 00 with its sequence', () => {
      const r = eelink.inspect(LOGIN, session(), STRICT);
      expect(r).toEqual({ store: false, ident: IMEI, reply: hex('6767 01 0009 0002 00000000 0001 00') });
    });
    it('binds the IMEI of a 1.x login (IMEI + language only)', () => {
      const r = eelink.inspect(LOGIN_V1, session(), STRICT);
      expect(r).toEqual({ store: false, ident: '354188046618349', reply: hex('6767 01 0009 001b 00000000 0001 00') });
    });
    it('refuses a login whose IMEI is not BCD and closes', () => {
      const r = eelink.inspect(pkg(0x01, 1, hex('0a52544071677471 01')), session(), STRICT);
      expect(r).toMatchObject({ store: false, close: true });
      expect(r.error?.code).toBe('malformed');
    });
    it('stores every decoded package and answers it with its PID and sequence (§5.1 note 3)', () => {
      const cases: [Buffer, string][] = [
        [HEARTBEAT, '6767 03 0002 0021'],
        [LOCATION, '6767 12 0002 066c'],
        [WARNING, '6767 14 0002 14b0'],
        [REPORT, '6767 15 0002 0005'],
        [MESSAGE, '6767 16 0002 0006'],
        [ALARM_V1, '6767 04 0002 01a4'],
        [STATE_V1, '6767 05 0002 001f'],
        [OBD_V1, '6767 07 0002 02df'],
        [WHERE_ANSWER, '6767 80 0002 0000'],
      ];
      for (const [frame, ack] of cases) {
        expect(eelink.inspect(frame, session(IMEI), STRICT), ack).toEqual({ store: true, reply: hex(ack) });
      }
    });
    it('stores the 1.x GPS package without answering it', () => {
      expect(eelink.inspect(GPS_V1, session(IMEI), STRICT)).toEqual({ store: true });
    });
    it('answers a package it does not decode (0x1B param-set) without storing it, and ignores a 0x81 broadcast', () => {
      expect(eelink.inspect(pkg(0x1b, 9, hex('0102')), session(IMEI), STRICT)).toEqual({ store: false, reply: pkg(0x1b, 9) });
      expect(eelink.inspect(pkg(0x81, 9, hex('0102')), session(IMEI), STRICT)).toEqual({ store: false });
    });
    it('refuses data before the login on TCP (unidentified): not stored, not answered, closed', () => {
      const r = eelink.inspect(LOCATION, session(), STRICT);
      expect(r).toMatchObject({ store: false, close: true });
      expect(r.reply).toBeUndefined();
      expect(r.error?.code).toBe('unidentified');
    });
    it('refuses a bare UDP package without an envelope (no IMEI) and leaves nothing to close', () => {
      const r = eelink.inspect(LOCATION, session(undefined, 'udp'), STRICT);
      expect(r).toMatchObject({ store: false, close: false });
      expect(r.error?.code).toBe('unidentified');
    });
    it('identifies a UDP envelope by its IMEI and answers in an envelope (§4.2)', () => {
      const r = eelink.inspect(ENVELOPE, session(undefined, 'udp'), STRICT);
      expect(r).toEqual({ store: true, ident: IMEI, reply: el(IMEI, pkg(0x12, 0x21)) });
      expect(r.reply?.toString('hex')).toBe('454c0011a67e035254407167747167671200020021');
    });
    it('answers every package of an envelope in one envelope', () => {
      const both = Buffer.concat([LOCATION, HEARTBEAT]);
      const r = eelink.inspect(el(IMEI, both), session(undefined, 'udp'), STRICT);
      expect(r.reply).toEqual(el(IMEI, Buffer.concat([pkg(0x12, 0x066c), pkg(0x03, 0x21)])));
    });
    it('does not store or answer an envelope with a wrong sum (strict)', () => {
      const bad = Buffer.from(ENVELOPE);
      bad[5] ^= 0xff;
      const r = eelink.inspect(bad, session(undefined, 'udp'), STRICT);
      expect(r).toMatchObject({ store: false });
      expect(r.reply).toBeUndefined();
      expect(r.error?.code).toBe('checksum');
    });
    it('stores and answers a wrong-sum envelope under the lenient policy, marking its message', () => {
      const bad = Buffer.from(ENVELOPE);
      bad[5] ^= 0xff;
      const out = new ConnectionCodec(eelink, LENIENT, 'udp').decode(bad);
      expect(out.replies).toEqual([el(IMEI, pkg(0x12, 0x21))]);
      expect(out.messages).toHaveLength(1);
      expect(out.messages[0]['crc.valid']).toBe(false);
      expect(out.errors).toEqual(['checksum at byte 4: EL envelope sum does not match the frame']);
    });
  });

  describe('decode', () => {
    it('decodes a §5.4 location: time, position, serving cell, status bits, battery, AIN, mileage', () => {
      const out = decodeOne(LOCATION);
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          timestamp: Date.UTC(2017, 4, 30, 1, 27, 4) / 1000,
          'position.latitude': 1.3905989,
          'position.longitude': 103.7679594,
          'position.altitude': 36,
          'position.speed': 70,
          'position.direction': 92,
          'position.satellites': 8,
          'gsm.mcc': 525,
          'gsm.mnc': 3,
          'gsm.lac': 431,
          'gsm.cellid': 893181,
          'gsm.signal.level': 18,
          'position.valid': true,
          'engine.ignition.status': true,
          'armed.status': true,
          'movement.status': false,
          'engine.blocked.status': false,
          'gnss.status': false,
          din: 0,
          'eelink.status': 0x7f,
          'battery.voltage': 4.558,
          'ain.1': 14.1,
          'ain.2': 0,
          'vehicle.mileage': 1612.224,
        },
      ]);
    });
    it('decodes the §5.4 Wi-Fi and LTE blocks and the optional sensor fields', () => {
      const [m] = decodeOne(LOCATION_LTE).messages;
      expect(m).toMatchObject({
        'position.latitude': -37.8410344,
        'position.longitude': 145.0394339,
        'wifi.access.points': [['00:25:42:e5:0e:7e', -90]],
        'eelink.lte.rat': 8,
        'gsm.mcc': 505,
        'gsm.mnc': 1,
        'gsm.lac': 12366,
        'gsm.cellid': 0x0818390d,
        'eelink.lte.tac': 12366,
        'eelink.lte.pcid': 197,
        'eelink.lte.earfcn': 9410,
        'eelink.lte.rssi': -82,
        'vehicle.mileage': 71.088,
        'eelink.gsm.counter': 1029,
        'sensor.temperature.1': 20,
        'sensor.humidity.1': 0,
        'sensor.temperature.2': 0,
      });
      expect(m['eelink.payload']).toBeUndefined();
      expect(sanityProblems(m)).toEqual([]);
    });
    it('decodes a §5.5 warning into alarm.type, alarm.event.trigger and event.enum', () => {
      const [m] = decodeOne(WARNING).messages;
      expect(m).toEqual({
        timestamp: 1523858045,
        'position.latitude': 22.557965,
        'position.longitude': 113.935445,
        'position.altitude': -41,
        'position.speed': 0,
        'position.direction': 0,
        'position.satellites': 7,
        'gsm.mcc': 460,
        'gsm.mnc': 0,
        'gsm.lac': 9365,
        'gsm.cellid': 5152,
        'gsm.signal.level': 54,
        'alarm.type': 'vibration',
        'alarm.event.trigger': true,
        'event.enum': 4,
        'position.valid': true,
        'engine.ignition.status': false,
        'armed.status': true,
        'movement.status': true,
        'engine.blocked.status': false,
        'gnss.status': true,
        din: 0,
        'eelink.status': 0x067b,
      });
    });
    it('keeps an unknown warning code as event.enum without an alarm.type', () => {
      const frame = pkg(0x14, 3, hex('5f3cf435 00 7f 0000'));
      expect(decodeOne(frame).messages[0]).toMatchObject({ 'alarm.event.trigger': true, 'event.enum': 0x7f });
      expect(decodeOne(frame).messages[0]['alarm.type']).toBeUndefined();
    });
    it('decodes a §5.6 report: report type as event.enum, then the status', () => {
      expect(decodeOne(REPORT).messages).toEqual([
        {
          timestamp: 1597830197,
          'position.latitude': -31.8641122,
          'position.longitude': 116.26077,
          'position.altitude': 297,
          'position.speed': 40,
          'position.direction': 90,
          'position.satellites': 10,
          'event.enum': 1,
          'position.valid': true,
          'engine.ignition.status': true,
          'gnss.status': true,
          din: 0,
          'eelink.status': 0x0407,
        },
      ]);
    });
    it('keeps the content of a §5.7 message package as hex after its location fields', () => {
      expect(decodeOne(MESSAGE).messages).toEqual([{ timestamp: 1597830197, 'eelink.payload': '48454c4c4f' }]);
    });
    it('decodes a heartbeat status word (§3.5: ignition, relay, feature bits)', () => {
      expect(decodeOne(HEARTBEAT).messages).toEqual([
        {
          'engine.ignition.status': true,
          'armed.status': false,
          'movement.status': false,
          'engine.blocked.status': false,
          'gnss.status': false,
          din: 0,
          'eelink.status': 0x6e,
        },
      ]);
    });
    it('decodes the 1.x GPS, alarm and state packages', () => {
      expect(decodeOne(GPS_V1).messages[0]).toEqual({
        timestamp: 1453310817,
        'position.latitude': 47.4636183,
        'position.longitude': 19.04432,
        'position.speed': 0,
        'position.direction': 25,
        'gsm.mcc': 216,
        'gsm.mnc': 30,
        'gsm.lac': 91,
        'gsm.cellid': 1094,
        'position.valid': true,
        'engine.ignition.status': true,
        'armed.status': true,
        'movement.status': false,
        'gnss.status': false,
        din: 0,
        'eelink.status': 0x1f,
        'battery.voltage': 4.464,
        'gsm.signal.level': 50,
        'eelink.adc.1': 0,
        'eelink.adc.2': 0,
      });
      expect(decodeOne(ALARM_V1).messages[0]).toMatchObject({
        'alarm.type': 'geofence_enter',
        'event.enum': 0x83,
        'position.speed': 6,
        'position.direction': 272,
      });
      expect(decodeOne(STATE_V1).messages[0]).toMatchObject({
        'event.enum': 1,
        'position.valid': false,
        'engine.ignition.status': true,
        'eelink.status': 0x6e,
      });
    });
    it('decodes 1.x OBD elements by the PID table (standard formulas, Eelink 0x8A odometer)', () => {
      expect(decodeOne(OBD_V1).messages).toEqual([
        { timestamp: 1552547304, 'obd.engine.rpm': 1047, 'obd.vehicle.speed': 17, 'obd.voltage': 14.325, 'obd.mileage': 44791 },
      ]);
      const unknown = decodeOne(pkg(0x07, 1, hex('5c89fde8 ee01020304'))).messages[0];
      expect(unknown).toEqual({ timestamp: 1552547304, 'eelink.obd.238': '01020304' });
    });
    it('turns a §5.13 answer into a command reply; a WHERE# answer also gives the position', () => {
      const out = decodeOne(WHERE_ANSWER);
      const text = 'Lat:N31.83955,Lon:W82.61346,Course:0.00,Speed:0.00km/h,DateTime:2017-12-02 11:29:43';
      expect(out.commandReplies).toEqual([{ response: text }]);
      expect(out.messages).toEqual([
        {
          timestamp: Date.UTC(2017, 11, 2, 11, 29, 43) / 1000,
          'position.latitude': 31.83955,
          'position.longitude': -82.61346,
          'position.direction': 0,
          'position.speed': 0,
          'position.valid': true,
          'command.response': text,
        },
      ]);
    });
    it('echoes the server flag of an answer as the correlation of the hub command', () => {
      expect(eelink.correlate?.({ name: 'status', properties: {}, id: 4242 })).toBe('4242');
      const out = decodeOne(pkg(0x80, 0, Buffer.concat([hex('01 00001092'), Buffer.from('BATTERY:80%')])));
      expect(out.commandReplies).toEqual([{ response: 'BATTERY:80%', correlation: '4242' }]);
      expect(out.messages).toEqual([{ 'command.response': 'BATTERY:80%' }]);
    });
    it('reads executed from an answer that says OK or failed (and leaves it out otherwise)', () => {
      const answer = (text: string) => decodeOne(pkg(0x80, 0, Buffer.concat([hex('01 00000000'), Buffer.from(text)]))).commandReplies;
      expect(answer('RELAY:OK')).toEqual([{ response: 'RELAY:OK', executed: true }]);
      expect(answer('Set GMT failed')).toEqual([{ response: 'Set GMT failed', executed: false }]);
      expect(answer('Command error!')).toEqual([{ response: 'Command error!', executed: false }]);
    });
    it('decodes every package of an envelope, with the envelope IMEI as identity', () => {
      const out = eelink.decode(el(IMEI, Buffer.concat([LOCATION, HEARTBEAT])), { transport: 'udp', options: STRICT });
      expect(out.errors).toEqual([]);
      expect(out.messages.map((m) => m['eelink.status'])).toEqual([0x7f, 0x6e]);
    });
    it('stands in the receive time for a device clock not yet set (before 2000)', () => {
      const [m] = decodeOne(pkg(0x12, 1, hex('00000005 00 0407')), IMEI, 1768435200).messages;
      expect(m.timestamp).toBe(1768435200);
    });
    it('returns a typed error for a truncated package, never an exception', () => {
      const out = decodeOne(pkg(0x12, 1, LOCATION.subarray(7, 20)));
      expect(out.messages).toEqual([]);
      expect(out.errors.map((e) => e.code)).toEqual(['truncated']);
    });
    it('does not decode data before the login', () => {
      const out = eelink.decode(LOCATION, { transport: 'tcp', options: STRICT });
      expect(out.messages).toEqual([]);
      expect(out.errors.map((e) => e.code)).toEqual(['unidentified']);
    });
    it('keeps every decoded message sane', () => {
      for (const f of [LOCATION, LOCATION_LTE, WARNING, REPORT, GPS_V1, ALARM_V1, STATE_V1, OBD_V1, WHERE_ANSWER, ENVELOPE]) {
        for (const m of decodeOne(f).messages) expect(sanityProblems(m as Message)).toEqual([]);
      }
    });
  });

  describe('encoder', () => {
    const tcp = session(IMEI);
    const cmd = (name: string, properties: Record<string, unknown> = {}, id?: number) => encodeCommand({ name, properties, ...(id ? { id } : {}) }, tcp);
    /** §5.13 instruction: type 01, server flag, text; sequence 0. */
    const instruction = (text: string, flag = 0) =>
      pkg(0x80, 0, Buffer.concat([Buffer.from([1, flag >>> 24, (flag >> 16) & 0xff, (flag >> 8) & 0xff, flag & 0xff]), Buffer.from(text)]));
    it('encodes engine stop exactly as Traccar over TCP and UDP (EelinkProtocolEncoderTest)', () => {
      expect(cmd('engine_stop')).toEqual(hex('6767 80 000f 0000 01 00000000 52454c41592c3123'));
      const udp = encodeCommand({ name: 'engine_stop', properties: {} }, session('123456789012345', 'udp'));
      expect(udp).toEqual(hex('454c 001e b41a 0123456789012345 6767 80 000f 0000 01 00000000 52454c41592c3123'));
    });
    it('encodes the named commands (§6) as instructions', () => {
      const cases: [string, Record<string, unknown>, string][] = [
        ['locate', {}, 'WHERE#'],
        ['engine_resume', {}, 'RELAY,0#'],
        ['reboot', {}, 'RESET#'],
        ['version', {}, 'VERSION#'],
        ['params', {}, 'PARAM#'],
        ['status', {}, 'STATUS#'],
        ['interval', { seconds: 30 }, 'TIMER,30,30#'],
        ['interval', { seconds: 10, stoppedSeconds: 300 }, 'TIMER,10,300#'],
        ['interval', { value: 0 }, 'TIMER,0,0#'],
        ['timezone', { minutes: -210 }, 'GMT,W,3,30#'],
        ['timezone', { value: 480 }, 'GMT,E,8,0#'],
        ['sos_number', { number: '+15551234567' }, 'SOS,A,+15551234567#'],
        ['sos_number', { number: ['111', '222'] }, 'SOS,A,111,222#'],
        ['sos_number', { number: [] }, 'SOS,D#'],
        ['output', { index: 2, on: true }, 'PORT,0100,0100#'],
        ['output', { index: 4, on: false }, 'PORT,0000,0001#'],
        ['custom', { text: 'APN,internet#' }, 'APN,internet#'],
      ];
      for (const [name, props, text] of cases) expect(cmd(name, props), name).toEqual(instruction(text));
    });
    it('sends raw custom bytes and carries the hub command id in the server flag', () => {
      expect(cmd('custom', { hex: '56455253494f4e23' })).toEqual(instruction('VERSION#'));
      expect(cmd('locate', {}, 0x01020304)).toEqual(instruction('WHERE#', 0x01020304));
    });
    it('names the bad property of a command it cannot encode', () => {
      expect(cmd('interval', { seconds: -1 })).toMatchObject({ code: 'command', reason: expect.stringContaining('seconds') });
      expect(cmd('interval', { seconds: 10, stoppedSeconds: 1.5 })).toMatchObject({ code: 'command', reason: expect.stringContaining('stoppedSeconds') });
      expect(cmd('timezone', { minutes: 7 })).toMatchObject({ code: 'command', reason: expect.stringContaining('minutes') });
      expect(cmd('sos_number', { number: 'abc' })).toMatchObject({ code: 'command', reason: expect.stringContaining('number') });
      expect(cmd('output', { index: 5, on: true })).toMatchObject({ code: 'command', reason: expect.stringContaining('index') });
      expect(cmd('output', { index: 1 })).toMatchObject({ code: 'command', reason: expect.stringContaining('on') });
      expect(cmd('custom', {})).toMatchObject({ code: 'command', reason: expect.stringContaining('text') });
      expect(cmd('custom', { hex: 'zz' })).toMatchObject({ code: 'command', reason: expect.stringContaining('hex') });
      expect(cmd('custom', { text: 'x'.repeat(600) })).toMatchObject({ code: 'command', reason: expect.stringContaining('600 bytes') });
      expect(cmd('nope')).toMatchObject({ code: 'command', reason: expect.stringContaining('nope') });
      expect(encodeCommand({ name: 'locate', properties: {} }, session(undefined, 'udp'))).toMatchObject({
        code: 'command',
        reason: expect.stringContaining('IMEI'),
      });
    });
    it('builds acks, the login answer and envelopes byte for byte', () => {
      expect(encodeAck(0x03, 0x0021)).toEqual(hex('6767 03 0002 0021'));
      expect(encodeLoginReply(0x007b, 0x5a000000)).toEqual(hex('6767 01 0009 007b 5a000000 0001 00'));
      expect(encodeEnvelope(IMEI, pkg(0x12, 0x21))).toEqual(hex('454c 0011 a67e 0352544071677471 6767 12 0002 0021'));
    });
  });

  describe('device side', () => {
    it('builds a login, a heartbeat and a location the hub side reads back', () => {
      expect(login(IMEI, 2, 32, 0).subarray(0, 21)).toEqual(LOGIN.subarray(0, 21));
      expect(heartbeat(0x21, 0x6e)).toEqual(HEARTBEAT);
      const c = new ConnectionCodec(eelink, STRICT);
      expect(c.decode(login(IMEI, 1)).replies).toEqual([hex('6767 01 0009 0001 00000000 0001 00')]);
      const fix = simEelinkFix(3, 5, Date.UTC(2026, 0, 15, 10, 30));
      const out = c.decode(location(fix, 7));
      expect(out.replies).toEqual([pkg(0x12, 7)]);
      expect(out.messages[0]).toMatchObject({ ident: IMEI, timestamp: Date.UTC(2026, 0, 15, 10, 30) / 1000, 'position.satellites': 9, 'battery.voltage': 4.1 });
    });
  });

  describe('device types', () => {
    it('describes the generic eelink type with settings that name existing commands, and examples that encode', () => {
      const [type] = eelink.deviceTypes;
      expect(type).toMatchObject({ id: 19, name: 'eelink' });
      const names = new Set(type.commands.map((c) => c.name));
      for (const s of type.settings) expect(names.has(s.read) && names.has(s.write), s.name).toBe(true);
      expect(type.settings.map((s) => s.name)).toEqual(['report_interval', 'timezone', 'sos_number']);
      for (const c of type.commands) {
        for (const example of c.examples) {
          expect(c.validate?.(example), c.name).toBeUndefined();
          expect(encodeCommand({ name: c.name, properties: example }, session(IMEI)), c.name).toBeInstanceOf(Buffer);
        }
      }
    });
    it('reads settings out of an answer, and refusals and confirmations of pending writes', () => {
      expect(parseSettings('TIMER:30,300;GMT:E,8,0;SOS1:+15551234567')).toEqual({
        values: { report_interval: 30, timezone: 480, sos_number: '+15551234567' },
        refused: {},
        confirmed: [],
      });
      expect(parseSettings('Set GMT failed', ['timezone'])).toEqual({ values: {}, refused: { timezone: 'Set GMT failed' }, confirmed: [] });
      expect(parseSettings('OK', ['report_interval'])).toEqual({ values: {}, refused: {}, confirmed: ['report_interval'] });
      expect(parseSettings('RELAY:1')).toBeUndefined();
    });
  });

  describe('framer', () => {
    const FRAMES = [LOGIN, LOGIN_V1, HEARTBEAT, LOCATION, LOCATION_LTE, WARNING, REPORT, MESSAGE, GPS_V1, ALARM_V1, STATE_V1, OBD_V1, WHERE_ANSWER, ENVELOPE];
    it('keeps the framer contract for packages and envelopes', () => {
      for (const f of FRAMES) assertFramerContract(eelink, f);
    });
    it('gives the same result however the stream is chunked', () => {
      assertChunkingInvariant(eelink, Buffer.concat([LOGIN, ...FRAMES.slice(1)]));
    });
    it('skips bytes before a mark and resynchronises', () => {
      const r = eelink.frame(Buffer.concat([hex('00 11 22'), LOGIN]), session(), STRICT);
      expect(r).toMatchObject({ type: 'error', consumed: 3 });
      const out = new ConnectionCodec(eelink, STRICT).decode(Buffer.concat([hex('ff 67 00'), LOGIN, hex('45 00'), HEARTBEAT]));
      expect(out.replies).toEqual([hex('6767 01 0009 0002 00000000 0001 00'), hex('6767 03 0002 0021')]);
      expect(out.errors).toEqual([
        'malformed at byte 0: expected 6767 or EL at the start of a frame',
        'malformed at byte 0: expected 6767 or EL at the start of a frame',
      ]);
    });
    it('skips a package whose size leaves no room for the sequence', () => {
      expect(eelink.frame(hex('6767 03 0001 00 6767'), session(), STRICT)).toMatchObject({ type: 'error', consumed: 6 });
    });
    it('refuses a size above the channel limit (the stream is unusable)', () => {
      for (const head of [hex('6767 12 ffff 00'), hex('454c ffff 00')]) {
        const r = eelink.frame(head, session(), { crc: 'strict', maxFrameSize: 1024 });
        expect(r).toMatchObject({ type: 'error', consumed: 0 });
        if (r.type === 'error') expect(r.error.code).toBe('oversize');
      }
    });
    it('takes a UDP datagram whole', () => {
      expect(eelink.frame(ENVELOPE, session(undefined, 'udp'), STRICT)).toEqual({ type: 'frame', frame: ENVELOPE, consumed: ENVELOPE.length });
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input over TCP and UDP (fast-check)', () => {
      const seeds = [LOGIN, HEARTBEAT, LOCATION, LOCATION_LTE, WARNING, GPS_V1, OBD_V1, WHERE_ANSWER, ENVELOPE];
      expect(fuzzCodec(eelink, seeds, 2000, 'tcp', LOGIN)).toBe(2000);
      expect(fuzzCodec(eelink, [ENVELOPE, el(IMEI, Buffer.concat([LOGIN, LOCATION_LTE]))], 2000, 'udp')).toBe(2000);
    });
  });

  const corpus = loadCorpus('eelink.json');
  /** Traccar attributes the corpus asserts, in our names. */
  const ATTRIBUTES_MAP: AttributeMap = {
    temp2: { name: 'sensor.temperature.2' },
  };
  describe.runIf(corpus)('conformance corpus', () => {
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(eelink, corpus!, ATTRIBUTES_MAP);
      const rate = reportPassRate('eelink', results);
      expect(rate).toBeGreaterThanOrEqual(0.95);
      expect(results.filter((r) => r.errors.length > 0).map((r) => r.entry.seq)).toEqual([]);
    });
    it('encodes the corpus commands byte for byte (device 123456789012345, TCP and UDP)', () => {
      const vectors = corpus!.filter((x) => x.kind === 'encode');
      expect(vectors.length).toBe(2);
      for (const e of vectors) {
        expect(e.expect.command?.type).toBe('engineStop');
        const transport = e.test === 'testEncodeUdp' ? 'udp' : 'tcp';
        expect(encodeCommand({ name: 'engine_stop', properties: {} }, session('123456789012345', transport)), e.test).toEqual(Buffer.from(e.frame, 'hex'));
      }
    });
    it('cuts every corpus decode frame whole on TCP (packages and envelopes)', () => {
      for (const e of corpus!.filter((x) => x.kind === 'decode')) {
        const bytes = entryBytes(e);
        expect(eelink.frame(bytes, session(), { crc: 'strict', maxFrameSize: 65536 }), `#${e.seq}`).toEqual({
          type: 'frame',
          frame: bytes,
          consumed: bytes.length,
        });
      }
    });
    it('is what `hub identify` names first, with high confidence, for real corpus frames', () => {
      for (const seq of [3, 13, 27, 32]) {
        const e = corpus!.find((x) => x.kind === 'decode' && x.seq === seq);
        expect(identify(entryBytes(e!))[0], `#${seq}`).toMatchObject({ protocol: 'eelink', confidence: 'high' });
      }
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});
