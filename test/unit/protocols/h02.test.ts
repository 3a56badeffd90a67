import { describe, expect, it } from 'vitest';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import type { CodecOptions, Message, SessionState } from '../../../protocols/common/types.js';
import { encodeCommand, encodeHeartbeatEcho, encodeR12Ack, encodeV4Ack } from '../../../protocols/h02/encoder.js';
import { h02 } from '../../../protocols/h02/index.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { type AttributeMap, loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';
import { hexFixture } from '../../helpers/hex.js';

const hex = hexFixture;
/** Text frames written like the hex fixtures: one field group per line, comment after `//`. */
const text = (fields: string): Buffer =>
  Buffer.from(
    fields
      .split('\n')
      .map((line) => line.replace(/\/\/.*$/, '').trim())
      .join(''),
    'latin1',
  );

// Frames from Traccar's H02ProtocolDecoderTest / H02FrameDecoderTest (Apache-2.0), annotated per
// the H02 notes in ../shared/protocols/README.md.

/** H02ProtocolDecoderTest.testDecode #49: V1 position report. */
const V1_REPORT = text(`
  *HQ,4210051415,         // maker, device id
  V1,                     // type: position report
  164549,A,               // time hhmmss (UTC), validity A = fix
  0956.3869,N,            // latitude DDMM.MMMM, hemisphere
  08406.7068,W,           // longitude DDDMM.MMMM, hemisphere
  000.00,000,             // speed (knots), course
  221215,                 // date DDMMYY
  FFFFFBFF,               // status word, active low: bit 10 clear → ACC off, no alarm
  712,01,0,0,6            // firmware fields (MCC, MNC, LAC, cell, ...)
  #
`);

/** H02ProtocolDecoderTest.testDecode #76 / H02FrameDecoderTest.testDecodeShort #1: 32-byte binary. */
const BINARY_SHORT = hex(`
  24            // $ marker
  4106011660    // device id, 10 BCD digits
  124543 131116 // time 12:45:43, date 13-11-16 (BCD)
  50353130      // latitude 50° 35.3130'
  06            // battery: level 6 → 100 %
  004318210 e   // longitude 004° 31.8210', flags 0xE: east, north, valid
  000 000       // speed 000 knots, course 000
  fffffbff      // status: bit 10 clear → ACC off, no alarm bit cleared
  ff 00 24      // trailer
`);

/** H02ProtocolDecoderTest.testDecodeStatus #1: 45-byte binary with the serving cell. */
const BINARY_LONG = hex(`
  24            // $ marker
  4109114427    // device id
  122247 011214 // time 12:22:47, date 01-12-14
  22339830      // latitude 22° 33.9830'
  06            // battery level 6 → 100 %
  114026520 e   // longitude 114° 02.6520', flags 0xE
  000 000       // speed, course
  fffffbff      // status 4294966271
  ff 00 14 06 00000000 // not decoded (signal, satellites, counters vary by firmware)
  01cc 00       // MCC 460, MNC 0
  262b 0f17     // LAC 9771, cell 3863
  0a            // record counter
`);

/** The 42-byte form with an 8-byte id (IMEI + F pad), built from BINARY_SHORT's fields. */
const BINARY_IMEI = hex(`
  24                  // $ marker
  353588020068342f    // IMEI 353588020068342, F pad
  124543 131116       // time, date
  50353130 06         // latitude, battery
  004318210e 000000   // longitude + flags, speed + course
  fffffbff            // status
  00000000000000000000 // 10 more bytes, not decoded
`);

/** H02ProtocolDecoderTest.testDecode #34: NBR cell report (3 of 6 cells kept here: count 3). */
const NBR_REPORT = text(`
  *HQ,4109179024,NBR,     // maker, id, type
  103732,                 // time
  722,310,                // MCC, MNC
  0,3,                    // gsm delay, cell count
  8106,32010,23,          // LAC, cell, level (serving)
  8101,22007,25,
  8106,12010,23,
  100217,                 // date
  FFFFFBFF,5              // status, extra
  #
`);

/** H02ProtocolDecoderTest.testDecode #4: heartbeat with battery level. */
const HEARTBEAT = text('*HQ,135790246811220,HTBT,100#');

/** H02ProtocolDecoderTest.testDecode #66: command echo of S20 (engine stop). */
const V4_ECHO = text(`
  *TH,2020916012,V4,      // maker, id, type: command echo
  S20,DONE,130305,        // command, result, the command's own hhmmss (echoed)
  050316,A,               // time, validity
  2212.8745,N,11346.6574,E,
  14.28,028,              // speed 14.28 knots, course 28
  220902,F7FFFBFF         // date 22-09-02, status: bit 27 clear (no alarm bit)
  #
`);

