import { describe, expect, it } from 'vitest';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import { CRC16, crc16 } from '../../../protocols/common/crc.js';
import type { CodecOptions, SessionState } from '../../../protocols/common/types.js';
import { decode } from '../../../protocols/galileosky/decoder.js';
import { encodeAck, encodeCommand } from '../../../protocols/galileosky/encoder.js';
import { galileosky } from '../../../protocols/galileosky/index.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { type AttributeMap, loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';
import { hexFixture } from '../../helpers/hex.js';

const hex = hexFixture;
const IMEI = '863591028960247';
const STRICT: CodecOptions = { crc: 'strict', maxFrameSize: 65536 };
const LENIENT: CodecOptions = { crc: 'lenient', maxFrameSize: 65536 };
const session = (ident?: string): SessionState => ({ transport: 'tcp', vars: {}, ...(ident ? { ident } : {}) });

/** Head packet from Traccar's GalileoFrameDecoderTest (second vector): versions, IMEI, device id. */
const HEAD_PACKET = hex(`
  01                                // header: data packet
  1780                              // length 23, bit 15 set: archive records pending
  01 11                             // tag 01 hardware version 17
  02 e6                             // tag 02 firmware version 230
  03 383633353931303238393630323437 // tag 03 IMEI "863591028960247"
  04 3200                           // tag 04 device id 50
  801c                              // CRC-16/MODBUS
`);

/** Main packet, one record, built from the protocol's tag table (values in the comments). */
const MAIN_PACKET = hex(`
  01 3800                  // header, length 56
  10 0100                  // tag 10 record number 1
  20 40c3e165              // tag 20 time 1709294400 (2024-03-01 12:00:00 UTC)
  30 0a 4caf5203 f7a03d02  // tag 30 valid (high nibble 0), 10 satellites, lat 55.750476, lon 37.593335
  33 1f02 8903             // tag 33 speed 54.3 km/h, course 90.5
  34 9600                  // tag 34 altitude 150 m
  35 09                    // tag 35 HDOP 0.9
  40 0032                  // tag 40 status 0x3200: bit 9 ignition, bits 12-13 GSM level 3
  41 d430                  // tag 41 supply 12500 mV
  42 0410                  // tag 42 battery 4100 mV
  43 fb                    // tag 43 terminal temperature -5 °C
  45 0100                  // tag 45 outputs: OUT0
  46 0500                  // tag 46 inputs: IN0, IN2
  50 e40c                  // tag 50 IN0 3300 mV
  70 11f4                  // tag 70 thermometer 0: id 0x11, -12 °C
  d4 40e20100              // tag D4 GNSS mileage 123456 m
  5bb0                     // CRC
`);

/** Two records in one packet: tag 10 seen again starts the second one. */
const TWO_RECORDS = hex(`
  01 2480                                   // header, length 36, archive pending
  10 0200 20 40c3e165 30 0a 4caf5203 f7a03d02 // record 2
  10 0300 20 7cc3e165 30 2a 4caf5203 f7a03d02 // record 3: correctness 2 (GSM cells), not a GNSS fix
  94b5                                      // CRC
`);

/** Command reply from Traccar's GalileoProtocolDecoderTest (testDecode #4). */
const COMMAND_REPLY = hex(`
  01 5600                            // header, length 86
  03 383636303530303338343337353836  // tag 03 IMEI "866050038437586"
  04 4701                            // tag 04 device id 327
  e0 00000000                        // tag E0 command number 0
  e1 3c 494e414c4c3a696e303d31313230362c696e313d302c696e323d302c696e333d302c696e343d302c696e353d302c4163633d3536363932343732353b // tag E1 60 chars
  fdef                               // CRC
`);

/** Compressed packet (header 08): minimal data set, then the listed tags. */
const COMPRESSED = hex(`
  08 1300                  // header, length 19
  13f0b013580767a53600     // minimal data set: 0 | 5227200 s into the year | valid | lon 2535438 | lat 1698125 | alarm
  02 33 41                 // two tags follow: 33, 41
  1f028903 d430            // speed 54.3 km/h course 90.5, supply 12500 mV
  37bc                     // CRC
`);

