import { type ParamDef, type ParamRow, paramTable } from '../common/params.js';

/**
 * Ruptela IO elements → message parameters (DESIGN §3). One line per element; the decoder holds no
 * per-element branches. Ids are the same in command 1 (u8 ids) and command 68 (u16 ids).
 * Sources: the Ruptela notes in ../shared/protocols; Ruptela FM manuals (DIN4 is the wired
 * ignition input, "GSM signal level 0-31" as AT+CSQ); the ids and scales Traccar's Ruptela decoder
 * uses (facts only). Unknown ids are kept as `io.<id>` (raw integer, or hex above 2^53).
 * Columns: id, name, kind, divisor (the raw integer is divided by it).
 */
const IO_ROWS: readonly ParamRow[] = [
  [2, 'din.1', 'bool'],
  [3, 'din.2', 'bool'],
  [4, 'din.3', 'bool'],
  [5, 'din.4', 'bool'], // the ignition input on FM devices; see FALLBACKS
  [13, 'movement.status', 'bool'],
  [20, 'ain.3', 'u', 1000], // mV → V
  [21, 'ain.4', 'u', 1000],
  [22, 'ain.1', 'u', 1000],
  [23, 'ain.2', 'u', 1000],
  [27, 'gsm.signal.level', 'u'], // 0..31 as AT+CSQ (99 = unknown)
  [29, 'external.powersource.voltage', 'u', 1000], // mV → V
  [30, 'battery.voltage', 'u', 1000], // mV → V
  [32, 'device.temperature', 's'], // °C, PCB
  [34, 'ibutton.code', 'hex'], // 8-byte iButton id
  [39, 'can.engine.load', 'u'], // %
  [65, 'vehicle.mileage', 'u', 1000], // virtual (GPS) odometer, m → km
  [74, 'sensor.temperature.4', 's', 10], // °C
  [78, 'sensor.temperature.1', 's', 10], // 1-Wire sensor 0, °C
  [79, 'sensor.temperature.2', 's', 10],
  [80, 'sensor.temperature.3', 's', 10],
  [88, 'gsm.jamming.status', 'bool'], // alarm: jamming
  [94, 'obd.engine.rpm', 'u', 4],
  [95, 'obd.vehicle.speed', 'u'], // km/h
  [98, 'can.fuel.level', 'u', 2.55], // 0..255 → %
  [100, 'can.fuel.rate', 'u', 20], // l/h
  [134, 'harsh.braking.status', 'bool'], // alarm: hard_braking
  [136, 'harsh.acceleration.status', 'bool'], // alarm: hard_acceleration
  [150, 'gsm.operator.code', 'u'], // MCC+MNC
  [163, 'can.vehicle.mileage', 'u', 200], // 5 m units → km
  [164, 'can.trip.mileage', 'u', 200], // 5 m units → km
  [165, 'can.vehicle.speed', 'u', 256], // km/h
  [166, 'can.engine.rpm', 'u', 8],
  [170, 'battery.charging.status', 'bool'],
  [173, 'movement.status', 'bool'], // movement sensor
  [197, 'can.engine.rpm', 'u', 8],
  [205, 'fuel.level', 'u'],
  [207, 'obd.fuel.level', 'u', 2.5], // %
  [208, 'can.fuel.used', 'u', 2], // l
  [251, 'engine.ignition.status', 'bool'],
  [409, 'engine.ignition.status', 'bool'],
  [410, 'towing.status', 'bool'], // alarm: tow
  [411, 'crash.status', 'bool'], // alarm: accident
  [415, 'gnss.antenna.status', 'bool'], // alarm: gps_antenna_cut
  [645, 'obd.vehicle.mileage', 'u'], // km
  [758, 'tamper.status', 'u'], // alarm: tamper
];

/** When the record is an alarm of `type`: the element's raw value is non-zero, zero, or exactly one. */
export type AlarmWhen = 'nonzero' | 'zero' | 'one';
type AlarmRow = readonly [id: number, type: string, when: AlarmWhen];

/** IO elements that make the record an alarm (`alarm.type`), by their raw value. */
const ALARM_ROWS: readonly AlarmRow[] = [
  [88, 'jamming', 'nonzero'],
  [134, 'hard_braking', 'nonzero'],
  [136, 'hard_acceleration', 'nonzero'],
  [410, 'tow', 'nonzero'],
  [411, 'accident', 'nonzero'],
  [415, 'gps_antenna_cut', 'zero'],
  [758, 'tamper', 'one'],
];

/** A Ruptela IO element: the parameter, and the alarm it raises. */
export interface RuptelaIoDef extends ParamDef {
  readonly alarm?: readonly [type: string, when: AlarmWhen];
}

/** Dense lookup by IO id (ids are at most u16). */
export const IO_TABLE: ReadonlyArray<RuptelaIoDef | undefined> = withAlarms(paramTable(IO_ROWS, 65536, 'Ruptela IO'), ALARM_ROWS);

function withAlarms(table: ReadonlyArray<ParamDef | undefined>, alarms: readonly AlarmRow[]): ReadonlyArray<RuptelaIoDef | undefined> {
  const out: (RuptelaIoDef | undefined)[] = [...table];
  for (const [id, type, when] of alarms) {
    const def = table[id];
    if (!def) throw new Error(`Ruptela alarm for IO id ${id}, which is not in the table`);
    out[id] = { ...def, alarm: [type, when] };
  }
  return out;
}

/** Elements sent in parts: the parts' bytes are joined, in order, into one parameter. */
export interface CombinedDef {
  readonly ids: readonly number[];
  readonly name: string;
  readonly kind: 'ascii' | 'hex';
}
export const COMBINED: readonly CombinedDef[] = [
  { ids: [126, 127], name: 'can.driver.id', kind: 'ascii' }, // CAN tachograph driver 1 card, 2 × 8 ASCII
  { ids: [155, 156], name: 'tachograph.driver.id', kind: 'ascii' }, // tachograph (TCO) driver card
  { ids: [104, 105, 106], name: 'vehicle.vin', kind: 'ascii' }, // CAN VIN, 3 × 8 ASCII
  { ids: [760, 761], name: 'tag.id', kind: 'hex' },
];

/** When a record lacks `name`, it takes the value of `from` (DIN4 is the wired ignition input). */
export const FALLBACKS: readonly (readonly [name: string, from: string])[] = [['engine.ignition.status', 'din.4']];

/** IO id → the combined element it is part of. */
export const COMBINED_PART: ReadonlyMap<number, CombinedDef> = new Map(COMBINED.flatMap((c) => c.ids.map((id) => [id, c] as const)));
