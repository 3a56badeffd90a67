import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import { CRC16, crc16 } from '../../../protocols/common/crc.js';
import { avlPacket } from '../../../protocols/teltonika/device.js';
import { encodeAck, encodeCodec12, encodeCommand, encodeUdpAck } from '../../../protocols/teltonika/encoder.js';
import { teltonika } from '../../../protocols/teltonika/index.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';
import { hexFixture } from '../../helpers/hex.js';

const hex = hexFixture;

/** Teltonika "Codec 8" example packet from the public codec description, annotated. */
const CODEC8_ONE_RECORD = hex(`
  00000000  // preamble
  00000036  // data length 54
  08  // codec 8
  01  // N1: one record
  0000016B40D8EA30  // timestamp 1560161086000 ms
  01  // priority: high
  00000000 00000000  // longitude, latitude 0 (no fix)
  0000 0000 00 0000  // altitude, angle, satellites, speed
  01  // event IO id 1
  05  // 5 IO elements in total
  02 15 03 01 01  // 1-byte IO: 2 elements: 21 gsm=3, 1 din1=1
  01 42 5E0F  // 2-byte IO: 66 external voltage 24079 mV
  01 F1 0000601A  // 4-byte IO: 241 operator 24602
  01 4E 0000000000000000  // 8-byte IO: 78 iButton
  01  // N2
  0000C7CF  // CRC-16/ARC
`);
const HANDSHAKE = hex('000f 333536333037303432343431303133');