const PHOTO_PART = hex('07 0500 00 ffd8ffe0 a4ba'); // header 07, length 5, part 0, JPEG start, CRC

/** Iridium SBD message from Traccar's GalileoProtocolDecoderTest (testDecodeIridium). */
const IRIDIUM = hex(`
  01 004e                                    // protocol revision 1, length 78 (big endian)
  01 001c 0747ea59                           // MO header (28 bytes): CDR reference
  333030323334303639363034353930             // IMEI "300234069604590"
  00 0012 0000 63c85e69                      // session status, MOMSN 18, MTMSN 0, session time
  03 000b 03 21a8f8 46aba5 00000002          // MO location: S/W, 33°43.256', 70°43.941', CEP 2 km
  02 001e                                    // MO payload, 30 bytes of tags:
  20 5f5ec863 30 0c 4643fdfd bbe6c8fb 33 00000000 34 e701 35 05 d4 00000000
`);

/** Traccar attribute names in the corpus → ours (DESIGN §3). */
const ATTRIBUTES: AttributeMap = {
  power: { name: 'external.powersource.voltage' },
  battery: { name: 'battery.voltage' },
  hdop: { name: 'position.hdop' },
  deviceTemp: { name: 'device.temperature' },
  input: { name: 'din' },
  output: { name: 'dout' },
  status: { name: 'galileosky.status' },
  versionHw: { name: 'hardware.version' },
  versionFw: { name: 'firmware.version' },
  deviceId: { name: 'galileosky.device.id' },
  result: { name: 'command.response' },
  odometer: { name: 'vehicle.mileage', convert: (km) => (typeof km === 'number' ? Math.round(km * 1000) : km) },
  driverUniqueId: { name: 'ibutton.code', convert: (h) => (typeof h === 'string' ? String(parseInt(h, 16)) : h) },
  fuelTotal: { name: 'can.fuel.consumed' },
  rpm: { name: 'can.engine.rpm' },
};

