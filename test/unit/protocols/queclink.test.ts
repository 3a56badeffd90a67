import { describe, expect, it } from 'vitest';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import type { CodecOptions, Message, SessionState } from '../../../protocols/common/types.js';
import { encodeCommand, encodeHeartbeatAck, encodeSack } from '../../../protocols/queclink/encoder.js';
import { queclink } from '../../../protocols/queclink/index.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { type AttributeMap, loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';
import { hexFixture } from '../../helpers/hex.js';

const hex = hexFixture;
/** The text twin of hexFixture: one field group per line, `//` comments dropped, lines joined as they are. */
const text = (src: string): Buffer =>
  Buffer.from(
    src
      .split('\n')
      .map((line) => line.replace(/\/\/.*$/, '').trim())
      .join(''),
    'latin1',
  );

const STRICT: CodecOptions = { crc: 'strict', maxFrameSize: 4096 };
const tcp = (vars: SessionState['vars'] = {}, ident?: string): SessionState => ({ transport: 'tcp', vars, ...(ident ? { ident } : {}) });
const decodeOne = (frame: Buffer) => queclink.decode(frame, { transport: 'tcp', options: STRICT });

/** GL300W fixed report with two fixes (Traccar Gl200TextProtocolDecoderTest; TRACGL300AN001 §3.3.1 layout). */
const FRI_TWO_FIXES = text(`
  +RESP:GTFRI,2C0204,867162020003125,GL300W,   // head, protocol version (family 2C = GL300W), IMEI, device name
  0,0,2,                                       // report id, report type, number of fixes
  1,1.7,205,2867.0,-78.481127,-0.206828,20160215210433,0740,0000,7596,5891C,0.0,  // fix 1: accuracy … cell, mileage
  1,1.7,205,2867.0,-78.481127,-0.206828,20160215210503,0740,0000,7596,5891C,0.0,  // fix 2
  88,                                          // battery %
  20160215210506,1E78$                         // send time, count number
`);

/** GV300 fixed report with hour meter and device status (Traccar test, GV300 @Track §3.3.1). */
const FRI_GV300 = text(`
  +RESP:GTFRI,060100,135790246811220,,        // head, version (GV300), IMEI, empty name
  ,00,1,                                      // external power (empty), report type, number
  1,4.3,92,70.0,121.354335,31.222073,20090214013254,0460,0000,18d8,6141,00,  // fix, append mask 00
  2000.0,12345:12:34,,,80,210100,,,,          // mileage, hour meter, adc1, adc2, battery %, status, rpm, fuel
  20090214093254,11F0$                        // send time, count
`);

/** GTERI of a GV75W with a digital fuel sensor (mask bit 0; Traccar test). */
const ERI_FUEL = text(`
  +BUFF:GTERI,410502,864802030794634,,00000001,  // buffered; ERI mask: digital fuel sensor
  ,10,1,                                         // power, report type, number
  1,0.0,0,3027.8,-78.706612,-0.955699,20230418170736,0740,0002,A08C,2AB72D,00,  // fix
  0.0,,,,100,110000,1,                           // mileage, hours, adc1, adc2, battery, status, UART type
  0099,                                          // fuel level (hex) = 153
  20230418171004,8B98$
`);

/** GV310LAU ignition on with an append mask announcing satellites (Traccar test). */
const IGN_SATS = text(`
  +BUFF:GTIGN,6E0202,868589060169789,ra79,379,      // buffered; device name, ignition-off duration (s)
  1,0.0,105,532.2,-70.616413,-33.393457,20240610201712,0730,0001,333A,00CFA301,  // fix
  01,11,                                            // append mask bit 0: 11 satellites
  ,0.0,                                             // hour meter, mileage
  20240610201713,3AE2$
`);

const SOS = text(`
  +RESP:GTSOS,DF0200,868487004358800,cv100,,00,1,   // head, power, report type, number
  1,0.0,0,138.0,114.015465,22.537372,20210714115224,0460,0001,25F8,061A7D02,,  // fix
  ,20210714195224,20210714195224,03A6$
`);

/** GTGEO built from the TRACGL300AN001 §3.3.1 layout: report id 2 (geofence 2), report type 1 (enter). */
const GEO_ENTER = text(`
  +RESP:GTGEO,1A0102,135790246811220,,2,1,1,
  1,4.3,92,70.0,121.354335,31.222073,20090214013254,0460,0000,18d8,6141,00,
  ,20090214093254,11F0$
`);

