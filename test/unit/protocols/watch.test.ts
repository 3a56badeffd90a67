import { describe, expect, it } from 'vitest';
import { identify } from '../../../bin/commands/identify.js';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import type { CodecOptions, CommandRequest, DecodeContext, Message, SessionState } from '../../../protocols/common/types.js';
import { keepAlive, location, simulator } from '../../../protocols/watch/device.js';
import { parseSettings } from '../../../protocols/watch/device-types.js';
import { correlate, encodeCommand, escapeBinary } from '../../../protocols/watch/encoder.js';
import { watch } from '../../../protocols/watch/index.js';
import { readPacket, unescapeBinary } from '../../../protocols/watch/packet.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { type AttributeMap, type ConformanceEntry, entryBytes, loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';
import { hexFixture } from '../../helpers/hex.js';

/** Text frames written like hex fixtures: one field group per line, comment after `//`, lines trimmed and joined. */
const text = (fields: string): Buffer =>
  Buffer.from(
    fields
      .split('\n')
      .map((line) => line.replace(/\/\/.*$/, '').trim())
      .join(''),
    'utf8',
  );

// Frames: "Beesure GPS SeTracker Server Protocol" (4P-Touch, 2025-08-02; "SeTracker" below): Part I
// §1 LK, §2 UD, §3 UD2, §4 AL, §5 CONFIG, Part II server commands, Part III health, Part IV
// pictures, Part VIII Appendix I location data; its examples where it gives them, else frames of
// Traccar's WatchProtocolDecoderTest (Apache-2.0, numbered by their corpus seq).

/** Part I §1 (1): bare link keep, answered with the same frame. */
const LK = text('[3G*8800000015*0002*LK]');

/** Part I §1 (2): link keep with steps, turnovers and battery. */
const LK_VALUES = text(`
  [3G*8800000015*000D*     // preamble: maker 3G, device id, content length 0x0D = 13
  LK,50,100,100]           // steps 50, turnovers 100, battery 100 %
`);

/** Part I §2 example: real-time location, 7 cells, no Wi-Fi, accuracy. */
const UD = text(`
  [3G*8800000015*00CD*     // content length 0xCD = 205
  UD,                      // Part I §2: real-time location (2G)
  180916,025723,           // ddmmyy, hhmmss GMT: 2016-09-18 02:57:23
  A,                       // GPS fix valid
  22.570733,N,             // latitude, decimal degrees
  113.8626083,E,           // longitude
  0.00,249.5,0.0,          // km/h, course, altitude m
  6,100,60,                // satellites, GSM signal 0-100, battery %
  0,0,                     // steps, turnovers
  00000010,                // status: bit 4 = not moving
  7,255,460,1,             // 7 cells, TA 255, MCC 460, MNC 1
  9529,21809,158,          // LAC, cell id, RSSI (serving cell)
  9529,63555,133,9529,63554,129,9529,21405,126,9529,21242,124,9529,21151,120,9529,63556,119,
  0,                       // Wi-Fi access points: none
  40.7]                    // accuracy, m
`);

/** Part I §3 example: blind-spot re-upload (buffered). */
const UD2 = text(`
  [3G*8800000015*00D0*UD2,180916,064032,A,22.570512,N,113.8623267,E,0.00,154.8,0.0,11,100,100,0,0,00000010,
  7,255,460,1,9529,21809,157,9529,21405,131,9529,63555,130,9529,21242,129,9529,63554,126,9529,63556,120,9529,21151,113,
  0,12.2]
`);

/** Part I §4 example: alarm, status 00100018 = bit 20 (taken off) with bits 3 and 4; answered AL. */
const AL = text(`
  [3G*8800000015*00CD*AL,180916,064153,A,22.570512,N,113.8623267,E,0.00,154.8,0.0,11,100,100,0,0,
  00100018,                // bit 20: the watch was taken off
  7,0,460,1,9529,21809,155,9529,21242,132,9529,21405,131,9529,63554,131,9529,63555,130,9529,63556,118,9529,21869,116,
  0,12.4]
`);

/** Part I §4 4G example: AL_LTE, fall down (bit 21), one cell, five Wi-Fi access points, accuracy. */
const AL_LTE = text(`
  [3G*4504816162*010A*     // content length 0x10A = 266
  AL_LTE,241020,085353,V,0.0,N,0.0,E,
  22.0,0,-1,1,100,35,0,0,  // km/h, course, altitude -1 m, satellites, GSM, battery, steps, turnovers
  00200000,                // bit 21: fall down
  1,1,460,11,30602,125639728,100,
  5,                       // Wi-Fi: name, MAC, RSSI each
  4P-Touch,bc:5f:f6:1e:07:be,-55,ChinaNet-a9Ld,c4:b8:b5:c4:14:79,-53,ChinaNet-CX9r,f0:92:b4:95:3d:b9,-57,
  5B,08:31:8b:ae:ef:c8,-66,TP-LINK_274E,50:bd:5f:80:27:4e,-63,
  0.0]                     // accuracy, m
`);

/** ZJ units put an index before the length (corpus #45): `[ZJ*<id>*<index>*<len>*...]`. */
const ZJ_UD = text(`
  [ZJ*014111001350304*     // maker ZJ, 15-digit id
  0033*0064*               // index 0x33, content length 0x64 = 100
  UD,070318,020827,V,00.000000,N,000.000000,E,0,0,0,0,100,19,1000,50,00000000,1,255,460,0,9346,5223,42]
`);

/** UD_CDMA (firmware of CDMA watches): sid, nid, bid and signal instead of GSM cells. */
const UD_CDMA = text(`
  [SG*9403094122*0066*UD_CDMA,180916,025723,A,22.570733,N,113.8626083,E,0.00,249.5,0.0,6,100,60,0,0,00000010,
  13824,2,4321,60]         // sid, nid, bid, signal
`);

/** Part II §29 example: touch to add a friend: the watch's time, then the location data. */
const PP = text(`
  [3G*8800000015*00D4*PP,
  091046,                  // the watch's time
  180916,085033,A,22.570193,N,113.8621950,E,0.48,60.3,0.0,9,100,100,0,0,00000010,
  7,255,460,1,9529,21809,160,9529,21405,133,9529,63555,133,9529,63554,124,9529,21242,119,9529,21151,118,9529,63574,116,
  0,23.2]
`);

