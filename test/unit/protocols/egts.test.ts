import { describe, expect, it } from 'vitest';
import { identify } from '../../../bin/commands/identify.js';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import { CRC8, CRC16, crc8, crc16 } from '../../../protocols/common/crc.js';
import type { CodecOptions, CommandRequest, DecodeContext, SessionState } from '../../../protocols/common/types.js';
import { commandConfirmation, loginPacket, reportPacket, simEgtsFix, simulator } from '../../../protocols/egts/device.js';
import { parseSettings } from '../../../protocols/egts/device-types.js';
import { correlate, encodeCommand } from '../../../protocols/egts/encoder.js';
import { egts } from '../../../protocols/egts/index.js';
import { assertChunkingInvariant, assertFramerContract, fuzzCodec } from '../../helpers/codec-contract.js';
import { entryBytes, loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';
import { hexFixture } from '../../helpers/hex.js';

const hex = hexFixture;
const STRICT: CodecOptions = { crc: 'strict', maxFrameSize: 65536 };
const LENIENT: CodecOptions = { crc: 'lenient', maxFrameSize: 65536 };
const session = (ident?: string, vars: SessionState['vars'] = {}): SessionState => ({ transport: 'tcp', vars, ...(ident ? { ident } : {}) });
const ctx = (vars: DecodeContext['vars'] = { by: 'terminal' }, options: CodecOptions = STRICT): DecodeContext => ({ transport: 'tcp', vars, options });
const hcs = crc8(CRC8.NRSC5);
const sfrcs = crc16(CRC16.CCITT_FALSE);

/**
 * Independent packet builder for expected bytes (GOST 33465-2015 §5.6.1): PRV 01, SKID 0, flags 0,
 * HL 11, HE 0, FDL, PID, PT, HCS = CRC-8/NRSC-5 of the ten bytes before it, SFRD, SFRCS =
 * CRC-16/CCITT-FALSE of SFRD (absent when FDL is 0). The codec's encoder is not used.
 */
function packet(pt: number, pid: number, sfrd: string): Buffer {
  const data = hex(sfrd);
  const head = Buffer.from([0x01, 0x00, 0x00, 0x0b, 0x00, data.length & 0xff, data.length >> 8, pid & 0xff, pid >> 8, pt, 0]);
  head[10] = hcs(head, 0, 10);
  const tail = Buffer.alloc(data.length > 0 ? 2 : 0);
  if (data.length > 0) tail.writeUInt16LE(sfrcs(data), 0);
  return Buffer.concat([head, data, tail]);
}

// Real frames: Traccar's EgtsProtocolDecoderTest vectors (Apache-2.0; "#n" is their place in
// ../shared/conformance/traccar/egts.json). Built frames follow the standard's tables.

/** testDecodeWithAuth #1: §6.7.2.2 EGTS_SR_TERM_IDENTITY with IMEI and buffer size. */
const LOGIN = hex(`
  01 00 00 0b 00       // PRV 1, SKID 0, flags 0, HL 11, HE 0
  2400                 // FDL 36
  a0d6                 // PID 54944
  01                   // PT 1: EGTS_PT_APPDATA
  f0                   // HCS
  1900 0300            // record: RL 25, RN 3
  81 03000000          // RFL: SSOD | OBFE, OID 3
  01 01                // SST, RST: EGTS_AUTH_SERVICE
  01 1600              // SRT 1 EGTS_SR_TERM_IDENTITY, SRL 22
  03000000             // TID 3
  42                   // flags: IMEIE | BSE
  383634343935303334363433333736 // IMEI "864495034643376"
  0001                 // BS 256
  4cdc                 // SFRCS
`);
const IMEI = '864495034643376';

/** testDecodeWithAuth #3: one teledata record, a subrecord of each common kind. */
const POSITION = hex(`
  01 00 02 0b 00 4f00 ae11 01 d2  // header: flags PR 2, FDL 79, PID 4526, APPDATA, HCS
  4400 ae11 91 af830400 02 02     // record: RL 68, RN 4526, RFL SSOD | OBFE, OID 295855, EGTS_TELEDATA_SERVICE
  10 1800                         // EGTS_SR_POS_DATA, SRL 24
  d9238213                        // NTM 327295961 s since 2010 → 2020-05-16 03:32:41 UTC
  008dcea0 8070ec78               // LAT, LONG (|deg| / 90 or / 180 × 0xFFFFFFFF)
  93                              // FLG: VLD | FIX 3D | MV | ALTE
  3800 3c                         // SPD 56 (5.6 km/h), DIR 60
  000000 01 00                    // ODM 0, DIN 0b1, SRC 0 (timer)
  820000                          // ALT 130 m
  11 0600 1a 7400 07 0200         // EXT_POS_DATA: HFE | SFE | NSFE, HDOP 1.16, 7 satellites, NS GPS
  14 0500 00 18 00 00 04          // subrecord 20 (STATE_DATA, 5 bytes): ST 0, MPSV 2.4 V, BBV 0, IBV 0, NMS
  12 0700 0f 00 00 10000000       // AD_SENSORS_DATA: ADIO 1-4, DOUT 0, no analog, ADIO1 0x10
  13 0100 00                      // COUNTERS_DATA: none present
  1b 0700 01 0000 af0f0000        // LIQUID_LEVEL_SENSOR: LLSN 1, uncalibrated, MADDR 0, 4015
  312a                            // SFRCS
`);

/** A fix south and west, below sea level, with the course's bit 8, and the remaining teledata subrecords of a fix. */
const TELEMETRY = packet(
  1,
  0x10,
  `
  4600 0a00 80 02 02        // record: RL 70, RN 10, RFL SSOD, teledata
  10 1a00                   // POS_DATA, SRL 26
  4088a41a                  // NTM 446990400 → 2024-03-01 12:00:00 UTC
  00000060 44444464         // LAT 33.75, LONG 70.5
  f3                        // FLG: VLD | FIX | MV | LAHS south | LOHS west | ALTE
  d2c4 2c                   // SPD: 1234 (123.4 km/h) | ALTS | DIRH; DIR 44 → 300°
  40e201 05 0d              // ODM 123456 (12345.6 km), DIN 0b101, SRC 13 (alarm button)
  1c0000 0201               // ALT 28 m (below sea level), SRCD 0x0102
  11 0a00 1f 9600 5000 aa00 0c 0300 // EXT_POS_DATA: VDOP 1.5, HDOP 0.8, PDOP 1.7, 12 satellites, GLONASS | GPS
  15 0500 02 7d 29 25 05    // STATE_DATA (21): active, MPSV 12.5 V, BBV 4.1 V, IBV 3.7 V, BBU | NMS
  12 0700 02 03 01 aa e02e00 // AD_SENSORS_DATA: ADIO2 0xAA, DOUT 0b11, ANS1 12000
  13 0700 81 010000 000001  // COUNTERS_DATA: CN1 1, CN8 65536
`,
);

/** A record without a fix (time from TM): loop inputs, absolute sensors, liquid levels. */
const SENSORS = packet(
  1,
  0x11,
  `
  3000 0b00 84 7c88a41a 02 02 // record: RL 48, RN 11, RFL SSOD | TMFE, TM 2024-03-01 12:01:00, teledata
  16 0200 05 32             // LOOPIN_DATA: inputs 1 and 3, states 2 and 3
  17 0200 1101              // ABS_DIG_SENS_DATA: sensor 17, state 1
  18 0400 03 ff0f00         // ABS_AN_SENS_DATA: sensor 3, 4095
  19 0400 02 701101         // ABS_CNTR_DATA: counter 2, 70000
  1a 0200 5200              // ABS_LOOPIN_DATA: input 5, state 2
  1b 0700 20 0100 d7110000  // LIQUID_LEVEL_SENSOR: LLSN 0, 0.1 l, MADDR 1, 456.7 l
  1b 0600 09 0000 a1b2c3    // LIQUID_LEVEL_SENSOR: LLSN 1, raw data as sent
`,
);

/** §6.7.2.2–§6.7.2.4 and AUTH_INFO: a unit with a zero IMEI (named by its IMSI), its modules and vehicle. */
const AUTH = packet(
  1,
  0x20,
  `
  8400 0100 80 01 01        // record: RL 132, RN 1, RFL SSOD, auth service
  01 3d00 d2040000 ef 0201  // TERM_IDENTITY: TID 1234, HDIDE|IMEIE|IMSIE|LNGCE|NIDE|BSE|MNE, HDID 258
  303030303030303030303030303030   // IMEI all zeros
  32353030313132333435363738393000 // IMSI "250011234567890"
  727573 fa0100 0008        // LNGC "rus", NID fa0100, BS 2048
  373931363132333435363700000000   // MSISDN "79161234567"
  02 1600 01 bc0a0000 0302 0501 00 01 534e31323300 6d61696e00 // MODULE_DATA: type 1, vendor 2748, FW 2.3, SW 1.5, ON, "SN123", "main"
  03 1900 5854413231303939303132333435363738 01000000 01000000 // VEHICLE_DATA: VIN, type 1, petrol
  07 0c00 7573657200 73656372657400 // AUTH_INFO: "user", "secret"
`,
);

/** §6.7.3.1 EGTS_SR_COMMAND_DATA from the unit: confirmations and a text message. */
const COMMAND_REPLIES = packet(
  1,
  0x30,
  `
  4700 1400 80 04 04        // record: RL 71, RN 20, RFL SSOD, commands service
  33 1800 10 07000000 00000000 01 01 // CT_COMCONF / CC_OK, CID 7, SID 0, CHSFE, CHS 1 (ASCII)
  0000 01 0302 696e7465726e6574      // CD: ADR 0, ACT 1, CCD 0x0203 EGTS_GPRS_APN, "internet"
  33 0a00 11 08000000 00000000 00    // CT_COMCONF / CC_ERROR, CID 8
  33 0a00 16 09000000 00000000 00    // CT_COMCONF / CC_INPROG, CID 9
  33 0f00 30 00000000 00000000 00 48656c6c6f // CT_MSGFROM "Hello"
`,
);

/** EGTS_PT_SIGNED_APPDATA: SIGL, SIGD, then a firmware-service record (kept as hex). */
const SIGNED = packet(2, 0x40, '0200 aabb  0500 0500 80 09 09  21 0200 0102');

/** testDecodeWithObjectId #0: a retranslating platform authenticates as dispatcher 2219. */
const DISPATCHER = hex(`
  01 00 02 0b 00 2300 0200 01 87  // header: FDL 35, PID 2, APPDATA
  1c00 0200 00 01 01              // record: RL 28, RN 2, auth service
  05 1900 00 ab080000             // DISPATCHER_IDENTITY (5): DT 0, DID 2219
  6247396e615734366347467a63336476636d513d // DSCR "bG9naW46cGFzc3dvcmQ="
  aadf
`);

/** testDecodeWithObjectId #1: two records of object 3636500978 (OBFE), no TERM_IDENTITY on the connection. */
const BY_OID = hex(`
  01 00 02 0b 00 4600 0100 01 b8
  1800 0300 01 f299c0d8 02 02     // record: RL 24, RN 3, OBFE, OID 3636500978, teledata
  10 1500 c9c52f11 00552e9c 80e4ca79 11 f580 5b 000000 00 03 // POS_DATA: VLD | MV, 24.5 km/h, DIRH + 91 → 347°, SRC 3
  1800 0400 01 f299c0d8 02 02
  10 1500 cbc52f11 00612e9c 00dbca79 11 6c80 3e 000000 00 03
  7c13
`);

/** testDecodeWithObjectId #5: a unit's EGTS_PT_RESPONSE to a platform packet. */
const UNIT_RESPONSE = hex('0100000b00100091030072 000100 0600 0000 00 02 02 00 0300 920300 0009');

const decodeOne = (f: Buffer, c: DecodeContext = ctx()) => egts.decode(f, c);

describe('protocols/egts', () => {
  const corpus = loadCorpus('egts.json');
  describe('checksums (§5.6.1.3)', () => {
    it('uses CRC-8/NRSC-5 for HCS (check 0xF7) and CRC-16/CCITT-FALSE for SFRCS (check 0x29B1)', () => {
      expect(hcs(Buffer.from('123456789'))).toBe(0xf7);
      expect(sfrcs(Buffer.from('123456789'))).toBe(0x29b1);
      expect(hcs(LOGIN, 0, 10)).toBe(0xf0);
      expect(sfrcs(LOGIN, 11, 47)).toBe(0xdc4c);
    });
  });

  describe('inspect', () => {
    it('names the unit by the IMEI of §6.7.2.2 TERM_IDENTITY, confirms the record and answers EGTS_SR_RESULT_CODE 0', () => {
      const r = egts.inspect(LOGIN, session(), STRICT);
      expect(r).toMatchObject({ ident: IMEI, store: true, vars: { pid: 2, rn: 2, by: 'terminal' } });
      expect(r.reply?.toString('hex')).toBe(
        hex(`
          01 00 00 0b 00 1000 0000 00 68 // EGTS_PT_RESPONSE, FDL 16, PID 0, HCS
          a0d6 00                     // RPID 54944, PR 0 EGTS_PC_OK
          0600 0000 40 01 01          // record: RL 6, RN 0, RFL RSOD, auth service
          00 0300 0300 00             // EGTS_SR_RECORD_RESPONSE: CRN 3, RST 0
          175a                        // SFRCS
          01 00 00 0b 00 0b00 0100 01 19 // EGTS_PT_APPDATA, FDL 11, PID 1
          0400 0100 40 01 01          // record: RL 4, RN 1, RFL RSOD, auth service
          09 0100 00                  // EGTS_SR_RESULT_CODE (9): RCD 0
          3198
        `).toString('hex'),
      );
    });
    it('numbers the result code subrecord 7 when settings.resultCodeSubrecord is 7 (Traccar)', () => {
      const r = egts.inspect(LOGIN, session(), { ...STRICT, settings: { resultCodeSubrecord: 7 } });
      expect(r.reply?.subarray(29).toString('hex')).toBe(packet(1, 1, '0400 0100 40 01 01  07 0100 00').toString('hex'));
    });
    it('confirms each record of a data packet on its service, counting packet and record numbers on', () => {
      const r = egts.inspect(POSITION, session(IMEI, { pid: 7, rn: 0xffff, by: 'terminal' }), STRICT);
      expect(r).toMatchObject({ store: true, vars: { pid: 8, rn: 0 } });
      expect(r.ident).toBeUndefined();
      expect(r.reply?.toString('hex')).toBe(packet(0, 7, 'ae11 00  0600 ffff 40 02 02  00 0300 ae11 00').toString('hex'));
    });
    it('names units without TERM_IDENTITY by the OID of their records, and answers a dispatcher with a result code', () => {
      const d = egts.inspect(DISPATCHER, session(), STRICT);
      expect(d).toMatchObject({ store: false, vars: { by: 'dispatcher', dispatcher: 2219 } });
      expect(d.ident).toBeUndefined();
      expect(d.reply?.toString('hex')).toBe(
        Buffer.concat([packet(0, 0, '0200 00  0600 0000 40 01 01  00 0300 0200 00'), packet(1, 1, '0400 0100 40 01 01  09 0100 00')]).toString('hex'),
      );
      const o = egts.inspect(BY_OID, session(undefined, { by: 'dispatcher', pid: 2, rn: 2 }), STRICT);
      expect(o).toMatchObject({ ident: '3636500978', store: true, vars: { by: 'oid', pid: 3, rn: 4 } });
    });
    it('refuses records before any identity or OID: not stored, confirmed with RST 151 (EGTS_PC_AUTH_DENIED)', () => {
      const r = egts.inspect(TELEMETRY, session(), STRICT);
      expect(r).toMatchObject({ store: false, error: { code: 'unidentified' } });
      expect(r.reply?.toString('hex')).toBe(packet(0, 0, '1000 00  0600 0000 40 02 02  00 0300 0a00 97').toString('hex'));
    });
    it('names a unit with a zero IMEI by its IMSI', () => {
      expect(egts.inspect(AUTH, session(), STRICT).ident).toBe('250011234567890');
    });
    it('refuses a wrong SFRCS (strict): not stored, EGTS_PT_RESPONSE with PR 138 (EGTS_PC_DATACRC_ERROR)', () => {
      const bad = Buffer.from(POSITION);
      bad[bad.length - 1] ^= 0xff;
      const r = egts.inspect(bad, session(IMEI), STRICT);
      expect(r).toMatchObject({ store: false, error: { code: 'checksum', offset: 90 } });
      expect(r.reply?.toString('hex')).toBe(packet(0, 0, 'ae11 8a').toString('hex'));
    });
    it('refuses a wrong HCS (strict) with PR 137 (EGTS_PC_HEADERCRC_ERROR)', () => {
      const bad = Buffer.from(POSITION);
      bad[10] ^= 0x01;
      const r = egts.inspect(bad, session(IMEI), STRICT);
      expect(r).toMatchObject({ store: false, error: { code: 'checksum', offset: 10 } });
      expect(r.reply?.toString('hex')).toBe(packet(0, 0, 'ae11 89').toString('hex'));
    });
    it('stores and confirms a wrong SFRCS under the lenient policy, marking the messages', () => {
      const bad = Buffer.from(POSITION);
      bad[bad.length - 1] ^= 0xff;
      const c = new ConnectionCodec(egts, LENIENT);
      c.decode(LOGIN);
      const out = c.decode(bad);
      expect(out.replies.map((x) => x.toString('hex'))).toEqual([packet(0, 2, 'ae11 00  0600 0200 40 02 02  00 0300 ae11 00').toString('hex')]);
      expect(out.messages).toHaveLength(1);
      expect(out.messages[0]).toMatchObject({ ident: IMEI, 'crc.valid': false });
      expect(out.errors).toEqual([expect.stringMatching(/^checksum at byte 90: CRC-16/)]);
    });
    it("neither stores nor answers a unit's EGTS_PT_RESPONSE", () => {
      expect(egts.inspect(UNIT_RESPONSE, session(IMEI), STRICT)).toEqual({ store: false });
    });
    it('answers encrypted frame data with PR 129 (EGTS_PC_DECRYPT_ERROR) and compressed data with PR 128', () => {
      const encrypted = Buffer.from(packet(1, 3, '0000 0000 80 02 02'));
      encrypted[2] = 0x08; // ENA 01
      encrypted[10] = hcs(encrypted, 0, 10);
      const r = egts.inspect(encrypted, session(IMEI), STRICT);
      expect(r).toMatchObject({ store: false, error: { code: 'unsupported' } });
      expect(r.reply?.subarray(11, 14).toString('hex')).toBe('030081');
      const compressed = Buffer.from(encrypted);
      compressed[2] = 0x04;
      compressed[10] = hcs(compressed, 0, 10);
      expect(egts.inspect(compressed, session(IMEI), STRICT).reply?.subarray(11, 14).toString('hex')).toBe('030080');
    });
  });

  describe('decode', () => {
    it('decodes the teledata subrecords of a record into one message (Order No. 285 POS_DATA, EXT_POS_DATA, STATE_DATA 20, AD_SENSORS, COUNTERS, LLS)', () => {
      const out = decodeOne(POSITION);
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          'egts.oid': 295855,
          timestamp: 1589599961,
          'position.latitude': 56.533654,
          'position.longitude': 85.0244,
          'position.valid': true,
          'egts.fix.3d': true,
          'message.buffered.status': false,
          'movement.status': true,
          'position.speed': 5.6,
          'position.direction': 60,
          'vehicle.mileage': 0,
          din: 1,
          'event.enum': 0,
          'position.altitude': 130,
          'position.hdop': 1.16,
          'position.satellites': 7,
          'egts.navigation.systems': 2,
          'egts.state.enum': 0,
          'external.powersource.voltage': 2.4,
          'egts.backup.battery.voltage': 0,
          'battery.voltage': 0,
          'egts.backup.battery.used': false,
          'egts.internal.battery.used': false,
          'egts.navigation.module.status': true,
          dout: 0,
          'egts.adio.1': 16,
          'egts.adio.2': 0,
          'egts.adio.3': 0,
          'egts.adio.4': 0,
          'fuel.level.1': 4015,
          'egts.lls.1.unit': 0,
        },
      ]);
    });
    it('reads hemispheres, altitude sign, course bit 8, SRCD, DOPs, STATE_DATA 21, analog inputs and counters', () => {
      const out = decodeOne(TELEMETRY);
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          timestamp: 1709294400,
          'position.latitude': -33.75,
          'position.longitude': -70.5,
          'position.valid': true,
          'egts.fix.3d': true,
          'message.buffered.status': false,
          'movement.status': true,
          'position.speed': 123.4,
          'position.direction': 300,
          'vehicle.mileage': 12345.6,
          din: 5,
          'event.enum': 13,
          'alarm.type': 'sos',
          'position.altitude': -28,
          'egts.source.data': 0x0102,
          'position.vdop': 1.5,
          'position.hdop': 0.8,
          'position.pdop': 1.7,
          'position.satellites': 12,
          'egts.navigation.systems': 3,
          'egts.state.enum': 2,
          'external.powersource.voltage': 12.5,
          'egts.backup.battery.voltage': 4.1,
          'battery.voltage': 3.7,
          'egts.backup.battery.used': true,
          'egts.internal.battery.used': false,
          'egts.navigation.module.status': true,
          dout: 3,
          'egts.adio.2': 0xaa,
          'egts.ain.1': 12000,
          'egts.counter.1': 1,
          'egts.counter.8': 65536,
        },
      ]);
      expect(sanityProblems(out.messages[0], 1_768_435_200)).toEqual([]);
    });
    it('keeps a record without a fix as its own message at its TM: loop inputs, absolute sensors, liquid levels', () => {
      const out = decodeOne(SENSORS);
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          timestamp: 1709294460,
          'egts.loopin.1': 2,
          'egts.loopin.3': 3,
          'egts.dsens.17': 1,
          'egts.ain.3': 4095,
          'egts.counter.2': 70000,
          'egts.loopin.5': 2,
          'egts.lls.0.address': 1,
          'fuel.level.0': 456.7,
          'egts.lls.0.unit': 2,
          'egts.lls.1.raw': 'a1b2c3',
        },
      ]);
    });
    it('decodes §6.7.2 authentication subrecords: identity fields, modules, vehicle, user (never the password)', () => {
      const out = decodeOne(AUTH);
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          'egts.tid': 1234,
          'egts.home.dispatcher.id': 258,
          'gsm.sim.imsi': '250011234567890',
          'egts.language': 'rus',
          'egts.network.id': 'fa0100',
          'egts.buffer.size': 2048,
          'egts.msisdn': '79161234567',
          'egts.module.1.vendor': 2748,
          'egts.module.1.firmware': '2.3',
          'egts.module.1.software': '1.5',
          'egts.module.1.modification': 0,
          'egts.module.1.state': 1,
          'egts.module.1.serial': 'SN123',
          'egts.module.1.description': 'main',
          'vehicle.vin': 'XTA21099012345678',
          'egts.vehicle.type': 1,
          'egts.vehicle.propulsion': 1,
          'egts.auth.user': 'user',
        },
      ]);
      expect(decodeOne(DISPATCHER, ctx({})).messages).toEqual([
        { 'egts.dispatcher.type': 0, 'egts.dispatcher.id': 2219, 'egts.dispatcher.description': 'bG9naW46cGFzc3dvcmQ=' },
      ]);
    });
    it('turns §6.7.3.1 CT_COMCONF into command replies correlated by CID; CC_INPROG and CT_MSGFROM complete nothing', () => {
      const out = decodeOne(COMMAND_REPLIES);
      expect(out.errors).toEqual([]);
      expect(out.commandReplies).toEqual([
        { response: 'ok: 0x0203=internet', executed: true, correlation: '7' },
        { response: 'error', executed: false, correlation: '8' },
      ]);
      expect(out.messages).toEqual([
        { 'egts.command.type': 1, 'egts.command.id': 7, 'egts.command.confirmation': 0, 'command.response': 'ok: 0x0203=internet' },
        { 'egts.command.type': 1, 'egts.command.id': 8, 'egts.command.confirmation': 1, 'command.response': 'error' },
        { 'egts.command.type': 1, 'egts.command.id': 9, 'egts.command.confirmation': 6, 'command.response': 'in progress' },
        { 'egts.command.type': 3, 'egts.command.id': 0, 'egts.message': 'Hello' },
      ]);
    });
    it('reads the records of a signed packet after its signature; subrecords of other services are kept as hex', () => {
      expect(decodeOne(SIGNED).messages).toEqual([{ 'egts.sr.9.33': '0102' }]);
    });
    it('names each record of a retranslating platform by its OID; after TERM_IDENTITY the OID is only a parameter', () => {
      expect(decodeOne(BY_OID, ctx({ by: 'dispatcher' })).messages.map((m) => [m.ident, m['position.direction'], m.timestamp])).toEqual([
        ['3636500978', 347, 1550647497],
        ['3636500978', 318, 1550647499],
      ]);
      expect(decodeOne(BY_OID).messages[0].ident).toBeUndefined();
    });
    it.runIf(corpus)("fills a fix's message with a record without a fix that follows it for the same object (testDecodeWithObjectId #4)", () => {
      const frame = Buffer.from(corpusFrame('testDecodeWithObjectId', 4), 'hex');
      const out = decodeOne(frame, ctx({ by: 'oid' }));
      expect(out.messages).toHaveLength(13);
      expect(out.messages.every((m) => typeof m['position.latitude'] === 'number' && m.ident === '45177')).toBe(true);
      expect(out.messages[2]).toMatchObject({
        timestamp: 1543399985,
        'egts.state.enum': 2,
        'external.powersource.voltage': 9.2,
        'egts.ain.1': 0,
        'egts.counter.2': 0,
      });
    });
    it.runIf(corpus)('starts a message at every POS_DATA of a record (a track: testDecodeWithAuth #7)', () => {
      const out = decodeOne(Buffer.from(corpusFrame('testDecodeWithAuth', 7), 'hex'));
      expect(out.messages).toHaveLength(55);
      expect(out.messages[0]).toMatchObject({ timestamp: 1522062817, 'position.altitude': 217, 'egts.ain.2': 28 });
    });
    it('rejects a wrong SFRCS under the strict policy and marks the messages under the lenient one', () => {
      const bad = Buffer.from(TELEMETRY);
      bad[bad.length - 2] ^= 0x01;
      expect(decodeOne(bad)).toMatchObject({ messages: [], errors: [{ code: 'checksum' }] });
      const lenient = decodeOne(bad, ctx({ by: 'terminal' }, LENIENT));
      expect(lenient.messages[0]['crc.valid']).toBe(false);
    });
    it('returns typed errors for a truncated subrecord or record, keeping what was read', () => {
      const short = packet(1, 1, '0a00 0100 80 02 02  13 0700 81 0100'); // COUNTERS_DATA SRL 7, 3 bytes left
      const out = decodeOne(short);
      expect(out.errors.map((e) => e.code)).toEqual(['truncated']);
      expect(decodeOne(packet(1, 1, '0a00 0100 80 02 02  13 01')).errors.map((e) => e.code)).toEqual(['truncated']);
      expect(decodeOne(hex('0100000b00')).errors.map((e) => e.code)).toEqual(['truncated']);
    });
  });

  describe('encoder', () => {
    it('encodes engine_stop as §6.7.3.1 CT_COM EGTS_FLEET_DOUT_ON for output 1, CID = hub command id', () => {
      const bytes = encodeCommand({ name: 'engine_stop', properties: {}, id: 7 });
      expect(Buffer.isBuffer(bytes) && bytes.toString('hex')).toBe(
        hex(`
          01 00 00 0b 00 1b00 0700 01 c0  // EGTS_PT_APPDATA, FDL 27, PID 7
          1400 0700 40 04 04              // record: RL 20, RN 7, RFL RSOD, commands service
          33 1100                         // EGTS_SR_COMMAND_DATA, SRL 17
          50                              // CT_COM, CCT 0
          07000000 00000000 00            // CID 7, SID 0, no charset, no authorisation code
          0000 00 0900 0100               // ADR 0, SZ 0 / ACT 0, CCD 0x0009 EGTS_FLEET_DOUT_ON, outputs 0b1
          3b61
        `).toString('hex'),
      );
      expect(correlate({ name: 'engine_stop', properties: {}, id: 7 })).toBe('7');
    });
    it('puts each named command in its CCD, action and data', () => {
      const cd = (name: string, properties: Record<string, unknown> = {}) => {
        const b = encodeCommand({ name, properties, id: 1 });
        return Buffer.isBuffer(b) ? b.toString('hex', 31, b.length - 2) : b.code; // CD: after header, record and subrecord headers, CT..flags
      };
      expect(cd('engine_resume')).toBe('0000000a000100');
      expect(cd('output_control', { output: 3, state: true })).toBe('00000009000400');
      expect(cd('locate')).toBe('0000000c00');
      expect(cd('reboot')).toBe('0000000800');
      expect(cd('factory_reset')).toBe('0000000600');
      expect(cd('get_state')).toBe('0000001000');
      expect(cd('get_sensors')).toBe('0000000d00');
      expect(cd('get_outputs')).toBe('0000000b00');
      expect(cd('odometer_reset')).toBe('0000001100');
      expect(cd('custom', { text: 'STATUS' })).toBe(`0000000000${Buffer.from('STATUS').toString('hex')}`);
      expect(cd('custom', { hex: '0a0b' })).toBe('00000000000a0b');
      expect(cd('get_parameter', { code: 0x0203 })).toBe('0000010302');
      expect(cd('set_parameter', { code: 0x0203, value: 'apn' })).toBe(`0000020302${Buffer.from('apn').toString('hex')}`);
      expect(cd('set_parameter', { code: 0x0404, value: 258 })).toBe('000002040402010000');
      expect(cd('terminal_command', { code: 0x0115, action: 0, address: 2, hex: '01' })).toBe('020000150101');
    });
    it('names the bad property of a command it cannot encode', () => {
      const bad = (name: string, properties: Record<string, unknown> = {}, id?: number) =>
        encodeCommand({ name, properties, ...(id === undefined ? {} : { id }) });
      expect(bad('custom')).toMatchObject({ code: 'command', reason: expect.stringContaining('text') });
      expect(bad('output_control', { output: 17, state: true })).toMatchObject({ code: 'command', reason: expect.stringContaining('output') });
      expect(bad('set_parameter', { code: 0x0203 })).toMatchObject({ code: 'command', reason: expect.stringContaining('value') });
      expect(bad('terminal_command', { code: 0x10000 })).toMatchObject({ code: 'command', reason: expect.stringContaining('code') });
      expect(bad('reboot', {}, 2 ** 32)).toMatchObject({ code: 'command', reason: expect.stringContaining('CID') });
      expect(bad('nope')).toMatchObject({ code: 'command', reason: expect.stringContaining('nope') });
    });
  });

  describe('device types', () => {
    const [type] = egts.deviceTypes;
    it('describes the generic egts type; settings read and write with existing commands; examples encode', () => {
      expect(type).toMatchObject({ id: 20, name: 'egts' });
      const names = new Set(type.commands.map((c) => c.name));
      for (const s of type.settings) expect(names.has(s.read) && names.has(s.write), s.name).toBe(true);
      expect(type.settings.map((s) => s.name)).toEqual(['apn', 'server_address', 'unit_id']);
      for (const c of type.commands)
        for (const example of c.examples) {
          expect(c.validate?.(example), c.name).toBeUndefined();
          expect(encodeCommand({ name: c.name, properties: example } as CommandRequest), c.name).toBeInstanceOf(Buffer);
        }
    });
    it('reads and writes a setting as a terminal parameter, and reads its value, confirmation or refusal from CT_COMCONF', () => {
      const s = type.settings.find((x) => x.name === 'apn');
      expect(s?.readProperties).toEqual({ code: 0x0203 });
      expect(s?.writeProperties?.('internet')).toEqual({ code: 0x0203, value: 'internet' });
      expect(parseSettings('ok: 0x0203=internet')).toEqual({ values: { apn: 'internet' } });
      expect(parseSettings('ok: 0x0404=258')).toEqual({ values: { unit_id: 258 } });
      expect(parseSettings('ok: 0x0203', ['apn'])).toEqual({ values: {}, confirmed: ['apn'] });
      expect(parseSettings('illegal', ['apn'])).toEqual({ values: {}, refused: { apn: 'illegal' } });
      expect(parseSettings('ok: 0x0008')).toBeUndefined();
    });
  });

  describe('framer', () => {
    const FIXTURES = [LOGIN, POSITION, TELEMETRY, SENSORS, AUTH, COMMAND_REPLIES, SIGNED, DISPATCHER, BY_OID, UNIT_RESPONSE, packet(1, 9, '')];
    it('keeps the framer contract for every fixture (with and without SFRCS)', () => {
      for (const f of FIXTURES) assertFramerContract(egts, f);
    });
    it('gives the same messages and acks however the stream is chunked', () => {
      assertChunkingInvariant(egts, Buffer.concat([LOGIN, POSITION, TELEMETRY, SENSORS, COMMAND_REPLIES, UNIT_RESPONSE, SIGNED]));
    });
    it('skips bytes up to the next PRV 01, and a header whose HCS does not match (strict) or whose HL is not 11 or 16', () => {
      expect(egts.frame(Buffer.concat([hex('aa bb'), LOGIN]), session(), STRICT)).toMatchObject({ type: 'error', consumed: 2, error: { code: 'malformed' } });
      const badHcs = Buffer.from(LOGIN);
      badHcs[10] ^= 0x01;
      expect(egts.frame(badHcs, session(), STRICT)).toMatchObject({ type: 'error', consumed: LOGIN.indexOf(1, 1), error: { code: 'checksum' } });
      expect(egts.frame(badHcs, session(), LENIENT)).toMatchObject({ type: 'frame', consumed: LOGIN.length });
      expect(egts.frame(hex('01 00 00 0c 00  01 00'), session(), STRICT)).toMatchObject({ type: 'error', consumed: 5, error: { code: 'malformed' } }); // HL 12
    });
    it('skips a packet above the channel limit, resynchronising at the next 01', () => {
      const r = egts.frame(POSITION, session(), { crc: 'strict', maxFrameSize: 64 });
      expect(r).toMatchObject({ type: 'error', consumed: POSITION.indexOf(1, 1), error: { code: 'oversize' } });
      const out = new ConnectionCodec(egts, STRICT).decode(Buffer.concat([hex('ff ff ff'), LOGIN]));
      expect(out.errors).toEqual(['malformed at byte 0: expected PRV 01, got 0xff']);
      expect(out.replies).toHaveLength(1);
    });
    it('cuts the corpus framer vectors (EgtsFrameDecoderTest)', () => {
      for (const e of (corpus ?? []).filter((x) => x.kind === 'frameDecoder')) {
        const r = egts.frame(Buffer.from(e.frame, 'hex'), session(), STRICT);
        expect(r.type === 'frame' && r.frame.toString('hex')).toBe(e.expect.frames?.[0]);
      }
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input (fast-check)', () => {
      const seeds = [LOGIN, POSITION, TELEMETRY, SENSORS, AUTH, COMMAND_REPLIES, SIGNED, DISPATCHER, BY_OID, UNIT_RESPONSE];
      expect(fuzzCodec(egts, seeds, 2000, 'tcp', LOGIN)).toBe(2000);
    });
  });

  describe('device side', () => {
    it('builds the login a unit sends: an auth record with TERM_IDENTITY (TID, IMEI, buffer size)', () => {
      expect(loginPacket('866000000000042').toString('hex')).toBe(
        packet(
          1,
          0,
          `
          1900 0000 80 01 01              // record: RL 25, RN 0, RFL SSOD, auth service
          01 1600 2a000000 42             // TERM_IDENTITY: TID 42 (last nine digits), IMEIE | BSE
          383636303030303030303030303432  // IMEI "866000000000042"
          0004                            // BS 1024
        `,
        ).toString('hex'),
      );
    });
    it('builds reports that decode to the simulated fix, and CT_COMCONF answers that complete commands', () => {
      const at = Date.UTC(2026, 0, 15, 10, 30, 0);
      const ident = simulator.identFor(3);
      const c = new ConnectionCodec(egts, STRICT);
      c.decode(loginPacket(ident));
      const out = c.decode(reportPacket(ident, simEgtsFix(3, 5, at), 5));
      expect(out.messages[0]).toMatchObject({ ...simulator.expected(ident, 3, 5, at), ident });
      const reply = c.decode(packetOf(commandConfirmation(12, 0, 0x0008)));
      expect(reply.commandReplies).toEqual([{ response: 'ok: 0x0008', executed: true, correlation: '12' }]);
    });
  });

  function corpusFrame(test: string, seq: number): string {
    return corpus?.find((e) => e.test === test && e.seq === seq)?.frame ?? '';
  }
  describe.runIf(corpus)('conformance corpus', () => {
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(egts, corpus ?? [], {});
      const rate = reportPassRate('egts', results);
      for (const r of results) for (const m of r.messages) expect(sanityProblems(m), `${r.entry.test}#${r.entry.seq}`).toEqual([]);
      expect(rate).toBeGreaterThanOrEqual(0.95);
    });
    it('checks both checksums of every corpus packet', () => {
      for (const e of (corpus ?? []).filter((x) => x.kind === 'decode')) {
        const r = egts.inspect(entryBytes(e), session('x', { by: 'terminal' }), STRICT);
        expect(r.error, `${e.test}#${e.seq}`).toBeUndefined();
      }
    });
    it('is what `hub identify` names, with high confidence, for real corpus frames', () => {
      const candidates = identify(BY_OID);
      expect(candidates[0]).toMatchObject({ protocol: 'egts', confidence: 'high' });
      expect(identify(LOGIN).find((c) => c.protocol === 'egts')).toMatchObject({ confidence: 'high' });
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});

/** One commands-service record around a subrecord, in an APPDATA packet. */
function packetOf(sub: Buffer): Buffer {
  const rec = Buffer.concat([Buffer.from([sub.length & 0xff, sub.length >> 8, 0x01, 0x00, 0x80, 0x04, 0x04]), sub]);
  return packet(1, 1, rec.toString('hex'));
}
