import { describe, expect, it } from 'vitest';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import type { CodecOptions, CommandRequest, SessionState } from '../../../protocols/common/types.js';
import { encodeAacAck, encodeCccAck, encodeCommand, encodeFrame, encodePhotoRequest } from '../../../protocols/meitrack/encoder.js';
import { meitrack } from '../../../protocols/meitrack/index.js';
import { parseHeader, sum8 } from '../../../protocols/meitrack/packet.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { type AttributeMap, loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';
import { hexFixture } from '../../helpers/hex.js';

const hex = hexFixture;
const IMEI = '353358017784062';
const STRICT: CodecOptions = { crc: 'strict', maxFrameSize: 65536 };
const LENIENT: CodecOptions = { crc: 'lenient', maxFrameSize: 65536 };
const tcp = (ident?: string): SessionState => ({ transport: 'tcp', vars: {}, ...(ident ? { ident } : {}) });

/** Text frames written like hex fixtures: one field group per line, `//` comments, whitespace dropped; CR LF appended. */
function text(fixture: string): Buffer {
  const body = fixture
    .split('\n')
    .map((line) => line.replace(/\/\/.*$/, '').trim())
    .join('');
  return Buffer.from(`${body}\r\n`, 'latin1');
}

/** MEITRACK T622 GPRS Protocol §3.16 (Automatic Event Report – AAA), example: SOS pressed. */
const AAA_SOS = text(`
  $$G127,                       // header, flag G, length 127
  353358017784062,              // IMEI
  AAA,                          // automatic event report
  1,                            // event 1: SOS
  22.538169,114.075958,         // latitude, longitude
  100313095653,                 // 2010-03-13 09:56:53 UTC
  A,3,21,                       // valid fix, 3 satellites, GSM signal 21 (CSQ)
  4,46,5,581,                   // 4 km/h, course 46, HDOP 5, altitude 581 m
  0,148,                        // mileage 0 m, run time 148 s
  0|0|10133|4172,               // mcc|mnc|lac|ci (no MCC: cell not reported)
  0000,                         // inputs 00, outputs 00
  166|204|205|2709|878,         // AD1|AD2|AD3|battery|external power (hex)
  *77                           // checksum
`);

/** MVT100/MVT340/MVT380 GPRS Protocol §1.2: reply to A10 (`@@Q25,353358017784062,A10*6A`). */
const AAA_A10_REPLY = text(`
  $$Q128,353358017784062,AAA,   // header (flag Q echoes the A10 command), IMEI, report
  34,                           // event 34: reply to a position query
  22.543176,114.078448,100313093738,A,5,22,
  2,205,5,-14,                  // 2 km/h, course 205, HDOP 5, altitude -14 m
  0,60,0|0|10133|4110,0000,149|153|173|2707|914,
  *91
`);

/** Traccar MeitrackProtocolDecoderTest (newer firmware): decimal voltages battery|power|rtc|mcu|gps. */
const AAA_VOLTAGES = text(`
  $$D149,867047043162018,AAA,35,        // header, IMEI, report, event 35 (time interval)
  -1.264865,36.800705,211001105240,     // position, 2021-10-01 10:52:40 UTC
  A,9,20,41.0,323,1,1697,1,0,           // fix, 9 sats, GSM 20, 41 km/h, course 323, HDOP 1, alt 1697, mileage 1 m, run time 0
  000|00||,0000,                        // no cell, no IO
  4.33|12.96|1.92|2.72|2.69,            // battery, power, RTC, MCU, GPS volts
  0.000000|0|0.000000,                  // event data
  *E1
`);