/** Part III §3 example: blood pressure and heart rate, answered bphrt. */
const BPHRT = text('[3G*8800000015*0013*bphrt,112,73,67,,,,]');
/** Part III §4 (corpus #1): SpO2 measured by hand. */
const OXYGEN = text('[3G*9705141740*000B*oxygen,0,98]');
/** Part VI §1 (corpus #9): body temperature at the wrist, answered btemp2. */
const BTEMP = text('[3G*2104326058*000E*btemp2,1,35.29]');
/** Part VI §1: temperature 1 = "high temperature abnormal". */
const BTEMP_HIGH = text('[3G*2104326058*000A*btemp2,1,1]');
/** Heart rate of CS units (corpus #42). */
const PULSE = text('[CS*8800000015*0008*PULSE,72]');
/** Part I §5: configuration report, answered CONFIG,1. */
const CONFIG = text('[3G*8800000015*001E*CONFIG,TY:G75,UL:600,SY:1,CM:1]');
/** SIM ICCID, sent after the first LK answer. */
const CCID = text('[3G*8800000015*0019*CCID,89860117851002424547]');
/** Part II §26: the watch asks for offline voice messages; answered TKQ, nothing stored. */
const TKQ = text('[3G*8800000015*0003*TKQ]');
/** Part VII §5: the watch reports its Wi-Fi credentials: answered WIFIINFOUP,1, never stored. */
const WIFIINFOUP = text('[3G*8800000015*002E*WIFIINFOUP,486f6d65,70617373,aa:bb:cc:dd:ee:ff]');

/** Part II §25 (2): voice from the watch, AMR with escaped bytes; answered TK,1. */
const TK_VOICE = hexFixture(`
  5b 33 47 2a 38 38 30 30 30 30 30 30 31 35 2a 30 30 30 46 2a  // [3G*8800000015*000F*  content length 15
  54 4b 2c                 // TK,
  23 21 41 4d 52 0a        // "#!AMR\\n": AMR file header
  7d 01 7d 02 7d 03        // escaped 7D, 5B, 5D (Part II §25)
  5d                       // ]
`);

/** Voice in parts (ZJ units): `JXTK,<?>,<file>,<part>,<parts>,<AMR>`, answered JXTKR,1 with the index. */
const JXTK = hexFixture(`
  5b 5a 4a 2a 37 38 39 34 36 38 30 35 30 30 34 32 36 39 32 2a  // [ZJ*789468050042692*
  30 30 33 34 2a 30 30 32 39 2a                                 // index 0034, content length 0x29 = 41
  4a 58 54 4b 2c 30 2c     // JXTK,0,
  77 61 74 63 68 5f 37 5f 32 30 32 32 30 35 32 36 30 39 33 39 35 34 2c  // watch_7_20220526093954,
  31 2c 36 2c              // part 1 of 6
  23 21 41 4d 52 0a 0c     // AMR bytes
  5d
`);

/** Part IV: a picture (remote snapshot, type 5) with escaped bytes. */
const IMG = hexFixture(`
  5b 33 47 2a 38 38 30 30 30 30 30 30 31 35 2a 30 30 31 44 2a  // [3G*8800000015*001D*  content length 29
  69 6d 67 2c 35 2c        // img,5,
  31 36 30 34 32 39 31 31 30 39 35 30 2c  // 160429110950, (yyMMddHHmmss, the watch's clock)
  ff d8 ff e0 7d 04 7d 05 ff d9  // JPEG bytes, 2C and 2A escaped
  5d
`);

/** Part II §2: the watch's answer to UPLOAD. */
const ECHO_UPLOAD = text('[3G*8800000015*0006*UPLOAD]');
/** Part II §13 example: the answer to VERNO with the firmware version. */
const ECHO_VERNO = text('[3G*8800000015*0028*VERNO,G29_BASE_V1.00_2014.04.23_17.46.49]');
/** Part II §25 (1): the watch could not play a voice message. */
const ECHO_TK_FAILED = text('[3G*8800000015*0004*TK,0]');

/** A Wi-Fi name with `]` in it, with a true length (layout of corpus frameDecoder #1). */
const WIFI_BRACKET = text(`
  [3G*8809002420*008C*UD,120623,140020,A,48.949273,N,4.3783060,E,18.56,43.8,0.0,12,100,76,226120,0,00000000,
  0,1,[LG_Wall-Mount A/C]e725,66:a1:ed:e1:e7:25,-82,15.0]
`);

const RX = Date.UTC(2026, 0, 15, 12, 0, 0) / 1000;
const OPTIONS: CodecOptions = { crc: 'strict', maxFrameSize: 4096 };
const tcp = (): SessionState => ({ transport: 'tcp', vars: {} });
const ctx: DecodeContext = { transport: 'tcp', receivedAt: RX };
const CELLS_UD = [
  [9529, 21809, 158],
  [9529, 63555, 133],
  [9529, 63554, 129],
  [9529, 21405, 126],
  [9529, 21242, 124],
  [9529, 21151, 120],
  [9529, 63556, 119],
];
const ALL = [LK, LK_VALUES, UD, UD2, AL, AL_LTE, ZJ_UD, UD_CDMA, PP, BPHRT, OXYGEN, BTEMP, BTEMP_HIGH, PULSE, CONFIG, CCID, TKQ, WIFIINFOUP];
const BINARY = [TK_VOICE, JXTK, IMG];
const ECHOES = [ECHO_UPLOAD, ECHO_VERNO, ECHO_TK_FAILED, WIFI_BRACKET];

function decodeOne(frame: Buffer): Message {
  const out = watch.decode(frame, ctx);
  expect(out.errors).toEqual([]);
  expect(out.messages).toHaveLength(1);
  expect(sanityProblems(out.messages[0], RX)).toEqual([]);
  return out.messages[0];
}

