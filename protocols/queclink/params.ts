import type { Message } from '../common/types.js';

/**
 * Text report fields → message parameters (DESIGN §3): one line per field kind. Report layouts in
 * constants.ts are lists of these keys; the decoder holds no per-field branches. A field whose text
 * does not fit its kind is kept in `queclink.unparsed` by the caller.
 *
 * Scales: voltages in the text protocol are mV (`mv` → V), mileage is km, `gsm.signal.level` is
 * the CSQ rssi (0–31, 99 unknown), speeds km/h.
 */
type Conv = 'int' | 'float' | 'str' | 'mv' | 'bool01' | 'hexint';

const SIMPLE = {
  battery: ['battery.level', 'int'],
  battery_v: ['battery.voltage', 'float'],
  power_mv: ['external.powersource.voltage', 'mv'],
  power2_mv: ['queclink.power2_voltage', 'mv'],
  mileage: ['vehicle.mileage', 'float'],
  rpm: ['engine.rpm', 'int'],
  fuel_level: ['fuel.level', 'float'],
  fuel_hex: ['fuel.level', 'hexint'],
  fuel_consumption: ['fuel.consumption', 'float'],
  rssi: ['gsm.signal.level', 'int'],
  ber: ['queclink.gsm_ber', 'int'],
  mode: ['queclink.mode', 'int'],
  motion: ['movement.status', 'bool01'],
  temperature: ['queclink.device_temperature', 'float'],
  uart: ['queclink.uart_device_type', 'int'],
  duration: ['queclink.duration', 'int'],
  report_type: ['queclink.report_type', 'str'],
  number: ['queclink.fix_count', 'int'],
  iccid: ['gsm.sim.iccid', 'str'],
  ext_power: ['queclink.external_power_supply', 'int'],
  charging: ['battery.charging.status', 'bool01'],
  phone: ['queclink.phone', 'str'],
  rfid: ['ibutton.code', 'str'],
  data: ['queclink.data', 'str'],
  warning: ['queclink.warning_type', 'int'],
  fatigue: ['queclink.fatigue_degree', 'int'],
  sats: ['position.satellites', 'int'],
  trigger: ['queclink.trigger_type', 'str'],
  jamming: ['queclink.gnss_jamming', 'int'],
  din_hex: ['din', 'hexint'],
  dout_hex: ['dout', 'hexint'],
  eri_mask: ['queclink.eri_mask', 'str'],
  report_mask: ['queclink.report_mask', 'str'],
  can_state: ['queclink.can_state', 'int'],
  led: ['queclink.led', 'int'],
  power_saving: ['queclink.power_saving', 'int'],
  ext_antenna: ['queclink.external_antenna', 'int'],
  pin_mask: ['queclink.pin_mask', 'str'],
  device_type: ['queclink.device_type', 'str'],
  firmware: ['firmware.version', 'str'],
  hardware: ['hardware.version', 'str'],
  fix_type: ['queclink.fix_type', 'str'],
  obd_connect: ['obd.connected.status', 'bool01'],
  obd_voltage: ['obd.voltage', 'mv'],
  obd_pids: ['obd.supported_pids', 'str'],
  obd_speed: ['obd.vehicle.speed', 'int'],
  coolant: ['obd.engine.coolant.temperature', 'int'],
  dtc_cleared: ['obd.dtc_cleared_distance', 'int'],
  mil_distance: ['obd.mil_distance', 'int'],
  mil_status: ['obd.mil.status', 'bool01'],
  dtc_count: ['obd.dtc.count', 'int'],
  dtcs: ['obd.dtc.codes', 'str'],
  throttle: ['obd.throttle', 'int'],
  engine_load: ['obd.engine.load', 'int'],
  obd_protocol: ['obd.protocol', 'str'],
  obd_mileage: ['obd.mileage', 'int'],
  vin: ['vehicle.vin', 'str'],
  can_ignition: ['can.ignition_key', 'int'],
  can_rpm: ['can.engine.rpm', 'int'],
  can_speed: ['can.vehicle.speed', 'float'],
  can_coolant: ['can.engine.coolant.temperature', 'int'],
  can_range: ['can.range', 'int'],
  can_throttle: ['can.throttle', 'int'],
  can_hours: ['can.engine.hours', 'float'],
  can_driving_time: ['can.driving_time', 'float'],
  can_idle_hours: ['can.idle_hours', 'float'],
  can_axle_weight: ['can.axle_weight', 'int'],
  can_tacho: ['can.tachograph_info', 'hexint'],
  can_indicators: ['can.indicators', 'hexint'],
  can_lights: ['can.lights', 'hexint'],
  can_doors: ['can.doors', 'hexint'],
  can_vehicle_overspeed: ['can.vehicle_overspeed_time', 'float'],
  can_engine_overspeed: ['can.engine_overspeed_time', 'float'],
  din1_state: ['din.1', 'bool01'],
  din2_state: ['din.2', 'bool01'],
  accessory_name: ['queclink.accessory.name', 'str'],
  accessory_mac: ['queclink.accessory.mac', 'str'],
  accessory_status: ['queclink.accessory.status', 'int'],
  accessory_mv: ['queclink.accessory.voltage', 'mv'],
  accessory_temperature: ['queclink.accessory.temperature', 'int'],
  accessory_humidity: ['queclink.accessory.humidity', 'int'],
} as const satisfies Record<string, readonly [string, Conv]>;

