import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRetranslatorPacket, paramName, RetranslatorEncodeError } from '../../../core/streams/retranslator-packet.js';
import type { Message } from '../../../protocols/common/types.js';
import { hexFixture } from '../../helpers/hex.js';
import { parsePacket } from '../../helpers/retranslator-receiver.js';

// shared/streams/README.md, "Wialon Retranslator (Gurtam), TCP"
const WITH_POSITION: Message = {
  ident: '353976010139156',
  timestamp: 1700000000.5,
  'server.timestamp': 1700000001.25,
  peer: '10.0.0.1:5000',
  'position.latitude': 55.75,
  'position.longitude': 49.125,
  'position.altitude': 120,
  'position.speed': 63,
  'position.direction': 271,
  'position.satellites': 11,
  'position.valid': true,
  'external.powersource.voltage': 12.5,
  din: 5,
  'vehicle.mileage': 5_000_000_000,
  'sim.iccid': 'AB1',
  'position.hdop': 0.8,
  'io.list': [1, 2],
  'gsm.lac': null,
};

const WITH_POSITION_HEX = hexFixture(`
  e3000000                                     // size u32 LE = 227 bytes follow
  33353339373630313031333931353600             // ident "353976010139156" + 0x00
  6553f100                                     // time u32 BE = 1700000000 (fraction dropped)
  00000003                                     // flags u32 BE: 0x01 location | 0x02 digital inputs
  0bbb 00000027 01 02 706f73696e666f00         // block, size 39, visible, binary, "posinfo"
    0000000000904840                           //   longitude 49.125 double LE
    0000000000e04b40                           //   latitude 55.75 double LE
    0000000000005e40                           //   altitude 120 double LE
    003f                                       //   speed 63 km/h u16 BE
    010f                                       //   course 271 u16 BE
    0b                                         //   satellites 11
  0bbb 00000015 01 03 706f736974696f6e5f76616c696400  // "position_valid" int32
    00000001                                   //   true → 1
  0bbb 00000012 01 04 7077725f65787400         // "pwr_ext" (external.powersource.voltage) double
    0000000000002940                           //   12.5 LE
  0bbb 00000011 01 03 61766c5f696e7075747300   // "avl_inputs" (din) int32
    00000005                                   //   5
  0bbb 0000001a 01 05 76656869636c655f6d696c6561676500  // "vehicle_mileage" int64 (> int32)
    000000012a05f200                           //   5000000000 BE
  0bbb 00000010 01 01 73696d5f696363696400     // "sim_iccid" text
    41423100                                   //   "AB1" + 0x00
  0bbb 00000018 01 04 706f736974696f6e5f68646f7000  // "position_hdop" double
    9a9999999999e93f                           //   0.8 LE
`);

const NO_POSITION: Message = { ident: 'A1', timestamp: 1, dout: 2, 'engine.ignition.status': false, temp: -5 };

const NO_POSITION_HEX = hexFixture(`
  57000000                                     // size = 87
  413100                                       // ident "A1"
  00000001                                     // time 1
  00000004                                     // flags: 0x04 digital outputs
  0bbb 00000012 01 03 61766c5f6f75747075747300 // "avl_outputs" (dout) int32
    00000002
  0bbb 0000001d 01 03 656e67696e655f69676e6974696f6e5f73746174757300 // "engine_ignition_status"
    00000000                                   //   false → 0
  0bbb 0000000b 01 03 74656d7000               // "temp" int32
    fffffffb                                   //   -5
`);

describe('retranslator-packet', () => {
  describe('encodeRetranslatorPacket', () => {
    it('encodes a message with position, typed params and skipped fields byte for byte', () => {
      expect(encodeRetranslatorPacket(WITH_POSITION).toString('hex')).toBe(WITH_POSITION_HEX.toString('hex'));
    });

    it('encodes a message without position: dout flag, booleans and negative integers as int32', () => {
      expect(encodeRetranslatorPacket(NO_POSITION).toString('hex')).toBe(NO_POSITION_HEX.toString('hex'));
    });

    it('produces what an independent parser reads back field by field', () => {
      const p = parsePacket(encodeRetranslatorPacket(WITH_POSITION));
      expect(p).toMatchObject({ ident: '353976010139156', time: 1700000000, flags: 3 });
      expect(p.position).toEqual({ lon: 49.125, lat: 55.75, alt: 120, speed: 63, course: 271, satellites: 11 });
      expect(p.blocks.map((b) => [b.name, b.type, b.value instanceof Buffer ? 'bin' : b.value])).toEqual([
        ['posinfo', 2, 'bin'],
        ['position_valid', 3, 1],
        ['pwr_ext', 4, 12.5],
        ['avl_inputs', 3, 5],
        ['vehicle_mileage', 5, 5_000_000_000n],
        ['sim_iccid', 1, 'AB1'],
        ['position_hdop', 4, 0.8],
      ]);
    });

    it('sets the alarm flag and clamps position fields into their widths', () => {
      const p = parsePacket(
        encodeRetranslatorPacket({
          ident: 'x',
          timestamp: 5,
          'alarm.event.trigger': true,
          'position.latitude': 1,
          'position.longitude': 2,
          'position.speed': 70000,
          'position.satellites': 300,
          'position.direction': -3,
        }),
      );
      expect(p.flags).toBe(0x11);
      expect(p.position).toEqual({ lon: 2, lat: 1, alt: 0, speed: 0xffff, course: 0, satellites: 255 });
    });

    it('strips NUL from text, keeps the first of two fields with the same Wialon name', () => {
      const p = parsePacket(encodeRetranslatorPacket({ ident: 'x', timestamp: 5, 'a.b': 'q\0r', a_b: 7, pwr_ext: 1, 'external.powersource.voltage': 2 }));
      expect(p.blocks.map((b) => [b.name, b.value])).toEqual([
        ['a_b', 'qr'],
        ['pwr_ext', 1],
      ]);
    });

    it('refuses a message without ident or with a timestamp outside u32', () => {
      expect(() => encodeRetranslatorPacket({ timestamp: 1 })).toThrow(RetranslatorEncodeError);
      expect(() => encodeRetranslatorPacket({ ident: 'a', timestamp: -1 })).toThrow(/timestamp -1/);
      expect(() => encodeRetranslatorPacket({ ident: 'a', timestamp: 2 ** 32 })).toThrow(RetranslatorEncodeError);
      expect(() => encodeRetranslatorPacket({ ident: 'a\u00e9', timestamp: 1 })).toThrow(/printable ASCII/);
    });

    it('any flat message becomes a packet the independent parser accepts (fuzz)', () => {
      const key = fc.stringMatching(/^[a-z][a-z0-9.]{0,20}$/);
      const value = fc.oneof(
        fc.boolean(),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.maxSafeInteger(),
        fc.string(),
        fc.constant(null),
      );
      fc.assert(
        fc.property(fc.dictionary(key, value), fc.stringMatching(/^[ -~]{1,30}$/), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (params, ident, ts) => {
          const p = parsePacket(encodeRetranslatorPacket({ ...params, ident, timestamp: ts }));
          expect(p.ident).toBe(ident);
          expect(p.time).toBe(ts);
        }),
      );
    });
  });

  describe('paramName', () => {
    it('maps our names to Wialon names', () => {
      expect(paramName('external.powersource.voltage')).toBe('pwr_ext');
      expect(paramName('din')).toBe('avl_inputs');
      expect(paramName('dout')).toBe('avl_outputs');
      expect(paramName('gsm.signal.level')).toBe('gsm_signal_level');
    });
  });
});
