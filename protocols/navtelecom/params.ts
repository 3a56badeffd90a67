import { NtcbFormat } from './constants.js';

/**
 * Navtelecom fields → message parameters (DESIGN §3), one line per field: the record decoders hold
 * no per-field branches. Sources: the FLEX field tables of Navtelecom's "Protocol of information
 * exchange" v6.x (§1.2.2: sizes of fields 1-255, as also published by the vendor's parameter sheet
 * and used by open FLEX parsers), the NTCB telemetry formats F1.0-F6.0 (§2.4) and the navtelecom
 * notes in ../shared/protocols/README.md (Traccar's `navis` decoder, facts only). Fields without a
 * line keep the vendor's number: `navtelecom.flex.<n>`, never dropped.
 */

/**
 * Bytes of FLEX fields 1..255 (index n-1 holds field n), 16 to a line. FLEX 1.0 uses fields 1-69,
 * FLEX 2.0 1-122, FLEX 3.0 1-255. Field 100 is 2 bytes in the v6.1 table (older copies say 1).
 */
// biome-ignore format: the table keeps 16 fields to a line, as the spec's table is read
export const FLEX_FIELD_SIZES: readonly number[] = [
  4, 2, 4, 1, 1, 1, 1, 1, 4, 4, 4, 4, 4, 2, 4, 4, // 1-16
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, // 17-32
  4, 4, 2, 2, 4, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, // 33-48
  1, 1, 1, 1, 2, 4, 2, 1, 4, 2, 2, 2, 2, 2, 1, 1, // 49-64
  1, 2, 4, 2, 1, 8, 2, 1, 16, 4, 2, 4, 37, 1, 1, 1, // 65-80
  1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 6, 12, 24, // 81-96
  48, 1, 1, 2, 1, 4, 4, 1, 4, 2, 6, 2, 6, 2, 2, 2, // 97-112
  2, 2, 2, 2, 2, 1, 2, 2, 2, 1, 1, 1, 1, 1, 4, 4, // 113-128
  4, 4, 4, 4, 2, 2, 2, 2, 2, 2, 1, 1, 2, 3, 2, 1, // 129-144
  1, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, // 145-160
  2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 2, 4, 4, 4, 2, 4, // 161-176
  2, 2, 4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, // 177-192
  4, 4, 4, 4, 6, 3, 1, 2, 2, 1, 4, 5, 4, 4, 1, 1, // 193-208
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, // 209-224
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 4, 4, 4, // 225-240
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 8, //    241-255
];

/**
 * How a FLEX field reads (all little endian): `u`/`s` integer of the field's size divided by
 * `divisor`, `f` float32, `hex` raw bytes; `time` u32 seconds since 1970; `nav` navigation state
 * (bit 1 valid fix, bits 2-7 satellites); `coord` i32 in 1/600000 degree (0.0001'); `status` the
 * device status byte (see STATUS_BITS); `low`/`high` the low or high byte of a 16-bit mask;
 * `dop` HDOP u8 then PDOP u8, ×0.1.
 */
export type FlexKind = 'u' | 's' | 'f' | 'hex' | 'time' | 'nav' | 'coord' | 'status' | 'low' | 'high' | 'dop';

export interface FlexFieldDef {
  /** The vendor's field number (1-255). */
  readonly n: number;
  readonly size: number;
  readonly name: string;
  readonly kind: FlexKind;
  readonly divisor?: number;
}

type FlexRow = readonly [n: number, name: string, kind: FlexKind, divisor?: number];