type Setter = (m: Message, raw: string) => boolean;

/** Ignition / motion state byte (GTINF state, high byte of the device status). */
const MOTION_STATE: Readonly<Record<number, { ignition?: boolean; movement: boolean; tow?: boolean }>> = {
  0x11: { ignition: false, movement: false },
  0x12: { ignition: false, movement: true },
  0x16: { ignition: false, movement: true, tow: true },
  0x1a: { ignition: false, movement: true, tow: true },
  0x21: { ignition: true, movement: false },
  0x22: { ignition: true, movement: true },
  0x41: { movement: false },
  0x42: { movement: true },
};

const DECIMAL = /^[-+]?\d+(\.\d+)?$/;

const SPECIAL = {
  /** Motion state (2 hex): ignition and movement from the table above. */
  state: (m, raw) => setState(m, raw),
  /** Device status (6 hex): motion state, digital inputs, digital outputs. */
  status: (m, raw) => {
    if (!/^[0-9A-Fa-f]{6}$/.test(raw)) return false;
    const value = parseInt(raw, 16);
    setState(m, raw.slice(0, 2));
    const din = (value >> 8) & 0xff;
    const dout = value & 0xff;
    Object.assign(m, { din, 'din.1': (din & 2) !== 0, 'din.2': (din & 4) !== 0, dout, 'dout.1': (dout & 1) !== 0, 'dout.2': (dout & 2) !== 0 });
    return true;
  },
  /** Hour meter `HHHHH:MM:SS` → hours. */
  hours: (m, raw) => {
    const p = /^(\d+):(\d\d):(\d\d)$/.exec(raw);
    if (!p) return false;
    m['engine.hours'] = Math.round((Number(p[1]) + Number(p[2]) / 60 + Number(p[3]) / 3600) * 1e6) / 1e6;
    return true;
  },
  adc1: (m, raw) => analog(m, 1, raw),
  adc2: (m, raw) => analog(m, 2, raw),
  adc3: (m, raw) => analog(m, 3, raw),
  /** GV first header field: external power in mV when above 10, otherwise the GL report id. */
  power_or_id: (m, raw) => {
    if (!/^\d+$/.test(raw)) return false;
    const n = Number(raw);
    if (n > 10) m['external.powersource.voltage'] = n / 1000;
    else m['queclink.report_id'] = n;
    return true;
  },
  /** GTINF: a decimal point means mileage (km), otherwise external power (mV). */
  power_or_mileage: (m, raw) => {
    if (!DECIMAL.test(raw)) return false;
    if (raw.includes('.')) m['vehicle.mileage'] = Number(raw);
    else m['external.powersource.voltage'] = Number(raw) / 1000;
    return true;
  },
  last_fix_time: (m, raw) => {
    const t = parseTime(raw);
    if (t !== undefined) m['queclink.last_fix_time'] = t;
    return t !== undefined;
  },
  /** CAN total distance: `H` + hectometres → km. */
  can_distance: (m, raw) => prefixed(m, 'can.vehicle.mileage', raw, 'H', 10),
  /** CAN fuel used: litres, optional `L` prefix. */
  can_fuel_used: (m, raw) => prefixed(m, 'can.fuel.used', raw, 'L', 1),
  can_fuel_rate: (m, raw) => prefixed(m, 'can.fuel.rate', raw, 'L/H', 1),
  can_fuel_level: (m, raw) => prefixed(m, 'can.fuel.level', raw, 'P', 1),
  can_idle_fuel: (m, raw) => prefixed(m, 'can.idle_fuel.used', raw, 'L', 1),
} as const satisfies Record<string, Setter>;

