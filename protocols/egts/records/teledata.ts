import { toCodecError } from '../../common/errors.js';
import { Reader } from '../../common/reader.js';
import type { Decoded, Message } from '../../common/types.js';
import { EPOCH_2010, TeledataSr } from '../constants.js';
import { type ServiceRecord, type Subrecord, walkSubrecords } from '../packet.js';
import { ALARMS, adio, ain, counter, digitalSensor, fuelN, lls, loopIn, P, unknownSubrecord } from '../params.js';

/**
 * EGTS_TELEDATA_SERVICE records (Order No. 285, EGTS_TELEDATA_SERVICE): every POS_DATA starts a
 * message (units pack a track of fixes into one record); the other subrecords belong to the fix
 * before them, or to the record's first message.
 */
export function decodeTeledata(frame: Buffer, rec: ServiceRecord, base: Message, out: Decoded): Message[] {
  const { subrecords, error } = walkSubrecords(frame, rec);
  const messages: Message[] = [];
  let m: Message | undefined;
  for (const sub of subrecords) {
    if (sub.srt === TeledataSr.PosData || !m) {
      m = { ...base };
      messages.push(m);
    }
    try {
      readSubrecord(frame, sub, rec.sst, m);
    } catch (err) {
      out.errors.push(toCodecError(err));
    }
  }
  if (error) out.errors.push(error);
  return messages;
}

type SubrecordReader = (r: Reader, m: Message) => void;

const READERS: Readonly<Record<number, SubrecordReader>> = {
  [TeledataSr.PosData]: posData,
  [TeledataSr.ExtPosData]: extPosData,
  [TeledataSr.AdSensors]: adSensors,
  [TeledataSr.Counters]: counters,
  [TeledataSr.StateData]: stateData,
  [TeledataSr.LoopIn]: loopInputs,
  [TeledataSr.AbsDigitalSensor]: (r, m) => numberedState(r, m, digitalSensor),
  [TeledataSr.AbsAnalogSensor]: (r, m) => {
    const n = r.u8();
    m[ain(n)] = u24(r);
  },
  [TeledataSr.AbsCounter]: (r, m) => {
    const n = r.u8();
    m[counter(n)] = u24(r);
  },
  [TeledataSr.AbsLoopIn]: (r, m) => numberedState(r, m, loopIn),
  [TeledataSr.LiquidLevel]: liquidLevel,
};

function readSubrecord(frame: Buffer, sub: Subrecord, service: number, m: Message): void {
  const r = new Reader(frame, sub.start, sub.end);
  // subrecord 20 is STATE_DATA for units numbered as GOST R 54619 (5 bytes), ACCEL_DATA in Order No. 285
  const read = sub.srt === TeledataSr.StateData20 && r.remaining === 5 ? stateData : READERS[sub.srt];
  if (read) read(r, m);
  else m[unknownSubrecord(service, sub.srt)] = frame.toString('hex', sub.start, sub.end);
}

/**
 * EGTS_SR_POS_DATA: NTM u32 (s since 2010) | LAT, LONG u32 (|deg| / 90 or / 180 × 0xFFFFFFFF) |
 * FLG (0 VLD, 1 FIX 3D, 2 CS PZ-90, 3 BB, 4 MV, 5 LAHS south, 6 LOHS west, 7 ALTE) | SPD u16 (0-13 speed
 * ×0.1 km/h, 14 ALTS, 15 DIRH) | DIR | ODM u24 ×0.1 km | DIN | SRC | [ALT u24] | [SRCD u16].
 */
function posData(r: Reader, m: Message): void {
  m.timestamp = r.u32le() + EPOCH_2010;
  const lat = (r.u32le() * 90) / 0xffffffff;
  const lon = (r.u32le() * 180) / 0xffffffff;
  const flags = r.u8();
  const spd = r.u16le();
  const dir = r.u8();
  m[P.lat] = round6(flags & 0x20 ? -lat : lat) || 0; // || 0: no -0 for the equator
  m[P.lon] = round6(flags & 0x40 ? -lon : lon) || 0;
  m[P.valid] = (flags & 0x01) !== 0;
  m[P.fix3d] = (flags & 0x02) !== 0;
  if (flags & 0x04) m[P.pz90] = true;
  m[P.buffered] = (flags & 0x08) !== 0;
  m[P.motion] = (flags & 0x10) !== 0;
  m[P.speed] = (spd & 0x3fff) / 10;
  m[P.course] = dir | ((spd >> 15) << 8);
  m[P.mileage] = u24(r) / 10;
  m[P.din] = r.u8();
  const src = r.u8();
  m[P.event] = src;
  const alarm = ALARMS[src];
  if (alarm) m[P.alarm] = alarm;
  if (flags & 0x80) {
    const alt = u24(r);
    m[P.altitude] = spd & 0x4000 && alt !== 0 ? -alt : alt;
  }
  if (r.remaining >= 2) m[P.sourceData] = r.u16le();
}

