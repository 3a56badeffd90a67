import { describe, expect, it } from 'vitest';
import { identify } from '../../../bin/commands/identify.js';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import type { CodecOptions, DecodeContext, Message, SessionState } from '../../../protocols/common/types.js';
import { HEARTBEAT_REPLY, LOGIN_REPLY } from '../../../protocols/gps103/constants.js';
import { heartbeat, login, report } from '../../../protocols/gps103/device.js';
import { correlate, encodeAlarmAck, encodeCommand } from '../../../protocols/gps103/encoder.js';
import { gps103 } from '../../../protocols/gps103/index.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { type AttributeMap, entryBytes, loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';

/** Text frames written like hex fixtures: one field group per line, comment after `//`, lines trimmed and joined. */
const text = (fields: string): Buffer =>
  Buffer.from(
    fields
      .split('\n')
      .map((line) => line.replace(/\/\/.*$/, '').trim())
      .join(''),
    'latin1',
  );

// Sentences: Coban "GPRS protocol" (2014-12-12) §1 login, §2 heartbeat, §4.1 report format, §4.3
// keywords; Traccar's Gps103ProtocolDecoderTest frames (Apache-2.0, numbered by their corpus seq);
// device answers to commands quoted from real server logs in eusonlito/GPS-Tracker issues #37, #114.

/** §1 log-on request (Coban example IMEI). */
const LOGIN = text('##,imei:359586015829802,A;');

/** §2 heartbeat: the IMEI alone. */
const HEARTBEAT = text('359586015829802;');

/** §4.1 location report, corpus #42: local date with UTC time of day (tracker at UTC+8). */
const TRACKER = text(`
  imei:359710045559474,   // IMEI
  tracker,                // keyword (§4.3): periodic report
  151030080103,           // local yymmddhhmmss: 2015-10-30 08:01:03
  ,                       // phone / rfid: empty
  F,                      // F = GPS fix
  000101.000,             // UTC hhmmss.sss: 00:01:01 → offset +8:00
  A,                      // A = valid
  5443.3834,N,            // latitude ddmm.mmmm
  02512.9071,E,           // longitude dddmm.mmmm
  0.00,                   // speed, knots
  0;                      // course
`);

/** §4.1 with the §4.2 tail (GPS303), corpus #13: keyword 001, altitude, ACC, door, two fuel levels, temperature. */
const FULL = text(`
  imei:353451044508750,001,
  0809231929,             // local yymmddhhmm: 2008-09-23 19:29
  13554900601,            // phone number field
  F,055403.000,A,         // UTC 05:54:03: offset -10:25 (within ±12 h) → the local date is the day before
  2233.1870,N,11354.3067,E,
  0.00,30.1,              // knots, course
  65.43,                  // altitude, m
  1,0,                    // ACC on, door closed
  10.5%,0.0%,             // fuel 1, fuel 2
  28;                     // temperature, °C
`);

/** §4.1 without a fix, corpus #15 (`ac alarm` = external power cut): LAC and cell in hex in the coordinate fields. */
const NO_FIX = text(`
  imei:864895030279986,ac alarm,
  180404174252,,          // local time (no UTC reference without a fix), phone
  L,,,                    // L = no fix, UTC time and validity empty
  296a,,                  // LAC 0x296a in the latitude field
  51f7,,,;                // cell 0x51f7 in the longitude field
`);

/** §4.3 `help me` (SOS), corpus #57: answered `**,imei:<IMEI>,E;`. */
const HELP_ME = text(`
  imei:100000000000000,help me,1004171910,,
  F,010203.000,A,0102.0003,N,00102.0003,E,1.02,;
`);

/** OBD sentence (GPS306A), corpus #16: odometer, fuel, hours, speed, load, coolant, throttle, rpm, battery, no DTCs. */
const OBD = text(`
  imei:359710048977327,OBD,
  180301094003,           // yymmddhhmmss
  5000000,                // odometer
  0.00,0.00,              // fuel instant, average
  98,18,                  // engine hours, km/h
  68.63%,55,25.10%,       // load, coolant °C, throttle
  1368,14.24,             // rpm, battery V
  ,,,;                    // DTCs: none
`);