const FLEX_ROWS: readonly FlexRow[] = [
  [1, 'navtelecom.record.index', 'u'], // through record number in the terminal's memory
  [2, 'event.enum', 'u'], // event code of the record
  [3, 'timestamp', 'time'], // event time: when the record was made (the device time)
  [4, 'navtelecom.status', 'status'], // device status bits
  [5, 'navtelecom.modules.status.1', 'u'], // functional modules status 1
  [6, 'navtelecom.modules.status.2', 'u'], // functional modules status 2
  [7, 'gsm.signal.level', 'u'],
  [8, 'position', 'nav'], // navigation sensor state
  [9, 'navtelecom.fix.timestamp', 'time'], // time of the last valid coordinates
  [10, 'position.latitude', 'coord'],
  [11, 'position.longitude', 'coord'],
  [12, 'position.altitude', 's', 10], // i32 ×0.1 m
  [13, 'position.speed', 'f'], // km/h
  [14, 'position.direction', 'u'], // degrees
  [15, 'vehicle.mileage', 'f'], // km
  [16, 'navtelecom.distance', 'f'], // km, the last segment
  [19, 'external.powersource.voltage', 'u', 1000], // mV → V
  [20, 'battery.voltage', 'u', 1000], // backup battery, mV → V
  ...range(21, 28, (i) => [i, `ain.${i - 20}`, 'u', 1000] as const), // analog inputs 1-8, mV → V
  [29, 'din', 'low'], // digital inputs 1-8
  [30, 'din', 'high'], // digital inputs 9-16
  [31, 'dout', 'low'], // outputs 1-8
  [32, 'dout', 'high'], // outputs 9-16
  [33, 'navtelecom.counter.1', 'u'], // pulse counters
  [34, 'navtelecom.counter.2', 'u'],
  [35, 'navtelecom.frequency.1', 'u'], // frequency (fuel) inputs, Hz
  [36, 'navtelecom.frequency.2', 'u'],
  [37, 'engine.hours', 'u', 3600], // engine hours, s → h
  ...range(38, 43, (i) => [i, `fuel.level.${i - 37}`, 'u'] as const), // RS-485 fuel level sensors 1-6
  [44, 'navtelecom.fuel.level.rs232', 'u'], // RS-232 fuel level sensor
  ...range(45, 52, (i) => [i, `sensor.temperature.${i - 44}`, 's'] as const), // thermometers 1-8, °C
  [53, 'can.fuel.level', 'u'],
  [54, 'can.fuel.used', 'f'], // total fuel used, l
  [55, 'can.engine.rpm', 'u'],
  [56, 'can.engine.coolant.temperature', 's'], // °C
  [57, 'can.vehicle.mileage', 'f'], // km
  ...range(58, 62, (i) => [i, `navtelecom.can.axle.load.${i - 57}`, 'u'] as const),
  [63, 'navtelecom.can.accelerator.pedal', 'u'], // %
  [64, 'navtelecom.can.brake.pedal', 'u'], // %
  [65, 'can.engine.load', 'u'], // %
  [67, 'navtelecom.can.engine.hours', 'u'],
  [68, 'navtelecom.can.service.distance', 's'], // km to the next service
  [69, 'can.vehicle.speed', 'u'], // km/h
  [70, 'navtelecom.satellites.systems', 'hex'], // satellites per navigation system (FLEX 2.0)
  [71, 'position.hdop', 'dop'], // HDOP then PDOP, ×0.1 (FLEX 2.0)
];

/** FLEX field 4 bits decoded into common names (the raw byte is kept as `navtelecom.status`). */
export const STATUS_BITS: ReadonlyArray<readonly [bit: number, name: string]> = [
  [0, 'navtelecom.test.mode.status'],
  [2, 'alarm.event.trigger'], // alarm on
  [5, 'towing.status'], // evacuation recorded
  [6, 'navtelecom.power.saving.status'],
];

/** FLEX fields 1..255 (index n-1); fields without a row keep `navtelecom.flex.<n>` as an unsigned integer or hex. */
export const FLEX_FIELDS: readonly FlexFieldDef[] = (() => {
  const named = new Map<number, FlexRow>();
  for (const row of FLEX_ROWS) {
    if (named.has(row[0])) throw new Error(`duplicate FLEX field ${row[0]}`);
    named.set(row[0], row);
  }
  return FLEX_FIELD_SIZES.map((size, i) => {
    const n = i + 1;
    const row = named.get(n);
    if (row) return { n, size, name: row[1], kind: row[2], ...(row[3] === undefined ? {} : { divisor: row[3] }) };
    return { n, size, name: `navtelecom.flex.${n}`, kind: size === 1 || size === 2 || size === 4 ? 'u' : 'hex' };
  });
})();

function range<T>(first: number, last: number, row: (i: number) => T): T[] {
  const out: T[] = [];
  for (let i = first; i <= last; i++) out.push(row(i));
  return out;
}

/**
 * How an NTCB telemetry value reads (little endian): integers, `f32` float, `date` 6 bytes
 * hh mm ss DD MM YY (month from 0, year from 2000), `rad` float radians → degrees, `deg` i32 in
 * 1/600000 degree, `nav` the navigation state (bit 1 valid, bits 2-7 satellites on F6.0),
 * `hex<n>` n raw bytes.
 */
export type NtcbKind = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'date' | 'rad' | 'deg' | 'nav' | 'navsats' | 'hex15';
export type NtcbRow = readonly [name: string, kind: NtcbKind, divisor?: number];

