import { type ParamDef, type ParamRow, paramTable } from '../common/params.js';

/**
 * JT/T 808 fields → message parameters (DESIGN §3). Sources: JT/T 808-2019 §8.21 (location basic
 * information and additional items), §8.12 (terminal parameters), JT/T 1078-2016 (video alarm
 * items), and the vendor items (0x51–0xFE) as Traccar's Jt808ProtocolDecoder reads them.
 */

/** Names used by more than one record decoder. */
export const P = {
  lat: 'position.latitude',
  lon: 'position.longitude',
  altitude: 'position.altitude',
  speed: 'position.speed', // km/h
  course: 'position.direction',
  valid: 'position.valid',
  sats: 'position.satellites',
  hdop: 'position.hdop',
  ignition: 'engine.ignition.status',
  blocked: 'engine.blocked.status',
  motion: 'movement.status',
  door: 'door.status',
  charge: 'battery.charging.status',
  batteryLevel: 'battery.level', // %
  battery: 'battery.voltage', // V
  power: 'external.powersource.voltage', // V
  rssi: 'gsm.signal.level',
  mileage: 'vehicle.mileage', // km
  fuel: 'fuel.level',
  iccid: 'gsm.sim.iccid',
  vin: 'vehicle.vin',
  driverId: 'ibutton.code',
  event: 'event.enum',
  alarm: 'alarm.type',
  alarmTrigger: 'alarm.event.trigger',
  archive: 'message.buffered.status', // a batch (0x0704 type 1) or 0x5502 "blind area" record
  response: 'command.response',
  cells: 'gsm.cells', // [[lac, cid, rssi], ...]
  wifi: 'wifi.access.points', // [[mac, rssi], ...]
  rpm: 'obd.engine.rpm',
  obdSpeed: 'obd.vehicle.speed', // km/h
  throttle: 'obd.throttle', // %
  engineLoad: 'obd.engine.load', // %
  coolant: 'obd.engine.coolant.temperature', // °C
  obdMileage: 'obd.mileage', // km
  dtcs: 'obd.dtc.codes', // space-separated
  fuelUsed: 'vehicle.fuel.used', // L
  fuelConsumption: 'fuel.consumption', // L/100 km or L/h as sent
  tripMileage: 'trip.mileage', // km
  model: 'device.model',
  firmware: 'firmware.version',
  hardware: 'hardware.version',
  deviceTemp: 'device.temperature', // °C
  alarmFlags: 'jt808.alarm.flags', // §8.21 alarm flag DWORD as sent
  status: 'jt808.status', // §8.21 status DWORD as sent
  timezone: 'jt808.timezone', // text as the device reports it ("UTC+08:00")
  alarmLabel: 'jt808.alarm.label', // active-safety alarm identification (16 bytes, hex)
} as const;

/** Temperature sensor N (°C), humidity N (%), analog input N (V), fuel sensor N. */
export const temp = (n: number): string => `sensor.temperature.${n}`;
export const humidity = (n: number): string => `sensor.humidity.${n}`;
export const ain = (n: number): string => `ain.${n}`;
export const fuelN = (n: number): string => `fuel.level.${n}`;
/** An additional item without a known meaning, kept as hex under its id: `jt808.item.e0`. */
export const itemName = (id: number): string => `jt808.item.${id.toString(16).padStart(2, '0')}`;

/**
 * Additional items read as one value each (§8.21 table of additional information; the rest have
 * their own readers in records/items.ts). Columns: id, name, kind, divisor. `u`/`s` read the whole
 * item as one integer; `ascii` is trimmed of NUL padding.
 */
const ITEM_ROWS: readonly ParamRow[] = [
  [0x01, P.mileage, 'u', 10], // DWORD, 1/10 km
  [0x03, 'jt808.tachograph.speed', 'u', 10], // WORD, 1/10 km/h, from the tachograph
  [0x04, 'jt808.alarm.event.id', 'u'], // WORD, alarm event needing manual confirmation
  [0x14, 'jt808.video.alarm', 'u'], // JT/T 1078: video alarm flags
  [0x15, 'jt808.video.loss', 'u'], // JT/T 1078: channels with signal loss
  [0x16, 'jt808.video.occlusion', 'u'], // JT/T 1078: channels with occlusion
  [0x17, 'jt808.storage.fault', 'u'], // JT/T 1078: storage fault flags
  [0x18, 'jt808.driving.behaviour', 'u'], // JT/T 1078: abnormal driving behaviour
  [0x25, 'jt808.signal.status', 'u'], // DWORD, extended vehicle signal status bits
  [0x2a, 'jt808.io.status', 'u'], // WORD, IO status bits
  [0x30, P.rssi, 'u'], // BYTE, wireless signal strength
  [0x31, P.sats, 'u'], // BYTE, GNSS satellites
  [0x67, 'jt808.lock.password', 'ascii'],
  [0x69, P.battery, 'u', 100],
  [0x82, P.power, 'u', 10],
  [0x94, P.vin, 'ascii'],
  [0xac, P.mileage, 'u', 1000], // m
  [0xbc, 'jt808.driver.name', 'ascii'],
  [0xbd, P.driverId, 'ascii'],
  [0xcc, P.iccid, 'ascii'],
  [0xd3, P.power, 'u', 10],
  [0xed, 'jt808.card', 'ascii'],
  [0xf1, P.power, 'u', 1000],
  [0xf2, P.firmware, 'ascii'],
  [0xfb, 'jt808.container', 'ascii'],
  [0xfc, 'jt808.geofence.id', 'u'],
];

