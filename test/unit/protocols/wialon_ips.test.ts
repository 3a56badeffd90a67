import { describe, expect, it } from 'vitest';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import { CRC16, crc16 } from '../../../protocols/common/crc.js';
import type { CodecOptions, SessionState } from '../../../protocols/common/types.js';
import { decode } from '../../../protocols/wialon_ips/decoder.js';
import { encodeAnswer, encodeCommand, encodeDriverMessage } from '../../../protocols/wialon_ips/encoder.js';
import { wialonIps } from '../../../protocols/wialon_ips/index.js';
import { lookupParam } from '../../../protocols/wialon_ips/params.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { type AttributeMap, loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';
import { hexFixture } from '../../helpers/hex.js';

const hex = hexFixture;
const STRICT: CodecOptions = { crc: 'strict', maxFrameSize: 4096 };
const LENIENT: CodecOptions = { crc: 'lenient', maxFrameSize: 4096 };
const IMEI = '356307042441013';
const tcp = (vars: SessionState['vars'] = {}, ident: string | null = IMEI): SessionState => ({ transport: 'tcp', ident: ident ?? undefined, vars });
const V1 = { version: '1.1' };
const V2 = { version: '2.0' };
const text = (b: Buffer | undefined): string | undefined => b?.toString('utf8');
/** A device line as text, for the many small cases where field-by-field hex would hide the point. */
const line = (s: string): Buffer => Buffer.from(`${s}\r\n`, 'utf8');

// Named fixtures: the bytes on the wire, one field group per line.
const LOGIN_V1 = hex(`
  234c23  // type L: login (spec 1.1 "Login packet")
  3335363330373034323434313031333b  // imei
  4e41  // password: none
  0d0a  // end of packet
`);
const LOGIN_V2 = hex(`
  234c23  // type L: login (spec 2.0 "Login packet")
  322e303b  // protocol version
  3335363330373034323434313031333b  // imei
  4e413b  // password: none
  43463241  // crc16: CRC-16/ARC of "2.0;356307042441013;NA;"
  0d0a  // end of packet
`);
const SD_V2 = hex(`
  23534423  // type SD: short data (Traccar WialonProtocolDecoderTest)
  3330303932343b3135343234353b  // date 30.09.24, time 15:42:45 UTC
  353535342e3335303035323b4e3b  // latitude 55°54.350052' N
  333634342e3637303431303b453b  // longitude 36°44.670410' E
  322e39323b4e413b4e413b  // speed 2.92 km/h, course NA, height NA
  4e413b  // sats NA
  37413031  // crc16
  0d0a  // end of packet
`);
const D_V1 = hex(`
  234423  // type D: extended data (spec 1.1 "Data packet" example, Traccar test)
  3237303431333b3230353630313b  // date 27.04.13, time 20:56:01 UTC
  353534342e363032353b4e3b  // latitude 55°44.6025' N
  30333733392e363833343b453b  // longitude 37°39.6834' E
  313b323b333b  // speed 1 km/h, course 2°, height 3 m
  343b  // sats 4
  302e303b  // hdop 0.0
  303b303b  // inputs 0, outputs 0
  31342e37372c302e30322c332e363b  // adc 1-3 (V)
  4e413b  // ibutton NA
  636f756e74313a313a3536342c  // param count1, type 1 (int) = 564
  6675656c3a323a34352e382c  // param fuel, type 2 (double) = 45.8
  68773a333a56342e35  // param hw, type 3 (string) = V4.5
  0d0a  // end of packet
`);
const D_V2 = hex(`
  234423  // type D, 2.0 (Traccar WialonProtocolDecoderTest)
  3132303331393b3131323030333b  // date 12.03.19, time 11:20:03 UTC
  4e413b4e413b4e413b4e413b  // no coordinates
  302e3030303b4e413b4e413b  // speed 0, course NA, height NA
  303b  // sats 0
  4e413b4e413b4e413b4e413b4e413b  // hdop, inputs, outputs, adc, ibutton: NA
  3130315f3532313334373a313a3532313234362c3130315f3135383a313a3531302c  // params (int) 101_521347, 101_158
  3130315f3532313035353a313a3531302c3130315f3532313035355f322e393a313a3530392c  // params (int) 101_521055, 101_521055_2.9
  3130315f3532313035363a313a333b  // param (int) 101_521056
  36323642  // crc16
  0d0a  // end of packet
`);
const B_V2 = hex(`
  234223  // type B: black box, 2.0 (spec "Blackbox packet")
  3237303431333b3230353630313b353534342e363032353b4e3b30333733392e363833343b453b313b323b333b347c  // record 1 (SD form)
  3237303431333b3230353730313b353534342e363033303b533b30333733392e363834303b573b353b39303b3132303b377c  // record 2 (SD form), southern/western
  32303334  // crc16 over both records and their "|"
  0d0a  // end of packet
`);
const UDP_D_V2 = hex(`
  322e303b3939393939393939  // UDP identity: version;imei (spec 2.0 "UDP data transfer", Traccar test)
  234423  // type D
  3130313131383b3036313134333b  // date 10.11.18, time 06:11:43 UTC
  303735362e303933303b4e3b31323333382e363430333b453b  // latitude 7°56.0930' N, longitude 123°38.6403' E
  31382e3232333b39392e3736363b2d342e3030303b  // speed km/h, course, height (m, negative)
  31303b302e3830303b  // sats 10, hdop 0.8
  4e413b4e413b4e413b4e413b  // inputs, outputs, adc, ibutton
  3130315f3532313334373a313a3532313234392c3130315f3532313132363a313a363539333539382c  // params (int)
  3130315f3532313132373a313a3737343738302c3130315f3532313037325f32312e313a313a302c3130315f3532313037325f32312e323a313a37313335333b  // params (int)
  46323441  // crc16
`);
const PING = hex(`
  235023  // type P: ping (spec "Ping packet")
  0d0a  // end of packet
`);
const MESSAGE_V1 = hex(`
  234d23  // type M: message from the driver (spec "Message to driver")
  48656c6c6f  // text
  0d0a  // end of packet
`);
const MESSAGE_V2 = hex(`
  234d23  // type M, 2.0
  48656c6c6f3b  // text
  45454632  // crc16 of "Hello;"
  0d0a  // end of packet
`);

