import { describe, expect, it } from 'vitest';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import { CRC16, crc16 } from '../../../protocols/common/crc.js';
import type { CodecOptions, Message, SessionState } from '../../../protocols/common/types.js';
import { encodeAck, encodeAddressResponse, encodeCommand, encodeWifiAck } from '../../../protocols/gt06/encoder.js';
import { gt06 } from '../../../protocols/gt06/index.js';
import { loginTimezone } from '../../../protocols/gt06/inspector.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { type AttributeMap, loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';
import { hexFixture } from '../../helpers/hex.js';

const hex = hexFixture;
const STRICT: CodecOptions = { crc: 'strict', maxFrameSize: 65536 };
const LENIENT: CodecOptions = { crc: 'lenient', maxFrameSize: 65536 };
const IMEI = '864717003283581';
const session = (ident?: string, vars: SessionState['vars'] = {}): SessionState => ({ transport: 'tcp', vars, ...(ident ? { ident } : {}) });
const decodeOne = (frame: Buffer, extra: { vars?: Record<string, number>; settings?: Record<string, string> } = {}) =>
  gt06.decode(frame, { transport: 'tcp', ident: IMEI, vars: extra.vars ?? {}, options: { ...STRICT, settings: extra.settings } });

/**
 * Independent frame builder for expected bytes: bitwise CRC-ITU (poly 0x1021 reflected = 0x8408,
 * init and xorout 0xFFFF) over length .. serial, so the encoder is not checked against itself.
 */
function x25(bytes: Buffer): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return (crc ^ 0xffff) & 0xffff;
}
function build(type: number, content: Buffer, serial: number, long = false): Buffer {
  const len = 1 + content.length + 4;
  const body = Buffer.concat([
    long ? Buffer.from([len >> 8, len & 0xff]) : Buffer.from([len]),
    Buffer.from([type]),
    content,
    Buffer.from([serial >> 8, serial & 0xff]),
  ]);
  const crc = x25(body);
  return Buffer.concat([Buffer.from(long ? '7979' : '7878', 'hex'), body, Buffer.from([crc >> 8, crc & 0xff, 0x0d, 0x0a])]);
}

// Frames: ../shared/protocols/README.md "GT06" (worked examples), real server logs quoted in Traccar
// issues, and Traccar's Gt06ProtocolDecoderTest / Gt06FrameDecoderTest vectors (Apache-2.0).

/** README "Login 0x01" example (checked against a real server log in traccar#3381). */
const LOGIN = hex(`
  7878              // start
  0d                // length: protocol .. CRC = 13
  01                // protocol: login
  0864717003283581  // IMEI, BCD with a leading 0 nibble → 864717003283581
  0009              // serial
  3f04              // CRC-ITU over 0d .. 0009
  0d0a              // stop
`);

/** Gt06ProtocolDecoderTest #154: login with type code and timezone extension (GMT-4). */
const LOGIN_TZ = hex(`
  7878 11 01
  0864717003664467  // IMEI
  100f              // type identification code
  190a              // extension: (4*100+0) << 4 = 0x1900 | 0x08 west | 0x02
  0002 c6d2 0d0a    // serial, CRC, stop
`);

/** README "0x12 GPS+LBS" worked example: 2015-10-20 14:21:11, 54.94535 N, 24.01762 E, valid. */
const GPS_LBS = hex(`
  7878 1f 12        // start, length 31, protocol GPS+LBS
  0f0a140e150b      // date/time YY MM DD hh mm ss: 15-10-20 14:21:11
  c5                // GPS info length 12 (high nibble), satellites 5
  05e51e78          // latitude  × 1,800,000 → 54.9453467
  0293a9e8          // longitude × 1,800,000 → 24.0176222
  00                // speed 0 km/h
  5400              // course/status: ACC known (bit 14), ACC off, fixed (bit 12), north (bit 10), course 0
  00f6 01 006e 0055da // MCC 246, MNC 1, LAC 110, cell 21978
  0003              // serial
  5f24 0d0a         // CRC, stop
`);