describe('protocols/teltonika', () => {
  describe('crc', () => {
    it('uses CRC-16/ARC (check value of "123456789" is 0xBB3D)', () => {
      expect(crc16(CRC16.ARC)(Buffer.from('123456789'))).toBe(0xbb3d);
    });
  });

  describe('inspect', () => {
    it('accepts the IMEI handshake with 01 and binds the ident', () => {
      const r = teltonika.inspect(HANDSHAKE, { transport: 'tcp', vars: {} }, { crc: 'strict', maxFrameSize: 1024 });
      expect(r).toMatchObject({ ident: '356307042441013', store: false });
      expect(r.reply?.toString('hex')).toBe('01');
    });
    it('rejects a handshake that is not digits with 00 and closes', () => {
      const r = teltonika.inspect(hex('0003 41422f'), { transport: 'tcp', vars: {} }, { crc: 'strict', maxFrameSize: 1024 });
      expect(r.reply?.toString('hex')).toBe('00');
      expect(r.close).toBe(true);
    });
    it('acks a data packet with the record count as u32', () => {
      const r = teltonika.inspect(CODEC8_ONE_RECORD, { transport: 'tcp', vars: {}, ident: '356307042441013' }, { crc: 'strict', maxFrameSize: 1024 });
      expect(r.store).toBe(true);
      expect(r.reply?.toString('hex')).toBe('00000001');
    });
    it('does not ack or store a packet with a wrong CRC (strict), and counts it', () => {
      const bad = Buffer.from(CODEC8_ONE_RECORD);
      bad[bad.length - 1] ^= 0xff;
      const r = teltonika.inspect(bad, { transport: 'tcp', vars: {}, ident: '1' }, { crc: 'strict', maxFrameSize: 1024 });
      expect(r).toMatchObject({ store: false });
      expect(r.reply).toBeUndefined();
      expect(r.error?.code).toBe('checksum');
    });
    it('stores and acks a wrong-CRC packet under the lenient policy, marking its messages', () => {
      const bad = Buffer.from(CODEC8_ONE_RECORD);
      bad[bad.length - 1] ^= 0xff;
      const c = new ConnectionCodec(teltonika, { crc: 'lenient', maxFrameSize: 1024 });
      c.decode(HANDSHAKE);
      const out = c.decode(bad);
      expect(out.replies.map((r) => r.toString('hex'))).toEqual(['00000001']);
      expect(out.messages[0]['crc.valid']).toBe(false);
    });
    it('refuses data before the handshake and closes', () => {
      const r = teltonika.inspect(CODEC8_ONE_RECORD, { transport: 'tcp', vars: {} }, { crc: 'strict', maxFrameSize: 1024 });
      expect(r).toMatchObject({ store: false, close: true });
      expect(r.error?.code).toBe('unidentified');
    });
  });

  describe('decode', () => {
    it('decodes a Codec 8 record: time, IO by the table, unknown IO kept, a record without a fix keeps its position fields (invalid)', () => {
      const out = teltonika.decode(CODEC8_ONE_RECORD, { transport: 'tcp', ident: '356307042441013' });
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          timestamp: 1560161086,
          'position.latitude': 0,
          'position.longitude': 0,
          'position.altitude': 0,
          'position.direction': 0,
          'position.speed': 0,
          'position.satellites': 0,
          'position.valid': false,
          'priority.enum': 'high',
          'event.enum': 1,
          'gsm.signal.level': 3,
          'din.1': true,
          din: 1,
          'external.powersource.voltage': 24.079,
          'gsm.operator.code': 24602,
          'ibutton.code': '0000000000000000',
        },
      ]);
    });
    it('decodes position fields with sign, scale and validity', () => {
      const frame = hex(`
        00000000 00000000                   // preamble, length (patched below)
        08 01                               // codec 8, one record
        0000018b23dd7963 00                 // time, priority
        fbf7263c 24f9e11a                   // longitude -6.76889, latitude 62.0355866
        0064 00b4 09 0050                   // altitude 100 m, angle 180, 9 satellites, 80 km/h
        00 00 00 00 00 00                   // event id, total, four empty IO groups
        01 00000000                         // N2, CRC (patched below)
      `);
      frame.writeUInt32BE(frame.length - 12, 4);
      frame.writeUInt32BE(crc16(CRC16.ARC)(frame, 8, frame.length - 4), frame.length - 4);
      const [m] = teltonika.decode(frame, { transport: 'tcp' }).messages;
      expect(m).toMatchObject({
        'position.longitude': -6.76889,
        'position.latitude': 62.0355866,
        'position.altitude': 100,
        'position.direction': 180,
        'position.satellites': 9,
        'position.speed': 80,
        'position.valid': true,
      });
      expect(sanityProblems(m)).toEqual([]);
    });
    it('turns a truncated record into a typed error, never an exception', () => {
      const cut = Buffer.from(CODEC8_ONE_RECORD.subarray(0, 30));
      const out = teltonika.decode(Buffer.concat([cut, hex('00000000')]), { transport: 'tcp', options: { crc: 'lenient', maxFrameSize: 1024 } });
      expect(out.errors.map((e) => e.code)).toContain('truncated');
    });
  });

  describe('encoder', () => {
    it('encodes setdigout 11 as Codec 12 exactly as the vendor example', () => {
      expect(encodeCodec12(Buffer.from('setdigout 11')).toString('hex')).toBe('00000000000000140c01050000000c7365746469676f7574203131010000bed5');
    });
    it('maps named commands to text', () => {
      const r = encodeCommand({ name: 'setparam', properties: { param: '10000', value: 30 } });
      expect(Buffer.isBuffer(r) && r.subarray(15, r.length - 5).toString()).toBe('setparam 10000:30');
      expect(encodeCommand({ name: 'nope', properties: {} })).toMatchObject({ code: 'command' });
    });
    it('builds TCP and UDP acks', () => {
      expect(encodeAck(3).toString('hex')).toBe('00000003');
      expect(encodeUdpAck(0xcafe, 0x22, 1).toString('hex')).toBe('0005cafe012201');
    });
  });

  describe('framer', () => {
    it('keeps the framer contract for handshakes, keep-alives and packets', () => {
      assertFramerContract(teltonika, HANDSHAKE);
      assertFramerContract(teltonika, CODEC8_ONE_RECORD);
    });
    it('gives the same result however the stream is chunked', () => {
      assertChunkingInvariant(teltonika, Buffer.concat([HANDSHAKE, CODEC8_ONE_RECORD, hex('ff'), CODEC8_ONE_RECORD]));
    });
    it('refuses a length field above the channel limit', () => {
      const r = teltonika.frame(hex('00000000 7fffffff 08'), { transport: 'tcp', vars: {} }, { crc: 'strict', maxFrameSize: 65536 });
      expect(r).toMatchObject({ type: 'error', consumed: 0 });
      if (r.type === 'error') expect(r.error.code).toBe('oversize');
    });
  });

  describe('fast path', () => {
    it('decodes every record shape exactly as the generic decoder does', () => {
      const ids1 = [1, 2, 21, 69, 77, 179, 200, 239, 240, 246, 250];
      const ids2 = [9, 17, 24, 66, 67, 72, 181, 182, 205, 300];
      const ids4 = [16, 72, 199, 241, 11, 500];
      const ids8 = [78, 11, 14, 600];
      const group = (ids: number[], max: number) =>
        fc
          .uniqueArray(fc.constantFrom(...ids), { maxLength: ids.length })
          .chain((keys) => fc.tuple(...keys.map((k) => fc.tuple(fc.constant(k), fc.integer({ min: 0, max })))).map((pairs) => Object.fromEntries(pairs)));
      const rec = fc.record({
        timestampMs: fc.integer({ min: 1e12, max: 2e12 }),
        latitude: fc.oneof(fc.constant(0), fc.double({ min: -90, max: 90, noNaN: true })),
        longitude: fc.oneof(fc.constant(0), fc.double({ min: -180, max: 180, noNaN: true })),
        altitude: fc.integer({ min: -500, max: 9000 }),
        angle: fc.integer({ min: 0, max: 359 }),
        satellites: fc.integer({ min: 0, max: 30 }),
        speed: fc.integer({ min: 0, max: 300 }),
        priority: fc.integer({ min: 0, max: 3 }),
        eventId: fc.integer({ min: 0, max: 255 }),
        io1: group(ids1, 255),
        io2: group(ids2, 65535),
        io4: group(ids4, 2 ** 32 - 1),
        io8: group(ids8, Number.MAX_SAFE_INTEGER),
      });
      fc.assert(
        fc.property(rec, fc.array(fc.integer({ min: 0, max: 2 ** 31 }), { minLength: 1, maxLength: 4 }), fc.constantFrom(0x08, 0x8e), (r, times, codec) => {
          const packet = avlPacket([r, ...times.map((t) => ({ ...r, timestampMs: r.timestampMs + t, speed: (r.speed + t) % 300 })), r], codec as 0x08);
          const generic = teltonika.decode(packet, { transport: 'tcp', options: { crc: 'strict', maxFrameSize: 65536, settings: { fast_path: false } } });
          const fast = teltonika.decode(packet, { transport: 'tcp' });
          expect(generic.errors).toEqual([]);
          expect(fast.messages).toEqual(generic.messages);
          expect(fast.messages.map((m) => Object.keys(m))).toEqual(generic.messages.map((m) => Object.keys(m)));
        }),
        { numRuns: 300 },
      );
    });

    it('marks a 0/0 record invalid with the same shape as a record with a fix (fast and generic paths agree)', () => {
      const rec = (lat: number) => ({ timestampMs: 1_700_000_000_000, latitude: lat, longitude: lat / 2, satellites: 3, io1: { 21: 4 } });
      const packet = avlPacket([rec(54), rec(0), rec(0), rec(54)], 0x08);
      const out = teltonika.decode(packet, { transport: 'tcp' });
      expect(out.messages[1]).toMatchObject({
        timestamp: 1700000000,
        'position.latitude': 0,
        'position.longitude': 0,
        'position.valid': false,
        'gsm.signal.level': 4,
      });
      expect(out.messages[2]).toStrictEqual(out.messages[1]);
      const generic = teltonika.decode(packet, { transport: 'tcp', options: { crc: 'strict', maxFrameSize: 65536, settings: { fast_path: false } } });
      expect(generic.messages).toStrictEqual(out.messages);
      expect(out.messages[3]).toMatchObject({ 'position.latitude': 54, 'position.longitude': 27, 'position.valid': true });
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input (fast-check)', () => {
      expect(fuzzCodec(teltonika, [CODEC8_ONE_RECORD, HANDSHAKE], 2000, 'tcp', HANDSHAKE)).toBe(2000);
    });
  });

  const corpus = loadCorpus('teltonika.json');
  describe.runIf(corpus)('conformance corpus', () => {
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(teltonika, corpus!);
      const rate = reportPassRate('teltonika', results);
      expect(rate).toBeGreaterThanOrEqual(0.95);
    });
    it('cuts the corpus framer vectors', () => {
      for (const e of corpus!.filter((x) => x.kind === 'frameDecoder')) {
        const r = teltonika.frame(Buffer.from(e.frame, 'hex'), { transport: 'tcp', vars: {} }, { crc: 'strict', maxFrameSize: 65536 });
        expect(r.type === 'frame' && r.frame.toString('hex')).toBe(e.expect.frames![0]);
      }
    });
    it('encodes the corpus commands byte for byte', () => {
      for (const e of corpus!.filter((x) => x.kind === 'encode')) {
        const data = String(e.expect.command!.attributes!.data);
        const cmd =
          /^[0-9A-Fa-f]+$/.test(data) && data.length % 2 === 0 ? { name: 'custom', properties: { hex: data } } : { name: 'custom', properties: { text: data } };
        const bytes = encodeCommand(cmd) as Buffer;
        expect(bytes.toString('hex').startsWith(e.frame)).toBe(true);
      }
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});