/** T622 GPRS Protocol §3.45 (CCC) example: one 52-byte record, protocol 0x0102. */
const CCC_ONE_RECORD = hex(`
  2424 55 3836 2c                  // "$$", flag U, length "86", ","
  333639383030303133333230303134 2c  // IMEI 369800013320014
  434343 2c                        // "CCC,"
  0201 3400 01000000               // protocol 0x0102, record size 52, 1 record left in cache
  23                               // event 35
  41875701 9b5fcc06                // latitude 22.513473, longitude 114.057115 (i32 LE × 1e-6)
  ea3e3c1a                         // 440155882 s after 2000-01-01: 2013-12-12 09:31:22 UTC
  01 0a 1f                         // valid, 10 satellites, GSM 31
  0000 0000 0900 3700              // speed 0 km/h, course 0, HDOP 0.9, altitude 55 m
  99c10800 05ab0e00                // mileage 573849 m, run time 961285 s
  cc01 0000 9227 890e              // mcc 460, mnc 0, lac 10130, ci 3721
  0200                             // inputs 02, outputs 00
  1300 a801 0000                   // AD1 0.19 V, battery 4.24 V, external power 0 V
  00000000                         // geo-fence
  2a 4134 0d0a                     // "*A4", CR LF
`);

/** CCE batch built from the T366 parameter list (ids as decoded by Traccar's MeitrackProtocolDecoder). */
const CCE_ONE_RECORD = hex(`
  2424 55 313137 2c                // "$$", flag U, length "117", ","
  333533333538303137373834303632 2c  // IMEI 353358017784062
  434345 2c                        // "CCE,"
  00000000 0100                    // 0 records left in cache, 1 record in this packet
  5300 1700                        // record length 83 (index + parameters), index 23
  05 0501 060b 0719 1505 fe6950    // 1-byte: valid, 11 sats, GSM 25, inputs 05, battery 80 %
  07 083c00 09b400 0a0900 0b1e00   // 2-byte: 60 km/h, course 180, HDOP 0.9, altitude 30 m
     19a001 1a1005 400100          //   battery 4.16 V, power 12.96 V, event 1 (SOS)
  05 0241875701 039b5fcc06         // 4-byte: latitude 22.513473, longitude 114.057115
     04ea3e3c1a 0c99c10800         //   2013-12-12 09:31:22 UTC, mileage 573849 m
     fef458020000                  //   engine hours: 600 minutes
  02 0e0c cc01 0000 9227 890e0000 b0ff  // variable: serving cell 460/0/10130/3721, -80 dBm
     2a03 01 c409                  //   temperature sensor 1 (label 1): 25.00 °C
  2a 4238 0d0a                     // "*B8", CR LF
`);

/** T622 GPRS Protocol §3.15 (smart sleep, A73) example reply `$$W28,...,A73,OK*0A` to `@@W27,...,A73,2*D9`. */
const REPLY_OK = text(`$$W28,353358017784062,A73,OK*0A`);

