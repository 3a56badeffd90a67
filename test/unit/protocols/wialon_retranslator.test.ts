import { describe, expect, it } from 'vitest';
import { identify } from '../../../bin/commands/identify.js';
import { encodeRetranslatorPacket } from '../../../core/streams/retranslator-packet.js';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import type { CodecOptions, Message, SessionState } from '../../../protocols/common/types.js';
import { Flag } from '../../../protocols/wialon_retranslator/constants.js';
import { block, doubleBlock, imageBlock, int32Block, int64Block, packet, posinfoBlock, textBlock } from '../../../protocols/wialon_retranslator/device.js';
import { DEVICE_TYPES } from '../../../protocols/wialon_retranslator/device-types.js';
import { correlate, encodeAck, encodeCommand } from '../../../protocols/wialon_retranslator/encoder.js';
import { wialonRetranslator as wr } from '../../../protocols/wialon_retranslator/index.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { type AttributeMap, entryBytes, loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';
import { hexFixture } from '../../helpers/hex.js';

// Wialon Retranslator 1.0 protocol description (Gurtam): "Incoming data" (packet table, data
// block table, the 'posinfo' binary block), "Outgoing data" (the 0x11 acknowledgement) and its
// worked example; the image block as the Wialon Retranslator notes describe it.

const hex = hexFixture;
const STRICT: CodecOptions = { crc: 'strict', maxFrameSize: 65536 };
const LENIENT: CodecOptions = { crc: 'lenient', maxFrameSize: 65536 };
const tcp = (): SessionState => ({ transport: 'tcp', vars: {} });
const ACK = '11';

/** Spec "Incoming data", the worked example: a unit in Kazan with posinfo, pwr_ext and avl_inputs. */
const SPEC_EXAMPLE = hex(`
  74000000                          // packet size 116, u32 little-endian
  33353339373630313334343534383500  // unit id "353976013445485" + 0x00
  4b0bfb70                          // time 1259076464 (2009-11-24 15:27:44 UTC), u32 BE
  00000003                          // flags: 0x01 location, 0x02 digital inputs
  0bbb 00000027 01 02               // block 0x0BBB, size 39, attribute 1, type 2 (binary)
  706f73696e666f00                  //   name "posinfo"
  a027afdf5d984840                  //   longitude 49.1903648 (double LE)
  3ac7253383dd4b40                  //   latitude 55.7305664 (double LE)
  0000000000805a40                  //   altitude 106 m (double LE)
  0036 0146 0b                      //   speed 54 km/h, course 326°, 11 satellites
  0bbb 00000012 00 04               // block, size 18, attribute 0, type 4 (double)
  7077725f65787400                  //   name "pwr_ext"
  2b8716d9ce973b40                  //   27.593 V (double LE)
  0bbb 00000011 01 03               // block, size 17, attribute 1, type 3 (int32)
  61766c5f696e7075747300            //   name "avl_inputs"
  00000001                          //   inputs bitmask 1 (int32 BE)
`);

/** Every data type of spec "Block data type" in one packet, with the alarm and driver flags. */
const ALL_TYPES = hex(`
  f3000000                          // packet size 243
  38363230303030303030303030323100  // unit id "862000000000021"
  6553f100                          // time 1700000000
  00000033                          // flags: location, digital inputs, alarm (0x10), driver id (0x20)
  0bbb 00000027 01 02 706f73696e666f00  // posinfo, size 39
  3333333333333940 cdcccccccc4c4b40     //   longitude 25.2, latitude 54.6
  0000000000205e40 003c 0167 0a         //   altitude 120.5 m, 60 km/h, course 359°, 10 satellites
  0bbb 0000001a 01 01 61766c5f64726976657200  // text (1) "avl_driver", size 26
  30303030413142324333443400                  //   "0000A1B2C3D4" + 0x00
  0bbb 0000000a 00 03 67736d00 0000001f       // int32 (3) "gsm" = 31
  0bbb 0000000f 00 04 6164633200 0000000000802840  // double (4) "adc2" = 12.25
  0bbb 0000000a 00 03 696e3300 00000001       // int32 "in3" = 1
  0bbb 00000012 00 05 63616e5f6f646f00 00000001 2a05f200  // int64 (5) "can_odo" = 5000000000
  0bbb 00000011 00 05 7461675f696400 7fffffff ffffffff    // int64 "tag_id" = 2^63 - 1 (beyond 2^53)
  0bbb 00000013 00 01 66775f76657273696f6e00 312e322e3300 // text "fw_version" = "1.2.3"
  0bbb 0000000b 00 02 626c6f6200 deadbeef     // binary (2) "blob": opaque bytes
`);