/** `reserved` is kept raw when not empty; `append` (append mask or mileage) is read by the fix reader. */
export type FieldKey = keyof typeof SIMPLE | keyof typeof SPECIAL | 'reserved' | 'append';

/** Sets one field; returns false when the text is not empty and not of the field's kind (the caller keeps it). */
export function setField(m: Message, key: FieldKey, raw: string | undefined): boolean {
  if (raw === undefined || raw === '') return true;
  if (key === 'reserved' || key === 'append') return false;
  if (key in SPECIAL) return SPECIAL[key as keyof typeof SPECIAL](m, raw);
  const [name, conv] = SIMPLE[key as keyof typeof SIMPLE];
  const value = convert(raw, conv);
  if (value === undefined) return false;
  m[name] = value;
  return true;
}

function convert(raw: string, conv: Conv): string | number | boolean | undefined {
  switch (conv) {
    case 'str':
      return raw;
    case 'int':
      return /^[-+]?\d+$/.test(raw) ? Number(raw) : undefined;
    case 'float':
      return DECIMAL.test(raw) ? Number(raw) : undefined;
    case 'mv':
      return /^\d+$/.test(raw) ? Number(raw) / 1000 : undefined;
    case 'bool01':
      return raw === '1' ? true : raw === '0' ? false : undefined;
    case 'hexint':
      return /^[0-9A-Fa-f]{1,12}$/.test(raw) ? parseInt(raw, 16) : undefined;
  }
}

function setState(m: Message, raw: string): boolean {
  if (!/^[0-9A-Fa-f]{1,2}$/.test(raw)) return false;
  const code = parseInt(raw, 16);
  m['queclink.motion_state'] = raw.toUpperCase();
  const s = MOTION_STATE[code];
  if (s?.ignition !== undefined) m['engine.ignition.status'] = s.ignition;
  if (s) m['movement.status'] = s.movement;
  if (s?.tow) m['queclink.towed.status'] = true;
  return true;
}

/** ADC text: millivolts → `ain.N` volts; an `F` prefix marks a fuel percentage instead. */
function analog(m: Message, index: number, raw: string): boolean {
  if (/^F\d+$/.test(raw)) {
    m[`fuel.level.${index}`] = Number(raw.slice(1));
    return true;
  }
  if (!/^\d+$/.test(raw)) return false;
  m[`ain.${index}`] = Number(raw) / 1000;
  return true;
}

/** A decimal after an optional unit prefix, divided by `divisor` (rounded to 6 decimals). */
function prefixed(m: Message, name: string, raw: string, prefix: string, divisor: number): boolean {
  const body = raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
  if (!DECIMAL.test(body)) return false;
  m[name] = Math.round((Number(body) / divisor) * 1e6) / 1e6;
  return true;
}