/** Decimal-degree variant ended by `*`, corpus #9. */
const ALTERNATIVE = text(`
  imei:861359038609986,
  Equipo 1,---,------,----, // name, event, sensor id, sensor voltage (--- = none)
  214734,241018,          // UTC hhmmss, ddmmyy
  26,1,                   // rssi, GPS fixed
  -33.42317,-70.61930,    // decimal degrees
  067,229,0674,           // km/h, course, altitude
  1.00,08,                // HDOP, satellites
  0,1,---,*               // ACC off, charging, error
`);

/** Camera part after a `vt<n>` report (layout of corpus #6): index 12 (u16 LE), then the data. */
const PHOTO = text('imei:864180034124375,vr,0c00ffd8ffe0;');

/** Device answer to `J` (engine stop), from a real log (GPS-Tracker#114): keyword `jt` = done. */
const ECHO_J = text(`
  imei:868166054696190,jt,231226105556,,
  F,105556.000,A,3518.59664,N,04658.22381,E,0.00,13.26;
`);

/** Device answer to `111` (arm) with the ignition on, from a real log (GPS-Tracker#37): `511` = refused. */
const ECHO_511 = text(`
  imei:868166056076334,511,240112151902,,
  F,151902.000,A,3528.51503,N,04611.84315,E,,,,0,1,0.00%,,;
`);

/** Heartbeat glued to a report (corpus #34, terminated): answered `ON`, the report stored. */
const GLUED = text(`
  359769031878322         // §2 heartbeat without its ;
  imei:359769031878322,tracker,1602160718,2,F,221811.000,A,1655.2193,S,14546.6722,E,0.00,,;
`);

const RX = Date.UTC(2026, 0, 15, 12, 0, 0) / 1000;
const OPTIONS: CodecOptions = { crc: 'strict', maxFrameSize: 4096 };
const tcp = (ident?: string): SessionState => ({ transport: 'tcp', vars: {}, ...(ident ? { ident } : {}) });
const ctx: DecodeContext = { transport: 'tcp', receivedAt: RX };

function decodeOne(frame: Buffer): Message {
  const out = gps103.decode(frame, ctx);
  expect(out.errors).toEqual([]);
  expect(out.messages).toHaveLength(1);
  expect(sanityProblems(out.messages[0])).toEqual([]);
  return out.messages[0];
}

