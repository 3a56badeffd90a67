/**
 * Ruptela IO elements → message parameters (DESIGN §3). One line per element; the decoder holds no
 * per-element branches. Ids are the same in command 1 (u8 ids) and command 68 (u16 ids).
 * Sources: the Ruptela notes in ../shared/protocols; Ruptela FM manuals (DIN4 is the wired
 * ignition input, "GSM signal level 0-31" as AT+CSQ); the ids and scales Traccar's Ruptela decoder
 * uses (facts only). Unknown ids are kept as `io.<id>` (raw integer, or hex above 2^53).
 *
 * kind: `u` unsigned, `s` signed (two's complement of the element's size), `bool` (non-zero),
 * `hex` (raw bytes), `ascii` (text). `scale` multiplies the raw integer. `alarm`: the record is an
 * alarm of that type when the raw value is non-zero / zero / exactly one.
 */
export type IoKind = 'u' | 's' | 'bool' | 'hex' | 'ascii';
export type AlarmWhen = 'nonzero' | 'zero' | 'one';
export interface IoDef {
  readonly name: string;
  readonly kind: IoKind;
  readonly scale?: number;
  readonly alarm?: readonly [type: string, when: AlarmWhen];
}

type Row = readonly [id: number, name: string, kind: IoKind, scale?: number, alarm?: readonly [string, AlarmWhen]];

const T: readonly Row[] = [
  [2, 'din.1', 'bool'],
  [3, 'din.2', 'bool'],
  [4, 'din.3', 'bool'],
  [5, 'din.4', 'bool'], // the ignition input on FM devices; see FALLBACKS
  [13, 'movement.status', 'bool'],
  [20, 'ain.3', 'u', 0.001], // mV → V
  [21, 'ain.4', 'u', 0.001],
  [22, 'ain.1', 'u', 0.001],
  [23, 'ain.2', 'u', 0.001],
  [27, 'gsm.signal.level', 'u'], // 0..31 as AT+CSQ (99 = unknown)
  [29, 'external.powersource.voltage', 'u', 0.001], // mV → V
  [30, 'battery.voltage', 'u', 0.001], // mV → V
  [32, 'device.temperature', 's'], // °C, PCB
  [34, 'ibutton.code', 'hex'], // 8-byte iButton id
  [39, 'can.engine.load', 'u'], // %
  [65, 'vehicle.mileage', 'u', 0.001], // virtual (GPS) odometer, m → km
  [74, 'sensor.temperature.4', 's', 0.1], // °C
  [78, 'sensor.temperature.1', 's', 0.1], // 1-Wire sensor 0, °C
  [79, 'sensor.temperature.2', 's', 0.1],
  [80, 'sensor.temperature.3', 's', 0.1],
  [88, 'gsm.jamming.status', 'bool', undefined, ['jamming', 'nonzero']],
  [94, 'obd.engine.rpm', 'u', 0.25],
  [95, 'obd.vehicle.speed', 'u'], // km/h
  [98, 'can.fuel.level', 'u', 100 / 255], // 0..255 → %
  [100, 'can.fuel.rate', 'u', 0.05], // l/h
  [134, 'harsh.braking.status', 'bool', undefined, ['hard_braking', 'nonzero']],
  [136, 'harsh.acceleration.status', 'bool', undefined, ['hard_acceleration', 'nonzero']],
  [150, 'gsm.operator.code', 'u'], // MCC+MNC
  [163, 'can.vehicle.mileage', 'u', 0.005], // 5 m units → km
  [164, 'can.trip.mileage', 'u', 0.005], // 5 m units → km
  [165, 'can.vehicle.speed', 'u', 1 / 256], // km/h
  [166, 'can.engine.rpm', 'u', 0.125],
  [170, 'battery.charging.status', 'bool'],
  [173, 'movement.status', 'bool'], // movement sensor
  [197, 'can.engine.rpm', 'u', 0.125],
  [205, 'fuel.level', 'u'],
  [207, 'obd.fuel.level', 'u', 0.4], // %
  [208, 'can.fuel.used', 'u', 0.5], // l
  [251, 'engine.ignition.status', 'bool'],
  [409, 'engine.ignition.status', 'bool'],
  [410, 'towing.status', 'bool', undefined, ['tow', 'nonzero']],
  [411, 'crash.status', 'bool', undefined, ['accident', 'nonzero']],
  [415, 'gnss.antenna.status', 'bool', undefined, ['gps_antenna_cut', 'zero']],
  [645, 'obd.vehicle.mileage', 'u'], // km
  [758, 'tamper.status', 'u', undefined, ['tamper', 'one']],
];

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

/** Dense lookup by IO id (ids are at most u16). */
export const IO_TABLE: ReadonlyArray<IoDef | undefined> = (() => {
  const table: (IoDef | undefined)[] = new Array(65536);
  for (const [id, name, kind, scale, alarm] of T) {
    if (table[id]) throw new Error(`duplicate Ruptela IO id ${id}`);
    table[id] = { name, kind, ...(scale === undefined ? {} : { scale }), ...(alarm ? { alarm } : {}) };
  }
  return table;
})();

/** IO id → the combined element it is part of. */
export const COMBINED_PART: ReadonlyMap<number, CombinedDef> = new Map(COMBINED.flatMap((c) => c.ids.map((id) => [id, c] as const)));
