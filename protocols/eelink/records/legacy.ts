import { unknownParamName } from '../../common/params.js';
import type { Message } from '../../common/types.js';
import { Pid } from '../constants.js';
import { adc, OBD_PIDS, P } from '../params.js';
import { alarmParams, type Ctx, coordinate, keepRest, setTime, statusParams } from './common.js';

/** 1.x state types followed by the device time and the status word. */
const STATE_WITH_STATUS: ReadonlySet<number> = new Set([0x01, 0x02, 0x03]);
/** 1.x OBD package: PID u8 + 4 data bytes. */
const OBD_ELEMENT = 5;

/**
 * 1.x packages with a fix (0x02 GPS, 0x04 alarm, 0x05 state, 0x06 SMS): time u32, latitude and
 * longitude i32 (1/1,800,000°), speed u8 km/h, course u16, MCC, MNC, LAC u16, CID u24, fix flags
 * u8 (bit 0: valid). Then 0x02: status word, battery mV, signal, two ADC values (each when there);
 * 0x04: alarm code; 0x05: state type, and for types 1–3 the device time and status word. The rest
 * (0x06: the message) is kept as hex.
 */
export function legacy(c: Ctx): void {
  const r = c.r;
  const m: Message = {};
  setTime(m, r.u32(), c.receivedAt);
  m[P.lat] = coordinate(r.i32());
  m[P.lon] = coordinate(r.i32());
  m[P.speed] = r.u8();
  m[P.course] = r.u16();
  m[P.mcc] = r.u16();
  m[P.mnc] = r.u16();
  m[P.lac] = r.u16();
  m[P.cid] = r.u24();
  m[P.valid] = (r.u8() & 0x01) !== 0;
  if (c.pid === Pid.Gps) {
    if (r.remaining >= 2) statusParams(m, r.u16(), false);
    if (r.remaining >= 8) {
      m[P.battery] = r.u16() / 1000;
      m[P.rssi] = r.u16();
      m[adc(1)] = r.u16();
      m[adc(2)] = r.u16();
    }
  } else if (c.pid === Pid.Alarm) {
    alarmParams(m, r.u8());
  } else if (c.pid === Pid.State) {
    const type = r.u8();
    m[P.event] = type;
    if (STATE_WITH_STATUS.has(type) && r.remaining >= 4) {
      r.skip(4); // device time of the state change
      if (r.remaining >= 2) statusParams(m, r.u16(), false);
    }
  }
  keepRest(c, m);
  c.messages.push(m);
}

/** §5.3 heartbeat (1.x and 2.0): the status word; a package without one carries nothing. */
export function heartbeat(c: Ctx): void {
  if (c.r.remaining < 2) return;
  const m: Message = {};
  statusParams(m, c.r.u16(), false);
  keepRest(c, m);
  c.messages.push(m);
}

/**
 * 1.x OBD package 0x07: 4 bytes are a status word (as a heartbeat); otherwise device time u32, then
 * PID u8 + 4 data bytes per element (params.ts OBD_PIDS; unknown PIDs keep their bytes as hex).
 */
export function obd(c: Ctx): void {
  if (c.r.remaining === 4) {
    heartbeat(c);
    return;
  }
  const r = c.r;
  const m: Message = {};
  setTime(m, r.u32(), c.receivedAt);
  while (r.remaining >= OBD_ELEMENT) {
    const pid = r.u8();
    const data = r.bytes(4);
    const row = OBD_PIDS.get(pid);
    if (!row) {
      m[unknownParamName(pid, 'eelink.obd')] = data.toString('hex');
      continue;
    }
    const [, name, bytes, divisor = 1, offset = 0] = row;
    const raw = bytes === 4 ? data.readInt32BE(0) : data.readUIntBE(0, bytes);
    m[name] = Math.round((raw / divisor + offset) * 1000) / 1000;
  }
  keepRest(c, m);
  c.messages.push(m);
}