export const ITEM_TABLE: ReadonlyArray<ParamDef | undefined> = paramTable(ITEM_ROWS, 256, 'JT/T 808 additional item');

/**
 * §8.21 alarm flag bits → alarm.type (bits without a row stay in `jt808.alarm.flags` only). Bits
 * 15–17 are reserved in the standard; trackers use them for vibration and tamper (as Traccar reads them).
 */
export const ALARM_BITS: ReadonlyArray<readonly [bit: number, alarm: string]> = [
  [0, 'sos'], // emergency
  [1, 'overspeed'],
  [2, 'fatigue_driving'],
  [4, 'fault'], // GNSS module fault
  [5, 'gps_antenna_cut'], // antenna disconnected
  [6, 'gps_antenna_cut'], // antenna short circuit
  [7, 'low_power'], // main power undervoltage
  [8, 'power_cut'], // main power off
  [9, 'fault'], // display
  [10, 'fault'], // TTS module
  [11, 'fault'], // camera
  [15, 'vibration'],
  [16, 'tamper'],
  [17, 'tamper'],
  [19, 'parking'], // parking overtime
  [20, 'geofence'], // in/out of area
  [21, 'geofence'], // in/out of route
  [24, 'fault'], // VSS fault
  [25, 'fuel_leak'], // abnormal fuel
  [26, 'general'], // vehicle stolen
  [28, 'movement'], // illegal displacement
  [29, 'accident'], // collision
  [30, 'accident'], // rollover
  [31, 'door'], // illegal door opening
];

/** Device families whose vendor items or bits read differently, chosen by `settings.modelOverride` or the registered model. */
export type Family = 'padlock' | 'aovx' | 'jimi' | 'mv' | 'c5' | 'dt800' | 'vl300';

const FAMILIES: ReadonlyArray<readonly [Family, readonly string[]]> = [
  ['padlock', ['G-360P', 'G-508P']],
  ['aovx', ['AL300', 'GL100']],
  ['jimi', ['JC371', 'JC181', 'JC182', 'JC450', 'JC451']],
  ['mv', ['MV810G', 'MV710G']],
  ['c5', ['C5', 'C5L']],
  ['dt800', ['DT800']],
  ['vl300', ['VL300']],
];

export function familyOf(model: string | undefined): Family | undefined {
  if (!model) return undefined;
  return FAMILIES.find(([, models]) => models.includes(model))?.[0];
}

/** Value types of §8.12 terminal parameters. */
export type ParamType = 'u8' | 'u16' | 'u32' | 'string';

/**
 * §8.12 terminal parameters the hub reads and writes (id, type, setting name). Other ids are
 * reported as hex by 0x0104 decoding and can be written as `{hex}`.
 */
export const TERMINAL_PARAMS: ReadonlyArray<readonly [id: number, type: ParamType, setting?: string]> = [
  [0x0001, 'u32', 'heartbeat_interval'], // s
  [0x0002, 'u32'], // TCP answer timeout, s
  [0x0003, 'u32'], // TCP retransmissions
  [0x0010, 'string', 'apn'],
  [0x0011, 'string'], // APN user
  [0x0012, 'string'], // APN password
  [0x0013, 'string', 'server_address'],
  [0x0018, 'u32', 'server_port'], // TCP port
  [0x0019, 'u32'], // UDP port
  [0x0020, 'u32'], // report strategy: 0 time, 1 distance, 2 both
  [0x0021, 'u32'], // report scheme: 0 by ACC, 1 by login and ACC
  [0x0027, 'u32', 'sleep_report_interval'], // s
  [0x0028, 'u32'], // emergency report interval, s
  [0x0029, 'u32', 'report_interval'], // default report interval, s
  [0x002c, 'u32', 'report_distance'], // default report distance, m
  [0x0030, 'u32'], // corner retransmission angle, degrees
  [0x0055, 'u32', 'overspeed_limit'], // km/h
  [0x0056, 'u32'], // overspeed duration, s
  [0x0080, 'u32'], // odometer, 1/10 km
  [0x0083, 'string'], // licence plate
  [0x0084, 'u8'], // plate colour
];