const TCP_FIXTURES = { LOGIN_V1, LOGIN_V2, SD_V2, D_V1, D_V2, B_V2, PING, MESSAGE_V1, MESSAGE_V2 };

describe('protocols/wialon_ips', () => {
  describe('crc', () => {
    it('uses CRC-16/ARC over the text after the type marker through the last ";" (2.0 appendix)', () => {
      const arc = crc16(CRC16.ARC);
      expect(arc(Buffer.from('123456789'))).toBe(0xbb3d);
      expect(arc(Buffer.from('300924;154245;5554.350052;N;3644.670410;E;2.92;NA;NA;NA;'))).toBe(0x7a01);
    });
  });

  describe('framer', () => {
    it('keeps the framer contract for every fixture line', () => {
      for (const [name, f] of Object.entries(TCP_FIXTURES)) {
        expect(() => assertFramerContract(wialonIps, f), name).not.toThrow();
      }
    });
    it('cuts a line without its CR LF and consumes the line end', () => {
      const r = wialonIps.frame(Buffer.concat([PING, D_V1]), tcp(), STRICT);
      expect(r).toMatchObject({ type: 'frame', consumed: PING.length });
      if (r.type === 'frame') expect(r.frame.toString()).toBe('#P#');
    });
    it('consumes empty lines with the next frame and accepts a bare LF', () => {
      const r = wialonIps.frame(Buffer.from('\r\n\r\n#P#\n#P#'), tcp(), STRICT);
      expect(r).toMatchObject({ type: 'frame', consumed: 8 });
      if (r.type === 'frame') expect(r.frame.toString()).toBe('#P#');
      expect(wialonIps.frame(Buffer.from('\r\n'), tcp(), STRICT)).toEqual({ type: 'more' });
    });
    it('skips a line without a # marker (resync at the next line)', () => {
      const r = wialonIps.frame(Buffer.from('garbage\r\n#P#\r\n'), tcp(), STRICT);
      expect(r).toMatchObject({ type: 'error', consumed: 9 });
      if (r.type === 'error') expect(r.error.code).toBe('malformed');
    });
    it('skips a line over the frame limit, and gives up on a stream with no line end within it', () => {
      const opts = { crc: 'strict', maxFrameSize: 16 } as const;
      const long = wialonIps.frame(Buffer.from(`#D#${'1'.repeat(20)}\r\n#P#\r\n`), tcp(), opts);
      expect(long).toMatchObject({ type: 'error', consumed: 25 });
      if (long.type === 'error') expect(long.error.code).toBe('oversize');
      const endless = wialonIps.frame(Buffer.alloc(64, 0x41), tcp(), opts);
      expect(endless).toMatchObject({ type: 'error', consumed: 0 });
    });
    it('returns a UDP datagram whole', () => {
      const r = wialonIps.frame(UDP_D_V2, { transport: 'udp', vars: {} }, STRICT);
      expect(r).toMatchObject({ type: 'frame', consumed: UDP_D_V2.length });
    });
    it('gives the same result however the stream is chunked', () => {
      assertChunkingInvariant(wialonIps, Buffer.concat([LOGIN_V2, SD_V2, D_V2, PING, B_V2, MESSAGE_V2, Buffer.from('junk\r\n'), D_V2]));
    });
  });

  describe('inspect', () => {
    it('accepts a 1.1 login with #AL#1, binds the ident and remembers version 1.1', () => {
      const r = wialonIps.inspect(LOGIN_V1, tcp({}, null), STRICT);
      expect(r).toMatchObject({ ident: IMEI, store: false, vars: { version: '1.1' } });
      expect(text(r.reply)).toBe('#AL#1\r\n');
    });
    it('accepts a 2.0 login with #AL#1 and remembers version 2.0 (passwords are not checked)', () => {
      const r = wialonIps.inspect(LOGIN_V2, tcp({}, null), STRICT);
      expect(r).toMatchObject({ ident: IMEI, store: false, vars: { version: '2.0' } });
      expect(text(r.reply)).toBe('#AL#1\r\n');
      expect(r.error).toBeUndefined();
    });
    it('answers a 2.0 login with a wrong CRC #AL#10 under the strict policy, without binding', () => {
      const bad = line('#L#2.0;42001300083;;CE45'); // Traccar's sample: its CRC does not verify
      const strict = wialonIps.inspect(bad, tcp({}, null), STRICT);
      expect(strict.ident).toBeUndefined();
      expect(text(strict.reply)).toBe('#AL#10\r\n');
      expect(strict.error?.code).toBe('checksum');
      const lenient = wialonIps.inspect(bad, tcp({}, null), LENIENT);
      expect(lenient).toMatchObject({ ident: '42001300083', vars: { version: '2.0' } });
      expect(text(lenient.reply)).toBe('#AL#1\r\n');
    });
    it('refuses a login with an unusable identity with #AL#0 and closes', () => {
      const r = wialonIps.inspect(line('#L#;NA'), tcp({}, null), STRICT);
      expect(text(r.reply)).toBe('#AL#0\r\n');
      expect(r.close).toBe(true);
    });
    it("answers SD with #ASD#1 (the spec's answer for SD; Traccar sends #AD#) and D with #AD#1, storing both", () => {
      const sd = wialonIps.inspect(SD_V2, tcp(V2), STRICT);
      expect(sd.store).toBe(true);
      expect(text(sd.reply)).toBe('#ASD#1\r\n');
      const d = wialonIps.inspect(D_V1, tcp(V1), STRICT);
      expect(d.store).toBe(true);
      expect(text(d.reply)).toBe('#AD#1\r\n');
    });
    it('does not store or ack-OK a 2.0 packet with a wrong CRC (strict): #AD#16, #ASD#13, #AB#, #AM#01', () => {
      const cases: [Buffer, string][] = [
        [line('#D#120319;112003;NA;NA;NA;NA;0.000;NA;NA;0;NA;NA;NA;NA;NA;NA;0000'), '#AD#16\r\n'],
        [line('#SD#300924;154245;5554.350052;N;3644.670410;E;2.92;NA;NA;NA;7A02'), '#ASD#13\r\n'],
        [line('#B#270413;205601;5544.6025;N;03739.6834;E;1;2;3;4|FFFF'), '#AB#\r\n'],
        [line('#M#Hello;0000'), '#AM#01\r\n'],
      ];
      for (const [frame, reply] of cases) {
        const r = wialonIps.inspect(frame, tcp(V2), STRICT);
        expect(r.store, reply).toBe(false);
        expect(text(r.reply)).toBe(reply);
        expect(r.error?.code).toBe('checksum');
      }
    });
    it('stores and acks a wrong-CRC packet under the lenient policy, marking its messages crc.valid=false', () => {
      const c = new ConnectionCodec(wialonIps, LENIENT);
      c.decode(LOGIN_V2);
      const out = c.decode(line('#D#120319;112003;NA;NA;NA;NA;0.000;NA;NA;0;NA;NA;NA;NA;NA;NA;0000'));
      expect(out.replies.map(text)).toEqual(['#AD#1\r\n']);
      expect(out.messages).toHaveLength(1);
      expect(out.messages[0]['crc.valid']).toBe(false);
    });
    it('answers each bad field group with the spec code and does not store the packet', () => {
      const good = ['270413', '205601', '5544.6025', 'N', '03739.6834', 'E', '1', '2', '3', '4', '0.0', '0', '0', '14.77', 'NA', 'a:1:1'];
      const cases: [number, string, string][] = [
        [-1, '', '-1'], // one field missing: structure
        [1, '256001', '0'], // hour 25: incorrect time
        [0, '310213', '0'], // 31 February
        [3, 'X', '10'], // hemisphere
        [2, '9544.6025', '10'], // 95° latitude
        [7, 'fast', '11'],
        [9, '4.5', '12'],
        [10, '-1', '12'],
        [11, '0x1F', '13'],
        [13, '1.0,abc', '14'],
        [15, 'a:4:1', '15'],
        [15, 'a:1:one', '15'],
      ];
      for (const [index, value, code] of cases) {
        const fields = [...good];
        if (index < 0) fields.pop();
        else fields[index] = value;
        const r = wialonIps.inspect(line(`#D#${fields.join(';')}`), tcp(V1), STRICT);
        expect(text(r.reply), `${index}=${value}`).toBe(`#AD#${code}\r\n`);
        expect(r.store).toBe(false);
        expect(r.error?.code).toBe('malformed');
      }
      const sd = wialonIps.inspect(line('#SD#270413;205601;5544.6025;N;03739.6834;E;1;2;3'), tcp(V1), STRICT);
      expect(text(sd.reply)).toBe('#ASD#-1\r\n');
    });
    it('accepts NA and empty fields as absent values (no time: the server time applies)', () => {
      const r = wialonIps.inspect(line('#D#NA;NA;NA;NA;NA;NA;NA;;NA;NA;NA;NA;NA;;NA;NA'), tcp(V1), STRICT);
      expect(text(r.reply)).toBe('#AD#1\r\n');
    });
    it('answers a black box with the number of records accepted, bad records not counted', () => {
      const r = wialonIps.inspect(B_V2, tcp(V2), STRICT);
      expect(r.store).toBe(true);
      expect(text(r.reply)).toBe('#AB#2\r\n');
      const mixed = wialonIps.inspect(line('#B#270413;205601;5544.6025;N;03739.6834;E;1;2;3;4|bad;record'), tcp(V1), STRICT);
      expect(text(mixed.reply)).toBe('#AB#1\r\n');
      expect(mixed.store).toBe(true);
      expect(mixed.error?.code).toBe('malformed');
      const none = wialonIps.inspect(line('#B#bad'), tcp(V1), STRICT);
      expect(text(none.reply)).toBe('#AB#0\r\n');
      expect(none.store).toBe(false);
    });
    it('answers a ping with #AP# and a driver message with #AM#1 (stored)', () => {
      const ping = wialonIps.inspect(PING, tcp(), STRICT);
      expect(ping.store).toBe(false);
      expect(text(ping.reply)).toBe('#AP#\r\n');
      const m1 = wialonIps.inspect(MESSAGE_V1, tcp(V1), STRICT);
      expect(m1.store).toBe(true);
      expect(text(m1.reply)).toBe('#AM#1\r\n');
      expect(text(wialonIps.inspect(MESSAGE_V2, tcp(V2), STRICT).reply)).toBe('#AM#1\r\n');
    });
    it('refuses data before the login (no store, no ack) and closes a TCP connection', () => {
      const r = wialonIps.inspect(D_V1, tcp({}, null), STRICT);
      expect(r).toMatchObject({ store: false, close: true });
      expect(r.reply).toBeUndefined();
      expect(r.error?.code).toBe('unidentified');
    });
    it('takes the identity and version from the UDP prefix', () => {
      const r = wialonIps.inspect(UDP_D_V2, { transport: 'udp', vars: {} }, STRICT);
      expect(r).toMatchObject({ ident: '99999999', store: true });
      expect(text(r.reply)).toBe('#AD#1\r\n');
      const v1 = wialonIps.inspect(line('99999999#SD#270413;205601;5544.6025;N;03739.6834;E;1;2;3;4'), { transport: 'udp', vars: {} }, STRICT);
      expect(v1).toMatchObject({ ident: '99999999', store: true });
      const ping = wialonIps.inspect(Buffer.from('2.0;99999999#P#'), { transport: 'udp', vars: {} }, STRICT);
      expect(ping).toMatchObject({ ident: '99999999', store: false });
      expect(text(ping.reply)).toBe('#AP#\r\n');
      const badIdent = wialonIps.inspect(line('a/b#SD#NA;NA;NA;NA;NA;NA;NA;NA;NA;NA'), { transport: 'udp', vars: {} }, STRICT);
      expect(badIdent.store).toBe(false);
    });
    it('refuses packet types it does not handle, and lines that are not #TYPE#', () => {
      expect(wialonIps.inspect(line('#I#100;1;1;NA;NA;photo.jpg'), tcp(), STRICT).error?.code).toBe('unsupported');
      expect(wialonIps.inspect(Buffer.from('no marker'), tcp(), STRICT).error?.code).toBe('malformed');
    });
  });

  describe('decode', () => {
    it('decodes a 2.0 SD packet: time, coordinates, speed; NA fields absent', () => {
      const out = decode(SD_V2, { transport: 'tcp', vars: V2 });
      expect(out.errors).toEqual([]);
      expect(out.messages).toHaveLength(1);
      const [m] = out.messages;
      expect(m).toEqual({
        timestamp: Date.UTC(2024, 8, 30, 15, 42, 45) / 1000,
        'position.latitude': 55 + 54.350052 / 60,
        'position.longitude': 36 + 44.67041 / 60,
        'position.speed': 2.92,
      });
      expect(sanityProblems(m, Date.UTC(2025, 0, 1) / 1000)).toEqual([]);
    });
    it('decodes a 1.1 D packet: every field group and the params by the table', () => {
      const [m] = decode(D_V1, { transport: 'tcp', vars: V1 }).messages;
      expect(m).toEqual({
        timestamp: Date.UTC(2013, 3, 27, 20, 56, 1) / 1000,
        'position.latitude': 55 + 44.6025 / 60,
        'position.longitude': 37 + 39.6834 / 60,
        'position.speed': 1,
        'position.direction': 2,
        'position.altitude': 3,
        'position.satellites': 4,
        'position.valid': true,
        'position.hdop': 0,
        din: 0,
        dout: 0,
        'ain.1': 14.77,
        'ain.2': 0.02,
        'ain.3': 3.6,
        'wialon_ips.count1': 564,
        'wialon_ips.fuel': 45.8,
        'hardware.version': 'V4.5',
      });
      expect(Math.abs((m['position.latitude'] as number) - 55.74338)).toBeLessThanOrEqual(1e-5); // Traccar's expected value
      expect(sanityProblems(m)).toEqual([]);
    });
    it('decodes a 2.0 D packet after checking its CRC; unknown params keep their names', () => {
      const out = decode(D_V2, { transport: 'tcp', vars: V2, options: STRICT });
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          timestamp: Date.UTC(2019, 2, 12, 11, 20, 3) / 1000,
          'position.speed': 0,
          'position.satellites': 0,
          'wialon_ips.101_521347': 521246,
          'wialon_ips.101_158': 510,
          'wialon_ips.101_521055': 510,
          'wialon_ips.101_521055_2.9': 509,
          'wialon_ips.101_521056': 3,
        },
      ]);
    });
    it('decodes a black box into one message per record, each marked buffered', () => {
      const out = decode(B_V2, { transport: 'tcp', vars: V2, options: STRICT });
      expect(out.errors).toEqual([]);
      expect(out.messages).toHaveLength(2);
      expect(out.messages.every((m) => m['message.buffered.status'] === true)).toBe(true);
      expect(out.messages[1]).toMatchObject({
        timestamp: Date.UTC(2013, 3, 27, 20, 57, 1) / 1000,
        'position.latitude': -(55 + 44.603 / 60),
        'position.longitude': -(37 + 39.684 / 60),
        'position.speed': 5,
        'position.direction': 90,
        'position.altitude': 120,
        'position.satellites': 7,
        'position.valid': true,
      });
      for (const m of out.messages) expect(sanityProblems(m)).toEqual([]);
    });
    it('keeps the good records of a black box and reports the bad ones', () => {
      const out = decode(line('#B#270413;205601;5544.6025;N;03739.6834;E;1;2;3;4|bad;record|'), { transport: 'tcp', vars: V1 });
      expect(out.messages).toHaveLength(1);
      expect(out.errors.map((e) => e.code)).toEqual(['malformed']);
    });
    it('stores a driver message as driver.message (1.1 and 2.0)', () => {
      expect(decode(MESSAGE_V1, { transport: 'tcp', vars: V1 }).messages).toEqual([{ 'driver.message': 'Hello' }]);
      expect(decode(MESSAGE_V2, { transport: 'tcp', vars: V2, options: STRICT }).messages).toEqual([{ 'driver.message': 'Hello' }]);
    });
    it('decodes a UDP datagram with the version and identity in front', () => {
      const [m] = decode(UDP_D_V2, { transport: 'udp', options: STRICT }).messages;
      expect(m).toMatchObject({
        'position.latitude': 7 + 56.093 / 60,
        'position.longitude': 123 + 38.6403 / 60,
        'position.altitude': -4,
        'position.hdop': 0.8,
        'position.valid': true,
      });
      expect(sanityProblems(m)).toEqual([]);
    });
    it('refuses a wrong CRC under the strict policy and marks it under the lenient one', () => {
      const bad = line('#D#120319;112003;NA;NA;NA;NA;0.000;NA;NA;0;NA;NA;NA;NA;NA;NA;0000');
      const strict = decode(bad, { transport: 'tcp', vars: V2, options: STRICT });
      expect(strict.messages).toEqual([]);
      expect(strict.errors.map((e) => e.code)).toEqual(['checksum']);
      const lenient = decode(bad, { transport: 'tcp', vars: V2, options: LENIENT });
      expect(lenient.messages[0]['crc.valid']).toBe(false);
    });
    it('maps well-known params and keeps every other one without loss', () => {
      const params = [
        'pwr_ext:2:12.8',
        'pwr_int:2:4.1',
        'bat:3:99',
        'gsm:1:4',
        'mcc1:1:250',
        'mnc1:1:02',
        'lac1:1:5901',
        'cell_id1:1:45542',
        'mcc2:1:222',
        'odometer:2:1234.5',
        'temp:3:18',
        'temp2:2:-5.5',
        'temp1:2:20',
        'SOS:1:1',
        'ign:1:1',
        'fw:3:1.2.3',
        'can.engine.rpm:1:900',
        'position.speed:1:5',
        'ident:3:x',
        'Батарея:3:100 %',
        'name with space:3:a,b',
        'bat:3:n/a',
      ];
      const [m] = decode(line(`#D#NA;NA;NA;NA;NA;NA;7;NA;NA;NA;NA;NA;NA;;NA;${params.join(',')}`), { transport: 'tcp', vars: V1 }).messages;
      expect(m).toEqual({
        'position.speed': 7,
        'external.powersource.voltage': 12.8,
        'battery.voltage': 4.1,
        'battery.level': 99,
        'gsm.signal.level': 4,
        'gsm.mcc': 250,
        'gsm.mnc': 2,
        'gsm.lac': 5901,
        'gsm.cellid': 45542,
        'gsm.mcc.2': 222,
        'vehicle.mileage': 1234.5,
        'sensor.temperature.1': 18,
        'sensor.temperature.2': -5.5,
        'wialon_ips.temp1': 20,
        'alarm.event.trigger': true,
        'alarm.type': 'sos',
        'engine.ignition.status': true,
        'firmware.version': '1.2.3',
        'can.engine.rpm': 900,
        'wialon_ips.position.speed': 5,
        'wialon_ips.ident': 'x',
        'wialon_ips.батарея': '100 %',
        'wialon_ips.name_with_space': 'a,b',
        'wialon_ips.bat': 'n/a',
      });
    });
    it('looks names up exactly first, then by family with the number', () => {
      expect(lookupParam('cell_id3')).toEqual({ name: 'gsm.cellid.3', kind: 'number' });
      expect(lookupParam('temp')).toEqual({ name: 'sensor.temperature.1', kind: 'number' });
      expect(lookupParam('fuel')).toBeUndefined();
    });
    it('turns garbage into typed errors, never an exception', () => {
      for (const junk of ['', '#', '##', '#D#', '#B#|||', '#M#', '2.0;#D#;', '#SD#a;b']) {
        const out = decode(Buffer.from(junk), { transport: 'tcp', vars: V2, options: STRICT });
        expect(out.messages).toEqual([]);
        for (const e of out.errors) expect(e.toString()).toMatch(/^[a-z]+( at byte \d+)?: .+/);
      }
    });
  });

  describe('encoder', () => {
    it('builds every answer byte for byte', () => {
      expect(text(encodeAnswer('AL', '1'))).toBe('#AL#1\r\n');
      expect(text(encodeAnswer('AL', '0'))).toBe('#AL#0\r\n');
      expect(text(encodeAnswer('AL', '10'))).toBe('#AL#10\r\n');
      expect(text(encodeAnswer('ASD', '1'))).toBe('#ASD#1\r\n');
      expect(text(encodeAnswer('AD', '-1'))).toBe('#AD#-1\r\n');
      expect(text(encodeAnswer('AD', '16'))).toBe('#AD#16\r\n');
      expect(text(encodeAnswer('AB', '2'))).toBe('#AB#2\r\n');
      expect(text(encodeAnswer('AB'))).toBe('#AB#\r\n');
      expect(text(encodeAnswer('AP'))).toBe('#AP#\r\n');
      expect(text(encodeAnswer('AM', '1'))).toBe('#AM#1\r\n');
      expect(encodeAnswer('AD', '1').toString('hex')).toBe('23414423310d0a');
    });
    it('encodes a driver message without CRC for 1.1 and with CRC-16/ARC for 2.0', () => {
      expect(text(encodeDriverMessage('Hello', false))).toBe('#M#Hello\r\n');
      expect(text(encodeDriverMessage('Hello', true))).toBe('#M#Hello;EEF2\r\n');
      const v2 = encodeCommand({ name: 'message', properties: { text: 'Return to base' } }, { transport: 'tcp', vars: V2 });
      expect(text(v2 as Buffer)).toBe('#M#Return to base;B1F2\r\n');
      const v1 = encodeCommand({ name: 'message', properties: { text: 'Return to base' } }, { transport: 'tcp', vars: V1 });
      expect(text(v1 as Buffer)).toBe('#M#Return to base\r\n');
    });
    it('sends custom text as a line and custom hex as is', () => {
      const state = { transport: 'tcp', vars: {} } as const;
      expect(text(encodeCommand({ name: 'custom', properties: { text: '#M#hi' } }, state) as Buffer)).toBe('#M#hi\r\n');
      expect(text(encodeCommand({ name: 'custom', properties: { text: '#M#hi\r\n' } }, state) as Buffer)).toBe('#M#hi\r\n');
      expect((encodeCommand({ name: 'custom', properties: { hex: '2350230d0a' } }, state) as Buffer).toString('hex')).toBe('2350230d0a');
    });
    it('names the bad property, and refuses UDP and unknown commands', () => {
      const state = { transport: 'tcp', vars: {} } as const;
      expect(encodeCommand({ name: 'custom', properties: {} }, state)).toMatchObject({ code: 'command' });
      expect(encodeCommand({ name: 'custom', properties: { hex: 'xyz' } }, state)).toMatchObject({ code: 'command' });
      expect(encodeCommand({ name: 'message', properties: { text: 'a\r\nb' } }, state)).toMatchObject({ code: 'command' });
      expect(encodeCommand({ name: 'message', properties: { text: 'hi' } }, { transport: 'udp', vars: {} })).toMatchObject({ code: 'command' });
      expect(encodeCommand({ name: 'engine_stop', properties: {} }, state)).toMatchObject({ code: 'command' });
    });
  });

  describe('device types', () => {
    it('has the generic device type with custom and message, and no settings', () => {
      expect(wialonIps.deviceTypes).toHaveLength(1);
      const [t] = wialonIps.deviceTypes;
      expect(t).toMatchObject({ id: 8, name: 'wialon_ips', settings: [] });
      expect(t.commands.map((c) => c.name)).toEqual(['custom', 'message']);
      expect(wialonIps).toMatchObject({ id: 8, name: 'wialon_ips', transports: ['tcp', 'udp'] });
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input over TCP (fast-check)', () => {
      expect(fuzzCodec(wialonIps, Object.values(TCP_FIXTURES), 2000, 'tcp', LOGIN_V2)).toBe(2000);
    });
    it('survives random and mutated input over UDP (fast-check)', () => {
      expect(fuzzCodec(wialonIps, [UDP_D_V2, line('99999999#B#270413;205601;5544.6025;N;03739.6834;E;1;2;3;4')], 500, 'udp')).toBe(500);
    });
  });

  const corpus = loadCorpus('wialon.json');
  /** Traccar attribute names in the corpus → ours (values need no conversion). */
  const ATTRIBUTES: AttributeMap = {
    deviceTemp: { name: 'sensor.temperature.1' },
    batteryLevel: { name: 'battery.level' },
    battery: { name: 'battery.voltage' },
    power: { name: 'external.powersource.voltage' },
    hdop: { name: 'position.hdop' },
    sat: { name: 'position.satellites' },
    input: { name: 'din' },
    output: { name: 'dout' },
    ignition: { name: 'engine.ignition.status' },
    driverUniqueId: { name: 'ibutton.code' },
    archive: { name: 'message.buffered.status' },
    result: { name: 'driver.message' },
  };
  describe.runIf(corpus)('conformance corpus', () => {
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(wialonIps, corpus!, ATTRIBUTES);
      const rate = reportPassRate('wialon_ips', results);
      expect(rate).toBeGreaterThanOrEqual(0.95);
    });
    it('cuts the corpus framer vectors (the file has none; each line is cut back whole)', () => {
      for (const e of corpus!.filter((x) => x.kind === 'frameDecoder')) {
        const r = wialonIps.frame(Buffer.from(e.frame, 'hex'), { transport: 'tcp', vars: {} }, STRICT);
        expect(r.type === 'frame' && r.frame.toString('hex')).toBe(e.expect.frames![0]);
      }
      for (const e of corpus!.filter((x) => x.kind === 'decode')) {
        const bytes = Buffer.from(`${e.frame}\r\n`, 'utf8');
        const r = wialonIps.frame(bytes, { transport: 'tcp', vars: {} }, { crc: 'strict', maxFrameSize: 65536 });
        expect(r.type === 'frame' && r.frame.toString('utf8')).toBe(e.frame);
      }
    });
    it('encodes the corpus commands byte for byte (the file has none)', () => {
      for (const e of corpus!.filter((x) => x.kind === 'encode')) {
        const data = String(e.expect.command!.attributes!.data);
        const bytes = encodeCommand({ name: 'custom', properties: { text: data } }, { transport: 'tcp', vars: {}, ident: '123456789012345' }) as Buffer;
        expect(bytes.toString('latin1').startsWith(e.frame)).toBe(true);
      }
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});