/** Real log in traccar#4826: heartbeat, acked 7878051302b07e430d0a by the server. */
const HEARTBEAT = hex(`
  7878 0a 13        // start, length 10, protocol status
  c4                // terminal info: oil cut (7), GPS tracking (6), charging (2), no alarm bits
  06                // voltage level 6 → 100 %
  04                // GSM level 4
  0002              // alarm 0, language 2 (English)
  02b0 ac7b 0d0a    // serial 688, CRC, stop
`);

/** Gt06ProtocolDecoderTest #25: GPS+LBS+status alarm 0x16 (Seeworld length 0x26, 4-byte cell id), SOS. */
const ALARM_SOS = hex(`
  7878 26 16
  1709130f3a2d      // 2023-09-19 15:58:45
  cc 02c55f2a 089f9af9 // 12 satellites, 25.8274367, lon 80.3764583 (west flag below)
  00 5c21           // speed 0, course/status: fixed, west (bit 11), north, course 33
  09 0136 04 81fe 066d9b03 // LBS length 9, MCC 310, MNC 4, LAC 33278, cell id (u32 on Seeworld)
  41                // terminal info: GPS tracking, armed
  3e                // battery 62 %
  42                // GSM level
  01                // alarm: SOS
  02                // language
  035f 92fe 0d0a    // serial, CRC, stop
`);

/** Gt06ProtocolDecoderTest #85: 0x22 GPS+LBS with ACC, upload mode and re-upload flag. */
const GPS_LBS_22 = hex(`
  7878 22 22
  120616083817 c5 050cc8c8 01a819d6 00 1524 // 2018-06-16 08:38:23, 5 sats, 47.06884 N 15.4410433 E, course 292
  00e8 01 1dbf 003332 // MCC 232, MNC 1, LAC 7615, cell 13106
  00 00 00          // ACC off, upload mode 0 (timed), not re-uploaded
  0048 6250 0d0a    // serial, CRC, stop
`);

/** Gt06ProtocolDecoderTest #138: 0x15 text reply to a fuel-supply command. */
const STRING_REPLY = hex(`
  7878 29 15
  21                // command length: 4 (server flag) + 29 text
  00000000          // server flag
  526573746f7265206675656c20737570706c793a205375636365737321 // "Restore fuel supply: Success!"
  0002              // language
  0140 77ce 0d0a    // serial, CRC, stop
`);

/** Gt06ProtocolDecoderTest #100 / framer: WiFi packet (length byte = AP count 0, no serial/CRC). */
const WIFI = hex(`
  7878 00 69        // start, AP count 0, protocol WiFi
  171023110850      // BCD time 2017-10-23 11:08:50 (UTC)
  02 00cc 08        // 2 cells, MCC 204, MNC 8
  0c4e 2fa5 64      // LAC 3150, CI 12197, RSSI 100
  0c4e 2fa6 6e      // LAC 3150, CI 12198, RSSI 110
  0d0a
`);

/** Gt06FrameDecoderTest #5: heartbeat whose length leaves out 2 bytes (CRC right before 0D0A). */
const SHORT_LENGTH = hex('7878 08 13 46 06 02 0002 044d c505 0d0a');

/** Gt06FrameDecoderTest #3: old GPS-only 0x10 (length counts the content; no serial, no CRC). */
const GPS_ONLY = hex('7878 12 10 11091c0b1e2e 98 058507f8 0097a6ac 03 344a 0d0a');

/** Gt06ProtocolDecoderTest #19: 7979 information 0x94 sub-type 0x0B (network technology). */
const INFO_LONG = hex('7979 0007 94 0b 01 0a0b 5ace 0d0a');