const HBM_CORNER = text(`
  +RESP:GTHBM,BD0214,869409069481243,cv100,,12,1,     // report type 0x12: low nibble 2 = harsh cornering
  1,5.6,344,274.7,-1.601826,6.666228,20250114094616,0620,0001,3EE8,00016E04,,
  ,20250114094616,20250114094616,2862$
`);

const INF_GV310LAU = text(`
  +RESP:GTINF,6E0202,868589060187625,RA82,
  11,89883030000091225018,41,0,1,      // state 11 (ignition off, rest), ICCID, CSQ rssi, ber, external supply
  12349,,4.15,0,                       // power mV, reserved, battery V, charging
  1,0,0,20240328231013,0,0,0,0,        // LED, power saving, ext antenna, last fix, pin mask, adc1-3
  00,00,+0000,0,20240328231015,7D4F$
`);

const ACK_RTO = text(`+ACK:GTRTO,1A0102,135790246811220,,GPS,000B,20100310172830,11F0$`); // TRACGL300AN001 §3.2.11 example
const HEARTBEAT = text(`+ACK:GTHBD,1A0401,135790246811220,,20100214093254,11F0$`);

/** Binary +EVT ignition-on event (Traccar Gl200BinaryProtocolDecoderTest). */
const EVT_VGN = hex(`
  2b455654          // +EVT
  2d                // event type 45: VGN (virtual ignition on)
  00fc1fbf          // report mask (bit 6 clear: the id field is the IMEI)
  0063              // length 99
  45                // device type GB100
  0102 0209         // protocol version, firmware version
  5632540300034305  // IMEI 865084030003675, two decimal digits per byte
  64 37f8           // battery 100 %, external power 14328 mV
  22 07             // motion state 22 (ignition on, moving), 7 satellites
  00000200000000    // VGN block: reserved, report type, ignition duration
  01                // one fix
  00                // hdop 0 (no fix)
  001601            // speed 22.1 km/h (integer, tenth)
  00f2 007e         // azimuth 242, altitude 126 m
  ff75a1f0 025c6b1a // longitude -9.068048, latitude 39.611162
  07e1080108241a    // 2017-08-01 08:36:26 UTC
  02680003189c1ac5  // MCC 268, MNC 3, LAC 0x189C, cell 0x1AC5
  00                // reserved
  0000000000021008000000000000000000  // further fields (not decoded)
  07e1080108241a 19e2 4e4e 0d0a       // send time, count number, check word, CR LF
`);

/** Compact binary frame of a newer device (Traccar Gl200BinaryProtocolDecoderTest / Gl200FrameDecoderTest). */
const COMPACT = hex(`
  2b 00 0038        // '+', identifier 00 (compact form), length 56
  00                // flags: single packet
  0865134050947226  // IMEI 865134050947226 (hex digits after the leading 0)
  8203 0003 00 00   // device type, protocol version, custom version, reserved block length 0
  21                // record length 33
  6a3ed6f1 0189     // generated time, record count number
  50 00             // record id, event code
  52 16             // item 0x52 (position), 22 bytes
  29                // status: bits 2-3 = 10, valid fix
  fa8b28f4 02ac1a8e // longitude -91.543308, latitude 44.833422
  6a3ed6f1          // fix time 2026-06-26 19:45:53 UTC
  0000 16 0000      // speed 0.0 km/h, hdop 2.2, course 0
  0010f5 05         // altitude 434.1 m, 5 satellites
  010f f8 24        // count number, check byte, '$'
`);

/** Compressed binary track (+RSP type 100): the first two points of Traccar's test frame, count set to 2. */
const RSP_COMPRESSED = hex(`
  2b525350 64 00fc1fbf 0040  // +RSP, type 100 (compressed), report mask, length 64
  45 0102 0209               // device type, protocol version, firmware version
  5632540300034305           // IMEI 865084030003675
  64 38ed 22 05              // battery 100 %, power 14573 mV, motion state 22, 5 satellites
  0002                       // two points
  61c6f0                     // full point: attribute 01, fix type, speed 227 (22.7 km/h), heading 240
  ff75a1b4 025c6af9 59803d8b // longitude, latitude, time 2017-08-01 08:36:27 UTC
  a07ffe17de                 // delta point: attribute 10, speed +1, heading -1, lon -62, lat -34 (1e-6 deg)
  07e10801082900 19e6 3b5c 0d0a  // send time, count number, check word, CR LF
`);

