import { describe, expect, it } from 'vitest';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import { CRC16, crc16 } from '../../../protocols/common/crc.js';
import type { SessionState } from '../../../protocols/common/types.js';
import { encodeAck, encodeCommand, encodeFilePartRequest, encodePacket } from '../../../protocols/ruptela/encoder.js';
import { ruptela } from '../../../protocols/ruptela/index.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { type AttributeMap, loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';
import { hexFixture } from '../../helpers/hex.js';

const hex = hexFixture;
const tcp = (): SessionState => ({ transport: 'tcp', vars: {} });
const STRICT = { crc: 'strict', maxFrameSize: 65536 } as const;
const LENIENT = { crc: 'lenient', maxFrameSize: 65536 } as const;

/** Command 1 records, one record: Traccar RuptelaProtocolDecoderTest (testDecode, FM-Eco3 in Dubai). */
const RECORDS = hex(`
  0056  // length 86: IMEI .. payload
  0003116e7438a7a5  // IMEI 863591024076709
  01  // command 1: records
  00 01  // records left 0, 1 record
  5565cbb9 00 00  // time 1432734649, timestamp extension 0, priority 0
  20fd2130 0f113f46  // longitude 55.3460016, latitude 25.278855 (×1e-7)
  0000 5f00 06 0009 0d  // altitude 0 m, angle 243.2°, 6 satellites, 9 km/h, HDOP 1.3
  09  // event id 9
  08 05 01 1b 13 cf 00 02 00 03 00 1c 01 20 29 ad 00  // 1-byte IO: DIN4 1, GSM 19, 207 0, DIN1 0, DIN2 0, 28 1, PCB 41 °C, 173 0
  04 1d 31dd 1e 0ebd 16 0000 c5 0000  // 2-byte IO: power 12765 mV, battery 3773 mV, AIN1 0, 197 0
  04 72 00000000 d0 00000000 41 00016a2a 96 0000a5a3  // 4-byte IO: 114 0, 208 0, odometer 92714 m, operator 42403
  00  // 8-byte IO: none
  c9ee  // CRC-16/KERMIT of IMEI .. payload
`);

/** Command 68 extended records, built on the layout of Traccar's extended test frames. */
const EXTENDED = hex(`
  008d  // length 141
  00007048860ddf79  // IMEI 123456789012345
  44  // command 68: extended records
  00 03  // records left 0, 3 records
  6553f100 00 10 00  // time 1700000000, extension 0, record extension 0x10 (1 more record merges in), priority 0
  0f053700 208b4c80  // longitude 25.2, latitude 54.6
  04d2 235a 09 0039 08  // altitude 123.4 m, angle 90.5°, 9 satellites, 57 km/h, HDOP 0.8
  0193  // event id 403 (u16)
  02 0199 01 0002 01  // 1-byte IO (u16 ids): 409 ignition on, 2 DIN1 on
  01 001d 3232  // 2-byte IO: 29 power 12850 mV
  00 00  // no 4- or 8-byte IO
  6553f100 00 11 00  // same time, record extension 0x11: continues the record above
  0f053700 208b4c80 04d2 235a 09 0039 08 0193  // same position and event
  01 019b 01  // 1-byte IO: 411 crash (alarm accident)
  01 001e 1004  // 2-byte IO: 30 battery 4100 mV
  01 0041 0001e240  // 4-byte IO: 65 odometer 123456 m
  01 0022 01d042f31d000030  // 8-byte IO: 34 iButton
  6553f13c 00 00 00  // time 1700000060, a record of its own
  80000000 80000000 04d2 235a 09 0039 08 0000  // no position (i32 minimum), event 0
  00 00 00 01 270f 0000000000000005  // 8-byte IO: 9999 (unknown) = 5
  da91  // CRC
`);

/** Identification (15): Traccar testDecode frame (OBD device, firmware 00.01.08.00). */
const IDENTIFICATION = hex(`
  002e  // length 46
  000315bc70d3e2ff  // IMEI 868324021101311
  0f  // command 15: identification
  4f424431  // model "OBD1" (4 ASCII, inferred)
  30302e30312e30382e3030  // firmware "00.01.08.00" (11 ASCII)
  0000c2b30ea77e43  // IMSI 214074300792387
  0000601b  // operator 24603
  000001f40000003c0014  // settings (kept as hex)
  4aa0  // CRC
`);