/** `yyyyMMddHHmmss` (UTC) → Unix seconds, or undefined. */
export function parseTime(raw: string | undefined): number | undefined {
  const p = raw === undefined ? null : /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(raw);
  if (!p) return undefined;
  const ms = Date.UTC(Number(p[1]), Number(p[2]) - 1, Number(p[3]), Number(p[4]), Number(p[5]), Number(p[6]));
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** GTHBM harsh behaviour by the low nibble of the report type. */
export const HARSH: Readonly<Record<number, string>> = {
  0: 'hard_braking',
  1: 'hard_acceleration',
  2: 'hard_cornering',
  3: 'hard_braking',
  4: 'hard_acceleration',
};

/** GTCAN report-mask bits in the order their fields appear (bit 5 comes before bit 4). */
export const CAN_FIELDS: ReadonlyArray<readonly [bit: number, key: FieldKey]> = [
  [0, 'vin'],
  [1, 'can_ignition'],
  [2, 'can_distance'],
  [3, 'can_fuel_used'],
  [5, 'can_rpm'],
  [4, 'can_speed'],
  [6, 'can_coolant'],
  [7, 'can_fuel_rate'],
  [8, 'can_fuel_level'],
  [9, 'can_range'],
  [10, 'can_throttle'],
  [11, 'can_hours'],
  [12, 'can_driving_time'],
  [13, 'can_idle_hours'],
  [14, 'can_idle_fuel'],
  [15, 'can_axle_weight'],
  [16, 'can_tacho'],
  [17, 'can_indicators'],
  [18, 'can_lights'],
  [19, 'can_doors'],
  [20, 'can_vehicle_overspeed'],
  [21, 'can_engine_overspeed'],
];

/** GTOBD report-mask bits in field order; bits 17 and 18 are not known and end the table decode. */
export const OBD_FIELDS: ReadonlyArray<readonly [bit: number, key: FieldKey]> = [
  [0, 'vin'],
  [1, 'obd_connect'],
  [2, 'obd_voltage'],
  [3, 'obd_pids'],
  [4, 'rpm'],
  [5, 'obd_speed'],
  [6, 'coolant'],
  [7, 'fuel_consumption'],
  [8, 'dtc_cleared'],
  [9, 'mil_distance'],
  [10, 'mil_status'],
  [11, 'dtc_count'],
  [12, 'dtcs'],
  [13, 'throttle'],
  [14, 'engine_load'],
  [15, 'fuel_level'],
  [16, 'obd_protocol'],
  [19, 'obd_mileage'],
];

/** Accessory append mask (GTBID/GTBAA) bits in field order. */
export const ACCESSORY_FIELDS: ReadonlyArray<readonly [bit: number, key: FieldKey]> = [
  [0, 'accessory_name'],
  [1, 'accessory_mac'],
  [2, 'accessory_status'],
  [3, 'accessory_mv'],
  [4, 'accessory_temperature'],
  [5, 'accessory_humidity'],
];

/** Binary (`+EVT`) event type → report code, alarm and ignition. */
export const EVT_CODES: Readonly<Record<number, { code: string; alarm?: string; ignition?: boolean }>> = {
  6: { code: 'BPL', alarm: 'low_battery' },
  15: { code: 'UPD' },
  17: { code: 'IDF' },
  21: { code: 'GSS' },
  23: { code: 'CRA', alarm: 'accident' },
  26: { code: 'GES' },
  31: { code: 'GPJ', alarm: 'jamming' },
  33: { code: 'JDS', alarm: 'jamming' },
  34: { code: 'UPC' },
  35: { code: 'RMD' },
  45: { code: 'VGN', ignition: true },
  46: { code: 'VGF', ignition: false },
};