describe('protocols/gps103', () => {
  describe('framer', () => {
    const ALL = [LOGIN, HEARTBEAT, TRACKER, FULL, NO_FIX, HELP_ME, OBD, ALTERNATIVE, PHOTO, ECHO_J, ECHO_511, GLUED];
    it('keeps the framer contract for every sentence', () => {
      for (const f of ALL) assertFramerContract(gps103, f);
    });
    it('gives the same result however the stream is chunked', () => {
      assertChunkingInvariant(gps103, Buffer.concat([LOGIN, Buffer.from('\r\n'), ...ALL.slice(1).flatMap((f) => [f, Buffer.from('\n')])]));
    });
    it('cuts at the first ;, * or line feed, keeping it, and skips line ends between sentences', () => {
      expect(gps103.frame(Buffer.concat([TRACKER, HEARTBEAT]), tcp(), OPTIONS)).toMatchObject({ type: 'frame', consumed: TRACKER.length });
      expect(gps103.frame(Buffer.concat([ALTERNATIVE, LOGIN]), tcp(), OPTIONS)).toMatchObject({ type: 'frame', consumed: ALTERNATIVE.length });
      const r = gps103.frame(Buffer.from('\r\n359586015829802\n'), tcp(), OPTIONS);
      expect(r).toMatchObject({ type: 'frame', consumed: 18 });
      if (r.type === 'frame') expect(r.frame.toString()).toBe('359586015829802\n');
      expect(gps103.frame(Buffer.from('\r\n'), tcp(), OPTIONS)).toEqual({ type: 'more' });
    });
    it('skips garbage up to the next sentence with a typed error', () => {
      const r = gps103.frame(Buffer.concat([Buffer.from([0x00, 0xff]), Buffer.from('xyz'), TRACKER]), tcp(), OPTIONS);
      expect(r).toMatchObject({ type: 'error', consumed: 5 });
      if (r.type === 'error') expect(r.error.code).toBe('malformed');
      expect(gps103.frame(Buffer.from('hello;imei:1'), tcp(), OPTIONS)).toMatchObject({ type: 'error', consumed: 6 });
    });
    it('refuses a sentence without a terminator beyond the frame limit, resyncing at the next imei:', () => {
      const long = Buffer.from(`imei:359586015829802,tracker,${'9'.repeat(100)}imei:1`);
      const r = gps103.frame(long, tcp(), { crc: 'strict', maxFrameSize: 64 });
      expect(r).toMatchObject({ type: 'error', consumed: long.length - 6 });
      if (r.type === 'error') expect(r.error.code).toBe('oversize');
    });
    it('takes a UDP datagram whole', () => {
      expect(gps103.frame(TRACKER, { transport: 'udp', vars: {} }, OPTIONS)).toMatchObject({ type: 'frame', consumed: TRACKER.length });
    });
  });

  describe('inspect', () => {
    it('answers the §1 login with LOAD (4c4f4144) and identifies the device', () => {
      const r = gps103.inspect(LOGIN, tcp(), OPTIONS);
      expect(r).toEqual({ ident: '359586015829802', store: false, reply: LOGIN_REPLY });
      expect(r.reply?.toString('hex')).toBe('4c4f4144');
      expect(gps103.inspect(text('imei:123451234512345,L,*'), tcp(), OPTIONS)).toEqual({ ident: '123451234512345', store: false, reply: LOGIN_REPLY });
    });
    it('answers the §2 heartbeat with ON (4f4e), storing it only when a report is glued to it', () => {
      const r = gps103.inspect(HEARTBEAT, tcp(), OPTIONS);
      expect(r).toEqual({ ident: '359586015829802', store: false, reply: HEARTBEAT_REPLY });
      expect(r.reply?.toString('hex')).toBe('4f4e');
      expect(gps103.inspect(GLUED, tcp(), OPTIONS)).toEqual({ ident: '359769031878322', store: true, reply: HEARTBEAT_REPLY });
    });
    it('stores a report without an earlier login: every sentence carries the IMEI', () => {
      expect(gps103.inspect(TRACKER, tcp(), OPTIONS)).toEqual({ ident: '359710045559474', store: true });
      expect(gps103.inspect(OBD, tcp(), OPTIONS)).toEqual({ ident: '359710048977327', store: true });
    });
    it('acks a help me report with **,imei:<IMEI>,E;', () => {
      const r = gps103.inspect(HELP_ME, tcp(), OPTIONS);
      expect(r).toMatchObject({ ident: '100000000000000', store: true });
      expect(r.reply?.toString('latin1')).toBe('**,imei:100000000000000,E;');
    });
    it('behaves the same under strict and lenient policies (the protocol has no checksum)', () => {
      for (const f of [LOGIN, TRACKER, HELP_ME]) expect(gps103.inspect(f, tcp(), { ...OPTIONS, crc: 'lenient' })).toEqual(gps103.inspect(f, tcp(), OPTIONS));
    });
    it('refuses sentences that are none of login, heartbeat or report, and IMEIs that are not digits', () => {
      expect(gps103.inspect(Buffer.from('hello;'), tcp(), OPTIONS)).toMatchObject({ store: false, error: { code: 'malformed', offset: 0 } });
      expect(gps103.inspect(text('imei:35971004x559474,tracker,151030080103,,F,000101.000,A,5443.3834,N,02512.9071,E,0.00,0;'), tcp(), OPTIONS)).toMatchObject({
        store: false,
        error: { code: 'malformed', offset: 5 },
      });
      expect(gps103.inspect(Buffer.from('359586015829802,xx;'), tcp(), OPTIONS)).toMatchObject({ store: false, error: { code: 'malformed' } });
      expect(gps103.inspect(Buffer.from('##,A;'), tcp(), OPTIONS)).toMatchObject({ store: false, error: { code: 'malformed' } });
    });
  });

  describe('decode', () => {
    it('§4.1: takes the date from the local time and the time of day from UTC (offset +8:00)', () => {
      expect(decodeOne(TRACKER)).toEqual({
        'report.type': 'tracker',
        timestamp: Date.UTC(2015, 9, 30, 0, 1, 1) / 1000,
        'position.latitude': 54 + 43.3834 / 60,
        'position.longitude': 25 + 12.9071 / 60,
        'position.valid': true,
        'position.speed': 0,
        'position.direction': 0,
      });
    });
    it('§4.2: decodes the tail (altitude, ACC, door, fuel, temperature), knots → km/h, across the date line of the offset', () => {
      expect(decodeOne(FULL)).toEqual({
        'report.type': '001',
        'gps103.phone': '13554900601',
        timestamp: Date.UTC(2008, 8, 24, 5, 54, 3) / 1000,
        'position.latitude': 22 + 33.187 / 60,
        'position.longitude': 113 + 54.3067 / 60,
        'position.valid': true,
        'position.speed': 0,
        'position.direction': 30.1,
        'position.altitude': 65.43,
        'engine.ignition.status': true,
        'door.status': false,
        'fuel.level.1': 10.5,
        'fuel.level.2': 0,
        'sensor.temperature.1': 28,
      });
      expect(decodeOne(GLUED)).toMatchObject({
        'position.latitude': -(16 + 55.2193 / 60),
        'position.speed': 0,
        timestamp: Date.UTC(2016, 1, 15, 22, 18, 11) / 1000,
      });
    });
    it('§4.1 without a fix: the cell from the hex fields, the receive time, the alarm from the keyword', () => {
      expect(decodeOne(NO_FIX)).toEqual({
        'report.type': 'ac alarm',
        'alarm.event.trigger': true,
        'alarm.type': 'power_cut',
        timestamp: RX,
        'gsm.lac': 0x296a,
        'gsm.cellid': 0x51f7,
      });
    });
    it('§4.3: maps the keywords to alarms, ignition, temperature and fuel level', () => {
      // local 2010-04-17 19:10 with UTC 01:02:03: the offset within ±12 h is -5:52, so UTC is the next day
      expect(decodeOne(HELP_ME)).toMatchObject({
        'alarm.type': 'sos',
        'alarm.event.trigger': true,
        'position.speed': 1.889,
        timestamp: Date.UTC(2010, 3, 18, 1, 2, 3) / 1000,
      });
      const keyword = (k: string) => decodeOne(Buffer.from(`imei:353451044508750,${k},0809231929,,F,055403.000,A,2233.1870,N,11354.3067,E,0.00,,;`));
      expect(keyword('sensor alarm')).toMatchObject({ 'alarm.type': 'vibration' });
      expect(keyword('stockade')).toMatchObject({ 'alarm.type': 'geofence' });
      expect(keyword('T:+28.0')).toMatchObject({ 'alarm.type': 'temperature', 'sensor.temperature.1': 28 });
      expect(keyword('oil 51.67')).toMatchObject({ 'alarm.type': 'fuel_leak', 'fuel.level': 51.67 });
      expect(keyword('acc off')).toMatchObject({ 'engine.ignition.status': false });
      expect(keyword('vt3')).toMatchObject({ 'gps103.photo.parts': 3 });
      expect(keyword('tracker')['alarm.type']).toBeUndefined();
      const rfid = decodeOne(Buffer.from('imei:353451044508750,rfid,0809231929,0012345678,F,055403.000,A,2233.1870,N,11354.3067,E,0.00,,;'));
      expect(rfid['ibutton.code']).toBe('0012345678');
    });
    it('keeps fields of no known kind as io.<index>, never dropping them', () => {
      const m = decodeOne(text('imei:353451044508750,oil1,0809231929,,F,055403.000,A,2233.1870,N,11354.3067,E,0.00,,,,51.6,41.7,,,extra;'));
      expect(m).toMatchObject({ 'io.15': '51.6', 'io.16': '41.7', 'io.19': 'extra' });
    });
    it('decodes the OBD sentence: engine values, percentages and DTCs', () => {
      expect(decodeOne(OBD)).toEqual({
        'report.type': 'OBD',
        timestamp: Date.UTC(2018, 2, 1, 9, 40, 3) / 1000,
        'obd.mileage': 5000000,
        'gps103.fuel.consumption.instant': 0,
        'fuel.consumption': 0,
        'engine.hours': 98,
        'obd.vehicle.speed': 18,
        'obd.engine.load': 68.63,
        'obd.engine.coolant.temperature': 55,
        'obd.throttle': 25.1,
        'engine.rpm': 1368,
        'obd.voltage': 14.24,
      });
      expect(decodeOne(text('imei:868683027758113,OBD,180905200218,,,,0,0,0.39%,70,9.41%,494,0.00,P0137,P0430,,;'))['obd.dtc.codes']).toBe('P0137 P0430');
    });
    it('decodes the decimal-degree variant (UTC date and time, km/h)', () => {
      expect(decodeOne(ALTERNATIVE)).toEqual({
        timestamp: Date.UTC(2018, 9, 24, 21, 47, 34) / 1000,
        'position.latitude': -33.42317,
        'position.longitude': -70.6193,
        'position.valid': true,
        'position.speed': 67,
        'position.direction': 229,
        'gps103.name': 'Equipo 1',
        'gsm.signal.level': 26,
        'position.altitude': 674,
        'position.hdop': 1,
        'position.satellites': 8,
        'engine.ignition.status': false,
        'battery.charging.status': true,
      });
    });
    it('keeps a picture part as index and data', () => {
      expect(decodeOne(PHOTO)).toEqual({ 'report.type': 'vr', 'gps103.photo.index': 12, 'gps103.photo.data': 'ffd8ffe0', timestamp: RX });
    });
    it('turns command echoes into command replies: jt done (correlation J), 511 refused (correlation 111)', () => {
      const j = gps103.decode(ECHO_J, ctx);
      const ts = Date.UTC(2023, 11, 26, 10, 55, 56) / 1000;
      expect(j.commandReplies).toEqual([{ response: 'jt', executed: true, correlation: 'J', timestamp: ts }]);
      expect(j.messages[0]).toMatchObject({ 'report.type': 'jt', 'command.response': 'jt', timestamp: ts, 'position.direction': 13.26 });
      const refused = gps103.decode(ECHO_511, ctx);
      expect(refused.commandReplies).toEqual([{ response: '511', executed: false, correlation: '111', timestamp: Date.UTC(2024, 0, 12, 15, 19, 2) / 1000 }]);
      expect(
        gps103.decode(text('imei:868166054696190,lf,231226095912,,F,095912.000,A,3518.59827,N,04700.04798,E,0.00,196.17;'), ctx).commandReplies,
      ).toMatchObject([{ response: 'lf', executed: false, correlation: 'L' }]);
      expect(gps103.decode(TRACKER, ctx).commandReplies).toEqual([]);
    });
    it('decodes nothing from login and heartbeat', () => {
      for (const f of [LOGIN, HEARTBEAT]) expect(gps103.decode(f, ctx)).toEqual({ messages: [], commandReplies: [], errors: [] });
    });
    it('returns typed errors for sentences it cannot read, never throwing', () => {
      expect(gps103.decode(Buffer.from('hello'), ctx).errors.map((e) => e.code)).toEqual(['malformed']);
      expect(gps103.decode(Buffer.from('imei:359586015829802,tracker,1,2;'), ctx).errors.map((e) => e.code)).toEqual(['malformed']);
      expect(gps103.decode(Buffer.from('imei:359586015829802,vr,0c00zz112233;'), ctx).errors.map((e) => e.code)).toEqual(['malformed']);
      // at most 30 characters with imei: is a login, as Traccar answers it: no data
      expect(gps103.decode(Buffer.from('imei:359586015829802,vr,0c;'), ctx)).toEqual({ messages: [], commandReplies: [], errors: [] });
    });
  });

  describe('encoder', () => {
    const state = { ident: '123456789012345' };
    const encode = (name: string, properties: Record<string, unknown> = {}) => {
      const r = encodeCommand({ name, properties }, state);
      return Buffer.isBuffer(r) ? r.toString('latin1') : r;
    };
    it('§3: encodes the commands as **,imei:<IMEI>,<code> without a terminator', () => {
      expect(encode('locate')).toBe('**,imei:123456789012345,B');
      expect(encode('tracking_stop')).toBe('**,imei:123456789012345,D');
      expect(encode('alarm_cancel')).toBe('**,imei:123456789012345,E');
      expect(encode('engine_stop')).toBe('**,imei:123456789012345,J');
      expect(encode('engine_resume')).toBe('**,imei:123456789012345,K');
      expect(encode('alarm_arm')).toBe('**,imei:123456789012345,L');
      expect(encode('alarm_disarm')).toBe('**,imei:123456789012345,M');
      expect(encode('photo')).toBe('**,imei:123456789012345,160');
      expect(encode('overspeed', { kmh: 80 })).toBe('**,imei:123456789012345,H,080');
      expect(encodeCommand({ name: 'engine_stop', properties: {} }, state)).toEqual(Buffer.from('2a2a2c696d65693a3132333435363738393031323334352c4a', 'hex'));
    });
    it('§3 C: writes the interval in the largest exact unit (NN s, m or h)', () => {
      expect(encode('interval', { seconds: 30 })).toBe('**,imei:123456789012345,C,30s');
      expect(encode('interval', { seconds: 300 })).toBe('**,imei:123456789012345,C,05m');
      expect(encode('interval', { seconds: 7200 })).toBe('**,imei:123456789012345,C,02h');
      expect(encode('interval', { seconds: 150 })).toMatchObject({ code: 'command', reason: expect.stringContaining('seconds') });
    });
    it('sends custom text after the prefix, a full ** sentence as is, and hex as bytes', () => {
      expect(encode('custom', { text: 'H,080' })).toBe('**,imei:123456789012345,H,080');
      expect(encode('custom', { text: '**,imei:1,B' })).toBe('**,imei:1,B');
      expect(encode('custom', { hex: '2a2a2c696d65693a312c42' })).toBe('**,imei:1,B');
    });
    it('names the bad property in a command error', () => {
      expect(encode('overspeed', { kmh: 1000 })).toMatchObject({ code: 'command', reason: expect.stringContaining('kmh') });
      expect(encode('custom', {})).toMatchObject({ code: 'command', reason: expect.stringContaining('text') });
      expect(encode('reboot')).toMatchObject({ code: 'command', reason: expect.stringContaining('reboot') });
      expect(encodeCommand({ name: 'locate', properties: {} }, {})).toMatchObject({ code: 'command', reason: expect.stringContaining('IMEI') });
    });
    it('correlates a command with the code the device echoes', () => {
      expect(correlate({ name: 'engine_stop', properties: {} })).toBe('J');
      expect(correlate({ name: 'custom', properties: { text: '111' } })).toBe('111');
      expect(correlate({ name: 'custom', properties: { text: '**,imei:1,K' } })).toBe('K');
      expect(correlate({ name: 'interval', properties: { seconds: 30 } })).toBe('C');
      expect(correlate({ name: 'custom', properties: { hex: '00' } })).toBeUndefined();
      expect(correlate({ name: 'custom', properties: { text: 'hello' } })).toBeUndefined();
    });
    it('builds the acks byte for byte', () => {
      expect(encodeAlarmAck('100000000000000').toString('latin1')).toBe('**,imei:100000000000000,E;');
      expect(LOGIN_REPLY.toString('latin1')).toBe('LOAD');
      expect(HEARTBEAT_REPLY.toString('latin1')).toBe('ON');
    });
    it('lists its device type with JSON-schema commands whose examples encode', () => {
      const [type] = gps103.deviceTypes;
      expect(type).toMatchObject({ id: 11, name: 'gps103', settings: [] });
      expect(type.commands.map((c) => c.name)).toEqual([
        'custom',
        'locate',
        'interval',
        'tracking_stop',
        'engine_stop',
        'engine_resume',
        'alarm_arm',
        'alarm_disarm',
        'alarm_cancel',
        'overspeed',
        'photo',
      ]);
      for (const c of type.commands)
        for (const example of c.examples) expect(encodeCommand({ name: c.name, properties: example }, state), c.name).toBeInstanceOf(Buffer);
    });
  });

  describe('device side', () => {
    it('builds the sentences a tracker sends', () => {
      expect(login('359586015829802').equals(LOGIN)).toBe(true);
      expect(heartbeat('359586015829802').equals(HEARTBEAT)).toBe(true);
      const at = Date.UTC(2015, 9, 30, 0, 1, 1);
      const built = report(
        '359710045559474',
        { atMs: at, latitude: 54 + 43.3834 / 60, longitude: 25 + 12.9071 / 60, speedKnots: 0, course: 0 },
        { offsetMinutes: 480 },
      );
      expect(built.toString('latin1')).toBe('imei:359710045559474,tracker,151030080101,,F,000101.000,A,5443.3834,N,02512.9071,E,0.00,0.00,,,,,,;');
      expect(decodeOne(built).timestamp).toBe(at / 1000);
    });
  });

  describe('connection', () => {
    it('decodes a TCP stream end to end with the answers in order', () => {
      const c = new ConnectionCodec(gps103, { crc: 'strict', maxFrameSize: 4096 });
      const out = c.decode(Buffer.concat([LOGIN, TRACKER, Buffer.from('\r\n'), HEARTBEAT, HELP_ME]));
      expect(out.errors).toEqual([]);
      expect(out.messages.map((m) => [m.ident, m['report.type']])).toEqual([
        ['359710045559474', 'tracker'],
        ['100000000000000', 'help me'],
      ]);
      expect(out.replies.map((r) => r.toString())).toEqual(['LOAD', 'ON', '**,imei:100000000000000,E;']);
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input (fast-check)', () => {
      expect(fuzzCodec(gps103, [TRACKER, FULL, NO_FIX, HELP_ME, OBD, ALTERNATIVE, PHOTO, GLUED, ECHO_511], 2000, 'tcp', LOGIN)).toBe(2000);
      expect(fuzzCodec(gps103, [TRACKER, OBD, ALTERNATIVE], 500, 'udp')).toBe(500);
    });
  });

  const corpus = loadCorpus('gps103.json');
  /** Traccar attributes with a counterpart here (`course` and `speed` are checked by the helper). */
  const attributeMap: AttributeMap = {
    alarm: { name: 'alarm.type' },
    fuel1: { name: 'fuel.level.1' },
  };
  const TRACCAR_COMMANDS: Record<string, (a: Record<string, unknown>) => { name: string; properties: Record<string, unknown> }> = {
    positionPeriodic: (a) => ({ name: 'interval', properties: { seconds: a.frequency } }),
    custom: (a) => ({ name: 'custom', properties: { text: a.data } }),
  };
  describe.runIf(corpus)('conformance corpus', () => {
    // Every decode frame passes (56/56 in the shared corpus). Frames the corpus expects no position
    // from (photo part #6, short login #11, OBD #35) decode to messages without a position.
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(gps103, corpus!, attributeMap);
      const rate = reportPassRate('gps103', results);
      expect(rate).toBeGreaterThanOrEqual(0.95);
      for (const r of results) for (const m of r.messages) expect(sanityProblems(m, RX + 86400 * 365), `#${r.entry.seq}`).toEqual([]);
    });
    it('encodes the corpus commands byte for byte', () => {
      const vectors = corpus!.filter((x) => x.kind === 'encode');
      expect(vectors.length).toBeGreaterThan(0);
      for (const e of vectors) {
        const cmd = TRACCAR_COMMANDS[e.expect.command!.type](e.expect.command!.attributes ?? {});
        const bytes = encodeCommand(cmd, { ident: '123456789012345' });
        expect(Buffer.isBuffer(bytes) && bytes.toString('latin1')).toBe(e.frame);
      }
    });
    it('is named by hub identify for a real corpus sentence', () => {
      const entry = corpus!.find((x) => x.kind === 'decode' && x.seq === 42);
      expect(entry).toBeDefined();
      const candidates = identify(entryBytes(entry!));
      expect(candidates[0]).toMatchObject({ protocol: 'gps103', confidence: 'high' });
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});