/** SMS-via-GPRS reply (7): Traccar testDecode frame. */
const SMS_REPLY = hex(`
  0044  // length 68
  000313612d76c5cb  // IMEI 865733025646027
  07  // command 7: SMS via GPRS response
  44494e313d312c44494e323d302c44494e333d302c44494e343d302c444f5554313d312c444f5554323d312c41494e313d31372c41494e323d3236  // "DIN1=1,...,AIN2=26"
  ac80  // CRC
`);

/** DTCs (9): Traccar's older testDecode DTC frame, with its length field corrected (it said 0x0B). */
const DTCS = hex(`
  0030  // length 48
  00000b1a29f64b1a  // IMEI 012207001062170
  09  // command 9: DTCs
  02  // 2 codes
  ff 4e9caf2c 07d608f1 1a1480ba 01 5030303130  // reserved, time 1318891308, lon 13.1467505, lat 43.755129, live, "P0010"
  ff 4e9caf2c 07d608f1 1a1480ba 02 5030303131  // … archived (2), "P0011"
  8c91  // CRC
`);

const HEARTBEAT = hex('0009 00007048860ddf79 10 fa12'); // length 9, IMEI, command 16, CRC
const FILE_PART_0 = hex(`
  001b 00007048860ddf79 25  // length 27, IMEI, command 37: files
  02 00 3544444131464144  // part of a file, source 0, name "5DDA1FAD"
  0002 0000 ffd8ffe0  // 2 parts, part 0, data
  cc37  // CRC
`);
const FILE_PART_1 = hex('0019 00007048860ddf79 25 02 00 3544444131464144 0002 0001 ffd9 8742');