describe('protocols/gt06', () => {
  describe('crc', () => {
    it('uses CRC-ITU = CRC-16/X25 (check value of "123456789" is 0x906E)', () => {
      expect(crc16(CRC16.X25)(Buffer.from('123456789'))).toBe(0x906e);
      expect(x25(Buffer.from('123456789'))).toBe(0x906e);
    });
  });

  describe('inspect', () => {
    it('binds the IMEI of a login and acks it with the same serial (README example)', () => {
      const r = gt06.inspect(LOGIN, session(), STRICT);
      expect(r).toMatchObject({ ident: IMEI, store: false });
      expect(r.reply?.toString('hex')).toBe('78780501000955940d0a');
    });
    it('acks logins exactly as real servers did (traccar#2876)', () => {
      const r = gt06.inspect(hex('78780d010355488020947422000354820d0a'), session(), STRICT);
      expect(r.ident).toBe('355488020947422');
      expect(r.reply?.toString('hex')).toBe('787805010003face0d0a');
    });
    it('keeps the login timezone extension and type code as session vars', () => {
      const r = gt06.inspect(LOGIN_TZ, session(), STRICT);
      expect(r.vars).toEqual({ typeCode: 0x100f, tz: -240 });
      expect(loginTimezone(0x3201)).toBe(480); // GMT+8 (#155)
      expect(loginTimezone(0x2120)).toBe(330); // (5*100+30) << 4: GMT+5:30
    });
    it('refuses a login whose IMEI is not BCD and closes', () => {
      const bad = build(0x01, hex('0a6471700328358f'), 1);
      const r = gt06.inspect(bad, session(), STRICT);
      expect(r).toMatchObject({ store: false, close: true });
      expect(r.error?.code).toBe('malformed');
    });
    it('stores a location packet and acks it with its protocol number and serial (traccar#2876 log)', () => {
      const r = gt06.inspect(hex('78781f12110206150d34c9003e7ec00892397300380002e4003bf700cb9d000397770d0a'), session(IMEI), STRICT);
      expect(r.store).toBe(true);
      expect(r.reply?.toString('hex')).toBe('787805120003903f0d0a');
    });
    it('acks a heartbeat as the server in traccar#4826 did', () => {
      const r = gt06.inspect(HEARTBEAT, session(IMEI), STRICT);
      expect(r.store).toBe(true);
      expect(r.reply?.toString('hex')).toBe('7878051302b07e430d0a');
    });
    it('answers a WiFi packet with its time and no serial or CRC', () => {
      const r = gt06.inspect(WIFI, session(IMEI), STRICT);
      expect(r.store).toBe(true);
      expect(r.reply?.toString('hex')).toBe('787800691710231108500d0a');
    });
    it('acks 7979 modular packets with a 7878 ack, and not 7979 information packets', () => {
      const modular = build(0x70, hex('0009 0001 08'), 0x21, true);
      expect(gt06.inspect(modular, session(IMEI), STRICT).reply?.toString('hex')).toBe(encodeAck(0x70, 0x21).toString('hex'));
      const r = gt06.inspect(INFO_LONG, session(IMEI), STRICT);
      expect(r).toMatchObject({ store: true });
      expect(r.reply).toBeUndefined();
    });
    it('answers an address request (0x2A) with 0x97 "NA&&NA&&0##" and does not store it', () => {
      const r = gt06.inspect(build(0x2a, Buffer.alloc(40), 7), session(IMEI), STRICT);
      expect(r.store).toBe(false);
      expect(r.reply?.toString('hex')).toBe(build(0x97, Buffer.concat([hex('0b 00000000'), Buffer.from('NA&&NA&&0##')]), 0, true).toString('hex'));
    });
    it('neither stores nor answers a time request (the answer needs the server clock) or a command echo', () => {
      expect(gt06.inspect(build(0x8a, Buffer.alloc(0), 5), session(IMEI), STRICT)).toEqual({ store: false });
      expect(gt06.inspect(build(0x80, hex('0c00000000'), 5), session(IMEI), STRICT)).toEqual({ store: false });
    });
    it('acks a 7878 packet of an unknown type (as Traccar does) without storing it', () => {
      const r = gt06.inspect(build(0x1f, hex('000000000000 0002'), 0xb1), session(IMEI), STRICT);
      expect(r.store).toBe(false);
      expect(r.reply?.toString('hex')).toBe(encodeAck(0x1f, 0xb1).toString('hex'));
    });
    it('refuses data before the login (unidentified): not stored, not acked', () => {
      const r = gt06.inspect(GPS_LBS, session(), STRICT);
      expect(r).toMatchObject({ store: false });
      expect(r.reply).toBeUndefined();
      expect(r.error?.code).toBe('unidentified');
    });
    it('does not store or ack a frame with a wrong CRC (strict)', () => {
      const bad = Buffer.from(GPS_LBS);
      bad[bad.length - 3] ^= 0xff;
      const r = gt06.inspect(bad, session(IMEI), STRICT);
      expect(r).toMatchObject({ store: false });
      expect(r.reply).toBeUndefined();
      expect(r.error?.code).toBe('checksum');
    });
    it('stores and acks a wrong-CRC frame under the lenient policy, marking its message', () => {
      const bad = Buffer.from(GPS_LBS);
      bad[bad.length - 3] ^= 0xff;
      const c = new ConnectionCodec(gt06, LENIENT);
      c.decode(LOGIN);
      const out = c.decode(bad);
      expect(out.replies.map((r) => r.toString('hex'))).toEqual(['787805120003903f0d0a']);
      expect(out.messages[0]['crc.valid']).toBe(false);
    });
  });

  describe('decode', () => {
    it('decodes the README 0x12 example: time, position, validity, serving cell', () => {
      const out = decodeOne(GPS_LBS);
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          timestamp: Date.UTC(2015, 9, 20, 14, 21, 11) / 1000,
          'position.satellites': 5,
          'position.latitude': 54.9453467,
          'position.longitude': 24.0176222,
          'position.direction': 0,
          'position.valid': true,
          'engine.ignition.status': false,
          'position.speed': 0,
          'gsm.mcc': 246,
          'gsm.mnc': 1,
          'gsm.lac': 110,
          'gsm.cellid': 21978,
        },
      ]);
    });
    it('shifts device local time by the login timezone', () => {
      const [m] = decodeOne(GPS_LBS, { vars: { tz: 120 } }).messages;
      expect(m.timestamp).toBe(Date.UTC(2015, 9, 20, 12, 21, 11) / 1000);
    });
    it('decodes a heartbeat: terminal info bits, voltage level ×100/6, GSM level, language', () => {
      const [m] = decodeOne(HEARTBEAT).messages;
      expect(m).toEqual({
        'gt06.status': 0xc4,
        'armed.status': false,
        'engine.ignition.status': false,
        'battery.charging.status': true,
        'gt06.gps.tracking.status': true,
        'engine.blocked.status': true,
        'battery.level': 100,
        'gsm.signal.level': 4,
        'gt06.language': 2,
      });
    });
    it('decodes an alarm packet into alarm.event.trigger, alarm.type and event.enum', () => {
      const [m] = decodeOne(ALARM_SOS).messages;
      expect(m).toMatchObject({
        'alarm.event.trigger': true,
        'alarm.type': 'sos',
        'event.enum': 1,
        'battery.level': 62,
        'gsm.cellid': 0x066d9b03,
        'position.latitude': 25.8274367,
      });
      expect(m['position.longitude']).toBeCloseTo(-80.3764583, 6);
      expect(sanityProblems(m)).toEqual([]);
    });
    it('reads the alarm from terminal info bits 3-5 when there is no alarm code (VXT01 0x16)', () => {
      const [m] = decodeOne(hex('7878241617070a150e24ca01fba0040780e177005c000172025336 0027db 62 04 e4 04 00 004b f1e9 0d0a')).messages;
      expect(m).toMatchObject({ 'alarm.type': 'sos', 'engine.ignition.status': true });
    });
    it('decodes 0x22: ACC, upload mode as event.enum, re-upload flag', () => {
      const [m] = decodeOne(GPS_LBS_22).messages;
      expect(m).toMatchObject({
        'engine.ignition.status': false,
        'event.enum': 0,
        'position.latitude': 47.06884,
        'position.longitude': 15.4410433,
        'position.direction': 292,
      });
      expect(m['message.buffered.status']).toBeUndefined();
      expect(sanityProblems(m)).toEqual([]);
    });
    it('turns a 0x15 text answer into a command reply and a command.response message', () => {
      const out = decodeOne(STRING_REPLY);
      expect(out.commandReplies).toEqual([{ response: 'Restore fuel supply: Success!' }]);
      expect(out.messages).toEqual([{ 'command.response': 'Restore fuel supply: Success!', 'gt06.language': 2 }]);
    });
    it('echoes the server flag of a reply as the correlation of the hub command', () => {
      const cmd = { name: 'status', properties: {}, id: 4242 };
      expect(gt06.correlate?.(cmd)).toBe('4242');
      const text = Buffer.from('BATTERY:OK');
      const out = decodeOne(build(0x15, Buffer.concat([Buffer.from([4 + text.length, 0, 0, 0x10, 0x92]), text, hex('0002')]), 9));
      expect(out.commandReplies).toEqual([{ response: 'BATTERY:OK', correlation: '4242' }]);
    });
    it('reads the position from a 0x21 "Current position!" answer (WHERE#)', () => {
      const text = Buffer.from('Current position!Lat:N22.571285,Lon:W113.950890,Course:10.00,Speed:5.00,DateTime:2014-04-21 11:39:09');
      const out = decodeOne(build(0x21, Buffer.concat([hex('00000000 01'), text]), 3, true));
      expect(out.messages[0]).toMatchObject({
        'position.latitude': 22.571285,
        'position.longitude': -113.95089,
        'position.speed': 5,
        'position.direction': 10,
        timestamp: Date.UTC(2014, 3, 21, 11, 39, 9) / 1000,
      });
      expect(out.commandReplies[0].response).toBe(text.toString());
    });
    it('decodes WiFi and cell lists', () => {
      const [m] = decodeOne(WIFI).messages;
      expect(m).toEqual({
        timestamp: Date.UTC(2017, 9, 23, 11, 8, 50) / 1000,
        'gsm.mcc': 204,
        'gsm.mnc': 8,
        'gsm.lac': 3150,
        'gsm.cellid': 12197,
        'gsm.cells': [
          [3150, 12197, -100],
          [3150, 12198, -110],
        ],
      });
    });
    it('decodes the 7979 information packet and the old GPS-only packet', () => {
      expect(decodeOne(INFO_LONG).messages).toEqual([{ 'gsm.network.technology': '4G' }]);
      const [m] = decodeOne(GPS_ONLY).messages;
      expect(m).toMatchObject({ 'position.latitude': 51.4468933, 'position.longitude': 5.5214467, 'position.speed': 3 });
    });
    it('selects model layouts with settings.modelOverride (XT40: power u16 and battery ×0.1 V)', () => {
      const frame = hex('78783c22010357789648774484180c06142038180c06142038cb03313ee4061fe98300185e090000000000000000460984284c000200000000017101d6f35d0d0a');
      const [m] = decodeOne(frame, { settings: { modelOverride: 'XT40' } }).messages;
      expect(m).toMatchObject({ 'external.powersource.voltage': 24.36, 'battery.voltage': 4, 'gsm.signal.level': 0x4c });
      const [r11] = decodeOne(hex('78780a13460b120400160642c20d0a'), { settings: { modelOverride: 'R11' } }).messages;
      expect(r11['external.powersource.voltage']).toBe(28.34);
    });
    it('returns a typed error for a truncated packet, never an exception', () => {
      const cut = build(0x12, GPS_LBS.subarray(4, 20), 3);
      const out = decodeOne(cut);
      expect(out.errors.map((e) => e.code)).toContain('truncated');
    });
    it('does not decode data before the login', () => {
      const out = gt06.decode(GPS_LBS, { transport: 'tcp', options: STRICT });
      expect(out.messages).toEqual([]);
      expect(out.errors.map((e) => e.code)).toEqual(['unidentified']);
    });
    it('keeps every decoded message sane', () => {
      for (const f of [GPS_LBS, HEARTBEAT, ALARM_SOS, GPS_LBS_22, WIFI, GPS_ONLY, STRING_REPLY]) {
        for (const m of decodeOne(f).messages) expect(sanityProblems(m as Message)).toEqual([]);
      }
    });
  });

  describe('encoder', () => {
    const cmd = (name: string, properties: Record<string, unknown> = {}) => encodeCommand({ name, properties });
    const expected = (text: string, flag = 0) =>
      build(
        0x80,
        Buffer.concat([Buffer.from([4 + text.length, flag >>> 24, (flag >> 16) & 0xff, (flag >> 8) & 0xff, flag & 0xff]), Buffer.from(text)]),
        0,
      ).toString('hex');
    it('encodes engine stop exactly as Traccar (Gt06ProtocolEncoderTest)', () => {
      expect((cmd('engine_stop') as Buffer).toString('hex')).toBe('787812800c0000000052656c61792c312300009dee0d0a');
    });
    it('encodes the named commands as 0x80 packets', () => {
      const cases: [string, Record<string, unknown>, string][] = [
        ['engine_resume', {}, 'Relay,0#'],
        ['reboot', {}, 'RESET#'],
        ['locate', {}, 'WHERE#'],
        ['interval', { seconds: 30 }, 'TIMER,30#'],
        ['interval', { seconds: 10, stoppedSeconds: 300 }, 'TIMER,10,300#'],
        ['interval', { value: 60 }, 'TIMER,60#'],
        ['timezone', { minutes: -210 }, 'GMT,W,3,30#'],
        ['timezone', { minutes: 330 }, 'GMT,E,5,30#'],
        ['sos_number', { number: '+15551234567' }, 'SOS,A,+15551234567#'],
        ['sos_number', { number: ['111', '222'] }, 'SOS,A,111,222#'],
        ['get_interval', {}, 'TIMER#'],
        ['get_timezone', {}, 'GMT#'],
        ['get_sos_number', {}, 'SOS#'],
        ['params', {}, 'PARAM#'],
        ['status', {}, 'STATUS#'],
        ['version', {}, 'VERSION#'],
        ['custom', { text: 'DYD,123456#' }, 'DYD,123456#'],
      ];
      for (const [name, props, text] of cases) expect((cmd(name, props) as Buffer).toString('hex'), name).toBe(expected(text));
    });
    it('sends raw custom bytes and carries the hub command id in the server flag', () => {
      expect((cmd('custom', { hex: '53544154555323' }) as Buffer).toString('hex')).toBe(expected('STATUS#'));
      expect((encodeCommand({ name: 'locate', properties: {}, id: 0x01020304 }) as Buffer).toString('hex')).toBe(expected('WHERE#', 0x01020304));
    });
    it('names the bad property of a command it cannot encode', () => {
      expect(cmd('interval', { seconds: 2 })).toMatchObject({ code: 'command', reason: expect.stringContaining('seconds') });
      expect(cmd('timezone', { minutes: 7 })).toMatchObject({ code: 'command', reason: expect.stringContaining('minutes') });
      expect(cmd('sos_number', { number: 'abc' })).toMatchObject({ code: 'command', reason: expect.stringContaining('number') });
      expect(cmd('custom', {})).toMatchObject({ code: 'command', reason: expect.stringContaining('text') });
      expect(cmd('custom', { hex: 'zz' })).toMatchObject({ code: 'command', reason: expect.stringContaining('hex') });
      expect(cmd('custom', { text: 'x'.repeat(300) })).toMatchObject({ code: 'command' });
      expect(cmd('nope')).toMatchObject({ code: 'command', reason: expect.stringContaining('nope') });
    });
    it('builds acks, WiFi acks and the address answer byte for byte', () => {
      expect(encodeAck(0x01, 0x0009).toString('hex')).toBe('78780501000955940d0a');
      expect(encodeAck(0x32, 0x0102, true).toString('hex')).toBe(build(0x32, Buffer.alloc(0), 0x0102, true).toString('hex'));
      expect(encodeWifiAck(0x69, hex('171023110850')).toString('hex')).toBe('787800691710231108500d0a');
      expect(encodeAddressResponse().toString('hex')).toBe(
        build(0x97, Buffer.concat([hex('0b00000000'), Buffer.from('NA&&NA&&0##')]), 0, true).toString('hex'),
      );
    });
  });

  describe('device types', () => {
    it('describes the generic gt06 type with settings that name existing commands', () => {
      const [type] = gt06.deviceTypes;
      expect(type).toMatchObject({ id: 2, name: 'gt06' });
      const names = new Set(type.commands.map((c) => c.name));
      for (const s of type.settings) {
        expect(names.has(s.read) && names.has(s.write), s.name).toBe(true);
      }
      expect(type.settings.map((s) => s.name)).toEqual(['report_interval', 'timezone', 'sos_number']);
      for (const c of type.commands)
        for (const example of c.examples) expect(encodeCommand({ name: c.name, properties: example }), c.name).toBeInstanceOf(Buffer);
    });
  });

  describe('framer', () => {
    it('keeps the framer contract for normal, long (7979), short-length, GPS-only and WiFi frames', () => {
      for (const f of [LOGIN, GPS_LBS, HEARTBEAT, ALARM_SOS, STRING_REPLY, INFO_LONG, SHORT_LENGTH, GPS_ONLY, WIFI]) assertFramerContract(gt06, f);
    });
    it('gives the same result however the stream is chunked', () => {
      assertChunkingInvariant(gt06, Buffer.concat([LOGIN, GPS_LBS, WIFI, HEARTBEAT, SHORT_LENGTH, INFO_LONG, GPS_ONLY, ALARM_SOS, STRING_REPLY]));
    });
    it('skips bytes before a start marker and resynchronises', () => {
      const r = gt06.frame(Buffer.concat([hex('00 11 22'), LOGIN]), session(), STRICT);
      expect(r).toMatchObject({ type: 'error', consumed: 3 });
      const c = new ConnectionCodec(gt06, STRICT);
      const out = c.decode(Buffer.concat([hex('ff ff'), LOGIN, GPS_LBS]));
      expect(out.replies.map((x) => x.toString('hex'))).toEqual(['78780501000955940d0a', '787805120003903f0d0a']);
    });
    it('refuses a length field above the channel limit', () => {
      const r = gt06.frame(hex('7979 ffff 12 00'), session(), { crc: 'strict', maxFrameSize: 1024 });
      expect(r).toMatchObject({ type: 'error', consumed: 0 });
      if (r.type === 'error') expect(r.error.code).toBe('oversize');
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input (fast-check)', () => {
      expect(fuzzCodec(gt06, [LOGIN, GPS_LBS, HEARTBEAT, ALARM_SOS, WIFI, STRING_REPLY, INFO_LONG, GPS_ONLY], 2000, 'tcp', LOGIN)).toBe(2000);
    });
  });

  const corpus = loadCorpus('gt06.json');
  /** Traccar alarm names for ours (Traccar's Position.ALARM_* values). */
  const TRACCAR_ALARMS: Record<string, string> = {
    tamper: 'tampering',
    hard_braking: 'hardBraking',
    hard_acceleration: 'hardAcceleration',
    hard_cornering: 'hardCornering',
  };
  const traccarAlarm = (v: unknown) => (typeof v === 'string' ? (TRACCAR_ALARMS[v] ?? v.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase())) : v);
  /** Traccar attributes with a clear counterpart here. */
  const attributeMap: AttributeMap = {
    alarm: { name: 'alarm.type', convert: traccarAlarm },
    ignition: { name: 'engine.ignition.status' },
    power: { name: 'external.powersource.voltage' },
    battery: { name: 'battery.voltage' },
    batteryLevel: { name: 'battery.level' },
    driverUniqueId: { name: 'ibutton.code' },
    temp1: { name: 'sensor.temperature.1' },
    humidity: { name: 'sensor.humidity.1' },
    adc1: { name: 'ain.1' },
    event: { name: 'event.enum' },
    iccid: { name: 'gsm.sim.iccid' },
    door: { name: 'door.status' },
    networkTechnology: { name: 'gsm.network.technology' },
    drivingTime: { name: 'gt06.driving.time' },
    result: { name: 'gt06.serial.data' }, // the corpus asserts `result` only on 0x9B pass-through data
    serial: { name: 'gt06.serial.data' },
  };
  const TRACCAR_COMMANDS: Record<string, string> = { engineStop: 'engine_stop', engineResume: 'engine_resume', custom: 'custom' };
  describe.runIf(corpus)('conformance corpus', () => {
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(gt06, corpus!, attributeMap);
      const rate = reportPassRate('gt06', results);
      expect(rate).toBeGreaterThanOrEqual(0.95);
    });
    it('cuts the corpus framer vectors', () => {
      for (const e of corpus!.filter((x) => x.kind === 'frameDecoder')) {
        const r = gt06.frame(Buffer.from(e.frame, 'hex'), session(), STRICT);
        expect(r.type === 'frame' && r.frame.toString('hex')).toBe(e.expect.frames![0]);
      }
    });
    it('encodes the corpus commands byte for byte', () => {
      const vectors = corpus!.filter((x) => x.kind === 'encode');
      expect(vectors.length).toBeGreaterThan(0);
      for (const e of vectors) {
        const name = TRACCAR_COMMANDS[e.expect.command!.type];
        const data = e.expect.command!.attributes?.data;
        const bytes = encodeCommand({ name, properties: data === undefined ? {} : { text: String(data) } });
        expect(Buffer.isBuffer(bytes) && bytes.toString('hex')).toBe(e.frame);
      }
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});
