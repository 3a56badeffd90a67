import type { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { ALARM_CODE_NAME, ALARM_TYPES, alarmThresholdName, alarmValueName, IGNITION_ALARMS } from '../params.js';

/** One §1.1.2.10 ALARM_DATA entry: new-alarm flag u8, alarm type u8, current value u16, threshold u16. */
interface Alarm {
  readonly active: boolean;
  readonly code: number;
  readonly value: number;
  readonly threshold: number;
}

/** Alarm count u8, then the entries (6 bytes each). */
export function readAlarms(r: Reader): Alarm[] {
  const count = r.u8();
  const alarms: Alarm[] = [];
  for (let i = 0; i < count; i++) alarms.push({ active: r.u8() !== 0, code: r.u8(), value: r.u16le(), threshold: r.u16le() });
  return alarms;
}

/**
 * Applies the alarms to a message: the first new alarm of a known type is `alarm.type` (its code
 * `castel.alarm.code`), 0x16/0x17 set the ignition, and each alarm keeps its current value and
 * threshold (`castel.alarm.<type>`, `castel.alarm.<type>.threshold`).
 */
export function applyAlarms(m: Message, alarms: readonly Alarm[]): void {
  for (const a of alarms) {
    m[alarmValueName(a.code)] = a.value;
    m[alarmThresholdName(a.code)] = a.threshold;
    if (!a.active) continue;
    const ignition = IGNITION_ALARMS[a.code];
    if (ignition !== undefined) {
      m['engine.ignition.status'] = ignition;
      continue;
    }
    if (m['alarm.event.trigger'] === true) continue;
    m['alarm.event.trigger'] = true;
    m[ALARM_CODE_NAME] = a.code;
    const type = ALARM_TYPES[a.code];
    if (type) m['alarm.type'] = type;
  }
}
