import { type ParamDef, paramDef } from '../common/params.js';

/**
 * GT06 fields → message parameters (DESIGN §3). The decoder reads fields; this file says what they
 * are called and how codes translate. Sources: Concox GT06/GT06N protocol notes in
 * ../shared/protocols/README.md and the code tables of Traccar's Gt06ProtocolDecoder.
 */

/** Parameter names, one line per field. */
export const P = {
  time: 'timestamp',
  lat: 'position.latitude',
  lon: 'position.longitude',
  speed: 'position.speed', // km/h as sent
  course: 'position.direction',
  sats: 'position.satellites',
  satsVisible: 'position.satellites.visible',
  valid: 'position.valid',
  altitude: 'position.altitude',
  hdop: 'position.hdop',
  accuracy: 'position.accuracy', // m
  ignition: 'engine.ignition.status', // ACC
  mcc: 'gsm.mcc',
  mnc: 'gsm.mnc',
  lac: 'gsm.lac',
  cid: 'gsm.cellid',
  cells: 'gsm.cells', // [[lac, cid, rssi], ...] neighbour cells (rssi negative dBm-like as sent)
  wifi: 'wifi.access.points', // [[mac, signal|null], ...] signal byte as sent
  gsm: 'gsm.signal.level', // GT06 status packets: 0 (none) .. 4 (full); OBD6 and 0x70: 0..31
  network: 'gsm.network.technology', // "2G" | "4G"
  batteryLevel: 'battery.level', // %
  battery: 'battery.voltage', // V
  power: 'external.powersource.voltage', // V
  charging: 'battery.charging.status',
  armed: 'armed.status', // terminal info bit 0: defence activated
  blocked: 'engine.blocked.status', // terminal info bit 7: oil/electricity cut
  gpsTracking: 'gt06.gps.tracking.status', // terminal info bit 6
  status: 'gt06.status', // terminal info byte as sent
  alarm: 'alarm.type',
  alarmTrigger: 'alarm.event.trigger',
  event: 'event.enum', // alarm/event code, or the upload reason of 0x22-style packets
  eventData: 'gt06.event.data',
  eventFiles: 'gt06.event.files', // JC100/JC400 video file names
  language: 'gt06.language', // 0x01 Chinese, 0x02 English
  geofence: 'gt06.geofence.id',
  mileage: 'vehicle.mileage', // km
  hours: 'engine.hours', // h
  archive: 'message.buffered.status', // re-uploaded (buffered) record
  driver: 'ibutton.code', // driver id: iButton / RFID card
  card: 'gt06.card', // driver licence / card text
  cardStatus: 'gt06.card.status',
  drivingTime: 'gt06.driving.time', // as sent
  temperature: 'sensor.temperature.1', // °C
  humidity: 'sensor.humidity.1', // %
  oil: 'gt06.oil',
  din: 'din',
  dout: 'dout',
  door: 'door.status',
  tamper: 'tamper.status',
  iccid: 'gsm.sim.iccid',
  phone: 'gt06.phone.number',
  serialData: 'gt06.serial.data', // peripheral pass-through (0x9B, 0x94/0x1B text): text, or hex when binary
  fuel: 'fuel.level',
  index: 'gt06.record.index',
  bootReason: 'gt06.boot.reason',
  raw: 'gt06.raw', // content of a packet whose layout is not known, as hex
  response: 'command.response',
  vin: 'vehicle.vin',
  ecuMileage: 'obd.mileage',
  rpm: 'can.engine.rpm',
  obdSpeed: 'can.vehicle.speed',
  coolant: 'can.engine.coolant.temperature',
  fuelUsed: 'vehicle.fuel.used',
} as const;

/** Analog input N (V). */
export const ain = (n: number): string => `ain.${n}`;
/** Vendor module kept by number (0x70 / 0x38 / 0x37 TLV modules without a known meaning), as hex. */
export const moduleName = (id: number): string => `gt06.module.${id.toString(16).padStart(4, '0')}`;

/** Device families chosen by `settings.modelOverride`, where codes mean different things. */
export type Family = 'lw' | 'sw' | 'vl';

/**
 * Alarm byte of status packets (0x13/0x16/0x19/0x26/0x27/0xA4/0xA5): code → alarm.type, with the
 * families that read a code differently. One line per code.
 */
const ALARM_CODES: ReadonlyArray<readonly [code: number, type: string, overrides?: Partial<Record<Family, string>>]> = [
  [0x01, 'sos'],
  [0x02, 'power_cut'],
  [0x03, 'vibration'],
  [0x04, 'geofence_enter'],
  [0x05, 'geofence_exit'],
  [0x06, 'overspeed'],
  [0x09, 'vibration', { vl: 'tow' }],
  [0x0c, 'tamper'],
  [0x0e, 'low_battery'],
  [0x0f, 'low_battery'],
  [0x11, 'power_off'],
  [0x13, 'tamper'],
  [0x14, 'door'],
  [0x18, 'removing', { lw: 'accident' }],
  [0x19, 'low_battery', { lw: 'hard_acceleration' }],
  [0x1a, 'hard_braking'],
  [0x1b, 'hard_cornering'],
  [0x23, 'fall_down'],
  [0x25, 'tamper'],
  [0x26, 'hard_acceleration'],
  [0x27, 'hard_braking'],
  [0x28, 'hard_braking', { sw: 'hard_cornering', vl: 'power_off' }],
  [0x29, 'hard_acceleration', { sw: 'accident' }],
  [0x2a, 'hard_cornering'],
  [0x2b, 'hard_cornering'],
  [0x2c, 'accident'],
  [0x2e, 'hard_cornering'],
  [0x30, 'jamming', { vl: 'hard_braking' }],
  [0x32, 'tamper'],
  [0x33, 'lock'],
  [0x34, 'unlock'],
  [0x53, 'fuel_leak'],
  [0x5b, 'temperature'],
  [0x5c, 'temperature'],
  [0xc9, 'idle'],
  [0x0107, 'jamming'],
  [0x010b, 'jamming'],
];
const ALARM_BY_CODE = new Map(ALARM_CODES.map(([code, type, overrides]) => [code, { type, overrides }]));

