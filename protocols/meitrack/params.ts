/**
 * Meitrack data → message parameters (DESIGN §3). One line per element; the decoders hold no
 * per-element branches. Sources: MEITRACK GPRS Protocol V1.7 §1.2-1.4 (AAA fields, event codes),
 * T622 GPRS Protocol §3.45 (CCC), T366/T633L protocol CCE parameter list, and the attribute
 * choices of Traccar's MeitrackProtocolDecoder. Unknown CCE parameters are kept as `io.<id>`.
 */
import { type ParamDef, type ParamKind, paramDef } from '../common/params.js';

/** Event codes (`event.enum`) → alarm type, for the codes that are alarms. Descriptions from §1.4. */
export const ALARMS: Readonly<Record<number, string>> = {
  1: 'sos', //              SOS pressed / input 1 active
  17: 'low_battery', //     low internal battery
  18: 'low_power', //       low external battery
  19: 'overspeed', //       speeding
  20: 'geofence_enter', //  enter geo-fence
  21: 'geofence_exit', //   exit geo-fence
  22: 'power_restored', //  external battery on
  23: 'power_cut', //       external battery cut
  28: 'gps_antenna_cut', // GPS antenna cut
  36: 'tow', //             towing
  44: 'jamming', //         GSM jamming
  50: 'temperature_high', //high temperature
  51: 'temperature_low', // low temperature
  54: 'fuel_leak', //       fuel theft
  58: 'theft', //           vehicle theft
  78: 'accident', //        impact / collision
  90: 'cornering', //       sharp turn left
  91: 'cornering', //       sharp turn right
  129: 'braking', //        harsh braking
  130: 'acceleration', //   harsh acceleration
  135: 'fatigue_driving', //fatigue driving
};

/**
 * How one AAA field is read. `int`/`float` numbers, `datetime` yymmddhhmmss UTC, `validity` A|V,
 * `km` metres → km, `cell` mcc|mnc|lac(hex)|ci(hex), `io` input byte + output byte (hex), `analog`
 * AD values, `event_data` event-specific text, `text` kept as is, `fuel` integer.fraction hex,
 * `temperatures` index+value hex list, `rest` all remaining fields joined.
 */
export type ReportKind = 'int' | 'float' | 'datetime' | 'validity' | 'km' | 'cell' | 'io' | 'analog' | 'event_data' | 'text' | 'fuel' | 'temperatures' | 'rest';

/** AAA report fields after the command type, in order (GPRS protocol §1.2). The first 16 are required. */
export const REPORT_FIELDS: ReadonlyArray<readonly [name: string, kind: ReportKind]> = [
  ['event.enum', 'int'],
  ['position.latitude', 'float'],
  ['position.longitude', 'float'],
  ['timestamp', 'datetime'],
  ['position.valid', 'validity'],
  ['position.satellites', 'int'],
  ['gsm.signal.level', 'int'], //            CSQ scale 0-31
  ['position.speed', 'float'], //            km/h
  ['position.direction', 'float'],
  ['position.hdop', 'float'],
  ['position.altitude', 'float'], //         m
  ['vehicle.mileage', 'km'], //              metres on the wire
  ['meitrack.runtime', 'int'], //            s
  ['gsm', 'cell'],
  ['io', 'io'], //                           din, dout bitmasks
  ['analog', 'analog'], //                   ain.1-3, battery, external power
  ['meitrack.event.data', 'event_data'], //  rfid.code for event 37
  ['meitrack.sensor', 'text'], //            reserved / magnetic sensor field
  ['meitrack.protocol.version', 'int'],
  ['fuel.level', 'fuel'], //                 %
  ['sensor.temperature', 'temperatures'], // sensor.temperature.<index>, °C
  ['meitrack.data.count', 'int'],
  ['meitrack.data', 'rest'],
];
export const REQUIRED_REPORT_FIELDS = 16;

/** Newer firmware sends decimal voltages `battery|power|rtc|mcu|gps` instead of hex AD values. */
export const VOLTAGE_FIELDS = [
  'battery.voltage',
  'external.powersource.voltage',
  'meitrack.rtc.voltage',
  'meitrack.mcu.voltage',
  'meitrack.gps.voltage',
] as const;