/** The image block (title u64 0, size u32, JPEG), no position, and a negative int32. */
const IMAGE = hex(`
  3d000000                // packet size 61
  756e69742d3700          // unit id "unit-7"
  6553f13c                // time 1700000060
  00000000                // no flags
  0bbb 00000017 00 02 696d616700  // binary "imag", size 23
  0000000000000000        //   title (0)
  00000004                //   image size 4
  ffd8ffd9                //   JPEG bytes
  0bbb 0000000b 00 03 696f5f3700 fffffffb  // int32 "io_7" = -5
`);

const FIX = { longitude: 25.2, latitude: 54.6, altitude: 120.5, speed: 60, course: 359, satellites: 10 };

describe('protocols/wialon_retranslator', () => {
  describe('inspect', () => {
    it('takes the ident from every packet and acks each with 0x11 (spec "Outgoing data"), no login needed', () => {
      const r = wr.inspect(SPEC_EXAMPLE, tcp(), STRICT);
      expect(r).toEqual({ ident: '353976013445485', store: true, reply: Buffer.from(ACK, 'hex') });
      expect(encodeAck().toString('hex')).toBe(ACK);
    });
    it('follows the unit of each packet on one connection (a Wialon server sends many units)', () => {
      const c = new ConnectionCodec(wr, STRICT);
      const out = c.decode(Buffer.concat([SPEC_EXAMPLE, ALL_TYPES, IMAGE]));
      expect(out.errors).toEqual([]);
      expect(out.messages.map((m) => m.ident)).toEqual(['353976013445485', '862000000000021', 'unit-7']);
      expect(out.replies.map((b) => b.toString('hex'))).toEqual([ACK, ACK, ACK]);
    });
    it('has no checksum: strict and lenient channels treat a packet alike', () => {
      expect(wr.inspect(ALL_TYPES, tcp(), LENIENT)).toEqual(wr.inspect(ALL_TYPES, tcp(), STRICT));
      expect(new ConnectionCodec(wr, LENIENT).decode(ALL_TYPES).messages).toEqual(new ConnectionCodec(wr, STRICT).decode(ALL_TYPES).messages);
    });
    it('refuses a packet whose unit id has no 0x00 without acking it', () => {
      const bad = Buffer.from(SPEC_EXAMPLE);
      bad.fill(0x41, 4, 4 + 70); // 70 × "A" over the id, time, flags and the first block: no 0x00 within 64 bytes
      const r = wr.inspect(bad, tcp(), STRICT);
      expect(r.store).toBe(false);
      expect(r.reply).toBeUndefined();
      expect(r.error?.code).toBe('malformed');
      expect(wr.decode(bad, { transport: 'tcp' }).errors.map((e) => e.code)).toEqual(['malformed']);
    });
    it('refuses an empty unit id and a packet that ends before its time and flags', () => {
      const empty = packet('x', 1700000000, 0, []);
      empty[4] = 0; // id "" (then "\0" again)
      expect(wr.inspect(empty, tcp(), STRICT)).toMatchObject({ store: false, error: { code: 'malformed' } });
      const short = hex('0a000000 61626364656667680000 00'); // size 10, id "abcdefgh", 1 byte of time
      expect(wr.inspect(short, tcp(), STRICT)).toMatchObject({ store: false, error: { code: 'truncated' } });
    });
    it('acks but does not store a packet whose unit id is no valid ident, so the other units are not stalled', () => {
      const spaced = packet('car 12', 1700000000, Flag.Location, [posinfoBlock(FIX)]);
      const r = wr.inspect(spaced, tcp(), STRICT);
      expect(r.store).toBe(false);
      expect(r.reply?.toString('hex')).toBe(ACK);
      expect(r.ident).toBeUndefined();
      expect(r.error?.reason).toBe('unit id "car 12" is not a valid ident (printable, no spaces, #, + or /)');
      expect(wr.decode(spaced, { transport: 'tcp' })).toMatchObject({ messages: [], errors: [{ code: 'malformed' }] });
    });
  });

  describe('decode', () => {
    it('decodes the spec example: posinfo, pwr_ext in V, avl_inputs as din', () => {
      const out = wr.decode(SPEC_EXAMPLE, { transport: 'tcp' });
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          ident: '353976013445485',
          timestamp: 1259076464,
          'position.latitude': 55.7305664,
          'position.longitude': 49.1903648,
          'position.altitude': 106,
          'position.speed': 54,
          'position.direction': 326,
          'position.satellites': 11,
          'external.powersource.voltage': 27.593,
          din: 1,
          'position.valid': true,
        },
      ]);
      expect(sanityProblems(out.messages[0])).toEqual([]);
    });
    it('decodes text, int32, double, int64 and binary blocks by the parameter table, keeping unknown names', () => {
      const out = wr.decode(ALL_TYPES, { transport: 'tcp' });
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          ident: '862000000000021',
          timestamp: 1700000000,
          'position.latitude': 54.6,
          'position.longitude': 25.2,
          'position.altitude': 120.5,
          'position.speed': 60,
          'position.direction': 359,
          'position.satellites': 10,
          'ibutton.code': '0000A1B2C3D4',
          'gsm.signal.level': 31,
          'ain.2': 12.25,
          'din.3': true,
          'wialon_retranslator.can_odo': 5000000000,
          'wialon_retranslator.tag_id': '9223372036854775807',
          'firmware.version': '1.2.3',
          'wialon_retranslator.blob': 'deadbeef',
          'position.valid': true,
          'alarm.event.trigger': true,
        },
      ]);
      expect(sanityProblems(out.messages[0])).toEqual([]);
    });
    it('decodes an image block into its size and JPEG bytes, a packet without posinfo into a message without position', () => {
      const out = wr.decode(IMAGE, { transport: 'tcp' });
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          ident: 'unit-7',
          timestamp: 1700000060,
          'wialon_retranslator.photo.size': 4,
          'wialon_retranslator.photo.data': 'ffd8ffd9',
          'wialon_retranslator.io_7': -5,
        },
      ]);
    });
    it('reads the location flag: posinfo without it is an invalid position', () => {
      const [m] = wr.decode(packet('u1', 1700000000, 0, [posinfoBlock(FIX)]), { transport: 'tcp' }).messages;
      expect(m['position.valid']).toBe(false);
      expect(m['position.latitude']).toBe(54.6);
    });
    it('does not report coordinates out of range, and marks the position invalid', () => {
      const [m] = wr.decode(packet('u1', 1700000000, Flag.Location, [posinfoBlock({ ...FIX, latitude: 91 })]), { transport: 'tcp' }).messages;
      expect(m).toEqual({
        ident: 'u1',
        timestamp: 1700000000,
        'position.valid': false,
        'position.altitude': 120.5,
        'position.speed': 60,
        'position.direction': 359,
        'position.satellites': 10,
      });
    });
    it('maps numeric and boolean text, sos, and keeps a second value of a name under the prefix', () => {
      const frame = packet('u1', 1700000000, 0, [
        textBlock('pwr_int', '4.1'),
        textBlock('ign', 'on'),
        int32Block('sos', 1),
        doubleBlock('mileage', 10.5),
        doubleBlock('odometer', 11),
      ]);
      const [m] = wr.decode(frame, { transport: 'tcp' }).messages;
      expect(m).toEqual({
        ident: 'u1',
        timestamp: 1700000000,
        'battery.voltage': 4.1,
        'engine.ignition.status': true,
        'alarm.event.trigger': true,
        'alarm.type': 'sos',
        'vehicle.mileage': 10.5,
        'wialon_retranslator.odometer': 11,
      });
    });
    it('keeps a value its kind cannot read, and a repeated unknown name, under the prefix with a suffix', () => {
      const frame = packet('u1', 1700000000, 0, [textBlock('gsm', 'n/a'), int32Block('Fuel Level', 40), int32Block('fuel level', 41)]);
      const [m] = wr.decode(frame, { transport: 'tcp' }).messages;
      expect(m).toEqual({
        ident: 'u1',
        timestamp: 1700000000,
        'wialon_retranslator.gsm': 'n/a',
        'wialon_retranslator.fuel_level': 40,
        'wialon_retranslator.fuel_level_2': 41,
      });
    });
    it('stops at a block whose type is not 0x0BBB, keeping the blocks before it', () => {
      const frame = packet('u1', 1700000000, 0, [int32Block('gsm', 3), hex('0bbc 0000000a 00 03 67736d00 00000004')]);
      const out = wr.decode(frame, { transport: 'tcp' });
      expect(out.messages).toEqual([{ ident: 'u1', timestamp: 1700000000, 'gsm.signal.level': 3 }]);
      expect(out.errors.map((e) => e.toString())).toEqual(['malformed at byte 31: block type 0x0bbc is not 0x0bbb']);
    });
    it('stops at a block that runs past the packet, and at bytes too few for a block header', () => {
      const over = packet('u1', 1700000000, 0, [int32Block('gsm', 3), hex('0bbb 000000ff 00 03 67736d00')]);
      expect(wr.decode(over, { transport: 'tcp' }).errors.map((e) => e.code)).toEqual(['truncated']);
      const tail = packet('u1', 1700000000, 0, [int32Block('gsm', 3), hex('0bbb 00')]);
      const out = wr.decode(tail, { transport: 'tcp' });
      expect(out.errors.map((e) => e.code)).toEqual(['truncated']);
      expect(out.messages[0]['gsm.signal.level']).toBe(3);
    });
    it('skips a block that cannot be read within its size and goes on with the next', () => {
      const shortPos = block('posinfo', 2, Buffer.alloc(20), 1); // 20 of 29 bytes
      const noName = hex('0bbb 00000006 00 03 67736d34'); // name without 0x00
      const out = wr.decode(packet('u1', 1700000000, Flag.Location, [shortPos, noName, int32Block('gsm', 2)]), { transport: 'tcp' });
      expect(out.errors.map((e) => e.code)).toEqual(['truncated', 'malformed']);
      expect(out.messages).toEqual([{ ident: 'u1', timestamp: 1700000000, 'gsm.signal.level': 2 }]);
    });
    it('keeps a block of an unknown data type as hex, and reads a text value that ends at its block end', () => {
      const frame = packet('u1', 1700000000, 0, [block('x9', 9, hex('0102')), block('note', 1, Buffer.from('abc'))]);
      expect(wr.decode(frame, { transport: 'tcp' }).messages[0]).toEqual({
        ident: 'u1',
        timestamp: 1700000000,
        'wialon_retranslator.x9': '0102',
        'wialon_retranslator.note': 'abc',
      });
    });
  });

  describe('hub stream round trip', () => {
    it("decodes what the hub's own Wialon Retranslator stream sends back to the same message (shared/streams/README.md)", () => {
      const sent: Message = {
        ident: 'hub-unit-1',
        timestamp: 1700000000,
        'server.timestamp': 1700000001.5,
        'channel.id': 7,
        'position.latitude': 54.6,
        'position.longitude': 25.2,
        'position.altitude': 120.5,
        'position.speed': 60,
        'position.direction': 359,
        'position.satellites': 10,
        'position.valid': true,
        'position.hdop': 0.8,
        'engine.ignition.status': true,
        'external.powersource.voltage': 12.85,
        din: 5,
        dout: 2,
        'din.1': true,
        'gsm.signal.level': 4,
        'battery.level': 87,
        'vehicle.mileage': 12345.678,
        'sensor.temperature.2': -3.5,
        'alarm.event.trigger': true,
        'alarm.type': 'sos',
        'ibutton.code': 'A1B2',
        'event.enum': 240,
        'gt06.status': 3,
      };
      const out = new ConnectionCodec(wr, STRICT).decode(encodeRetranslatorPacket(sent));
      expect(out.errors).toEqual([]);
      expect(out.replies.map((b) => b.toString('hex'))).toEqual([ACK]);
      const { 'server.timestamp': _s, 'channel.id': _c, 'gt06.status': _g, ...kept } = sent;
      expect(out.messages).toEqual([{ ...kept, 'wialon_retranslator.gt06_status': 3 }]);
    });
  });

  describe('encoder', () => {
    it('builds the ack, and refuses every command: the protocol carries none', () => {
      expect(encodeAck()).toEqual(Buffer.from([0x11]));
      for (const name of ['custom', 'engine_stop', 'reboot']) {
        const r = encodeCommand({ name, properties: {} });
        expect(r.code).toBe('command');
        expect(r.reason).toBe(
          `unknown command "${name}" for wialon_retranslator: the protocol carries no commands (the Wialon server reads only the 0x11 ack)`,
        );
      }
      expect(correlate({ name: 'custom', properties: {} })).toBeUndefined();
    });
    it('declares the generic device type without commands or settings', () => {
      expect(DEVICE_TYPES).toEqual([{ id: 21, name: 'wialon_retranslator', commands: [], settings: [] }]);
      expect(wr.deviceTypes).toBe(DEVICE_TYPES);
    });
  });

  describe('device side', () => {
    it('builds the fixtures byte for byte (parse, generate)', () => {
      expect(
        packet('862000000000021', 1700000000, 0x33, [
          posinfoBlock(FIX),
          textBlock('avl_driver', '0000A1B2C3D4', 1),
          int32Block('gsm', 31),
          doubleBlock('adc2', 12.25),
          int32Block('in3', 1),
          int64Block('can_odo', 5000000000n),
          int64Block('tag_id', 2n ** 63n - 1n),
          textBlock('fw_version', '1.2.3'),
          block('blob', 2, hex('deadbeef')),
        ]).toString('hex'),
      ).toBe(ALL_TYPES.toString('hex'));
      expect(packet('unit-7', 1700000060, 0, [imageBlock(hex('ffd8ffd9')), int32Block('io_7', -5)]).toString('hex')).toBe(IMAGE.toString('hex'));
    });
    it("builds packets as the hub's own stream does", () => {
      const m: Message = { ident: 'u1', timestamp: 1700000000, 'position.latitude': 54.6, 'position.longitude': 25.2, 'position.altitude': 120.5 };
      const ours = packet('u1', 1700000000, Flag.Location, [posinfoBlock({ ...FIX, speed: 0, course: 0, satellites: 0 })]);
      expect(encodeRetranslatorPacket(m).toString('hex')).toBe(ours.toString('hex'));
    });
    it('the simulator answers one byte per report', () => {
      expect(wr.simulator.replyLength?.(Buffer.alloc(0), false)).toBeUndefined();
      expect(wr.simulator.replyLength?.(hex('1111'), false)).toBe(1);
      expect(wr.simulator).toMatchObject({ transports: ['tcp'], loginAcked: false, reportsAcked: true });
    });
  });

  describe('framer', () => {
    it('keeps the framer contract for every fixture packet', () => {
      for (const f of [SPEC_EXAMPLE, ALL_TYPES, IMAGE]) assertFramerContract(wr, f);
    });
    it('gives the same result however the stream is chunked', () => {
      assertChunkingInvariant(wr, Buffer.concat([SPEC_EXAMPLE, ALL_TYPES, IMAGE, SPEC_EXAMPLE]));
    });
    it('cuts by the little-endian size field', () => {
      const r = wr.frame(Buffer.concat([SPEC_EXAMPLE, hex('7400')]), tcp(), STRICT);
      expect(r).toMatchObject({ type: 'frame', consumed: 120 });
      expect(wr.frame(hex('740000'), tcp(), STRICT)).toEqual({ type: 'more' });
    });
    it('refuses a size above the channel limit and one too small for a header, closing the stream', () => {
      const big = wr.frame(hex('fdff0000 3100'), tcp(), { crc: 'strict', maxFrameSize: 1024 });
      expect(big).toMatchObject({ type: 'error', consumed: 0, error: { code: 'oversize' } });
      const small = wr.frame(hex('09000000 310000000000000000'), tcp(), STRICT);
      expect(small).toMatchObject({ type: 'error', consumed: 0, error: { code: 'malformed' } });
    });
    it('closes on garbage: "GET " read as a size (0x20544547 + 4) is far above the frame limit', () => {
      const c = new ConnectionCodec(wr, STRICT);
      const out = c.decode(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
      expect(out.errors).toEqual(["oversize at byte 0: packet of 542393675 bytes exceeds the channel's frame limit of 65536 bytes"]);
      expect(c.isClosed).toBe(true);
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input (fast-check)', () => {
      expect(fuzzCodec(wr, [SPEC_EXAMPLE, ALL_TYPES, IMAGE], 2000)).toBe(2000);
    });
  });

  /** Traccar attribute → our parameter (Traccar keeps Wialon's names as attribute names). */
  const ATTRIBUTES: AttributeMap = {
    pwr_ext: { name: 'external.powersource.voltage' },
    avl_inputs: { name: 'din' },
    mcc: { name: 'gsm.mcc' },
    mnc: { name: 'gsm.mnc' },
    lac: { name: 'gsm.lac' },
    cell_id: { name: 'gsm.cellid' },
    mileage: { name: 'vehicle.mileage' },
  };

  const corpus = loadCorpus('retranslator.json');
  describe.runIf(corpus)('conformance corpus', () => {
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(wr, corpus!, ATTRIBUTES);
      const rate = reportPassRate('wialon_retranslator', results);
      expect(rate).toBeGreaterThanOrEqual(0.95);
      for (const r of results) {
        expect(r.errors).toEqual([]);
        expect(r.replies.map((b) => b.toString('hex'))).toEqual([ACK]);
        for (const m of r.messages) expect(sanityProblems(m)).toEqual([]);
      }
    });
    it('reads the Guatemala unit: cell ids by the table, other parameters kept under the prefix', () => {
      const entry = corpus!.find((x) => x.kind === 'decode' && x.seq === 1);
      const [m] = wr.decode(entryBytes(entry!), { transport: 'tcp' }).messages;
      expect(m).toMatchObject({
        ident: '353549090094730',
        timestamp: 1527946079,
        'position.direction': 19,
        'position.satellites': 13,
        'gsm.mcc': 704,
        'gsm.mnc': 1,
        'gsm.lac': 329,
        'gsm.cellid': 22105,
        'wialon_retranslator.msg_type': '0x22',
        'wialon_retranslator.custom': 19,
        'vehicle.mileage': 0,
        'position.valid': true,
      });
      expect(m['position.latitude']).toBeCloseTo(14.0781356, 6);
      expect(m['position.longitude']).toBeCloseTo(-91.0526311, 6);
    });
    it('cuts every corpus frame whole', () => {
      for (const e of corpus!.filter((x) => x.kind === 'decode')) {
        const bytes = entryBytes(e);
        expect(wr.frame(bytes, tcp(), STRICT)).toMatchObject({ type: 'frame', consumed: bytes.length });
      }
    });
    it('is named by hub identify for a real corpus packet', () => {
      for (const e of corpus!.filter((x) => x.kind === 'decode')) {
        const candidates = identify(entryBytes(e));
        expect(candidates.find((c) => c.protocol === 'wialon_retranslator')).toEqual({
          protocol: 'wialon_retranslator',
          confidence: 'high',
          detail: 'tcp: 1 message(s), 1 reply',
        });
        expect(candidates[0].confidence).toBe('high');
      }
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});