export function alarmType(code: number, family: Family | undefined): string | undefined {
  const def = ALARM_BY_CODE.get(code);
  if (!def) return undefined;
  return (family && def.overrides?.[family]) ?? def.type;
}

/** Terminal info bits 3-5 (alarm): value → alarm.type; 7 is overspeed on VXT01 and removing elsewhere. */
export const STATUS_ALARMS: Readonly<Record<number, string>> = {
  1: 'vibration',
  2: 'power_cut',
  3: 'low_battery',
  4: 'sos',
  6: 'geofence',
  7: 'removing',
};

/** JC100/JC400 alarm packet (0x95) event codes. 0x01 is `sos` with GPS and `general` without. */
export const EVENT_ALARMS_95: Readonly<Record<number, string>> = {
  0x0e: 'low_power',
  0x76: 'temperature',
  0x80: 'vibration',
  0x87: 'overspeed',
  0x88: 'power_cut',
  0x90: 'hard_acceleration',
  0x91: 'hard_braking',
  0x92: 'hard_cornering',
  0x93: 'accident',
};

/** Modular packet (0x70) event module 0x34 codes. */
export const EVENT_ALARMS_70: Readonly<Record<number, string>> = {
  0x10: 'door',
  0x12: 'removing',
  0x14: 'geofence_enter',
  0x15: 'geofence_exit',
  0x16: 'temperature',
  0x1a: 'low_battery',
  0x1b: 'overspeed',
  0x1c: 'power_on',
  0x1d: 'power_off',
  0x20: 'vibration',
  0x21: 'power_cut',
  0x23: 'tamper',
};

/** AZ735 alarm packet (7979 0x33) status byte. */
export const AZ735_ALARMS: Readonly<Record<number, string>> = { 0xa2: 'low_battery', 0xa3: 'low_battery', 0xa4: 'general', 0xa5: 'door' };

/** Information packet 0x94 sub-type 0x04 (`KEY=hex;...`): key → parameter. Other keys → `gt06.config.<key>`. */
export const INFO_04_KEYS: Readonly<Record<string, string>> = {
  ALM1: 'gt06.alarm1.status',
  ALM2: 'gt06.alarm2.status',
  ALM3: 'gt06.alarm3.status',
  ALM4: 'gt06.alarm4.status',
  STA1: 'gt06.other.status',
  DYD: 'gt06.engine.cut.status',
};

/**
 * FM08ABC OBD text (0x8C) `<id>=<hex>` pairs, keyed by the first two characters of the id; values
 * are hex hundredths (the VIN is text). Other ids → `gt06.obd.<id>` with the value as sent.
 */
export const OBD_KEYS: Readonly<Record<string, ParamDef>> = {
  '28': paramDef(P.ecuMileage, 'u', 100),
  '2B': paramDef(P.fuel, 'u', 100),
  '2D': paramDef(P.coolant, 'u', 100),
  '35': paramDef(P.obdSpeed, 'u', 100),
  '36': paramDef(P.rpm, 'u', 100),
  '47': paramDef(P.fuelUsed, 'u', 100),
  '49': paramDef(P.hours, 'u', 100),
  '4A': paramDef(P.vin, 'ascii'),
};

/** A TLV module (id u16, length u8, data) of 0x36/0x37/0x38 packets holding one unsigned integer of `size` bytes. */
export interface ModuleDef extends ParamDef {
  readonly size: number;
}
const moduleDef = (name: string, size: number, divisor?: number): ModuleDef => ({ ...paramDef(name, 'u', divisor), size });

/** TLV modules: id → parameter, value size, divisor. Other ids (or other sizes) → `gt06.module.<id>` as hex. */
export const MODULES: Readonly<Record<number, ModuleDef>> = {
  0x18: moduleDef(P.battery, 2, 100),
  0x27: moduleDef(P.power, 2, 100),
  0x2e: moduleDef(P.mileage, 4, 1000),
  0x32: moduleDef(P.bootReason, 1),
  0x3b: moduleDef(P.accuracy, 2, 100),
  0x6a: moduleDef(P.batteryLevel, 1),
};

/** Device models (settings.modelOverride) that change layouts or codes. */
export const MODELS = {
  vl: ['VL103', 'LL303', 'VL512', 'G18'],
  nt: ['NT11', 'NT20', 'NT26', 'NT40', 'NT46', 'VL100', 'XT40'],
} as const;