/** Binary +INF (Traccar Gl200BinaryProtocolDecoderTest): the id field holds the device name (mask bit 6). */
const INF_BINARY = hex(`
  2b494e46 01 fd7f 0076      // +INF, type 1, mask (u16), length 118
  6762313030000000           // device name "gb100"
  45 0102 0209               // device type, protocol version, firmware version
  0104020500004100054007e107150b061d0000003f010e02580000000000d0312a1013648935103226313921591f120000000000
  0302680003189c1ac3001b02680003189c1ac4000d02680003189c1ac50012  // information blocks (not decoded)
  07e107150b0d37 04f6 5806 0d0a  // send time, count number, check word, CR LF
`);

describe('protocols/queclink', () => {
  describe('framer', () => {
    it('cuts text frames before the $ and consumes it', () => {
      const r = queclink.frame(Buffer.concat([SOS, Buffer.from('+RESP')]), tcp(), STRICT);
      expect(r).toMatchObject({ type: 'frame', consumed: SOS.length });
      if (r.type === 'frame') expect(r.frame.toString('latin1')).toBe(SOS.toString('latin1', 0, SOS.length - 1));
    });
    it('keeps the framer contract for text, binary and compact frames', () => {
      for (const f of [FRI_TWO_FIXES, HEARTBEAT, EVT_VGN, COMPACT, RSP_COMPRESSED, INF_BINARY]) assertFramerContract(queclink, f);
    });
    it('gives the same result however the stream is chunked', () => {
      assertChunkingInvariant(queclink, Buffer.concat([FRI_TWO_FIXES, HEARTBEAT, EVT_VGN, COMPACT, ERI_FUEL, ACK_RTO]));
    });
    it('skips bytes up to the next "+" (resync) and refuses an oversize binary length', () => {
      const junk = queclink.frame(Buffer.from('\r\nxx+RESP'), tcp(), STRICT);
      expect(junk).toMatchObject({ type: 'error', consumed: 4 });
      const big = queclink.frame(hex('2b 00 ffff 00 0000000000000000 0000'), tcp(), { crc: 'strict', maxFrameSize: 1024 });
      expect(big).toMatchObject({ type: 'error', consumed: 0 });
      if (big.type === 'error') expect(big.error.code).toBe('oversize');
    });
    it('refuses a text frame with no $ within the frame limit, resyncing at the next "+"', () => {
      const r = queclink.frame(Buffer.from(`+RESP:GTFRI,${'1'.repeat(40)}+RESP`), tcp(), { crc: 'strict', maxFrameSize: 32 });
      expect(r).toMatchObject({ type: 'error', consumed: 52 }); // the bytes before the second "+"
    });
  });

  describe('inspect', () => {
    it('takes the IMEI of every text message as ident and stores reports without acking them by default', () => {
      const r = queclink.inspect(FRI_TWO_FIXES, tcp(), STRICT);
      expect(r).toMatchObject({ ident: '867162020003125', store: true, vars: { version: '2C0204', model: 'GL300W' } });
      expect(r.reply).toBeUndefined();
    });
    it('answers +SACK:<count>$ when the channel setting ack is on', () => {
      const r = queclink.inspect(FRI_TWO_FIXES, tcp(), { ...STRICT, settings: { ack: true } });
      expect(r.reply?.toString('latin1')).toBe('+SACK:1E78$');
    });
    it('always answers the +ACK:GTHBD heartbeat and does not store it', () => {
      const r = queclink.inspect(HEARTBEAT, tcp(), STRICT);
      expect(r).toMatchObject({ ident: '135790246811220', store: false });
      expect(r.reply?.toString('latin1')).toBe('+SACK:GTHBD,1A0401,11F0$');
    });
    it('takes the IMEI from binary and compact frames', () => {
      expect(queclink.inspect(EVT_VGN, tcp(), STRICT)).toMatchObject({ ident: '865084030003675', store: true });
      expect(queclink.inspect(COMPACT, tcp(), STRICT)).toMatchObject({ ident: '865134050947226', store: true });
    });
    it('refuses a binary frame naming the device instead of its IMEI before any IMEI was seen', () => {
      const named = hex('2b41434b017f244501010108676231303000000000ffff07e1070b03112d054dfe030d0a'); // binary +ACK, id = "gb100"
      expect(queclink.inspect(named, tcp(), STRICT).error?.code).toBe('unidentified');
      expect(queclink.inspect(named, tcp({}, '865084030003675'), STRICT)).toMatchObject({ store: true });
    });
    it('refuses messages without a protocol version (older GT300 protocol) and non-Queclink text', () => {
      const old = Buffer.from('+RESP:GTINF,359464030073766,8938003990320469804f,18,99,100,1,0,+2.00,0,20131018084015,00EE,0103090402');
      expect(queclink.inspect(old, tcp(), STRICT)).toMatchObject({ store: false, error: { code: 'unsupported' } });
      expect(queclink.inspect(Buffer.from('+CSQ: 12,0'), tcp(), STRICT)).toMatchObject({ store: false, error: { code: 'malformed' } });
    });
  });

  describe('decode', () => {
    it('decodes a GTFRI with two fixes into two messages, the tail on the last', () => {
      const out = decodeOne(FRI_TWO_FIXES);
      expect(out.errors).toEqual([]);
      expect(out.messages).toHaveLength(2);
      const common = {
        'report.type': 'GTFRI',
        'queclink.device_name': 'GL300W',
        'queclink.fix_count': 2,
        'position.latitude': -0.206828,
        'position.longitude': -78.481127,
        'position.speed': 1.7,
        'position.direction': 205,
        'position.altitude': 2867,
        'gsm.mcc': 740,
        'gsm.mnc': 0,
        'gsm.lac': 0x7596,
        'gsm.cellid': 0x5891c,
        'vehicle.mileage': 0,
        'queclink.count': 0x1e78,
      };
      expect(out.messages[0]).toMatchObject({ ...common, timestamp: Date.UTC(2016, 1, 15, 21, 4, 33) / 1000, 'position.valid': true });
      expect(out.messages[0]['battery.level']).toBeUndefined();
      expect(out.messages[1]).toMatchObject({
        ...common,
        timestamp: Date.UTC(2016, 1, 15, 21, 5, 3) / 1000,
        'battery.level': 88,
        'queclink.send.timestamp': Date.UTC(2016, 1, 15, 21, 5, 6) / 1000,
      });
    });
    it('reads the GV tail: mileage, hour meter, battery and device status (ignition, inputs, outputs)', () => {
      const [m] = decodeOne(FRI_GV300).messages;
      expect(m).toMatchObject({
        'vehicle.mileage': 2000,
        'engine.hours': 12345.209444,
        'battery.level': 80,
        'engine.ignition.status': true,
        'movement.status': false,
        din: 1,
        'din.1': false,
        dout: 0,
        'queclink.report_type': '00',
      });
      expect(m['queclink.unparsed']).toBeUndefined();
    });
    it('marks +BUFF reports buffered and reads GTERI mask sections (digital fuel)', () => {
      const [m] = decodeOne(ERI_FUEL).messages;
      expect(m).toMatchObject({
        'report.type': 'GTERI',
        'message.buffered.status': true,
        'fuel.level': 153,
        'battery.level': 100,
        'queclink.uart_device_type': 1,
      });
    });
    it('sets ignition from GTIGN and reads the append mask (satellites)', () => {
      const [m] = decodeOne(IGN_SATS).messages;
      expect(m).toMatchObject({
        'engine.ignition.status': true,
        'position.satellites': 11,
        'queclink.duration': 379,
        'vehicle.mileage': 0,
        'message.buffered.status': true,
      });
    });
    it('raises alarms: GTSOS sos, GTGEO geofence_enter by report type, GTHBM harsh cornering by its low nibble', () => {
      expect(decodeOne(SOS).messages[0]).toMatchObject({ 'alarm.event.trigger': true, 'alarm.type': 'sos' });
      expect(decodeOne(GEO_ENTER).messages[0]).toMatchObject({ 'alarm.type': 'geofence_enter', 'queclink.report_id': 2 });
      expect(decodeOne(HBM_CORNER).messages[0]).toMatchObject({ 'alarm.type': 'hard_cornering' });
    });
    it('decodes GTINF by the family layout (GV310LAU: power, battery, ADCs)', () => {
      const [m] = decodeOne(INF_GV310LAU).messages;
      expect(m).toMatchObject({
        'external.powersource.voltage': 12.349,
        'battery.voltage': 4.15,
        'battery.charging.status': false,
        'engine.ignition.status': false,
        'gsm.sim.iccid': '89883030000091225018',
        'ain.3': 0,
        timestamp: Date.UTC(2024, 2, 28, 23, 10, 15) / 1000,
      });
    });
    it('turns +ACK into a command reply correlated by its serial number, and a command.response message', () => {
      const out = decodeOne(ACK_RTO);
      expect(out.commandReplies).toEqual([
        {
          response: '+ACK:GTRTO,1A0102,135790246811220,,GPS,000B,20100310172830,11F0',
          executed: true,
          correlation: '000B',
          timestamp: Date.UTC(2010, 2, 10, 17, 28, 30) / 1000,
        },
      ]);
      expect(out.messages[0]).toMatchObject({ 'command.response': out.commandReplies[0].response, timestamp: out.commandReplies[0].timestamp });
      expect(decodeOne(HEARTBEAT).messages).toEqual([]);
    });
    it('decodes a binary +EVT (VGN): ignition, power, fix, cell', () => {
      const [m] = decodeOne(EVT_VGN).messages;
      expect(m).toMatchObject({
        'report.type': 'GTVGN',
        'engine.ignition.status': true,
        'battery.level': 100,
        'external.powersource.voltage': 14.328,
        'position.speed': 22.1,
        'position.direction': 242,
        'position.longitude': -9.068048,
        'position.latitude': 39.611162,
        'position.valid': false,
        timestamp: Date.UTC(2017, 7, 1, 8, 36, 26) / 1000,
        'gsm.mcc': 268,
        'gsm.mnc': 3,
        'gsm.lac': 0x189c,
        'gsm.cellid': 0x1ac5,
      });
    });
    it('decodes a compact binary record with its position item', () => {
      const [m] = decodeOne(COMPACT).messages;
      expect(m).toMatchObject({
        timestamp: 1782503153,
        'position.valid': true,
        'position.longitude': -91.543308,
        'position.latitude': 44.833422,
        'position.hdop': 2.2,
        'position.altitude': 434.1,
        'position.satellites': 5,
      });
    });
    it('decodes a compressed binary track: a full point, then a delta one second later', () => {
      const out = decodeOne(RSP_COMPRESSED);
      expect(out.errors).toEqual([]);
      expect(out.messages.map((m) => [m.timestamp, m['position.speed'], m['position.direction'], m['position.longitude'], m['position.latitude']])).toEqual([
        [1501576587, 22.7, 240, -9.068108, 39.611129],
        [1501576588, 22.8, 239, -9.06817, 39.611095],
      ]);
    });
    it('decodes a binary +INF: device name, firmware, send time', () => {
      expect(decodeOne(INF_BINARY).messages).toEqual([
        {
          'report.type': 'GTINF',
          'queclink.device_name': 'gb100',
          'queclink.protocol.version': '0102',
          'firmware.version': '0209',
          'event.enum': 1,
          'queclink.count': 0x04f6,
          timestamp: Date.UTC(2017, 6, 21, 11, 13, 55) / 1000,
        },
      ]);
    });
    it('produces sane messages for every fixture', () => {
      for (const f of [
        FRI_TWO_FIXES,
        FRI_GV300,
        ERI_FUEL,
        IGN_SATS,
        SOS,
        GEO_ENTER,
        HBM_CORNER,
        INF_GV310LAU,
        ACK_RTO,
        EVT_VGN,
        COMPACT,
        RSP_COMPRESSED,
        INF_BINARY,
      ]) {
        for (const m of decodeOne(f).messages) expect(sanityProblems(m, Date.UTC(2026, 11, 31) / 1000), f.toString('latin1', 0, 20)).toEqual([]);
      }
    });
    it('keeps fields it does not understand in queclink.unparsed instead of dropping them', () => {
      const [m] = decodeOne(
        text(
          '+RESP:GTFRI,1A0102,135790246811220,,0,0,1,1,4.3,92,70.0,121.354335,31.222073,20090214013254,0460,0000,18d8,6141,0015e96913a7,-58,,100,20090214093254,11F0$',
        ),
      ).messages;
      expect(m).toMatchObject({ 'battery.level': 100, 'queclink.unparsed': '0015e96913a7,-58' });
    });
    it('turns malformed and truncated frames into typed errors, never exceptions', () => {
      expect(decodeOne(Buffer.from('+RESP:GTFRI,1A0102')).errors.map((e) => e.code)).toEqual(['truncated']);
      expect(decodeOne(Buffer.from('+RESP GTFRI')).errors.map((e) => e.code)).toEqual(['malformed']);
      expect(decodeOne(EVT_VGN.subarray(0, 40)).errors.map((e) => e.code)).toEqual(['truncated']);
      const cut = Buffer.from(COMPACT);
      cut.writeUInt16BE(0x8fff, 19); // record length beyond the frame
      expect(() => decodeOne(cut)).not.toThrow();
    });
  });

  describe('encoder', () => {
    const enc = (name: string, properties: Record<string, unknown> = {}, id?: number) => {
      const r = encodeCommand({ name, properties, ...(id !== undefined ? { id } : {}) });
      return Buffer.isBuffer(r) ? r.toString('latin1') : r;
    };
    it('builds the heartbeat answer and the optional report ack byte for byte', () => {
      expect(encodeHeartbeatAck('1A0401', '11F0').toString('latin1')).toBe('+SACK:GTHBD,1A0401,11F0$');
      expect(encodeSack('11F0').toString('latin1')).toBe('+SACK:11F0$');
    });
    it('encodes AT+GTRTO commands (locate, reboot, version, read configuration)', () => {
      expect(enc('locate')).toBe('AT+GTRTO=gl300,1,,,,,,FFFF$');
      expect(enc('reboot')).toBe('AT+GTRTO=gl300,3,,,,,,FFFF$');
      expect(enc('get_version', { password: 'gv300' })).toBe('AT+GTRTO=gv300,8,,,,,,FFFF$');
      expect(enc('read_config', { command: 'CFG', serial: '000F' })).toBe('AT+GTRTO=gl300,2,CFG,,,,,000F$'); // TRACGL300AN001 §3.2.11 example
      expect(enc('read_config')).toBe('AT+GTRTO=gl300,2,,,,,,FFFF$');
    });
    it('encodes output control for engine stop and resume', () => {
      expect(enc('engine_stop')).toBe('AT+GTOUT=gl300,1,,,0,0,0,0,0,0,0,,,,,,,FFFF$');
      expect(enc('engine_resume', { password: 'abcd' })).toBe('AT+GTOUT=abcd,0,,,0,0,0,0,0,0,0,,,,,,,FFFF$');
    });
    it('encodes the report interval and password settings', () => {
      expect(enc('set_report_interval', { interval: 60 })).toBe('AT+GTFRI=gl300,1,,,,,,,60,,,,,,,,,,,FFFF$');
      expect(enc('set_password', { new_password: 'abc123' })).toBe('AT+GTCFG=gl300,abc123,,,,,,,,,,,,,,,,,,,FFFF$');
    });
    it('uses the hub command id as serial number (echoed by +ACK for correlation)', () => {
      expect(enc('locate', {}, 0x11234)).toBe('AT+GTRTO=gl300,1,,,,,,1234$');
    });
    it('sends custom text or hex as given', () => {
      expect(enc('custom', { text: 'AT+GTRTO=gl300,B,,,,,,0001$' })).toBe('AT+GTRTO=gl300,B,,,,,,0001$');
      expect(encodeCommand({ name: 'custom', properties: { hex: '2b41' } })).toEqual(Buffer.from('+A'));
    });
    it('names the bad property in a command error', () => {
      expect(enc('set_report_interval', { interval: 2 })).toMatchObject({ code: 'command', reason: expect.stringContaining('interval') });
      expect(enc('locate', { password: 'a,b' })).toMatchObject({ code: 'command', reason: expect.stringContaining('password') });
      expect(enc('read_config', { command: 'fri' })).toMatchObject({ code: 'command', reason: expect.stringContaining('command') });
      expect(enc('custom', {})).toMatchObject({ code: 'command' });
      expect(enc('fly')).toMatchObject({ code: 'command' });
    });
    it('declares the generic device type with its commands and settings', () => {
      const [t] = queclink.deviceTypes;
      expect(t).toMatchObject({ id: 6, name: 'queclink' });
      expect(t.commands.map((c) => c.name)).toEqual([
        'custom',
        'locate',
        'reboot',
        'get_version',
        'read_config',
        'engine_stop',
        'engine_resume',
        'set_report_interval',
        'set_password',
      ]);
      expect(t.settings.map((s) => [s.name, s.read, s.write])).toEqual([
        ['report_interval', 'read_config', 'set_report_interval'],
        ['password', 'read_config', 'set_password'],
      ]);
      for (const c of t.commands) for (const example of c.examples) expect(encodeCommand({ name: c.name, properties: example })).toBeInstanceOf(Buffer);
    });
  });

  describe('connection', () => {
    it('answers the heartbeat and decodes reports on one TCP connection', () => {
      const c = new ConnectionCodec(queclink);
      const out = c.decode(Buffer.concat([HEARTBEAT, FRI_TWO_FIXES]));
      expect(out.replies.map((r) => r.toString('latin1'))).toEqual(['+SACK:GTHBD,1A0401,11F0$']);
      expect(out.messages.map((m: Message) => m.ident)).toEqual(['867162020003125', '867162020003125']);
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input (fast-check)', () => {
      expect(fuzzCodec(queclink, [FRI_TWO_FIXES, FRI_GV300, ERI_FUEL, INF_GV310LAU, EVT_VGN, COMPACT, RSP_COMPRESSED, ACK_RTO], 2000, 'tcp', HEARTBEAT)).toBe(
        2000,
      );
    });
  });

  /** Traccar attribute names → ours (only clear mappings; the rest is not checked). */
  const ATTRIBUTES: AttributeMap = {
    ignition: { name: 'engine.ignition.status' },
    power: { name: 'external.powersource.voltage' },
    power2: { name: 'queclink.power2_voltage' },
    batteryLevel: { name: 'battery.level' },
    fuel: { name: 'fuel.level' },
    in1: { name: 'din.1' },
    adc3: { name: 'ain.3', convert: (v) => (typeof v === 'number' ? Math.round(v * 1000) : v) }, // Traccar keeps mV here
    alarm: { name: 'alarm.type', convert: (v) => (typeof v === 'string' ? v.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()) : v) },
    accessoryVoltage: { name: 'queclink.accessory.voltage' },
    warningType: { name: 'queclink.warning_type' },
    data: { name: 'queclink.data' },
  };

  const corpus = loadCorpus('queclink.json');
  describe.runIf(corpus)('conformance corpus', () => {
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(queclink, corpus!, ATTRIBUTES);
      const rate = reportPassRate('queclink', results);
      expect(rate).toBeGreaterThanOrEqual(0.95);
    });
    it('cuts the corpus framer vectors', () => {
      for (const e of corpus!.filter((x) => x.kind === 'frameDecoder')) {
        const r = queclink.frame(Buffer.from(e.frame, 'hex'), tcp(), { crc: 'strict', maxFrameSize: 65536 });
        expect(r.type === 'frame' && r.frame.toString('hex')).toBe(e.expect.frames![0]);
      }
    });
    it('encodes the corpus commands byte for byte', () => {
      for (const e of corpus!.filter((x) => x.kind === 'encode')) {
        const data = String(e.expect.command!.attributes!.data);
        const bytes = encodeCommand({ name: 'custom', properties: { text: data } }) as Buffer;
        expect(bytes.toString('latin1')).toBe(e.frame);
      }
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});

describe('protocols/queclink settings', () => {
  it('reads the report interval and the password out of +RESP:GTALS and confirms writes by +ACK', async () => {
    const { parseSettings } = await import('../../../protocols/queclink/device-types.js');
    expect(parseSettings('+RESP:GTALS,270100,135790246811220,,FRI,1,0,,0,0000,0000,1,30,1000,1000,,0,0,0,0,,,,FFFF,20261127101010,0011$')?.values).toEqual({
      report_interval: 30,
    });
    expect(parseSettings('+RESP:GTALS,270100,135790246811220,,CFG,gl300,GL300,0,0.0,0,0$')?.values).toEqual({ password: 'gl300' });
    expect(parseSettings('+ACK:GTFRI,270100,135790246811220,,0001,20261127101010,0012$', ['report_interval'])).toEqual({
      values: {},
      confirmed: ['report_interval'],
    });
    expect(parseSettings('+ACK:GTOUT,270100,135790246811220,,0002,20261127101010,0013$', ['report_interval'])).toBeUndefined();
  });
});