describe('protocols/ruptela', () => {
  describe('crc', () => {
    it('uses CRC-16/KERMIT (check value of "123456789" is 0x2189)', () => {
      expect(crc16(CRC16.KERMIT)(Buffer.from('123456789'))).toBe(0x2189);
    });
  });

  describe('inspect', () => {
    it('takes the ident from the IMEI of every frame and acks records with 0002 64 01 13BC', () => {
      const r = ruptela.inspect(RECORDS, tcp(), STRICT);
      expect(r).toMatchObject({ ident: '863591024076709', store: true });
      expect(r.reply?.toString('hex')).toBe('0002640113bc');
      expect(ruptela.inspect(EXTENDED, tcp(), STRICT).reply?.toString('hex')).toBe('0002640113bc');
    });
    it('pads the IMEI to 15 digits', () => {
      const frame = Buffer.from(RECORDS);
      frame.writeBigUInt64BE(13227001564487n, 2);
      frame.writeUInt16BE(crc16(CRC16.KERMIT)(frame, 2, frame.length - 2), frame.length - 2);
      expect(ruptela.inspect(frame, tcp(), STRICT).ident).toBe('013227001564487');
    });
    it('stores and acks identification with 115 01, acks heartbeats with 116 01 without storing', () => {
      const id = ruptela.inspect(IDENTIFICATION, tcp(), STRICT);
      expect(id).toMatchObject({ ident: '868324021101311', store: true });
      expect(id.reply?.toString('hex')).toBe('00027301cb25');
      const hb = ruptela.inspect(HEARTBEAT, tcp(), STRICT);
      expect(hb).toMatchObject({ ident: '123456789012345', store: false });
      expect(hb.reply?.toString('hex')).toBe('00027401862d');
    });
    it('acks DTCs with 109 01 (as Traccar: 00026d01c4a4) and stores command replies without an ack', () => {
      expect(ruptela.inspect(DTCS, tcp(), STRICT).reply?.toString('hex')).toBe('00026d01c4a4');
      const sms = ruptela.inspect(SMS_REPLY, tcp(), STRICT);
      expect(sms).toMatchObject({ store: true });
      expect(sms.reply).toBeUndefined();
    });
    it('asks for the next part of a file, and for nothing after the last part', () => {
      expect(ruptela.inspect(FILE_PART_0, tcp(), STRICT).reply?.toString('hex')).toBe('000d89020035444441314641440001bb29');
      const last = ruptela.inspect(FILE_PART_1, tcp(), STRICT);
      expect(last.store).toBe(true);
      expect(last.reply).toBeUndefined();
    });
    it('does not ack or store a frame with a wrong CRC (strict)', () => {
      const bad = Buffer.from(RECORDS);
      bad[bad.length - 1] ^= 0xff;
      const r = ruptela.inspect(bad, tcp(), STRICT);
      expect(r).toMatchObject({ store: false });
      expect(r.reply).toBeUndefined();
      expect(r.error?.code).toBe('checksum');
    });
    it('stores and acks a wrong-CRC frame under the lenient policy, marking its messages', () => {
      const bad = Buffer.from(RECORDS);
      bad[bad.length - 1] ^= 0xff;
      const out = new ConnectionCodec(ruptela, LENIENT).decode(bad);
      expect(out.replies.map((x) => x.toString('hex'))).toEqual(['0002640113bc']);
      expect(out.messages[0]['crc.valid']).toBe(false);
    });
    it('refuses an unknown command type without storing it', () => {
      const frame = hex('0009 00007048860ddf79 63 0000');
      frame.writeUInt16BE(crc16(CRC16.KERMIT)(frame, 2, 11), 11);
      const r = ruptela.inspect(frame, tcp(), STRICT);
      expect(r).toMatchObject({ store: false, ident: '123456789012345' });
      expect(r.error?.code).toBe('unsupported');
    });
  });

  describe('decode', () => {
    it('decodes a command 1 record: position, IO by the table, unknown IO kept', () => {
      const out = ruptela.decode(RECORDS, { transport: 'tcp' });
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          timestamp: 1432734649,
          'priority.enum': 0,
          'position.longitude': 55.3460016,
          'position.latitude': 25.278855,
          'position.altitude': 0,
          'position.direction': 243.2,
          'position.satellites': 6,
          'position.speed': 9,
          'position.hdop': 1.3,
          'position.valid': true,
          'event.enum': 9,
          'din.4': true,
          'gsm.signal.level': 19,
          'obd.fuel.level': 0,
          'din.1': false,
          'din.2': false,
          'io.28': 1,
          'device.temperature': 41,
          'movement.status': false,
          'external.powersource.voltage': 12.765,
          'battery.voltage': 3.773,
          'ain.1': 0,
          'can.engine.rpm': 0,
          'io.114': 0,
          'can.fuel.used': 0,
          'vehicle.mileage': 92.714,
          'gsm.operator.code': 42403,
          din: 8,
          'engine.ignition.status': true, // from DIN4, the ignition input, when no ignition element is sent
        },
      ]);
      expect(sanityProblems(out.messages[0])).toEqual([]);
    });
    it('merges command 68 records by their record extension and reads u16 ids, alarms and 8-byte IO', () => {
      const out = ruptela.decode(EXTENDED, { transport: 'tcp' });
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          timestamp: 1700000000,
          'priority.enum': 0,
          'position.longitude': 25.2,
          'position.latitude': 54.6,
          'position.altitude': 123.4,
          'position.direction': 90.5,
          'position.satellites': 9,
          'position.speed': 57,
          'position.hdop': 0.8,
          'position.valid': true,
          'event.enum': 403,
          'engine.ignition.status': true,
          'din.1': true,
          'external.powersource.voltage': 12.85,
          'crash.status': true,
          'battery.voltage': 4.1,
          'vehicle.mileage': 123.456,
          'ibutton.code': '01d042f31d000030',
          din: 1,
          'alarm.event.trigger': true,
          'alarm.type': 'accident',
        },
        { timestamp: 1700000060, 'priority.enum': 0, 'position.valid': false, 'io.9999': 5 },
      ]);
      for (const m of out.messages) expect(sanityProblems(m)).toEqual([]);
    });
    it('decodes identification into model, firmware, IMSI and operator', () => {
      const [m] = ruptela.decode(IDENTIFICATION, { transport: 'tcp' }).messages;
      expect(m).toEqual({
        'device.model': 'OBD1',
        'firmware.version': '00.01.08.00',
        'gsm.sim.imsi': '214074300792387',
        'gsm.operator.code': 24603,
        'ruptela.identification.extra': '000001f40000003c0014',
      });
    });
    it('turns an SMS-via-GPRS reply into a command reply and a command.response message', () => {
      const out = ruptela.decode(SMS_REPLY, { transport: 'tcp' });
      const text = 'DIN1=1,DIN2=0,DIN3=0,DIN4=0,DOUT1=1,DOUT2=1,AIN1=17,AIN2=26';
      expect(out.commandReplies).toEqual([{ response: text }]);
      expect(out.messages).toEqual([{ 'command.response': text, 'ruptela.command': 7 }]);
    });
    it('decodes DTCs with time, position and the archive flag', () => {
      const out = ruptela.decode(DTCS, { transport: 'tcp' });
      expect(out.errors).toEqual([]);
      expect(out.messages.map((m) => [m['obd.dtc.codes'], m['message.buffered.status']])).toEqual([
        ['P0010', undefined],
        ['P0011', true],
      ]);
      expect(out.messages[0]).toMatchObject({ timestamp: 1318891308, 'position.longitude': 13.1467505, 'position.latitude': 43.755129 });
      for (const m of out.messages) expect(sanityProblems(m)).toEqual([]);
    });
    it('decodes a file part with its name, numbering and data', () => {
      const [m] = ruptela.decode(FILE_PART_0, { transport: 'tcp' }).messages;
      expect(m).toEqual({
        'ruptela.file.subcommand': 2,
        'ruptela.file.source': 0,
        'ruptela.file.name': '5DDA1FAD',
        'ruptela.file.parts': 2,
        'ruptela.file.part': 0,
        'ruptela.file.data': 'ffd8ffe0',
      });
    });
    it('keeps 8-byte values above 2^53 as hex', () => {
      const frame = Buffer.from(EXTENDED);
      frame.write('ffffffffffffff05', frame.length - 10, 'hex');
      frame.writeUInt16BE(crc16(CRC16.KERMIT)(frame, 2, frame.length - 2), frame.length - 2);
      expect(ruptela.decode(frame, { transport: 'tcp' }).messages[1]['io.9999']).toBe('ffffffffffffff05');
    });
    it('turns a truncated frame into a typed error, keeping the records before the cut', () => {
      const cut = Buffer.concat([EXTENDED.subarray(0, 120), hex('0000')]);
      const out = ruptela.decode(cut, { transport: 'tcp', options: LENIENT });
      expect(out.errors.map((e) => e.code)).toContain('truncated');
      expect(out.messages[0]).toMatchObject({ timestamp: 1700000000, 'crc.valid': false });
    });
    it('refuses a wrong CRC unless lenient', () => {
      const bad = Buffer.from(RECORDS);
      bad[20] ^= 1;
      expect(ruptela.decode(bad, { transport: 'tcp', options: STRICT }).errors.map((e) => e.code)).toEqual(['checksum']);
    });
  });

  describe('encoder', () => {
    it('builds every ack from its parts with CRC-16/KERMIT over command .. payload', () => {
      expect(encodePacket(100, Buffer.from([1])).toString('hex')).toBe('0002640113bc');
      expect(encodeAck(1).toString('hex')).toBe('0002640113bc');
      expect(encodeAck(68).toString('hex')).toBe('0002640113bc');
      expect(encodeAck(15).toString('hex')).toBe('00027301cb25');
      expect(encodeAck(16).toString('hex')).toBe('00027401862d');
      expect(encodeAck(9).toString('hex')).toBe('00026d01c4a4');
      expect(encodeAck(36).toString('hex')).toBe('000288015385'); // as Traccar's driver DLT ack
      expect(encodeFilePartRequest(0, Buffer.from('5DDA1FAD'), 1).toString('hex')).toBe('000d89020035444441314641440001bb29');
    });
    const cases: [string, Record<string, unknown>, string][] = [
      ['custom', { text: ' Setio 2,1' }, '000b6c20536574696f20322c31eb3e'],
      ['custom', { hex: '000b890100000000007fffffff89f0' }, '000b890100000000007fffffff89f0'],
      ['engine_stop', {}, '00146c7061737320696d6d6f62696c697a6572203130bc22'],
      ['engine_resume', {}, '00106c70617373207265736574696d6d6f62ee1f'],
      ['request_photo', {}, '000b890100000000007fffffff89f0'],
      ['request_photo', { source: 0, from: 1700000000, to: 1700003600 }, '000b8901006553f1006553ff10793b'],
      ['configuration', { data: 'setcfg 1001 1' }, '001066736574636667203130303120310d0abd48'],
      ['get_version', {}, '00016717b9'],
      ['firmware_update', {}, '000c687c46555f535452542a0d0ab66b'],
      ['output_control', { index: 1, value: 1 }, '0009750000000100000001861b'],
      ['set_connection', { server: 'hub.example.com', port: 5046 }, '0019696875622e6578616d706c652e636f6d2c353034362c5443509a1b'],
      ['set_odometer', { value: 123456 }, '00056a0001e2402fea'],
    ];
    for (const [name, properties, want] of cases) {
      it(`encodes ${name} ${JSON.stringify(properties)} byte for byte`, () => {
        const r = encodeCommand({ name, properties });
        expect(Buffer.isBuffer(r) ? r.toString('hex') : String(r)).toBe(want);
      });
    }
    it('names the bad property or command', () => {
      expect(encodeCommand({ name: 'custom', properties: {} })).toMatchObject({ code: 'command' });
      expect(encodeCommand({ name: 'custom', properties: { text: 'über' } })).toMatchObject({ code: 'command' });
      expect(encodeCommand({ name: 'output_control', properties: { index: 1 } })).toMatchObject({ code: 'command', reason: expect.stringContaining('value') });
      expect(encodeCommand({ name: 'set_connection', properties: { server: 'x', port: 0 } })).toMatchObject({ code: 'command' });
      expect(encodeCommand({ name: 'nope', properties: {} })).toMatchObject({ code: 'command' });
    });
    it('declares the generic device type with its commands', () => {
      expect(ruptela.deviceTypes).toHaveLength(1);
      expect(ruptela.deviceTypes[0]).toMatchObject({ id: 7, name: 'ruptela' });
      expect(ruptela.deviceTypes[0].commands.map((c) => c.name)).toContain('custom');
    });
  });

  describe('framer', () => {
    it('keeps the framer contract for every fixture frame', () => {
      for (const f of [RECORDS, EXTENDED, IDENTIFICATION, SMS_REPLY, DTCS, HEARTBEAT, FILE_PART_0]) assertFramerContract(ruptela, f);
    });
    it('gives the same result however the stream is chunked', () => {
      assertChunkingInvariant(ruptela, Buffer.concat([IDENTIFICATION, RECORDS, HEARTBEAT, EXTENDED, SMS_REPLY, RECORDS]));
    });
    it('refuses a length field above the channel limit, and one too short for a frame', () => {
      const big = ruptela.frame(hex('fff0 0000'), tcp(), { crc: 'strict', maxFrameSize: 1024 });
      expect(big).toMatchObject({ type: 'error', consumed: 0 });
      if (big.type === 'error') expect(big.error.code).toBe('oversize');
      const small = ruptela.frame(hex('0003 000000'), tcp(), STRICT);
      if (small.type === 'error') expect(small.error.code).toBe('malformed');
      expect(small).toMatchObject({ type: 'error', consumed: 0 });
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input (fast-check)', () => {
      expect(fuzzCodec(ruptela, [RECORDS, EXTENDED, IDENTIFICATION, DTCS, SMS_REPLY, FILE_PART_0], 2000, 'tcp', IDENTIFICATION)).toBe(2000);
    });
  });

  /** Traccar attribute → our parameter, where the meaning is the same. */
  const ATTRIBUTES: AttributeMap = {
    driverUniqueId: { name: 'ibutton.code' },
    ignition: { name: 'engine.ignition.status' },
    power: { name: 'external.powersource.voltage' },
    battery: { name: 'battery.voltage' },
    sat: { name: 'position.satellites' },
    hdop: { name: 'position.hdop' },
    event: { name: 'event.enum' },
    motion: { name: 'movement.status' },
    operator: { name: 'gsm.operator.code' },
    deviceTemp: { name: 'device.temperature' },
    result: { name: 'command.response' },
    odometer: { name: 'vehicle.mileage', convert: (km) => (typeof km === 'number' ? Math.round(km * 1000) : km) },
  };

  const corpus = loadCorpus('ruptela.json');
  describe.runIf(corpus)('conformance corpus', () => {
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(ruptela, corpus!, ATTRIBUTES);
      const rate = reportPassRate('ruptela', results);
      expect(rate).toBeGreaterThanOrEqual(0.95);
    });
    it('cuts the corpus framer vectors', () => {
      for (const e of corpus!.filter((x) => x.kind === 'frameDecoder')) {
        const r = ruptela.frame(Buffer.from(e.frame, 'hex'), tcp(), STRICT);
        expect(r.type === 'frame' && r.frame.toString('hex')).toBe(e.expect.frames![0]);
      }
    });
    it('cuts every corpus frame whose length field is right, whole', () => {
      for (const e of corpus!.filter((x) => x.kind === 'decode')) {
        const bytes = Buffer.from(e.frame, 'hex');
        if (bytes.readUInt16BE(0) + 4 !== bytes.length) continue; // one Traccar frame has a wrong length field
        const r = ruptela.frame(bytes, tcp(), STRICT);
        expect(r.type === 'frame' && r.consumed).toBe(bytes.length);
      }
    });
    it('encodes the corpus commands byte for byte', () => {
      const vectors = corpus!.filter((x) => x.kind === 'encode');
      expect(vectors.length).toBeGreaterThan(0);
      for (const e of vectors) {
        const data = String(e.expect.command!.attributes!.data);
        const cmd = /^([0-9A-Fa-f]{2})+$/.test(data) ? { name: 'custom', properties: { hex: data } } : { name: 'custom', properties: { text: data } };
        const bytes = encodeCommand(cmd) as Buffer;
        expect(bytes.toString('hex')).toBe(e.frame);
      }
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});