/** EGTS_SR_EXT_POS_DATA: flags (0 VFE, 1 HFE, 2 PFE, 3 SFE, 4 NSFE) | [VDOP] [HDOP] [PDOP] u16 ×0.01 | [SAT] | [NS u16]. */
function extPosData(r: Reader, m: Message): void {
  const flags = r.u8();
  if (flags & 0x01) m[P.vdop] = r.u16le() / 100;
  if (flags & 0x02) m[P.hdop] = r.u16le() / 100;
  if (flags & 0x04) m[P.pdop] = r.u16le() / 100;
  if (flags & 0x08) m[P.sats] = r.u8();
  if (flags & 0x10) m[P.navSystems] = r.u16le();
}

/** EGTS_SR_AD_SENSORS_DATA: DIOE bitmask | DOUT | ASFE bitmask | ADIO n (one byte each) | ANS n (u24 each). */
function adSensors(r: Reader, m: Message): void {
  const dioe = r.u8();
  m[P.dout] = r.u8();
  const asfe = r.u8();
  for (let i = 0; i < 8; i++) if (dioe & (1 << i)) m[adio(i + 1)] = r.u8();
  for (let i = 0; i < 8; i++) if (asfe & (1 << i)) m[ain(i + 1)] = u24(r);
}

/** EGTS_SR_COUNTERS_DATA: CFE bitmask | CN n (u24 each). */
function counters(r: Reader, m: Message): void {
  const cfe = r.u8();
  for (let i = 0; i < 8; i++) if (cfe & (1 << i)) m[counter(i + 1)] = u24(r);
}

/** EGTS_SR_STATE_DATA: ST | MPSV, BBV, IBV ×0.1 V | flags (0 BBU, 1 IBU, 2 NMS). */
function stateData(r: Reader, m: Message): void {
  m[P.state] = r.u8();
  m[P.power] = r.u8() / 10;
  m[P.backupBattery] = r.u8() / 10;
  m[P.battery] = r.u8() / 10;
  const flags = r.u8();
  m[P.backupUsed] = (flags & 0x01) !== 0;
  m[P.internalUsed] = (flags & 0x02) !== 0;
  m[P.navModule] = (flags & 0x04) !== 0;
}

/** EGTS_SR_LOOPIN_DATA: LIFE bitmask | a 4-bit state per present input, two per byte, the first in the low nibble. */
function loopInputs(r: Reader, m: Message): void {
  const life = r.u8();
  let k = 0;
  let byte = 0;
  for (let i = 0; i < 8; i++) {
    if (!(life & (1 << i))) continue;
    if (k % 2 === 0) byte = r.u8();
    m[loopIn(i + 1)] = k % 2 === 0 ? byte & 0x0f : byte >> 4;
    k++;
  }
}

/** EGTS_SR_ABS_DIG_SENS_DATA / ABS_LOOPIN_DATA: u16, state in bits 0-3, sensor number in bits 4-15. */
function numberedState(r: Reader, m: Message, name: (n: number) => string): void {
  const v = r.u16le();
  m[name(v >> 4)] = v & 0x0f;
}

/**
 * EGTS_SR_LIQUID_LEVEL_SENSOR: flags (0-2 LLSN, 3 RDF raw, 4-5 LLSVU: 0 uncalibrated, 1 %, 2 0.1
 * litre, 6 LLSEF error) | MADDR u16 | LLSD u32 (or the sensor's bytes as sent when RDF).
 */
function liquidLevel(r: Reader, m: Message): void {
  const flags = r.u8();
  const n = flags & 0x07;
  const unit = (flags >> 4) & 0x03;
  const address = r.u16le();
  if (address !== 0) m[lls(n, 'address')] = address;
  if (flags & 0x40) m[lls(n, 'error')] = true;
  if (flags & 0x08) {
    m[lls(n, 'raw')] = r.bytes(r.remaining).toString('hex');
    return;
  }
  const value = r.u32le();
  m[fuelN(n)] = unit === 2 ? value / 10 : value;
  m[lls(n, 'unit')] = unit;
}

function u24(r: Reader): number {
  return r.bytes(3).readUIntLE(0, 3);
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