const tcp = (ident?: string, vars: SessionState['vars'] = {}): SessionState => ({ transport: 'tcp', ident, vars });
const OPTIONS: CodecOptions = { crc: 'strict', maxFrameSize: 1024 };
const ACK_ON: CodecOptions = { ...OPTIONS, settings: { ack: true } };

function decodeOne(frame: Buffer): Message {
  const out = h02.decode(frame, { transport: 'tcp' });
  expect(out.errors).toEqual([]);
  expect(out.messages).toHaveLength(1);
  expect(sanityProblems(out.messages[0])).toEqual([]);
  return out.messages[0];
}

describe('protocols/h02', () => {
  describe('framer', () => {
    it('keeps the framer contract for text, short and long binary frames', () => {
      for (const f of [V1_REPORT, NBR_REPORT, HEARTBEAT, V4_ECHO, BINARY_SHORT, BINARY_LONG]) assertFramerContract(h02, f);
    });
    it('gives the same result however the stream is chunked', () => {
      assertChunkingInvariant(h02, Buffer.concat([V1_REPORT, Buffer.from('\r\n'), BINARY_SHORT, NBR_REPORT, BINARY_SHORT, HEARTBEAT, V4_ECHO]));
      const longOptions: CodecOptions = { crc: 'strict', maxFrameSize: 65536, settings: { messageLength: 45 } };
      assertChunkingInvariant(h02, Buffer.concat([BINARY_LONG, V1_REPORT, BINARY_LONG]), 'tcp', longOptions);
    });
    it('cuts a text frame at # and consumes the line ending after it', () => {
      const r = h02.frame(Buffer.concat([V1_REPORT, Buffer.from('\r\n*HQ')]), tcp(), OPTIONS);
      expect(r).toMatchObject({ type: 'frame', consumed: V1_REPORT.length + 2 });
      if (r.type === 'frame') expect(r.frame.equals(V1_REPORT)).toBe(true);
      const split = h02.frame(Buffer.concat([Buffer.from('\n'), HEARTBEAT]), tcp(), OPTIONS);
      expect(split).toMatchObject({ type: 'frame', consumed: HEARTBEAT.length + 1 });
    });
    it('tells 32- from 45-byte binary frames by what follows byte 32', () => {
      expect(h02.frame(Buffer.concat([BINARY_LONG, V1_REPORT]), tcp(), OPTIONS)).toMatchObject({ type: 'frame', consumed: 45 });
      expect(h02.frame(BINARY_LONG.subarray(0, 40), tcp(), OPTIONS)).toEqual({ type: 'more' });
      expect(h02.frame(Buffer.concat([BINARY_SHORT, BINARY_LONG]), tcp(), OPTIONS)).toMatchObject({ type: 'frame', consumed: 32 });
      expect(h02.frame(BINARY_SHORT, tcp(), OPTIONS)).toMatchObject({ type: 'frame', consumed: 32 });
      expect(h02.frame(BINARY_LONG.subarray(0, 32), tcp(undefined, { binaryLength: 45 }), OPTIONS)).toEqual({ type: 'more' });
    });
    it('skips garbage up to the next * or $ with a typed error', () => {
      const r = h02.frame(Buffer.concat([Buffer.from('garbage'), V1_REPORT]), tcp(), OPTIONS);
      expect(r).toMatchObject({ type: 'error', consumed: 7 });
      if (r.type === 'error') expect(r.error.code).toBe('malformed');
    });
    it('refuses a text frame without # beyond the frame limit, resyncing', () => {
      const r = h02.frame(Buffer.from(`*HQ,1,V1,${'x'.repeat(100)}`), tcp(), { crc: 'strict', maxFrameSize: 64 });
      expect(r).toMatchObject({ type: 'error', consumed: 109 });
      if (r.type === 'error') expect(r.error.code).toBe('oversize');
    });
    it('cuts the 42-byte IMEI form when the channel sets messageLength', () => {
      const options: CodecOptions = { ...OPTIONS, settings: { messageLength: 42 } };
      expect(h02.frame(Buffer.concat([BINARY_IMEI, BINARY_IMEI]), tcp(), options)).toMatchObject({ type: 'frame', consumed: 42 });
    });
    it('takes a UDP datagram whole', () => {
      expect(h02.frame(BINARY_LONG, { transport: 'udp', vars: {} }, OPTIONS)).toMatchObject({ type: 'frame', consumed: 45 });
    });
  });

  describe('inspect', () => {
    it('acks V1 with *HQ,<id>,V4,V1,<frame date and time># and stores it', () => {
      const r = h02.inspect(V1_REPORT, tcp(), OPTIONS);
      expect(r).toMatchObject({ ident: '4210051415', store: true });
      expect(r.reply?.toString()).toBe('*HQ,4210051415,V4,V1,20151222164549#');
    });
    it('acks NBR with V4,NBR and echoes a heartbeat without its arguments', () => {
      expect(h02.inspect(NBR_REPORT, tcp(), OPTIONS).reply?.toString()).toBe('*HQ,4109179024,V4,NBR,20170210103732#');
      const hb = h02.inspect(HEARTBEAT, tcp(), OPTIONS);
      expect(hb).toMatchObject({ ident: '135790246811220', store: true });
      expect(hb.reply?.toString()).toBe('*HQ,135790246811220,HTBT#');
      expect(h02.inspect(text('*HQ,135790246811220,HTBT#'), tcp(), OPTIONS)).toMatchObject({ store: false });
    });
    it('answers other V reports with R12 only when the ack setting is on', () => {
      expect(h02.inspect(V4_ECHO, tcp(), OPTIONS).reply).toBeUndefined();
      expect(h02.inspect(V4_ECHO, tcp(), ACK_ON).reply?.toString()).toBe('*HQ,2020916012,R12,050316#');
    });
    it('sends no ack when the report carries no time (the codec never reads the clock)', () => {
      const r = h02.inspect(text('*HQ,353505510948929,V1,,V,,N,,E,0.00,0,,FFFFF7FF#'), tcp(), OPTIONS);
      expect(r).toMatchObject({ ident: '353505510948929', store: true });
      expect(r.reply).toBeUndefined();
    });
    it('identifies binary frames by their BCD id, stores them unacked and keeps their length', () => {
      const r = h02.inspect(BINARY_LONG, tcp(), OPTIONS);
      expect(r).toEqual({ ident: '4109114427', store: true, vars: { binaryLength: 45 } });
    });
    it('reads the IMEI of the 42-byte form', () => {
      expect(h02.inspect(BINARY_IMEI, tcp(), OPTIONS)).toMatchObject({ ident: '353588020068342', store: true });
      expect(decodeOne(BINARY_IMEI)).toMatchObject({ 'position.latitude': 50 + 35.313 / 60, 'position.longitude': 4 + 31.821 / 60, 'battery.level': 100 });
    });
    it('refuses non-digit ids, X frames and frames without an id before identification', () => {
      expect(h02.inspect(text('*HQ,ABC,V1#'), tcp(), OPTIONS).error?.code).toBe('malformed');
      expect(h02.inspect(hex(`58${'00'.repeat(31)}`), tcp(), OPTIONS)).toMatchObject({ store: false, error: { code: 'unsupported' } });
      expect(h02.inspect(text('*HQ,,V1,1#'), tcp(), OPTIONS)).toMatchObject({ store: false, error: { code: 'unidentified' } });
      expect(h02.inspect(text('*HQ,,V1,1#'), tcp('42'), OPTIONS)).toMatchObject({ ident: '42', store: true });
    });
    it('identifies without storing a frame that has no type', () => {
      expect(h02.inspect(text('*HQ,4109198974,#'), tcp(), OPTIONS)).toEqual({ ident: '4109198974', store: false });
    });
  });

  describe('decode', () => {
    it('decodes a V1 report: time, position in knots → km/h, status, firmware fields', () => {
      expect(decodeOne(V1_REPORT)).toEqual({
        'report.type': 'V1',
        timestamp: Date.UTC(2015, 11, 22, 16, 45, 49) / 1000,
        'position.latitude': 9 + 56.3869 / 60,
        'position.longitude': -(84 + 6.7068 / 60),
        'position.valid': true,
        'position.speed': 0,
        'position.direction': 0,
        'h02.status': 0xfffffbff,
        'engine.ignition.status': false,
        'io.1': '712',
        'io.2': '01',
        'io.3': '0',
        'io.4': '0',
        'io.5': '6',
      });
    });
    it('decodes a 32-byte binary frame: BCD fields, flags nibble, battery table', () => {
      expect(decodeOne(BINARY_SHORT)).toEqual({
        timestamp: Date.UTC(2016, 10, 13, 12, 45, 43) / 1000,
        'position.latitude': 50 + 35.313 / 60,
        'position.longitude': 4 + 31.821 / 60,
        'position.valid': true,
        'position.speed': 0,
        'position.direction': 0,
        'battery.level': 100,
        'h02.status': 4294966271,
        'engine.ignition.status': false,
      });
    });
    it('decodes the serving cell of a 45-byte binary frame', () => {
      expect(decodeOne(BINARY_LONG)).toMatchObject({
        'position.latitude': 22 + 33.983 / 60,
        'position.longitude': 114 + 2.652 / 60,
        'gsm.mcc': 460,
        'gsm.mnc': 0,
        'gsm.lac': 9771,
        'gsm.cellid': 3863,
      });
    });
    it('sets the alarm from active-low status bits and ignition from bit 10', () => {
      const frame = Buffer.from(BINARY_SHORT);
      frame.writeUInt32BE(0xfffbffff, 25); // bit 18 clear: SOS; bit 10 set: ACC on
      expect(decodeOne(frame)).toMatchObject({ 'alarm.event.trigger': true, 'alarm.type': 'sos', 'engine.ignition.status': true });
      frame.writeUInt32BE(0xfff7ffff, 25); // bit 19 clear: external power cut
      expect(decodeOne(frame)).toMatchObject({ 'alarm.type': 'power_cut' });
      frame[21] = 0x08; // last longitude digit 0, flags 0x8: east, south, no fix
      expect(decodeOne(frame)).toMatchObject({ 'position.latitude': -(50 + 35.313 / 60), 'position.valid': false });
    });
    it('turns a V4 echo into a command reply with its verdict and the echoed command time', () => {
      const out = h02.decode(V4_ECHO, { transport: 'tcp' });
      expect(out.errors).toEqual([]);
      const ts = Date.UTC(2002, 8, 22, 5, 3, 16) / 1000;
      expect(out.commandReplies).toEqual([{ response: 'S20,DONE,130305', executed: true, correlation: '130305', timestamp: ts }]);
      expect(out.messages[0]).toMatchObject({ 'command.response': 'S20,DONE,130305', timestamp: ts, 'position.speed': 26.447, 'position.direction': 28 });
      expect(sanityProblems(out.messages[0])).toEqual([]);
    });
    it('keeps an SMS text whole as a command reply', () => {
      const out = h02.decode(Buffer.from('*HQ,5226073533,SMS,ID:5226073533\nUT:30,30,300#'), { transport: 'tcp' });
      expect(out.commandReplies).toEqual([{ response: 'ID:5226073533\nUT:30,30,300' }]);
      expect(out.messages).toEqual([{ 'report.type': 'SMS', 'command.response': 'ID:5226073533\nUT:30,30,300' }]);
    });
    it('decodes NBR cells: serving cell in gsm.*, every cell in h02.cells', () => {
      expect(decodeOne(NBR_REPORT)).toEqual({
        'report.type': 'NBR',
        timestamp: Date.UTC(2017, 1, 10, 10, 37, 32) / 1000,
        'gsm.mcc': 722,
        'gsm.mnc': 310,
        'gsm.lac': 8106,
        'gsm.cellid': 32010,
        'h02.cells': [
          [8106, 32010, 23],
          [8101, 22007, 25],
          [8106, 12010, 23],
        ],
        'h02.gsm.delay': 0,
        'h02.status': 0xfffffbff,
        'engine.ignition.status': false,
        'io.1': '5',
      });
    });
    it('decodes heartbeat battery, LINK and the VP1 cell form from the tables', () => {
      expect(decodeOne(HEARTBEAT)).toEqual({ 'report.type': 'HTBT', 'battery.level': 100 });
      expect(decodeOne(text('*HQ,1600068860,LINK,112137,20,8,67,0,0,081116,FFFFFBFF#'))).toMatchObject({
        'gsm.signal.level': 20,
        'position.satellites': 8,
        'battery.level': 67,
        'h02.steps': 0,
        timestamp: Date.UTC(2016, 10, 8, 11, 21, 37) / 1000,
      });
      expect(decodeOne(text('*hq,356327081001239,VP1,V,470,002,92,3565,0Y92,19433,30#'))).toMatchObject({
        'gsm.mcc': 470,
        'gsm.mnc': 2,
        'h02.cells': [
          [92, 3565, 0],
          [92, 19433, 30],
        ],
      });
    });
    it('decodes the odometer tail and the V19 SIM group', () => {
      expect(decodeOne(text('*HQ,2130510938,V1,012632,A,0520.0663,N,10028.6324,E,0.286,023,100317,FFFFDFFF,69129336,0,100.0,18,5141,5A20#'))).toMatchObject({
        'vehicle.mileage': 69129.336,
        'sensor.temperature.1': 0,
        'fuel.level': 100,
        'position.altitude': 18,
        'gsm.lac': 0x5141,
        'gsm.cellid': 0x5a20,
      });
      expect(
        decodeOne(text('*HQ,4209951296,V19,214452,A,5201.0178,N,01830.5029,E,000.00,000,200417,,195.63.13.195,89480610500392633029,BFFFFBFF#')),
      ).toMatchObject({ 'h02.sim.info': '195.63.13.195', 'gsm.sim.iccid': '89480610500392633029', 'h02.status': 0xbffffbff });
    });
    it('reads the other coordinate forms (-DD-MM.MMMM, degrees absent)', () => {
      expect(decodeOne(text('*HQ,1451316409,V1,030149,A,-23-29.0095,S,-46-51.5852,W,2.4,065,070315,FFFFFFFF#'))).toMatchObject({
        'position.latitude': -(23 + 29.0095 / 60),
        'position.longitude': -(46 + 51.5852 / 60),
      });
      expect(decodeOne(text('*HQ,9001000002,V8,213945,A,3542.2043,N,38.6508,W,0.00,170,221025,FBFFF9FF#'))['position.longitude']).toBeCloseTo(-0.64418, 5);
    });
    it('returns typed errors for truncated, unknown and foreign frames, never throwing', () => {
      expect(h02.decode(BINARY_SHORT.subarray(0, 20), { transport: 'tcp' }).errors.map((e) => e.code)).toEqual(['truncated']);
      expect(h02.decode(text('*HQ,8401016597,BASE,152609,0,0,0,0,211014,FFFFFFFF#'), { transport: 'tcp' }).errors.map((e) => e.code)).toEqual(['unsupported']);
      expect(h02.decode(text('*HQ,1,NBR,1,2,3,4,99,#'), { transport: 'tcp' }).errors.map((e) => e.code)).toEqual(['malformed']);
      expect(h02.decode(Buffer.from('hello'), { transport: 'tcp' }).errors.map((e) => e.code)).toEqual(['unsupported']);
    });
  });

  describe('encoder', () => {
    const state = { ident: '123456789012345' };
    const encode = (name: string, properties: Record<string, unknown> = {}, id?: number) => {
      const r = encodeCommand({ name, properties, id }, state);
      return Buffer.isBuffer(r) ? r.toString('latin1') : r;
    };
    it('encodes the commands with the time property (H02ProtocolEncoderTest vectors)', () => {
      expect(encode('engine_stop', { time: '010203' })).toBe('*HQ,123456789012345,S20,010203,1,1#');
      expect(encode('engine_resume', { time: '01:02:03' })).toBe('*HQ,123456789012345,S20,010203,1,0#');
      expect(encode('alarm_arm', { time: '010203' })).toBe('*HQ,123456789012345,SCF,010203,0,0#');
      expect(encode('alarm_disarm', { time: '010203' })).toBe('*HQ,123456789012345,SCF,010203,1,1#');
      expect(encode('interval', { seconds: 10, time: '010203' })).toBe('*HQ,123456789012345,S71,010203,22,10#');
      expect(encode('interval', { seconds: 10, alternative: true, time: '010203' })).toBe('*HQ,123456789012345,D1,010203,10#');
    });
    it('derives the command time from the hub command id, else 000000', () => {
      expect(encode('engine_stop', {}, 3723)).toBe('*HQ,123456789012345,S20,010203,1,1#');
      expect(encode('engine_stop', {}, 86400 + 59)).toBe('*HQ,123456789012345,S20,000059,1,1#');
      expect(encode('engine_stop')).toBe('*HQ,123456789012345,S20,000000,1,1#');
    });
    it('sends custom text raw or wrapped, and hex as bytes', () => {
      expect(encode('custom', { text: '*HQ,1,R1,000000#' })).toBe('*HQ,1,R1,000000#');
      expect(encode('custom', { text: 'S20,000000,1,1' })).toBe('*HQ,123456789012345,S20,000000,1,1#');
      expect(encode('custom', { hex: '2a48512c31230d0a' })).toBe('*HQ,1#\r\n');
    });
    it('names the bad property in a command error', () => {
      expect(encode('interval', { seconds: 'x' })).toMatchObject({ code: 'command', reason: expect.stringContaining('seconds') });
      expect(encode('engine_stop', { time: '25:00:00' })).toMatchObject({ code: 'command', reason: expect.stringContaining('time') });
      expect(encode('reboot')).toMatchObject({ code: 'command' });
      expect(encodeCommand({ name: 'engine_stop', properties: {} }, {})).toMatchObject({ code: 'command' });
    });
    it('builds the acks byte for byte', () => {
      expect(encodeV4Ack('4210051415', 'V1', '20151222164549').toString()).toBe('*HQ,4210051415,V4,V1,20151222164549#');
      expect(encodeR12Ack('2020916012', '050316').toString()).toBe('*HQ,2020916012,R12,050316#');
      expect(encodeHeartbeatEcho('HQ', '135790246811220', 'HTBT').toString()).toBe('*HQ,135790246811220,HTBT#');
    });
    it('lists its device type with JSON-schema commands', () => {
      expect(h02.deviceTypes[0]).toMatchObject({ id: 3, name: 'h02' });
      expect(h02.deviceTypes[0].commands.map((c) => c.name)).toEqual(['custom', 'engine_stop', 'engine_resume', 'alarm_arm', 'alarm_disarm', 'interval']);
    });
  });

  describe('connection', () => {
    it('decodes a TCP stream end to end with acks in order', () => {
      const c = new ConnectionCodec(h02, { crc: 'strict', maxFrameSize: 4096 });
      const out = c.decode(Buffer.concat([V1_REPORT, Buffer.from('\r\n'), BINARY_SHORT, HEARTBEAT]));
      expect(out.errors).toEqual([]);
      expect(out.messages.map((m) => m.ident)).toEqual(['4210051415', '4106011660', '135790246811220']);
      expect(out.replies.map((r) => r.toString())).toEqual(['*HQ,4210051415,V4,V1,20151222164549#', '*HQ,135790246811220,HTBT#']);
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input (fast-check)', () => {
      expect(fuzzCodec(h02, [V1_REPORT, BINARY_SHORT, BINARY_LONG, NBR_REPORT, V4_ECHO], 2000, 'tcp', HEARTBEAT)).toBe(2000);
      expect(fuzzCodec(h02, [V1_REPORT, BINARY_LONG], 500, 'udp')).toBe(500);
    });
  });

  const corpus = loadCorpus('h02.json');
  /** Traccar attributes with a clear counterpart here. */
  const attributeMap: AttributeMap = {
    batteryLevel: { name: 'battery.level' },
    status: { name: 'h02.status' },
    result: { name: 'command.response' },
    ignition: { name: 'engine.ignition.status' },
  };
  const TRACCAR_COMMANDS: Record<string, (a: Record<string, unknown>) => { name: string; properties: Record<string, unknown> }> = {
    alarmArm: () => ({ name: 'alarm_arm', properties: {} }),
    alarmDisarm: () => ({ name: 'alarm_disarm', properties: {} }),
    engineStop: () => ({ name: 'engine_stop', properties: {} }),
    engineResume: () => ({ name: 'engine_resume', properties: {} }),
    positionPeriodic: (a) => ({ name: 'interval', properties: { seconds: a.frequency } }),
  };
  describe.runIf(corpus)('conformance corpus', () => {
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(h02, corpus!, attributeMap);
      const rate = reportPassRate('h02', results);
      expect(rate).toBeGreaterThanOrEqual(0.95);
    });
    it('cuts the corpus framer vectors', () => {
      for (const e of corpus!.filter((x) => x.kind === 'frameDecoder')) {
        const r = h02.frame(Buffer.from(e.frame, 'hex'), tcp(), { crc: 'strict', maxFrameSize: 65536 });
        expect(r.type === 'frame' && r.frame.toString('hex')).toBe(e.expect.frames![0]);
      }
    });
    it('encodes the corpus commands byte for byte (time pinned to 01:02:03)', () => {
      const vectors = corpus!.filter((x) => x.kind === 'encode');
      expect(vectors.length).toBeGreaterThan(0);
      for (const e of vectors) {
        const cmd = TRACCAR_COMMANDS[e.expect.command!.type](e.expect.command!.attributes ?? {});
        const bytes = encodeCommand({ ...cmd, properties: { ...cmd.properties, time: '010203' } }, { ident: '123456789012345' });
        expect(Buffer.isBuffer(bytes) && bytes.toString('latin1')).toBe(e.frame);
      }
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});