/** Every format starts with these (after the format byte). */
const HEAD: readonly NtcbRow[] = [
  ['navtelecom.record.index', 'u32'],
  ['event.enum', 'u16'],
  ['timestamp', 'date'], // event time
  ['navtelecom.security.status', 'u8'], // armed state; the alarm bit per format (NTCB_ALARM_BIT)
  ['navtelecom.ntcb.status', 'u8'], // status byte (modules)
  ['gsm.signal.level', 'u8'],
];
const POWER: readonly NtcbRow[] = [
  ['external.powersource.voltage', 'u16', 1000], // mV → V
  ['battery.voltage', 'u16', 1000],
];
const COUNTERS: readonly NtcbRow[] = [
  ['navtelecom.counter.1', 'u32'],
  ['navtelecom.counter.2', 'u32'],
];
const AIN2: readonly NtcbRow[] = [
  ['ain.1', 'u16', 1000],
  ['ain.2', 'u16', 1000],
];
const TEMPS4: readonly NtcbRow[] = [1, 2, 3, 4].map((i) => [`sensor.temperature.${i}`, 'i8'] as const);
/** Movement block of F2.0 / F5.x: coordinates as float radians. */
const NAV_FLOAT: readonly NtcbRow[] = [
  ['position.valid', 'nav'],
  ['navtelecom.fix.timestamp', 'date'],
  ['position.latitude', 'rad'],
  ['position.longitude', 'rad'],
  ['position.speed', 'f32'], // km/h
  ['position.direction', 'u16'],
  ['vehicle.mileage', 'f32'], // km
  ['navtelecom.distance', 'f32'], // km, the last segment
  ['navtelecom.segment.time.1', 'u16'],
  ['navtelecom.segment.time.2', 'u16'],
];
/** Movement block of F6.0: satellites in the state byte, coordinates in 1/600000 degree, altitude. */
const NAV_INT: readonly NtcbRow[] = [
  ['position.valid', 'navsats'],
  ['navtelecom.fix.timestamp', 'date'],
  ['position.latitude', 'deg'],
  ['position.longitude', 'deg'],
  ['position.altitude', 'i32', 10], // ×0.1 m
  ...NAV_FLOAT.slice(4),
];
/** F6.0 fuel block: frequency inputs 1-2, then eight level sensors (temperature i8, level u16). */
const FUEL: readonly NtcbRow[] = [
  ['navtelecom.frequency.1', 'u16'],
  ['navtelecom.frequency.2', 'u16'],
  ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((i) => [[`fuel.temperature.${i}`, 'i8'] as const, [`fuel.level.${i}`, 'u16'] as const]),
];

const F10_IO: readonly NtcbRow[] = [['dout', 'u16'], ['din', 'u16'], ...POWER, ['device.temperature', 'i16'], ...AIN2];
const F50: readonly NtcbRow[] = [['dout', 'u8'], ['din', 'u8'], ...POWER, ...AIN2, ...COUNTERS, ...NAV_FLOAT];
/** F5.1 / F5.2 add 15 bytes of sensor data after the movement block (kept raw). */
const F51: readonly NtcbRow[] = [...F50, ['navtelecom.f5.sensors', 'hex15']];

/** The fields of each format after the format byte (the header rows first). */
export const NTCB_LAYOUTS: ReadonlyMap<number, readonly NtcbRow[]> = new Map<number, readonly NtcbRow[]>([
  [NtcbFormat.F10, [...HEAD, ...F10_IO]],
  [NtcbFormat.F20, [...HEAD, ...F10_IO, ...COUNTERS, ...NAV_FLOAT]],
  [NtcbFormat.F30, [...HEAD, ['dout', 'u16'], ['din', 'u16'], ...POWER, ['device.temperature', 'i16']]],
  [NtcbFormat.F40, [...HEAD, ['dout', 'u8'], ['din', 'u16'], ...POWER, ...TEMPS4]],
  [NtcbFormat.F50, [...HEAD, ...F50]],
  [NtcbFormat.F51, [...HEAD, ...F51]],
  [NtcbFormat.F52, [...HEAD, ...F51, ...TEMPS4]],
  [
    NtcbFormat.F60,
    [
      ...HEAD,
      ['dout', 'u8'],
      ['din', 'u8'],
      ...POWER,
      ...AIN2,
      ['ain.3', 'u16', 1000],
      ...COUNTERS,
      ...FUEL,
      ...TEMPS4,
      ['navtelecom.axle.weight', 'i32'],
      ['engine.rpm', 'u16'],
      ...NAV_INT,
    ],
  ],
]);

/** The bit of the security byte that means "alarm": bit 7 up to F5.2, bit 1 on F6.0. */
export function ntcbAlarmBit(format: number): number {
  return format === NtcbFormat.F60 ? 1 : 7;
}
