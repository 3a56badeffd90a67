import { convertParam } from '../../common/params.js';
import type { Reader } from '../../common/reader.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { Cc, MPIP_BATCH_COUNT, MPIP_BATCH_GAP, Mpip } from '../constants.js';
import { CC, CELL_NAME, FIRMWARE_NAME, HARDWARE_NAME, HISTORY_NAME, INDEX_NAME, LAC_NAME, REPORT_FLAG_NAME, REST_NAME, STAT } from '../params.js';
import { cstring, fixMessage, keepRest, readFix } from './fields.js';

/**
 * The older CC trackers (versions other than 3 and 4) and the MPIP (`$$`) form, as the castel
 * notes describe them: a GPS item with a few counters of their own, no STAT_DATA.
 */

/** CC after a fix: status u32, battery u8 (%), odometer u32 (m), geofence id, geofence flags, flags. */
function readCcStatus(r: Reader, m: Message): void {
  m[STAT.status.name] = r.u32le();
  m[CC.battery.name] = r.u8();
  m[STAT.mileage.name] = convertParam(STAT.mileage, r.u32le(), 4);
  m[CC.geofence.name] = r.u8();
  m[CC.geofenceFlags.name] = r.u8();
  m[CC.flags.name] = r.u8();
}

/**
 * CC login 0x4001: a fix, the CC status, then (when present) the cell (LAC u16, cell id u16), the
 * software and hardware versions (NUL-terminated). CC heartbeat 0x4206: history flag u8, fix count
 * u8, then per fix the CC status and the cell.
 */
export function decodeCc(type: number, r: Reader, _ctx: DecodeContext, out: Decoded): void {
  if (type === Cc.Heartbeat) {
    const history = r.u8() !== 0;
    const messages: Message[] = [];
    for (let n = r.u8(); n > 0; n--) {
      const m = fixMessage(readFix(r), { [HISTORY_NAME]: history }, undefined);
      readCcStatus(r, m);
      m[LAC_NAME] = r.u16le();
      m[CELL_NAME] = r.u16le();
      messages.push(m);
    }
    keepRest(r, messages);
    out.messages.push(...messages);
    return;
  }
  const m = readFix(r);
  readCcStatus(r, m);
  if (r.remaining >= 4) {
    m[LAC_NAME] = r.u16le();
    m[CELL_NAME] = r.u16le();
  }
  const firmware = r.remaining > 0 ? cstring(r) : '';
  const hardware = r.remaining > 0 ? cstring(r) : '';
  if (firmware) m[FIRMWARE_NAME] = firmware;
  if (hardware) m[HARDWARE_NAME] = hardware;
  keepRest(r, [m]);
  out.messages.push(m);
}

/**
 * MPIP: 0x4001, 0x4201, 0x4202, 0x4206 carry one fix; 0x2001 an index u32, the device's Unix time
 * u32 and a flag byte before it; 0x4204 eight fixes, each followed by 31 bytes (kept as hex).
 */
export function decodeMpip(type: number, r: Reader, _ctx: DecodeContext, out: Decoded): void {
  if (type === Mpip.Batch) {
    for (let i = 0; i < MPIP_BATCH_COUNT; i++) {
      const m = readFix(r);
      m[REST_NAME] = r.bytes(MPIP_BATCH_GAP).toString('hex');
      out.messages.push(m);
    }
    return;
  }
  let m: Message;
  if (type === Mpip.Report) {
    const index = r.u32le();
    const time = r.u32le();
    const flag = r.u8();
    m = fixMessage(readFix(r), { [INDEX_NAME]: index, [REPORT_FLAG_NAME]: flag }, time);
  } else {
    m = readFix(r);
  }
  keepRest(r, [m]);
  out.messages.push(m);
}