describe('protocols/watch', () => {
  describe('fixtures', () => {
    it('carry the true content length in their header (SeTracker preamble)', () => {
      for (const f of [...ALL, ...BINARY, ...ECHOES]) {
        const p = readPacket(f);
        if (p instanceof Error) throw p;
        expect(p.content.length, f.toString('latin1', 0, 40)).toBe(p.length);
      }
    });
  });

  describe('framer', () => {
    it('keeps the framer contract for every frame', () => {
      for (const f of [...ALL, ...BINARY, ...ECHOES]) assertFramerContract(watch, f);
    });
    it('gives the same result however the stream is chunked', () => {
      assertChunkingInvariant(watch, Buffer.concat([LK, UD, Buffer.from('\r\n'), AL, TK_VOICE, WIFI_BRACKET, JXTK, ZJ_UD, BPHRT, ECHO_UPLOAD]));
    });
    it('ends a frame at the ] its length points at, past a ] inside a Wi-Fi name', () => {
      expect(watch.frame(Buffer.concat([WIFI_BRACKET, LK]), tcp(), OPTIONS)).toMatchObject({ type: 'frame', consumed: WIFI_BRACKET.length });
      const inner = WIFI_BRACKET.indexOf(']') + 1;
      expect(watch.frame(WIFI_BRACKET.subarray(0, inner), tcp(), OPTIONS)).toEqual({ type: 'more' });
    });
    it('ends a frame with a wrong length at the first ] followed by [, a line end, or nothing (within 16 bytes of the announced end)', () => {
      const short = text(
        '[SG*9051007430*0060*UD,150817,132115,V,28.435142,N,81.354333,W,2.2038,000,99,00,70,100,0,50,00000000,1,1,310,260,1091,30082,139,,00]',
      );
      expect(watch.frame(Buffer.concat([short, LK]), tcp(), OPTIONS)).toMatchObject({ type: 'frame', consumed: short.length });
      const long = text('[SG*9081000548*0009*LK,0,100]'); // corpus #31: 8 bytes of content
      expect(watch.frame(long, tcp(), OPTIONS)).toMatchObject({ type: 'frame', consumed: long.length });
      expect(watch.frame(Buffer.concat([long, LK]), tcp(), OPTIONS)).toMatchObject({ type: 'frame', consumed: long.length });
      expect(watch.frame(text('[3G*8800000015*0040*LK,0,100]'), tcp(), OPTIONS)).toEqual({ type: 'more' }); // 55 bytes short: wait
      expect(watch.frame(Buffer.from('[3G*8800000015*0040*LK,0,100]\r\n'), tcp(), OPTIONS)).toMatchObject({ type: 'frame', consumed: 31 });
    });
    it('skips line ends between frames and waits for a header still arriving', () => {
      const r = watch.frame(Buffer.concat([Buffer.from('\r\n'), LK]), tcp(), OPTIONS);
      expect(r).toMatchObject({ type: 'frame', consumed: LK.length + 2 });
      if (r.type === 'frame') expect(r.frame.equals(LK)).toBe(true);
      expect(watch.frame(Buffer.from('[3G*8800000015*00'), tcp(), OPTIONS)).toEqual({ type: 'more' });
      expect(watch.frame(Buffer.from('[ZJ*1*0033*00'), tcp(), OPTIONS)).toEqual({ type: 'more' });
    });
    it('skips garbage and bad headers up to the next [ with a typed error', () => {
      const r = watch.frame(Buffer.concat([Buffer.from([0x00, 0xff]), Buffer.from('xyz'), LK]), tcp(), OPTIONS);
      expect(r).toMatchObject({ type: 'error', consumed: 5, error: { code: 'malformed' } });
      expect(watch.frame(Buffer.concat([Buffer.from('[3G*88*00Z2*LK]'), LK]), tcp(), OPTIONS)).toMatchObject({
        type: 'error',
        consumed: 15,
        error: { code: 'malformed', offset: 7 },
      });
      expect(watch.frame(Buffer.from(`[3G*${'1'.repeat(21)}*`), tcp(), OPTIONS)).toMatchObject({ type: 'error', error: { code: 'malformed', offset: 4 } });
      expect(watch.frame(Buffer.from('[TOOLONG*1*0002*LK]'), tcp(), OPTIONS)).toMatchObject({ type: 'error', consumed: 19, error: { code: 'malformed' } });
    });
    it('refuses a frame without ] within the frame limit, resyncing at the next [', () => {
      const big = Buffer.concat([Buffer.from(`[3G*8800000015*0100*UD,${'9'.repeat(100)}`), LK]);
      expect(watch.frame(big, tcp(), { crc: 'strict', maxFrameSize: 64 })).toMatchObject({
        type: 'error',
        consumed: big.length - LK.length,
        error: { code: 'oversize' },
      });
      expect(watch.frame(UD, tcp(), { crc: 'strict', maxFrameSize: 64 })).toMatchObject({ type: 'error', consumed: UD.length, error: { code: 'oversize' } });
    });
    it('speaks TCP only (SeTracker: not UDP)', () => {
      expect(watch.transports).toEqual(['tcp']);
    });
  });

  describe('inspect', () => {
    it('Part I §1: answers LK with [3G*<id>*0002*LK], storing only an LK with values', () => {
      const r = watch.inspect(LK, tcp(), OPTIONS);
      expect(r).toEqual({ ident: '8800000015', store: false, reply: Buffer.from('[3G*8800000015*0002*LK]'), vars: { maker: '3G', indexed: false } });
      expect(r.reply?.toString('hex')).toBe('5b33472a383830303030303031352a303030322a4c4b5d');
      expect(watch.inspect(LK_VALUES, tcp(), OPTIONS)).toMatchObject({ ident: '8800000015', store: true, reply: Buffer.from('[3G*8800000015*0002*LK]') });
      expect(watch.inspect(text('[SG*8800000015*0002*LK]'), tcp(), OPTIONS).reply?.toString()).toBe('[SG*8800000015*0002*LK]');
    });
    it('Part I §4: answers AL and AL_LTE with AL; ZJ answers echo the index (ZJ*<id>*<index>*0002*AL)', () => {
      expect(watch.inspect(AL, tcp(), OPTIONS)).toMatchObject({ store: true, reply: Buffer.from('[3G*8800000015*0002*AL]') });
      expect(watch.inspect(AL_LTE, tcp(), OPTIONS).reply?.toString()).toBe('[3G*4504816162*0002*AL]');
      const zj = text('[ZJ*689466020014198*0003*0063*AL,221121,085515,V,00.000000,N,000.000000,E,0,0,0,0,0,44,0,0,00100000,1,255,460,0,16399,234887445,0]');
      expect(watch.inspect(zj, tcp(), OPTIONS)).toMatchObject({ ident: '689466020014198', store: true, vars: { maker: 'ZJ', indexed: true } });
      expect(watch.inspect(zj, tcp(), OPTIONS).reply?.toString()).toBe('[ZJ*689466020014198*0003*0002*AL]');
    });
    it('stores UD, UD2 and the watch answers to commands without answering them', () => {
      for (const f of [UD, UD2, ZJ_UD, UD_CDMA, PP, OXYGEN, PULSE, IMG, ECHO_UPLOAD, ECHO_TK_FAILED]) {
        const r = watch.inspect(f, tcp(), OPTIONS);
        expect(r.store, f.toString('latin1', 0, 30)).toBe(true);
        expect(r.reply).toBeUndefined();
      }
    });
    it('answers the other frames the watch waits for, byte for byte', () => {
      const reply = (f: Buffer) => watch.inspect(f, tcp(), OPTIONS).reply?.toString('latin1');
      expect(reply(TKQ)).toBe('[3G*8800000015*0003*TKQ]'); // Part II §26
      expect(reply(text('[3G*8800000015*0004*TKQ2]'))).toBe('[3G*8800000015*0004*TKQ2]');
      expect(reply(TK_VOICE)).toBe('[3G*8800000015*0004*TK,1]'); // Part II §25 (2): received
      expect(reply(BPHRT)).toBe('[3G*8800000015*0005*bphrt]'); // Part III §3
      expect(reply(BTEMP)).toBe('[3G*2104326058*0006*btemp2]'); // Part VI §1
      expect(reply(CONFIG)).toBe('[3G*8800000015*0008*CONFIG,1]'); // Part I §5
      expect(reply(WIFIINFOUP)).toBe('[3G*8800000015*000c*WIFIINFOUP,1]'); // Part VII §5
      expect(reply(text('[3G*8800000015*0004*INIT]'))).toBe('[3G*8800000015*0006*INIT,1]');
      expect(reply(JXTK)).toBe('[ZJ*789468050042692*0034*0007*JXTKR,1]');
      expect(watch.inspect(TKQ, tcp(), OPTIONS).store).toBe(false);
      expect(watch.inspect(WIFIINFOUP, tcp(), OPTIONS).store).toBe(false);
    });
    it('needs no login: every frame carries the device id, so a UD before any LK is stored', () => {
      expect(watch.inspect(UD, tcp(), OPTIONS)).toEqual({ ident: '8800000015', store: true, vars: { maker: '3G', indexed: false } });
    });
    it('behaves the same under strict and lenient policies (the protocol has no checksum)', () => {
      for (const f of [LK, UD, AL, TK_VOICE]) expect(watch.inspect(f, tcp(), { ...OPTIONS, crc: 'lenient' })).toEqual(watch.inspect(f, tcp(), OPTIONS));
    });
    it('refuses frames that are not [<maker>*<id>*<len>*...]', () => {
      const refuse = (s: string) => watch.inspect(Buffer.from(s), tcp(), OPTIONS);
      expect(refuse('3G*8800000015*0002*LK]')).toMatchObject({ store: false, error: { code: 'malformed', offset: 0 } });
      expect(refuse('[3G**0002*LK]')).toMatchObject({ store: false, error: { code: 'malformed', offset: 4 } });
      expect(refuse('[3G*8800000015*00x2*LK]')).toMatchObject({ store: false, error: { code: 'malformed', offset: 15 } });
      expect(refuse('[3G*8800000015*00')).toMatchObject({ store: false, error: { code: 'truncated' } });
      expect(refuse('[3G-8800000015*0002*LK]')).toMatchObject({ store: false, error: { code: 'malformed', offset: 1 } });
    });
  });

  describe('decode', () => {
    it('Part I §2 / Appendix I: decodes UD (time GMT, km/h, status bits, cells, accuracy)', () => {
      expect(decodeOne(UD)).toEqual({
        'report.type': 'UD',
        timestamp: Date.UTC(2016, 8, 18, 2, 57, 23) / 1000,
        'position.latitude': 22.570733,
        'position.longitude': 113.8626083,
        'position.valid': true,
        'position.speed': 0,
        'position.direction': 249.5,
        'position.altitude': 0,
        'position.satellites': 6,
        'gsm.signal.level': 100,
        'battery.level': 60,
        'watch.steps': 0,
        'watch.turnovers': 0,
        'watch.status': 0x10,
        'battery.low.status': false,
        'watch.geofence.outside.status': false,
        'watch.geofence.inside.status': false,
        'movement.status': false,
        'watch.cell.ta': 255,
        'gsm.mcc': 460,
        'gsm.mnc': 1,
        'gsm.lac': 9529,
        'gsm.cellid': 21809,
        'gsm.cells': CELLS_UD,
        'position.accuracy': 40.7,
      });
    });
    it('Part I §3: marks UD2 as buffered', () => {
      expect(decodeOne(UD2)).toMatchObject({
        'report.type': 'UD2',
        'message.buffered.status': true,
        timestamp: Date.UTC(2016, 8, 18, 6, 40, 32) / 1000,
        'position.accuracy': 12.2,
      });
      expect(decodeOne(UD)['message.buffered.status']).toBeUndefined();
    });
    it('Part I §4 / Appendix I: takes the alarm from the first alarm bit (20: removing)', () => {
      expect(decodeOne(AL)).toMatchObject({
        'report.type': 'AL',
        'watch.status': 0x100018,
        'alarm.event.trigger': true,
        'alarm.type': 'removing',
        'movement.status': false,
        'watch.cell.ta': 0,
      });
      const general = text('[3G*8800000015*0055*AL,180916,064153,A,22.570512,N,113.8623267,E,0.00,154.8,0.0,11,100,100,0,0,00000000,0]');
      expect(decodeOne(general)).toMatchObject({ 'alarm.type': 'general', 'alarm.event.trigger': true });
      const sos = (status: string) =>
        decodeOne(text(`[3G*8800000015*0055*UD,180916,064153,A,22.570512,N,113.8623267,E,0.00,154.8,0.0,11,100,100,0,0,${status},0]`));
      expect(sos('00010000')['alarm.type']).toBe('sos');
      expect(sos('00020001')).toMatchObject({ 'alarm.type': 'low_battery', 'battery.low.status': true });
      expect(sos('00040002')).toMatchObject({ 'alarm.type': 'geofence_exit', 'watch.geofence.outside.status': true });
      expect(sos('00080004')).toMatchObject({ 'alarm.type': 'geofence_enter', 'watch.geofence.inside.status': true });
      expect(sos('00400000')['alarm.type']).toBe('abnormal_heart_rate');
      expect(sos('00000000')['alarm.type']).toBeUndefined();
    });
    it('Part I §4 4G: decodes AL_LTE with the fall alarm, the network, Wi-Fi access points and their names', () => {
      expect(decodeOne(AL_LTE)).toEqual({
        'report.type': 'AL_LTE',
        timestamp: Date.UTC(2020, 9, 24, 8, 53, 53) / 1000,
        'position.latitude': 0,
        'position.longitude': 0,
        'position.valid': false,
        'position.speed': 22,
        'position.direction': 0,
        'position.altitude': -1,
        'position.satellites': 1,
        'gsm.signal.level': 100,
        'battery.level': 35,
        'watch.steps': 0,
        'watch.turnovers': 0,
        'watch.status': 0x200000,
        'battery.low.status': false,
        'watch.geofence.outside.status': false,
        'watch.geofence.inside.status': false,
        'movement.status': true,
        'alarm.event.trigger': true,
        'alarm.type': 'fall_down',
        'gsm.network.technology': '4G',
        'watch.cell.ta': 1,
        'gsm.mcc': 460,
        'gsm.mnc': 11,
        'gsm.lac': 30602,
        'gsm.cellid': 125639728,
        'gsm.cells': [[30602, 125639728, 100]],
        'wifi.access.points': [
          ['bc:5f:f6:1e:07:be', -55],
          ['c4:b8:b5:c4:14:79', -53],
          ['f0:92:b4:95:3d:b9', -57],
          ['08:31:8b:ae:ef:c8', -66],
          ['50:bd:5f:80:27:4e', -63],
        ],
        'watch.wifi.names': ['4P-Touch', 'ChinaNet-a9Ld', 'ChinaNet-CX9r', '5B', 'TP-LINK_274E'],
        'position.accuracy': 0,
      });
    });
    it('reads ZJ frames with an index, CDMA cells, PP with the watch time, and a Wi-Fi name holding ]', () => {
      expect(decodeOne(ZJ_UD)).toMatchObject({
        'report.type': 'UD',
        'watch.steps': 1000,
        'gsm.cells': [[9346, 5223, 42]],
        timestamp: Date.UTC(2018, 2, 7, 2, 8, 27) / 1000,
      });
      expect(decodeOne(UD_CDMA)).toMatchObject({
        'gsm.network.technology': 'CDMA',
        'watch.cdma.sid': 13824,
        'watch.cdma.nid': 2,
        'watch.cdma.bid': 4321,
        'watch.cdma.signal': 60,
      });
      expect(decodeOne(PP)).toMatchObject({ 'report.type': 'PP', 'watch.friend.time': '091046', 'position.latitude': 22.570193, 'position.accuracy': 23.2 });
      expect(decodeOne(WIFI_BRACKET)).toMatchObject({
        'wifi.access.points': [['66:a1:ed:e1:e7:25', -82]],
        'watch.wifi.names': ['[LG_Wall-Mount A/C]e725'],
        'position.accuracy': 15,
      });
    });
    it('reads signed coordinates, hex cell numbers, and keeps fields it cannot place as io.<n>', () => {
      const signed = decodeOne(text('[3G*6105117105*0053*UD2,210716,231601,V,-33.480366,N,-70.7630692,E,0.00,0.0,0.0,0,100,34,0,0,00000000,0]'));
      expect(signed).toMatchObject({ 'position.latitude': -33.480366, 'position.longitude': -70.7630692 }); // corpus #28
      expect(decodeOne(text('[3G*1*0051*UD,230817,095346,A,47.083950,S,15.4821850,W,7.60,273.8,0.0,4,15,44,0,0,00000000,0]'))).toMatchObject({
        'position.latitude': -47.08395,
        'position.longitude': -15.482185,
      });
      const hex = decodeOne(
        text('[SG*9059011020*0067*AL,240123,181628,V,54.427538,N,6.409275,W,0.00,0,0,0,19,90,0,0,00000000,1,1,234,10,55C0,3B882A2,132,,10]'),
      );
      expect(hex).toMatchObject({ 'gsm.lac': 0x55c0, 'gsm.cellid': 0x3b882a2, 'gsm.cells': [[0x55c0, 0x3b882a2, 132]], 'position.accuracy': 10 }); // corpus #3
      const odd = decodeOne(text('[3G*1*0055*UD,230817,095346,A,47.083950,N,15.4821850,E,7.60,273.8,0.0,4,15,44,0,0,00000000,9,x,y]'));
      expect(odd).toMatchObject({ 'io.17': '9', 'io.18': 'x', 'io.19': 'y' });
      expect(decodeOne(text('[3G*1*003A*UD,230817,095346,A,north,N,15.48,E,7.60,0,0,4,15,44,0,0,zz]'))).toMatchObject({
        'io.4': 'north',
        'io.5': 'N',
        'io.16': 'zz',
      });
    });
    it('Part I §1: decodes LK values (steps, turnovers, battery) and nothing from a bare LK', () => {
      expect(decodeOne(LK_VALUES)).toEqual({ 'report.type': 'LK', timestamp: RX, 'watch.steps': 50, 'watch.turnovers': 100, 'battery.level': 100 });
      expect(watch.decode(LK, ctx)).toEqual({ messages: [], commandReplies: [], errors: [] });
      expect(decodeOne(text('[SG*9081000548*0008*LK,0,100]'))).toEqual({ 'report.type': 'LK', timestamp: RX, 'io.1': '0', 'io.2': '100' });
    });
    it('Part III, Part VI: decodes health measurements, leaving out a 0 ("not measured")', () => {
      expect(decodeOne(BPHRT)).toEqual({
        'report.type': 'bphrt',
        timestamp: RX,
        'health.blood.pressure.systolic': 112,
        'health.blood.pressure.diastolic': 73,
        'health.heart.rate': 67,
      });
      expect(decodeOne(OXYGEN)).toEqual({ 'report.type': 'oxygen', timestamp: RX, 'watch.measure.type': 0, 'health.blood.oxygen': 98 });
      expect(decodeOne(BTEMP)).toEqual({ 'report.type': 'btemp2', timestamp: RX, 'watch.measure.mode': 1, 'health.body.temperature': 35.29 });
      expect(decodeOne(BTEMP_HIGH)).toEqual({ 'report.type': 'btemp2', timestamp: RX, 'watch.measure.mode': 1, 'health.body.temperature.abnormal': 'high' });
      expect(decodeOne(PULSE)).toEqual({ 'report.type': 'PULSE', timestamp: RX, 'health.heart.rate': 72 });
      expect(decodeOne(text('[3G*6005412902*0007*heart,0]'))).toEqual({ 'report.type': 'heart', timestamp: RX });
    });
    it('Part I §5: decodes CONFIG pairs and the ICCID', () => {
      expect(decodeOne(CONFIG)).toEqual({
        'report.type': 'CONFIG',
        timestamp: RX,
        'watch.model': 'G75',
        'watch.upload.interval': 600,
        'watch.config.sy': 1,
        'watch.config.cm': 1,
      });
      expect(decodeOne(CCID)).toEqual({ 'report.type': 'CCID', timestamp: RX, 'gsm.sim.iccid': '89860117851002424547' });
    });
    it('Part II §25, Part IV: keeps voice and pictures unescaped, as hex, one message per frame', () => {
      expect(decodeOne(TK_VOICE)).toEqual({ 'report.type': 'TK', timestamp: RX, 'watch.audio.data': '2321414d520a7d5b5d' });
      expect(decodeOne(JXTK)).toEqual({
        'report.type': 'JXTK',
        timestamp: RX,
        'io.1': 0,
        'watch.audio.file': 'watch_7_20220526093954',
        'watch.audio.part': 1,
        'watch.audio.parts': 6,
        'watch.audio.data': '2321414d520a0c',
      });
      expect(decodeOne(IMG)).toEqual({
        'report.type': 'img',
        timestamp: RX,
        'watch.photo.type': 5,
        'watch.photo.time': '160429110950',
        'watch.photo.data': 'ffd8ffe02c2affd9',
      });
      const bad = watch.decode(text('[3G*8800000015*0005*TK,}x]'), ctx);
      expect(bad.errors.map((e) => e.code)).toEqual(['malformed']);
    });
    it('Part II: turns the watch answers into command replies correlated by the command word', () => {
      const upload = watch.decode(ECHO_UPLOAD, ctx);
      expect(upload.commandReplies).toEqual([{ response: 'UPLOAD', correlation: 'UPLOAD', executed: true, timestamp: RX }]);
      expect(upload.messages).toEqual([{ 'report.type': 'UPLOAD', 'command.response': 'UPLOAD', timestamp: RX }]);
      const verno = watch.decode(ECHO_VERNO, ctx);
      expect(verno.commandReplies).toMatchObject([{ response: 'VERNO,G29_BASE_V1.00_2014.04.23_17.46.49', correlation: 'VERNO', executed: true }]);
      expect(verno.messages[0]['firmware.version']).toBe('G29_BASE_V1.00_2014.04.23_17.46.49');
      expect(watch.decode(ECHO_TK_FAILED, ctx).commandReplies).toMatchObject([{ response: 'TK,0', correlation: 'TK', executed: false }]);
      expect(watch.decode(text('[3G*8308406279*0008*rcapture]'), ctx).commandReplies).toMatchObject([{ correlation: 'RCAPTURE' }]);
      expect(watch.decode(UD, ctx).commandReplies).toEqual([]);
    });
    it('decodes nothing from TKQ and Wi-Fi credentials, and returns typed errors, never throwing', () => {
      for (const f of [TKQ, WIFIINFOUP]) expect(watch.decode(f, ctx)).toEqual({ messages: [], commandReplies: [], errors: [] });
      expect(watch.decode(Buffer.from('hello'), ctx).errors.map((e) => e.code)).toEqual(['malformed']);
      expect(watch.decode(text('[3G*8800000015*0008*UD,1,2,3]'), ctx).errors.map((e) => e.code)).toEqual(['malformed']);
      expect(watch.decode(text('[3G*8800000015*0000*]'), ctx)).toEqual({ messages: [], commandReplies: [], errors: [] });
    });
  });

  describe('encoder', () => {
    const state = { ident: '123456789012345', vars: {} };
    const encode = (name: string, properties: Record<string, unknown> = {}, s: Pick<SessionState, 'ident' | 'vars'> = state) => {
      const r = encodeCommand({ name, properties }, s);
      return Buffer.isBuffer(r) ? r.toString('latin1') : r;
    };
    it('Part II: encodes the commands in the envelope, lower-case hex length, CS before the watch has spoken', () => {
      expect(encode('locate')).toBe('[CS*123456789012345*0002*CR]'); // §16
      expect(encode('interval', { seconds: 600 })).toBe('[CS*123456789012345*000a*UPLOAD,600]'); // §2
      expect(encode('reboot')).toBe('[CS*123456789012345*0005*RESET]'); // §15
      expect(encode('power_off')).toBe('[CS*123456789012345*0008*POWEROFF]'); // §17
      expect(encode('factory_reset')).toBe('[CS*123456789012345*0007*FACTORY]'); // §9
      expect(encode('find')).toBe('[CS*123456789012345*0004*FIND]'); // §22
      expect(encode('status')).toBe('[CS*123456789012345*0002*TS]'); // §14
      expect(encode('version')).toBe('[CS*123456789012345*0005*VERNO]'); // §13
      expect(encode('photo')).toBe('[CS*123456789012345*0008*rcapture]'); // Part IV
      expect(encode('sos_number', { index: 2, number: '00000000000' })).toBe('[CS*123456789012345*0010*SOS2,00000000000]'); // §7
      expect(encode('center_number', { number: '13800138000' })).toBe('[CS*123456789012345*0012*CENTER,13800138000]'); // §5
      expect(encode('monitor', { number: '13100010002' })).toBe('[CS*123456789012345*0013*MONITOR,13100010002]'); // §6
      expect(encode('call', { number: '13800138000' })).toBe('[CS*123456789012345*0010*CALL,13800138000]'); // §4
      expect(encode('sos_sms', { enable: false })).toBe('[CS*123456789012345*0008*SOSSMS,0]'); // §11
      expect(encode('low_battery_sms', { enable: true })).toBe('[CS*123456789012345*0008*LOWBAT,1]'); // §12
      expect(encode('remove_alarm', { enable: true })).toBe('[CS*123456789012345*0008*REMOVE,1]'); // §18
      expect(encode('fall_alarm', { enable: true, call: false })).toBe('[CS*123456789012345*000c*FALLDOWN,1,0]'); // Part V
      expect(encode('message', { text: '11a' })).toBe('[CS*123456789012345*0014*MESSAGE,003100310061]'); // §27 example
      expect(encodeCommand({ name: 'locate', properties: {} }, state)).toEqual(Buffer.from('5b43532a3132333435363738393031323334352a303030322a43525d', 'hex'));
    });
    it('§10: writes the time zone in hours with a sign and up to two decimals', () => {
      expect(encode('timezone', { minutes: 480, language: 1 })).toBe('[CS*123456789012345*0007*LZ,1,+8]');
      expect(encode('timezone', { minutes: -570 })).toBe('[CS*123456789012345*0008*LZ,,-9.5]');
      expect(encode('timezone', { minutes: 0 })).toBe('[CS*123456789012345*0006*LZ,,+0]');
    });
    it('§25: escapes the voice bytes, the length counting them as sent', () => {
      const r = encodeCommand({ name: 'voice_message', properties: { hex: '7d5b5d2c2a00' } }, state);
      expect(Buffer.isBuffer(r) && r.toString('hex')).toBe(`${Buffer.from('[CS*123456789012345*000e*TK,').toString('hex')}7d017d027d037d047d05005d`);
      expect(escapeBinary(Buffer.from([0x7d, 0x41]))).toEqual(Buffer.from([0x7d, 0x01, 0x41]));
      expect(unescapeBinary(Buffer.from([0x7d, 0x01, 0x7d, 0x05, 0x41]))).toEqual(Buffer.from([0x7d, 0x2a, 0x41]));
      expect(unescapeBinary(Buffer.from([0x7d, 0x06]))).toBeUndefined();
      expect(unescapeBinary(Buffer.from([0x41, 0x7d]))).toBeUndefined();
    });
    it('answers in the watch envelope: its maker (3G addressed as SG, as Traccar does) and the index 0001 for ZJ units', () => {
      expect(encode('locate', {}, { ident: '8800000015', vars: { maker: '3G', indexed: false } })).toBe('[SG*8800000015*0002*CR]');
      expect(encode('locate', {}, { ident: '8800000015', vars: { maker: 'CS', indexed: false } })).toBe('[CS*8800000015*0002*CR]');
      expect(encode('locate', {}, { ident: '014111001350304', vars: { maker: 'ZJ', indexed: true } })).toBe('[ZJ*014111001350304*0001*0002*CR]');
    });
    it('sends custom text wrapped, a whole [...] frame as is, and hex as bytes', () => {
      expect(encode('custom', { text: 'WORKTIME,180' })).toBe('[CS*123456789012345*000c*WORKTIME,180]');
      expect(encode('custom', { text: '[SG*8800000015*0002*CR]' })).toBe('[SG*8800000015*0002*CR]');
      expect(encode('custom', { hex: '5b53472a312a303030322a43525d' })).toBe('[SG*1*0002*CR]');
    });
    it('names the bad property in a command error', () => {
      expect(encode('interval', { seconds: 30 })).toMatchObject({ code: 'command', reason: expect.stringContaining('seconds') });
      expect(encode('sos_number', { index: 4, number: '1' })).toMatchObject({ code: 'command', reason: expect.stringContaining('index') });
      expect(encode('sos_number', { number: 'abc' })).toMatchObject({ code: 'command', reason: expect.stringContaining('number') });
      expect(encode('timezone', { minutes: 1000 })).toMatchObject({ code: 'command', reason: expect.stringContaining('minutes') });
      expect(encode('fall_alarm', { enable: true, call: 'yes' })).toMatchObject({ code: 'command', reason: expect.stringContaining('call') });
      expect(encode('voice_message', { hex: 'zz' })).toMatchObject({ code: 'command', reason: expect.stringContaining('hex') });
      expect(encode('custom', {})).toMatchObject({ code: 'command', reason: expect.stringContaining('text') });
      expect(encode('engine_stop')).toMatchObject({ code: 'command', reason: expect.stringContaining('engine_stop') });
      expect(encodeCommand({ name: 'locate', properties: {} }, { vars: {} })).toMatchObject({ code: 'command', reason: expect.stringContaining('device id') });
    });
    it('correlates a command with the word the watch answers with', () => {
      const c = (name: string, properties: Record<string, unknown> = {}) => correlate({ name, properties });
      expect(c('locate')).toBe('CR');
      expect(c('interval', { seconds: 600 })).toBe('UPLOAD');
      expect(c('photo')).toBe('RCAPTURE');
      expect(c('sos_number', { index: 1, number: '1' })).toBe('SOS1');
      expect(c('voice_message', { hex: '00' })).toBe('TK');
      expect(c('custom', { text: 'WORK,6-9' })).toBe('WORK');
      expect(c('custom', { text: '[ZJ*1*0001*0002*CR]' })).toBe('CR');
      expect(c('custom', { hex: '00' })).toBeUndefined();
      const sent: CommandRequest = { name: 'interval', properties: { seconds: 600 } };
      expect(watch.decode(ECHO_UPLOAD, ctx).commandReplies[0].correlation).toBe(correlate(sent));
    });
    it('lists its device type with JSON-schema commands whose examples encode, and settings read by TS', () => {
      const [type] = watch.deviceTypes;
      expect(type).toMatchObject({ id: 16, name: 'watch' });
      expect(type.settings.map((s) => [s.name, s.read, s.write])).toEqual([
        ['report_interval', 'status', 'interval'],
        ['timezone', 'status', 'timezone'],
      ]);
      for (const c of type.commands)
        for (const example of c.examples) {
          expect(c.validate?.(example), c.name).toBeUndefined();
          expect(encodeCommand({ name: c.name, properties: example }, state), c.name).toBeInstanceOf(Buffer);
        }
      for (const s of type.settings)
        expect(encodeCommand({ name: s.write, properties: s.writeProperties?.(s.name === 'timezone' ? 60 : 600) ?? {} }, state)).toBeInstanceOf(Buffer);
    });
    it('reads settings from the TS status, the CONFIG report, and the UPLOAD / LZ echoes of a write', () => {
      const ts = 'TS,ver:G4C_YSC_EMMC;ID:8800000015;url:52.18.132.157;port:8001;upload:600;lk:300;batlevel:87;language:en;zone:-03:30;profile:1';
      expect(parseSettings(ts)).toEqual({ values: { report_interval: 600, timezone: -210 }, confirmed: [] });
      expect(parseSettings('CONFIG,TY:G75,UL:300,SY:1,CM:1')).toEqual({ values: { report_interval: 300 }, confirmed: [] });
      expect(parseSettings('UPLOAD', ['report_interval'])).toEqual({ values: {}, confirmed: ['report_interval'] });
      expect(parseSettings('LZ', ['timezone'])).toEqual({ values: {}, confirmed: ['timezone'] });
      expect(parseSettings('CR', ['timezone'])).toBeUndefined();
    });
  });

  describe('device side', () => {
    it('builds the frames a watch sends', () => {
      expect(keepAlive('8800000015').equals(LK)).toBe(true);
      expect(keepAlive('8800000015', { steps: 50, turnovers: 100, battery: 100 }).toString()).toBe('[3G*8800000015*000d*LK,50,100,100]');
      const fix = { atMs: Date.UTC(2016, 8, 18, 2, 57, 23), latitude: 22.570733, longitude: 113.8626083, speed: 0, course: 249.5, altitude: 0, satellites: 6 };
      const built = location('8800000015', {
        ...fix,
        battery: 60,
        status: 0x10,
        cells: { mcc: 460, mnc: 1, list: CELLS_UD.map(([a, b, c]) => [a, b, c] as const) },
      });
      expect(built.toString()).toBe(UD.toString().replace('*00CD*', '*00c6*').replace(',7,255,', ',7,1,').replace(',0,40.7]', ',0]'));
      expect(decodeOne(built)).toMatchObject({ timestamp: fix.atMs / 1000, 'position.latitude': 22.570733, 'gsm.cells': CELLS_UD });
    });
    it('simulates a watch whose report decodes to what it expects', () => {
      const at = Date.UTC(2026, 0, 15, 10, 30, 0);
      const out = new ConnectionCodec(watch, OPTIONS).decode(
        Buffer.concat([simulator.login?.('8800000007') ?? Buffer.alloc(0), simulator.report?.('8800000007', 7, 3, at, 'tcp') ?? Buffer.alloc(0)]),
      );
      expect(out.replies.map((r) => r.toString())).toEqual(['[3G*8800000007*0002*LK]']);
      expect(out.messages).toHaveLength(1);
      const want: Message = { ...simulator.expected('8800000007', 7, 3, at), ident: '8800000007' };
      expect(Object.keys(out.messages[0]).sort()).toEqual(Object.keys(want).sort());
      for (const [name, value] of Object.entries(want)) {
        if (typeof value === 'number') expect(out.messages[0][name], name).toBeCloseTo(value, 6);
        else expect(out.messages[0][name], name).toEqual(value);
      }
      expect(simulator.replyLength?.(Buffer.from('[3G*8800000007*0002*LK][3G'), false)).toBe(23);
    });
  });

  describe('connection', () => {
    it('decodes a TCP stream end to end with the answers in order', () => {
      const c = new ConnectionCodec(watch, OPTIONS);
      const out = c.decode(Buffer.concat([LK, UD, AL, TKQ, Buffer.from('\r\n'), ECHO_UPLOAD]));
      expect(out.errors).toEqual([]);
      expect(out.messages.map((m) => [m.ident, m['report.type']])).toEqual([
        ['8800000015', 'UD'],
        ['8800000015', 'AL'],
        ['8800000015', 'UPLOAD'],
      ]);
      expect(out.replies.map((r) => r.toString())).toEqual(['[3G*8800000015*0002*LK]', '[3G*8800000015*0002*AL]', '[3G*8800000015*0003*TKQ]']);
      expect(out.commandReplies).toHaveLength(1);
      expect(encodeCommand({ name: 'locate', properties: {} }, c.state)).toEqual(Buffer.from('[SG*8800000015*0002*CR]'));
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input (fast-check)', () => {
      expect(fuzzCodec(watch, [...ALL, ...BINARY, ...ECHOES], 2000, 'tcp', LK)).toBe(2000);
    });
  });

  const corpus = loadCorpus('watch.json');
  /** Traccar attributes with a counterpart here (`course` and `speed` are checked by the helper). */
  const attributeMap: AttributeMap = {
    alarm: { name: 'alarm.type' },
    bloodOxygen: { name: 'health.blood.oxygen' },
    temp1: { name: 'health.body.temperature' },
  };
  /** Raw standard offsets of the IANA zones in Traccar's encoder test (minutes east of UTC). */
  const ZONES: Record<string, number> = { 'Europe/Amsterdam': 60, 'GMT+01:30': 90, 'Atlantic/Azores': -60, 'GMT-11:30': -690, 'GMT+05:45': 345 };
  const TRACCAR_COMMANDS: Record<string, (a: Record<string, unknown>) => { name: string; properties: Record<string, unknown> }> = {
    rebootDevice: () => ({ name: 'reboot', properties: {} }),
    sosNumber: (a) => ({ name: 'sos_number', properties: { index: a.index, number: a.phone } }),
    voiceMessage: (a) => ({ name: 'voice_message', properties: { hex: a.data } }),
    message: (a) => ({ name: 'message', properties: { text: a.message } }),
    custom: (a) => ({ name: 'custom', properties: { text: a.data } }),
    setTimezone: (a) => ({
      name: 'timezone',
      properties: { minutes: ZONES[String(a.timezone)], ...(a.language === undefined ? {} : { language: a.language }) },
    }),
  };
  /** An encode vector's bytes: text, or Traccar's concatenateBuffers of text and hex parts. */
  const expectedBytes = (e: ConformanceEntry): Buffer => {
    const frame = e.frame as unknown as string | { args: { encoding: string; frame: string }[] };
    if (typeof frame === 'string') return Buffer.from(frame, 'latin1');
    return Buffer.concat(frame.args.map((a) => Buffer.from(a.frame, a.encoding === 'hex' ? 'hex' : 'latin1')));
  };
  describe.runIf(corpus)('conformance corpus', () => {
    // Every decode frame passes (33/33 in the shared corpus). #7 is six JXTK voice parts in one
    // input (decoded as one part, no position, as expected); #31 `LK,0,100` has two values, kept as io.1/io.2.
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(watch, corpus!, attributeMap);
      const rate = reportPassRate('watch', results);
      expect(rate).toBeGreaterThanOrEqual(0.95);
      for (const r of results) for (const m of r.messages) expect(sanityProblems(m, RX + 86400 * 365), `#${r.entry.seq}`).toEqual([]);
    });
    it('cuts the corpus frameDecoder streams into the expected first frames', () => {
      const vectors = corpus!.filter((x) => x.kind === 'frameDecoder');
      expect(vectors.length).toBe(6);
      for (const e of vectors) {
        const r = watch.frame(entryBytes(e), tcp(), { crc: 'strict', maxFrameSize: 65536 });
        expect(r.type === 'frame' && r.frame.toString('hex'), `#${e.seq}`).toBe(e.expect.frames?.[0]);
      }
    });
    it('encodes the corpus commands byte for byte', () => {
      const vectors = corpus!.filter((x) => x.kind === 'encode');
      expect(vectors.length).toBe(12);
      for (const e of vectors) {
        const cmd = TRACCAR_COMMANDS[e.expect.command!.type](e.expect.command!.attributes ?? {});
        const bytes = encodeCommand(cmd, { ident: '123456789012345', vars: {} });
        expect(Buffer.isBuffer(bytes) && bytes.toString('hex'), `${e.test}#${e.seq}`).toBe(expectedBytes(e).toString('hex'));
      }
    });
    it('is named by hub identify for a real corpus frame', () => {
      const entry = corpus!.find((x) => x.kind === 'decode' && x.seq === 39);
      expect(entry).toBeDefined();
      const candidates = identify(entryBytes(entry!));
      expect(candidates[0]).toMatchObject({ protocol: 'watch', confidence: 'high' });
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});