describe('protocols/meitrack', () => {
  describe('header', () => {
    it('computes the byte-sum checksum of the documented examples', () => {
      expect(sum8(Buffer.from('@@Q25,353358017784062,A10*'))).toBe(0x6a);
      for (const f of [AAA_SOS, AAA_A10_REPLY, CCC_ONE_RECORD, CCE_ONE_RECORD, REPLY_OK]) {
        const h = parseHeader(f);
        expect(h).toMatchObject({ checksumOk: true });
      }
    });
    it('reads flag, ident and command type', () => {
      expect(parseHeader(REPLY_OK)).toMatchObject({ flag: 'W', ident: IMEI, type: 'A73' });
      expect(parseHeader(Buffer.from('xx'))).toMatchObject({ code: 'truncated' });
    });
  });

  describe('framer', () => {
    it('keeps the framer contract for text and binary frames', () => {
      for (const f of [AAA_SOS, AAA_A10_REPLY, AAA_VOLTAGES, CCC_ONE_RECORD, CCE_ONE_RECORD, REPLY_OK]) assertFramerContract(meitrack, f);
    });
    it('cuts a frame by its length field, not at the first CR LF', () => {
      const r = meitrack.frame(Buffer.concat([CCC_ONE_RECORD, AAA_SOS]), tcp(), STRICT);
      expect(r).toMatchObject({ type: 'frame', consumed: CCC_ONE_RECORD.length });
    });
    it('gives the same result however the stream is chunked', () => {
      assertChunkingInvariant(meitrack, Buffer.concat([AAA_SOS, CCC_ONE_RECORD, CCE_ONE_RECORD, REPLY_OK, AAA_A10_REPLY]));
    });
    it('skips garbage to the next "$$" and resynchronises', () => {
      const r = meitrack.frame(Buffer.concat([Buffer.from('garbage$'), AAA_SOS]), tcp(), STRICT);
      expect(r).toMatchObject({ type: 'error', consumed: 7 });
      const out = new ConnectionCodec(meitrack, STRICT).decode(Buffer.concat([Buffer.from('\r\n$$Xnoise'), AAA_SOS, Buffer.from('junk'), REPLY_OK]));
      expect(out.messages.map((m) => m['event.enum'] ?? m['command.response'])).toEqual([1, 'A73,OK']);
      expect(out.errors.length).toBe(3);
    });
    it('refuses a length above the channel limit (typed oversize error, then resync)', () => {
      const r = meitrack.frame(Buffer.from('$$A99999,1234'), tcp(), STRICT);
      expect(r).toMatchObject({ type: 'error' });
      if (r.type === 'error') expect(r.error.code).toBe('oversize');
    });
    it('takes a UDP datagram whole', () => {
      expect(meitrack.frame(AAA_SOS, { transport: 'udp', vars: {} }, STRICT)).toMatchObject({ type: 'frame', consumed: AAA_SOS.length });
    });
  });

  describe('inspect', () => {
    it('identifies the device from any frame and stores an AAA report without an ack', () => {
      const r = meitrack.inspect(AAA_SOS, tcp(), STRICT);
      expect(r).toEqual({ ident: IMEI, store: true });
    });
    it('acks a CCC batch with the record count and the device flag', () => {
      const r = meitrack.inspect(CCC_ONE_RECORD, tcp(), STRICT);
      expect(r.store).toBe(true);
      expect(r.reply?.toString('latin1')).toBe('@@U27,369800013320014,CCC,1*DE\r\n');
    });
    it('stores a CCE batch without an ack', () => {
      expect(meitrack.inspect(CCE_ONE_RECORD, tcp(), STRICT)).toEqual({ ident: IMEI, store: true });
    });
    it('confirms an AAC report and does not store it', () => {
      const r = meitrack.inspect(text('$$z27,861451040910625,AAC,1*D3'), tcp(), STRICT);
      expect(r.store).toBe(false);
      expect(r.reply?.toString('latin1')).toBe('@@z27,861451040910625,AAC,1*0B\r\n');
    });
    it('does not store or ack a frame with a wrong checksum (strict)', () => {
      const bad = Buffer.from(CCC_ONE_RECORD);
      bad[bad.length - 3] = 0x35; // "*A5"
      const r = meitrack.inspect(bad, tcp(), STRICT);
      expect(r).toMatchObject({ store: false });
      expect(r.reply).toBeUndefined();
      expect(r.error?.code).toBe('checksum');
    });
    it('stores and acks it under the lenient policy, marking the messages crc.valid=false', () => {
      const bad = Buffer.from(CCC_ONE_RECORD);
      bad[bad.length - 3] = 0x35;
      const out = new ConnectionCodec(meitrack, LENIENT).decode(bad);
      expect(out.replies.map((b) => b.toString('latin1'))).toEqual(['@@U27,369800013320014,CCC,1*DE\r\n']);
      expect(out.messages[0]['crc.valid']).toBe(false);
    });
    it('asks for the next eight picture packets after packet 7, and starts a download after D03,OK', () => {
      const packet = (index: number) => {
        const body = `,${IMEI},D00,0215080432_C2E03.jpg,20,${index},\xff\xd8*`;
        const head = `$$O${body.length - 1 + 5 + 1}`;
        const sum = sum8(Buffer.from(head + body, 'latin1'))
          .toString(16)
          .toUpperCase()
          .padStart(2, '0');
        return Buffer.from(`${head}${body}${sum}\r\n`, 'latin1');
      };
      expect(meitrack.inspect(packet(6), tcp(), STRICT).reply).toBeUndefined();
      expect(meitrack.inspect(packet(7), tcp(), STRICT).reply?.toString('latin1')).toBe(encodePhotoRequest(IMEI, '0215080432_C2E03.jpg', 8).toString('latin1'));
      const d03 = meitrack.inspect(text('$$D28,353358017784062,D03,OK*F3'), tcp(), STRICT);
      expect(d03.reply?.toString('latin1')).toBe('@@A46,353358017784062,D00,camera_picture.jpg,0*1A\r\n');
    });
    it('refuses a frame that is not Meitrack', () => {
      expect(meitrack.inspect(Buffer.from('$$A20,12/34,AAA,1*00\r\n'), tcp(), STRICT).error?.code).toBe('malformed');
    });
  });

  describe('decode', () => {
    it('decodes the documented SOS report: position, event, alarm, IO and AD values', () => {
      const out = meitrack.decode(AAA_SOS, { transport: 'tcp', ident: IMEI, options: STRICT });
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          'event.enum': 1,
          'alarm.event.trigger': true,
          'alarm.type': 'sos',
          'position.latitude': 22.538169,
          'position.longitude': 114.075958,
          timestamp: Date.UTC(2010, 2, 13, 9, 56, 53) / 1000,
          'position.valid': true,
          'position.satellites': 3,
          'gsm.signal.level': 21,
          'position.speed': 4,
          'position.direction': 46,
          'position.hdop': 5,
          'position.altitude': 581,
          'vehicle.mileage': 0,
          'meitrack.runtime': 148,
          'meitrack.cell': '0|0|10133|4172',
          din: 0,
          dout: 0,
          'ain.1': 3.58,
          'ain.2': 5.16,
          'ain.3': 5.17,
          'battery.voltage': 99.93,
          'external.powersource.voltage': 21.68,
        },
      ]);
      expect(sanityProblems(out.messages[0])).toEqual([]);
    });
    it('scales AD values by the configured model (MVT380: 10-bit, 6 V range)', () => {
      const [m] = meitrack.decode(AAA_SOS, { transport: 'tcp', options: { ...STRICT, settings: { model: 'MVT380' } } }).messages;
      expect(m).toMatchObject({ 'ain.1': 2.098, 'battery.voltage': 58.553, 'external.powersource.voltage': 101.625 });
    });
    it('decodes negative altitude and the decimal voltages of newer firmware', () => {
      expect(meitrack.decode(AAA_A10_REPLY, { transport: 'tcp' }).messages[0]).toMatchObject({ 'event.enum': 34, 'position.altitude': -14 });
      const [m] = meitrack.decode(AAA_VOLTAGES, { transport: 'tcp', options: STRICT }).messages;
      expect(m).toMatchObject({
        'position.latitude': -1.264865,
        'position.speed': 41,
        'battery.voltage': 4.33,
        'external.powersource.voltage': 12.96,
        'meitrack.gps.voltage': 2.69,
        'meitrack.event.data': '0.000000|0|0.000000',
      });
      expect(m['gsm.mcc']).toBeUndefined();
      expect(sanityProblems(m)).toEqual([]);
    });
    it('decodes the documented CCC record', () => {
      const out = meitrack.decode(CCC_ONE_RECORD, { transport: 'tcp', options: STRICT });
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          'event.enum': 35,
          'position.latitude': 22.513473,
          'position.longitude': 114.057115,
          timestamp: Date.UTC(2013, 11, 12, 9, 31, 22) / 1000,
          'position.valid': true,
          'position.satellites': 10,
          'gsm.signal.level': 31,
          'position.speed': 0,
          'position.direction': 0,
          'position.hdop': 0.9,
          'position.altitude': 55,
          'vehicle.mileage': 573.849,
          'meitrack.runtime': 961285,
          'gsm.mcc': 460,
          'gsm.mnc': 0,
          'gsm.lac': 10130,
          'gsm.cellid': 3721,
          din: 2,
          dout: 0,
          'ain.1': 0.19,
          'battery.voltage': 4.24,
          'external.powersource.voltage': 0,
          'meitrack.geofence': 0,
          'meitrack.cache.remaining': 1,
        },
      ]);
    });
    it('decodes a CCE record through the parameter table', () => {
      const out = meitrack.decode(CCE_ONE_RECORD, { transport: 'tcp', options: STRICT });
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          'meitrack.record.index': 23,
          'position.valid': true,
          'position.satellites': 11,
          'gsm.signal.level': 25,
          din: 5,
          'battery.level': 80,
          'position.speed': 60,
          'position.direction': 180,
          'position.hdop': 0.9,
          'position.altitude': 30,
          'battery.voltage': 4.16,
          'external.powersource.voltage': 12.96,
          'event.enum': 1,
          'position.latitude': 22.513473,
          'position.longitude': 114.057115,
          timestamp: Date.UTC(2013, 11, 12, 9, 31, 22) / 1000,
          'vehicle.mileage': 573.849,
          'engine.motorhours': 10,
          'gsm.mcc': 460,
          'gsm.mnc': 0,
          'gsm.lac': 10130,
          'gsm.cellid': 3721,
          'gsm.signal.dbm': -80,
          'sensor.temperature.1': 25,
          'meitrack.cache.remaining': 0,
          'alarm.event.trigger': true,
          'alarm.type': 'sos',
        },
      ]);
      expect(sanityProblems(out.messages[0])).toEqual([]);
    });
    it('turns a command reply into commandReplies and a command.response message', () => {
      const out = meitrack.decode(REPLY_OK, { transport: 'tcp', options: STRICT });
      expect(out.commandReplies).toEqual([{ response: 'A73,OK', executed: true, correlation: 'W' }]);
      expect(out.messages).toEqual([{ 'command.response': 'A73,OK' }]);
    });
    it('returns a typed error for a truncated CCE record, never an exception', () => {
      const cut = Buffer.concat([CCE_ONE_RECORD.subarray(0, 60), Buffer.from('*00\r\n')]);
      const out = meitrack.decode(cut, { transport: 'tcp', options: LENIENT });
      expect(out.errors.map((e) => e.code)).toContain('truncated');
    });
    it('refuses a wrong checksum under the strict policy', () => {
      const bad = Buffer.from(AAA_SOS);
      bad[bad.length - 3] = 0x38;
      const out = meitrack.decode(bad, { transport: 'tcp', options: STRICT });
      expect(out.messages).toEqual([]);
      expect(out.errors.map((e) => e.code)).toEqual(['checksum']);
    });
  });

  describe('encoder', () => {
    const state = { ident: IMEI };
    const enc = (name: string, properties: Record<string, unknown> = {}, id?: number) => {
      const r = encodeCommand({ name, properties, ...(id === undefined ? {} : { id }) }, state);
      return Buffer.isBuffer(r) ? r.toString('latin1') : r;
    };
    it('encodes the documented A10 query byte for byte (flag Q)', () => {
      expect(enc('locate', { flag: 'Q' })).toBe('@@Q25,353358017784062,A10*6A\r\n');
      expect(enc('custom', { text: 'A73,2', flag: 'W' })).toBe('@@W27,353358017784062,A73,2*D9\r\n');
    });
    it('encodes each command with the fixed flag A', () => {
      expect(enc('engine_stop')).toBe('@@A33,353358017784062,C01,0,12222*DC\r\n');
      expect(enc('engine_resume')).toBe('@@A33,353358017784062,C01,0,02222*DB\r\n');
      expect(enc('alarm_arm')).toBe('@@A33,353358017784062,C01,0,22122*DC\r\n');
      expect(enc('alarm_disarm')).toBe('@@A33,353358017784062,C01,0,22022*DB\r\n');
      expect(enc('output_control', { outputs: '10' })).toBe('@@A33,353358017784062,C01,0,10222*DA\r\n');
      expect(enc('photo')).toBe('@@A46,353358017784062,D03,1,camera_picture.jpg*1E\r\n');
      expect(enc('interval', { seconds: 60 })).toBe('@@A27,353358017784062,A12,6*C0\r\n');
      expect(enc('heartbeat', { minutes: 10 })).toBe('@@A28,353358017784062,A11,10*EB\r\n');
      expect(enc('reboot')).toBe('@@A25,353358017784062,F01*5F\r\n');
      expect(enc('get_version')).toBe('@@A25,353358017784062,E91*67\r\n');
      expect(enc('send_sms', { phone: '15360853789', message: 'Meitrack' })).toBe('@@A48,353358017784062,C02,0,15360853789,Meitrack*8D\r\n');
      expect(enc('custom', { hex: '413130' })).toBe('@@A25,353358017784062,A10*5A\r\n');
    });
    it('derives the flag from the hub command id, so the reply correlates', () => {
      expect(enc('locate', {}, 16)).toBe('@@Q25,353358017784062,A10*6A\r\n');
    });
    it('names the bad property, and refuses without an ident', () => {
      expect(enc('interval', { seconds: 65 })).toMatchObject({ code: 'command', reason: expect.stringContaining('seconds') });
      expect(enc('locate', { flag: '1' })).toMatchObject({ code: 'command', reason: expect.stringContaining('flag') });
      expect(enc('nope')).toMatchObject({ code: 'command' });
      expect(encodeCommand({ name: 'locate', properties: {} }, {})).toMatchObject({ code: 'command' });
    });
    it('builds the acks', () => {
      expect(encodeCccAck('U', '369800013320014', 12).toString('latin1')).toBe('@@U28,369800013320014,CCC,12*11\r\n');
      expect(encodeAacAck('z', '861451040910625').toString('latin1')).toBe('@@z27,861451040910625,AAC,1*0B\r\n');
      expect(encodeFrame(IMEI, 'D00,0215080432_C2E03.jpg,0', 'O').toString('latin1')).toBe('@@O48,353358017784062,D00,0215080432_C2E03.jpg,0*DB\r\n');
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input (fast-check)', () => {
      expect(fuzzCodec(meitrack, [AAA_SOS, CCC_ONE_RECORD, CCE_ONE_RECORD, REPLY_OK], 2000, 'tcp', AAA_SOS)).toBe(2000);
    });
  });

  const corpus = loadCorpus('meitrack.json');
  const attributeMap: AttributeMap = {
    power: { name: 'external.powersource.voltage' },
    battery: { name: 'battery.voltage' },
    batteryLevel: { name: 'battery.level' },
    result: { name: 'command.response' },
    image: { name: 'image.file' },
    tagName: { name: 'ble.tag.name' },
    hours: { name: 'engine.motorhours', convert: (h) => (typeof h === 'number' ? Math.round(h * 3600000) : h) },
    driverUniqueId: { name: 'rfid.code' },
    odometer: { name: 'vehicle.mileage', convert: (km) => (typeof km === 'number' ? Math.round(km * 1000) : km) },
    sat: { name: 'position.satellites' },
    event: { name: 'event.enum' },
    input: { name: 'din' },
    output: { name: 'dout' },
    fuel: { name: 'fuel.level' },
  };
  const TRACCAR_COMMANDS: Record<string, string> = {
    positionSingle: 'locate',
    requestPhoto: 'photo',
    sendSms: 'send_sms',
    engineStop: 'engine_stop',
    engineResume: 'engine_resume',
    custom: 'custom',
  };
  describe.runIf(corpus)('conformance corpus', () => {
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(meitrack, corpus!, attributeMap);
      const rate = reportPassRate('meitrack', results);
      expect(rate).toBeGreaterThanOrEqual(0.95);
    });
    it('cuts the corpus framer vectors', () => {
      for (const e of corpus!.filter((x) => x.kind === 'frameDecoder')) {
        const r = meitrack.frame(Buffer.from(e.frame, 'hex'), tcp(), STRICT);
        expect(r.type === 'frame' && r.frame.toString('hex')).toBe(e.expect.frames![0]);
      }
    });
    it('encodes the corpus commands byte for byte', () => {
      const vectors = corpus!.filter((x) => x.kind === 'encode');
      expect(vectors.length).toBeGreaterThan(0);
      for (const e of vectors) {
        const { type, attributes = {} } = e.expect.command!;
        const cmd: CommandRequest = { name: TRACCAR_COMMANDS[type] ?? type, properties: type === 'custom' ? { text: attributes.data } : attributes };
        const bytes = encodeCommand(cmd, { ident: '123456789012345' });
        expect(Buffer.isBuffer(bytes) ? bytes.toString('latin1') : bytes).toBe(e.frame);
      }
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});