/** Volts of an AD count: count × `fullScale` / `divisor` (the full-scale voltage over the converter's counts). */
export interface AdFactor {
  readonly fullScale: number;
  readonly divisor: number;
}
/** The factors of `ad1|ad2|ad3`, battery and power; `null` keeps the raw count as `meitrack.adc.<n>`. */
export interface AdScale {
  readonly ain: AdFactor | null;
  readonly battery: AdFactor | null;
  readonly power: AdFactor | null;
}
const AD_10_BIT: AdFactor = { fullScale: 3 * 2, divisor: 1024 }; //      AD × 3 × 2 / 1024
const POWER_10_BIT: AdFactor = { fullScale: 3 * 16, divisor: 1024 }; // power × 3 × 16 / 1024
const AD_12_BIT: AdFactor = { fullScale: 6.6, divisor: 4096 }; //        AD × 3.3 × 2 / 4096
const POWER_12_BIT: AdFactor = { fullScale: 52.8, divisor: 4096 }; //    power × 3.3 × 16 / 4096
const HUNDREDTHS: AdFactor = { fullScale: 1, divisor: 100 };
const TEN_BIT: AdScale = { ain: AD_10_BIT, battery: AD_10_BIT, power: POWER_10_BIT };
const TWELVE_BIT: AdScale = { ain: AD_12_BIT, battery: AD_12_BIT, power: POWER_12_BIT };
/** Models that report hex hundredths of a volt (T311, T322X, T333, T355 and all newer models). */
export const DEFAULT_AD_SCALE: AdScale = { ain: HUNDREDTHS, battery: HUNDREDTHS, power: HUNDREDTHS };
/** Model (upper case, from the `model` codec setting) → AD scale. */
export const AD_SCALES: Readonly<Record<string, AdScale>> = {
  MVT340: TEN_BIT,
  MVT380: TEN_BIT,
  MT90: { ain: AD_12_BIT, battery: AD_12_BIT, power: null },
  T1: TWELVE_BIT,
  T3: TWELVE_BIT,
  MVT100: TWELVE_BIT,
  MVT600: TWELVE_BIT,
  MVT800: TWELVE_BIT,
  TC68: TWELVE_BIT,
  TC68S: TWELVE_BIT,
};

/** Field types of the binary decoders (little-endian). `flag` is true when the byte is 1, `io` is input byte + output byte. */
export type BinaryType = 'u8' | 'u16' | 'i16' | 'u32' | 'i32' | 'time' | 'flag' | 'io';

/** CCC record, protocol 0x0102 (52 bytes, T622 protocol §3.45 / §1.2). */
export const CCC_RECORD: ReadonlyArray<readonly [name: string, type: BinaryType, divisor?: number]> = [
  ['event.enum', 'u8'],
  ['position.latitude', 'i32', 1e6],
  ['position.longitude', 'i32', 1e6],
  ['timestamp', 'time'],
  ['position.valid', 'flag'],
  ['position.satellites', 'u8'],
  ['gsm.signal.level', 'u8'], //           CSQ 0-31
  ['position.speed', 'u16'], //            km/h
  ['position.direction', 'u16'],
  ['position.hdop', 'u16', 10],
  ['position.altitude', 'i16'],
  ['vehicle.mileage', 'u32', 1000], //     m → km
  ['meitrack.runtime', 'u32'], //          s
  ['gsm.mcc', 'u16'],
  ['gsm.mnc', 'u16'],
  ['gsm.lac', 'u16'],
  ['gsm.cellid', 'u16'],
  ['io', 'io'],
  ['ain.1', 'u16', 100],
  ['battery.voltage', 'u16', 100],
  ['external.powersource.voltage', 'u16', 100],
  ['meitrack.geofence', 'u32'],
];

/**
 * A CCE parameter of a fixed-size group: an integer (`u`, `s`, `bool` non-zero, with a divisor), or
 * `as` a `time` (seconds since 2000) or `text` (the number as a decimal string).
 */