describe('protocols/galileosky', () => {
  describe('crc', () => {
    it('uses CRC-16/MODBUS (check value of "123456789" is 0x4B37)', () => {
      expect(crc16(CRC16.MODBUS)(Buffer.from('123456789'))).toBe(0x4b37);
    });
  });

  describe('inspect', () => {
    it('takes the ident from tag 03 and confirms with 02 + the packet CRC', () => {
      const r = galileosky.inspect(HEAD_PACKET, session(), STRICT);
      expect(r).toMatchObject({ ident: IMEI, store: true });
      expect(r.reply?.toString('hex')).toBe('02801c');
    });
    it('matches a packet without IMEI to the session ident', () => {
      const r = galileosky.inspect(MAIN_PACKET, session(IMEI), STRICT);
      expect(r.ident).toBeUndefined();
      expect(r).toMatchObject({ store: true });
      expect(r.reply?.toString('hex')).toBe('025bb0');
    });
    it('refuses a data packet before any IMEI: not stored, not confirmed', () => {
      const r = galileosky.inspect(MAIN_PACKET, session(), STRICT);
      expect(r).toMatchObject({ store: false });
      expect(r.reply).toBeUndefined();
      expect(r.error?.code).toBe('unidentified');
    });
    it('does not store or confirm a packet with a wrong CRC (strict)', () => {
      const bad = Buffer.from(MAIN_PACKET);
      bad[bad.length - 1] ^= 0xff;
      const r = galileosky.inspect(bad, session(IMEI), STRICT);
      expect(r).toMatchObject({ store: false });
      expect(r.reply).toBeUndefined();
      expect(r.error?.code).toBe('checksum');
    });
    it('stores and confirms a wrong-CRC packet under the lenient policy, marking its messages', () => {
      const bad = Buffer.from(MAIN_PACKET);
      bad[bad.length - 1] ^= 0xff;
      const c = new ConnectionCodec(galileosky, LENIENT);
      c.decode(HEAD_PACKET);
      const out = c.decode(bad);
      expect(out.replies.map((r) => r.toString('hex'))).toEqual([`025b${(0xb0 ^ 0xff).toString(16)}`]);
      expect(out.messages[0]['crc.valid']).toBe(false);
      expect(out.messages[0].ident).toBe(IMEI);
    });
    it('confirms photo parts with 07 + the packet CRC', () => {
      expect(galileosky.inspect(PHOTO_PART, session(IMEI), STRICT).reply?.toString('hex')).toBe('07a4ba');
    });
    it('takes the ident of an Iridium message from its MO header and sends nothing back', () => {
      const r = galileosky.inspect(IRIDIUM, session(), STRICT);
      expect(r).toEqual({ ident: '300234069604590', store: true });
    });
  });

  describe('decode', () => {
    it('decodes a record by the tag table: time, position, power, IO, sensors', () => {
      const out = galileosky.decode(MAIN_PACKET, { transport: 'tcp', ident: IMEI });
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          'galileosky.record.number': 1,
          timestamp: 1709294400,
          'position.latitude': 55.750476,
          'position.longitude': 37.593335,
          'position.satellites': 10,
          'position.valid': true,
          'position.speed': 54.3,
          'position.direction': 90.5,
          'position.altitude': 150,
          'position.hdop': 0.9,
          'galileosky.status': 0x3200,
          'battery.low.status': false,
          'external.powersource.low.status': false,
          'engine.ignition.status': true,
          'gsm.signal.level': 3,
          'external.powersource.voltage': 12.5,
          'battery.voltage': 4.1,
          'device.temperature': -5,
          dout: 1,
          din: 5,
          'ain.0': 3.3,
          'sensor.temperature.0': -12,
          'galileosky.thermometer.0.id': 0x11,
          'vehicle.mileage': 123.456,
        },
      ]);
      expect(sanityProblems(out.messages[0])).toEqual([]);
    });
    it('decodes the head packet: versions and device id, archive-pending flag', () => {
      const [m] = galileosky.decode(HEAD_PACKET, { transport: 'tcp' }).messages;
      expect(m).toEqual({ 'hardware.version': 17, 'firmware.version': 230, 'galileosky.device.id': 50, 'galileosky.archive.pending': true });
    });
    it('starts a new record when a tag repeats (one message per record)', () => {
      const out = galileosky.decode(TWO_RECORDS, { transport: 'tcp' });
      expect(out.messages.map((m) => [m['galileosky.record.number'], m.timestamp, m['position.valid']])).toEqual([
        [2, 1709294400, true],
        [3, 1709294460, false],
      ]);
      expect(out.messages[1]['galileosky.coordinates.correctness']).toBe(2);
    });
    it('turns E1 into a command reply correlated by the E0 command number', () => {
      const out = galileosky.decode(COMMAND_REPLY, { transport: 'tcp' });
      const text = 'INALL:in0=11206,in1=0,in2=0,in3=0,in4=0,in5=0,Acc=566924725;';
      expect(out.commandReplies).toEqual([{ response: text, correlation: '0' }]);
      expect(out.messages[0]['command.response']).toBe(text);
    });
    it('stops at an unknown tag with a typed error, keeping what was read', () => {
      const frame = hex('01 0d00 10 0400 20 40c3e165 49 01 41 d430 2a1f'); // tag 49 is not in the table
      const out = galileosky.decode(frame, { transport: 'tcp' });
      expect(out.messages).toEqual([{ 'galileosky.record.number': 4, timestamp: 1709294400 }]);
      expect(out.errors.map((e) => [e.code, e.offset])).toEqual([['unsupported', 11]]);
    });
    it('keeps extended tags (FE) by id, and leftover bytes as raw hex', () => {
      const frame = hex(`
        01 1600 20 40c3e165       // header, time
        fe 0e00                   // tag FE, 14 bytes
        2100 4d030000             // extended 0x0021 = 845
        2400 a8ffffff             // extended 0x0024 = 0xffffffa8
        9900                      // 2 bytes: not a whole extended tag
        9beb                      // CRC
      `);
      const [m] = galileosky.decode(frame, { transport: 'tcp' }).messages;
      expect(m).toMatchObject({ 'galileosky.ext.0021': 845, 'galileosky.ext.0024': 0xffffffa8, 'galileosky.ext.raw': '9900' });
    });
    it('decodes a compressed record: minimal data set (time within the year), then the listed tags', () => {
      const out = decode(COMPRESSED, { transport: 'tcp' }, Date.UTC(2024, 5, 1));
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          timestamp: 1709294400,
          'position.valid': true,
          'position.longitude': 37.618389,
          'position.latitude': 55.751238,
          'alarm.event.trigger': true,
          'position.speed': 54.3,
          'position.direction': 90.5,
          'external.powersource.voltage': 12.5,
        },
      ]);
      expect(decode(COMPRESSED, { transport: 'tcp' }, Date.UTC(2025, 5, 1)).messages[0].timestamp).toBe(Date.UTC(2025, 0, 1) / 1000 + 5227200);
      expect(decode(COMPRESSED, { transport: 'tcp' }, Date.UTC(2025, 0, 2)).messages[0].timestamp).toBe(1709294400); // not yet March: last year
    });
    it('keeps photo parts as hex with their part number; an empty part ends the photo', () => {
      expect(galileosky.decode(PHOTO_PART, { transport: 'tcp' }).messages).toEqual([{ 'galileosky.photo.part': 0, 'galileosky.photo.data': 'ffd8ffe0' }]);
      expect(galileosky.decode(hex('07 0100 01 9150'), { transport: 'tcp' }).messages).toEqual([{ 'galileosky.photo.part': 1, 'galileosky.photo.end': true }]);
    });
    it('decodes an Iridium message: header time, payload tags win, the MO location kept as CEP', () => {
      const out = galileosky.decode(IRIDIUM, { transport: 'tcp' });
      expect(out.errors).toEqual([]);
      expect(out.messages[0]).toMatchObject({
        timestamp: 1674075743,
        'position.latitude': -33.733818,
        'position.longitude': -70.719813,
        'position.satellites': 12,
        'position.altitude': 487,
        'galileosky.iridium.momsn': 18,
        'galileosky.iridium.cep.radius': 2,
      });
      expect(sanityProblems(out.messages[0])).toEqual([]);
    });
    it('rejects a wrong CRC under the strict policy and marks messages under the lenient one', () => {
      const bad = Buffer.from(MAIN_PACKET);
      bad[bad.length - 2] ^= 0x01;
      expect(galileosky.decode(bad, { transport: 'tcp', options: STRICT })).toMatchObject({ messages: [] });
      const lenient = galileosky.decode(bad, { transport: 'tcp', options: LENIENT });
      expect(lenient.messages[0]['crc.valid']).toBe(false);
      expect(lenient.errors.map((e) => e.code)).toEqual(['checksum']);
    });
    it('turns a truncated tag into a typed error, never an exception', () => {
      const frame = hex('01 0400 20 40c3 0000'); // tag 20 needs 4 bytes, 2 left
      const out = galileosky.decode(frame, { transport: 'tcp', options: LENIENT });
      expect(out.errors.map((e) => e.code)).toContain('truncated');
    });
  });

  describe('encoder', () => {
    it('confirms data packets with 02 and photo parts with 07, echoing the CRC', () => {
      expect(encodeAck(MAIN_PACKET).toString('hex')).toBe('025bb0');
      expect(encodeAck(PHOTO_PART).toString('hex')).toBe('07a4ba');
    });
    it('encodes a command packet: IMEI, device id 0, command number = hub command id, text, CRC', () => {
      const bytes = encodeCommand({ name: 'engine_stop', properties: {}, id: 7 }, { ident: '123456789012345' });
      expect(Buffer.isBuffer(bytes) && bytes.toString('hex')).toBe(
        hex(`
          01 2100                          // header, length 33
          03 313233343536373839303132333435 // tag 03 IMEI
          04 0000                          // tag 04 device id 0
          e0 07000000                      // tag E0 command number 7
          e1 07 4f757420302c31             // tag E1 "Out 0,1"
          ca53                             // CRC
        `).toString('hex'),
      );
    });
    it('maps named commands to Galileosky text commands', () => {
      const text = (name: string, properties: Record<string, unknown> = {}) => {
        const b = encodeCommand({ name, properties }, { ident: '123456789012345' });
        return Buffer.isBuffer(b) ? b.toString('latin1', 29, b.length - 2) : b.code;
      };
      expect(text('engine_resume')).toBe('Out 0,0');
      expect(text('output_control', { output: 2, state: true })).toBe('Out 2,1');
      expect(text('reboot')).toBe('Reset');
      expect(text('status')).toBe('Status');
      expect(text('set_interval', { moving: 60, stopped: 180 })).toBe('WrPeriod 60,180');
      expect(text('custom', { hex: '414243' })).toBe('ABC');
      expect(text('set_interval', { moving: 60 })).toBe('command');
      expect(text('nope')).toBe('command');
    });
    it('refuses commands without a known IMEI or with text longer than tag E1 holds', () => {
      expect(encodeCommand({ name: 'status', properties: {} }, {})).toMatchObject({ code: 'command' });
      expect(encodeCommand({ name: 'custom', properties: { text: 'x'.repeat(256) } }, { ident: '123456789012345' })).toMatchObject({ code: 'command' });
    });
  });

  describe('framer', () => {
    it('keeps the framer contract for data, compressed, photo and Iridium packets', () => {
      for (const f of [HEAD_PACKET, MAIN_PACKET, TWO_RECORDS, COMMAND_REPLY, COMPRESSED, PHOTO_PART, IRIDIUM]) assertFramerContract(galileosky, f);
    });
    it('gives the same result however the stream is chunked', () => {
      assertChunkingInvariant(galileosky, Buffer.concat([HEAD_PACKET, MAIN_PACKET, TWO_RECORDS, COMPRESSED, PHOTO_PART, MAIN_PACKET]));
    });
    it('refuses a first byte that is not a packet header, and a packet above the channel limit', () => {
      const bad = galileosky.frame(hex('02 0000'), session(), STRICT);
      expect(bad).toMatchObject({ type: 'error', consumed: 0 });
      const big = galileosky.frame(hex('01 ff7f 03'), session(), { crc: 'strict', maxFrameSize: 1024 });
      expect(big).toMatchObject({ type: 'error', consumed: 0 });
      if (big.type === 'error') expect(big.error.code).toBe('oversize');
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input (fast-check)', () => {
      expect(fuzzCodec(galileosky, [HEAD_PACKET, MAIN_PACKET, TWO_RECORDS, COMMAND_REPLY, COMPRESSED, PHOTO_PART, IRIDIUM], 2000, 'tcp', HEAD_PACKET)).toBe(
        2000,
      );
    });
  });

  const corpus = loadCorpus('galileo.json');
  describe.runIf(corpus)('conformance corpus', () => {
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(galileosky, corpus!, ATTRIBUTES);
      const rate = reportPassRate('galileosky', results);
      for (const r of results) for (const m of r.messages) expect(sanityProblems(m), `${r.entry.test}#${r.entry.seq}`).toEqual([]);
      expect(rate).toBeGreaterThanOrEqual(0.95);
    });
    it('cuts the corpus framer vectors', () => {
      for (const e of corpus!.filter((x) => x.kind === 'frameDecoder')) {
        const r = galileosky.frame(Buffer.from(e.frame, 'hex'), session(), STRICT);
        expect(r.type === 'frame' && r.frame.toString('hex')).toBe(e.expect.frames![0]);
      }
    });
    it('encodes the corpus commands byte for byte', () => {
      for (const e of corpus!.filter((x) => x.kind === 'encode')) {
        const bytes = encodeCommand({ name: 'custom', properties: { text: String(e.expect.command!.attributes!.data) } }, { ident: '123456789012345' });
        expect(Buffer.isBuffer(bytes) && bytes.toString('hex')).toBe(e.frame);
      }
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});