export interface CceDef extends ParamDef {
  readonly as?: 'time' | 'text';
}
type CceKind = ParamKind | 'time' | 'text';
const F: ReadonlyArray<readonly [size: 1 | 2 | 4, id: number, name: string, kind: CceKind, divisor?: number]> = [
  [1, 0x01, 'event.enum', 'u'],
  [1, 0x05, 'position.valid', 'bool'],
  [1, 0x06, 'position.satellites', 'u'],
  [1, 0x07, 'gsm.signal.level', 'u'], //            CSQ 0-31
  [1, 0x14, 'dout', 'u'],
  [1, 0x15, 'din', 'u'],
  [1, 0x47, 'meitrack.lock.state', 'u'],
  [1, 0x97, 'can.throttle.pedal.level', 'u'],
  [1, 0x9d, 'fuel.level', 'u'],
  [1, 0xfe69, 'battery.level', 'u'],
  [2, 0x08, 'position.speed', 'u'], //              km/h
  [2, 0x09, 'position.direction', 'u'],
  [2, 0x0a, 'position.hdop', 'u', 10],
  [2, 0x0b, 'position.altitude', 's'],
  [2, 0x16, 'ain.1', 'u', 100],
  [2, 0x17, 'ain.2', 'u', 100],
  [2, 0x18, 'ain.3', 'u', 100],
  [2, 0x19, 'battery.voltage', 'u', 100],
  [2, 0x1a, 'external.powersource.voltage', 'u', 100],
  [2, 0x29, 'fuel.level', 'u', 100],
  [2, 0x40, 'event.enum', 'u'],
  [2, 0x91, 'can.vehicle.speed', 'u'],
  [2, 0x92, 'can.vehicle.speed', 'u'],
  [2, 0x98, 'can.fuel.used', 'u'],
  [2, 0x99, 'can.engine.rpm', 'u'],
  [2, 0x9c, 'can.engine.coolant.temperature', 'u'],
  [2, 0xc9, 'can.fuel.consumption', 'u'],
  [4, 0x02, 'position.latitude', 's', 1e6],
  [4, 0x03, 'position.longitude', 's', 1e6],
  [4, 0x04, 'timestamp', 'time'],
  [4, 0x0c, 'vehicle.mileage', 'u', 1000], //       m → km
  [4, 0x0d, 'meitrack.runtime', 'u'], //            s
  [4, 0x25, 'rfid.code', 'text'],
  [4, 0x9b, 'can.vehicle.mileage', 'u'],
  [4, 0xa0, 'can.fuel.used', 'u', 1000],
  [4, 0xa2, 'can.fuel.consumption', 'u', 100],
  [4, 0xfef4, 'engine.motorhours', 'u', 60], //     minutes → h
];

/** CCE fixed-size parameters by group size and id. */
export const CCE_FIXED: Readonly<Record<1 | 2 | 4, ReadonlyMap<number, CceDef>>> = { 1: cceGroup(1), 2: cceGroup(2), 4: cceGroup(4) };

function cceGroup(size: 1 | 2 | 4): ReadonlyMap<number, CceDef> {
  return new Map(
    F.filter((row) => row[0] === size).map(([, id, name, kind, divisor]) => [
      id,
      kind === 'time' || kind === 'text' ? { ...paramDef(name, 'u', divisor), as: kind } : paramDef(name, kind, divisor),
    ]),
  );
}

/**
 * Variable-length CCE parameters (id, length, bytes). `cell`: mcc u16, mnc u16, lac u16, ci u32,
 * rssi i16 (dBm); `temperature`: label u8 + i16 hundredths of °C; `rfid`: ASCII card number;
 * `alarm`: alarm protocol u8, alarm type u8, [picture file name]; `ble_tag`: version, name, MAC,
 * battery %, temperature and humidity /256; `batteries`: 3 × (present, level %) + alert.
 */
export type VariableKind = 'cell' | 'temperature' | 'rfid' | 'alarm' | 'ble_tag' | 'batteries';
export const CCE_VARIABLE: ReadonlyMap<number, { readonly name: string; readonly kind: VariableKind }> = new Map([
  [0x0e, { name: 'gsm', kind: 'cell' }], //                     serving cell
  [0x2a, { name: 'sensor.temperature.1', kind: 'temperature' }],
  [0x2b, { name: 'sensor.temperature.2', kind: 'temperature' }],
  [0x2c, { name: 'sensor.temperature.3', kind: 'temperature' }],
  [0x2d, { name: 'sensor.temperature.4', kind: 'temperature' }],
  [0x2e, { name: 'sensor.temperature.5', kind: 'temperature' }],
  [0x2f, { name: 'sensor.temperature.6', kind: 'temperature' }],
  [0x30, { name: 'sensor.temperature.7', kind: 'temperature' }],
  [0x31, { name: 'sensor.temperature.8', kind: 'temperature' }],
  [0x39, { name: 'rfid.code', kind: 'rfid' }], //                magnetic / RFID driver card
  [0xfe31, { name: 'meitrack.alarm', kind: 'alarm' }], //         ADAS/DMS alarm with picture
  [0xfe73, { name: 'ble.tag', kind: 'ble_tag' }], //              BLE temperature/humidity tag
  [0xfea8, { name: 'battery', kind: 'batteries' }], //            battery levels 1-3
] as const);
