/**
 * TK103 fields → message parameters (DESIGN §3), one line per element; the record decoders hold no
 * per-element branches. Sources: "GPS Tracker Communication Protocol" (§2 location data, §3.2.4
 * alarm codes), the TK103 notes in ../shared/protocols/README.md and Traccar's decoder (facts only:
 * state bits, report codes, battery levels), the Daly BMS UART data ids for BS51.
 */

/** Names used by more than one record decoder. */
export const P = {
  type: 'report.type', // the 4-character message type as sent
  valid: 'position.valid',
  speed: 'position.speed', // km/h as sent
  course: 'position.direction',
  altitude: 'position.altitude', // m
  satellites: 'position.satellites',
  status: 'tk103.status', // the 8-character IO state as sent
  mileage: 'vehicle.mileage', // km (sent in metres, hex)
  temperature: 'sensor.temperature.1', // °C
  tail: 'tk103.tail', // text after the location data that no field explains, as sent
  imei: 'tk103.imei', // BP05 login
  alarm: 'alarm.type',
  trigger: 'alarm.event.trigger',
  event: 'event.enum', // the alarm code of BO01 / BQ81 as sent
  ignition: 'engine.ignition.status',
  charging: 'battery.charging.status',
  batteryLevel: 'battery.level', // %
  battery: 'battery.voltage', // V
  power: 'external.powersource.voltage', // V
  installed: 'tk103.installed', // ZC20 last field as sent
  mcc: 'gsm.mcc',
  mnc: 'gsm.mnc',
  lac: 'gsm.lac',
  cid: 'gsm.cellid',
  cells: 'tk103.cells', // [[mcc, mnc, lac, cid], ...] of BP05 cell logins
  wifi: 'wifi.access.points', // [[mac, rssi, channel], ...]
  vin: 'vehicle.vin',
  response: 'command.response',
} as const;

/** Parameter of a field kept by its position in the comma-separated body (unknown meaning). */
export const fieldName = (index: number): string => `io.${index}`;

/**
 * §2 IO state, 8 characters: [0] main power (`0` = connected: charging), [1] ACC (`1` = on),
 * [2..4] three hex nibbles of inputs and outputs (these bits), [5..7] fuel (3 hex digits, as sent).
 */
export const STATE_BITS: ReadonlyArray<readonly [char: number, bit: number, name: string]> = [
  [2, 0, 'din.2'],
  [2, 1, 'tk103.panic'],
  [2, 2, 'dout.2'],
  [2, 3, 'engine.blocked.status'],
  [3, 0, 'tk103.hs.3'],
  [3, 1, 'tk103.hs.2'],
  [3, 2, 'tk103.hs.1'],
  [3, 3, 'door.status'],
  [4, 1, 'tk103.ls.3'],
  [4, 2, 'tk103.ls.2'],
  [4, 3, 'tk103.ls.1'],
];
export const FUEL_NAME = 'fuel.level';

/** §3.2.4 BO01 alarm code → alarm.type (0 is "vehicle power off" in the spec; Traccar leaves it unnamed). */
export const ALARM_CODES: Readonly<Record<string, string>> = {
  '0': 'power_cut',
  '1': 'accident',
  '2': 'sos',
  '3': 'vibration', // anti-theft (vibration sensor)
  '4': 'low_speed',
  '5': 'overspeed',
  '6': 'geofence_exit',
};

/** BQ81 `,ALARM,<code>,` → alarm.type. */
export const EXTENDED_ALARM_CODES: Readonly<Record<string, string>> = {
  '0': 'low_battery',
  '1': 'overspeed',
  '2': 'idle',
  '3': 'hard_acceleration',
  '4': 'hard_braking',
  '5': 'temperature',
};

/** Comma-dialect report types that are events: type → alarm.type, or the ignition they report. */
export const TYPE_EVENTS: ReadonlyArray<readonly [types: readonly string[], event: string | boolean]> = [
  [['ZC11', 'DW31', 'DW51'], 'movement'],
  [['ZC12', 'DW32', 'DW52'], 'low_battery'],
  [['ZC13', 'DW33', 'DW53'], 'power_cut'],
  [['ZC17', 'DW37', 'DW57'], 'removing'],
  [['ZC25', 'DW3E', 'DW5E'], 'sos'],
  [['ZC26', 'DW3F', 'DW5F'], 'tamper'],
  [['ZC27', 'DW40', 'DW60'], 'low_power'],
  [['ZC15', 'DW35', 'DW55', 'ZC29', 'DW42', 'DW62'], true], // ACC on
  [['ZC16', 'DW36', 'DW56'], false], // ACC off
];

/** ZC20 battery level code → % (other codes are unknown; 255 = not reported). */
export const BATTERY_LEVELS: Readonly<Record<number, number>> = { 6: 100, 5: 80, 4: 50, 3: 20, 2: 10 };
/** ZC20 "not reported" values of the level, the battery (0.01 V) and the power (0.1 V). */
export const ABSENT = { level: 255, voltage: 65535 } as const;

/** BMS parameters (vendor-specific: `tk103.bms.` prefix), cell and sensor numbers from 1. */
export const BMS = {
  cellVoltage: (n: number): string => `tk103.bms.cell.${n}.voltage`, // V
  temperature: (n: number): string => `tk103.bms.temperature.${n}`, // °C
  current: 'tk103.bms.current', // A (BS51: negative = discharging)
  powerTemperature: 'tk103.bms.temperature.power', // °C
  balanceTemperature: 'tk103.bms.temperature.balance', // °C
  overheat: 'tk103.bms.overheat',
  chargeProtection: 'tk103.bms.charge.protection',
  dischargeProtection: 'tk103.bms.discharge.protection',
  dropLine: 'tk103.bms.drop.line',
  balanced: 'tk103.bms.balanced',
  cycles: 'tk103.bms.cycles',
  cells: 'tk103.bms.cells', // cell count (BS51 0x94)
  sensors: 'tk103.bms.sensors', // temperature sensor count (BS51 0x94)
  fault: 'tk103.bms.fault',
  calibratedCapacity: 'tk103.bms.capacity.calibrated', // Ah
  dischargedCapacity: 'tk103.bms.capacity.discharged', // as sent
  rest: 'tk103.bms.rest', // bytes after the known BS50 fields, hex
  raw: (id: number): string => `tk103.bms.${id.toString(16)}`, // a BS51 data id without a known layout, hex
} as const;

/** Offset of the BMS temperatures (°C = byte − 40) and of the BS51 current (0.1 A = value − 30000). */
export const BMS_TEMPERATURE_OFFSET = 40;
export const BMS_CURRENT_OFFSET = 30000;

/**
 * BS51 (Daly BMS) data ids with fixed layouts: big-endian fields [kind, name, divisor]. `u8`/`u16`/
 * `u32` unsigned, `t` temperature byte, `c` current word, `b` boolean byte.
 */
export type BmsField = readonly [kind: 'u8' | 'u16' | 'u32' | 't' | 'c' | 'b', name: string, divisor?: number];
export const DALY_FIELDS: Readonly<Record<number, readonly BmsField[]>> = {
  0x90: [
    ['u16', 'battery.voltage', 10], // cumulative total voltage, 0.1 V
    ['u16', 'tk103.bms.voltage.gathered', 10], // 0.1 V
    ['c', BMS.current, 10],
    ['u16', 'battery.level', 10], // SOC, 0.1 %
  ],
  0x91: [
    ['u16', 'tk103.bms.cell.voltage.max', 1000], // mV
    ['u8', 'tk103.bms.cell.voltage.max.index'],
    ['u16', 'tk103.bms.cell.voltage.min', 1000],
    ['u8', 'tk103.bms.cell.voltage.min.index'],
  ],
  0x92: [
    ['t', 'tk103.bms.temperature.max'],
    ['u8', 'tk103.bms.temperature.max.index'],
    ['t', 'tk103.bms.temperature.min'],
    ['u8', 'tk103.bms.temperature.min.index'],
  ],
  0x93: [
    ['u8', 'tk103.bms.state'], // 0 idle, 1 charging, 2 discharging
    ['b', 'tk103.bms.charge.mos'],
    ['b', 'tk103.bms.discharge.mos'],
    ['u8', 'tk103.bms.life'],
    ['u32', 'tk103.bms.capacity.remaining', 1000], // mAh → Ah
  ],
  0x94: [
    ['u8', BMS.cells],
    ['u8', BMS.sensors],
    ['b', 'tk103.bms.charger'],
    ['b', 'tk103.bms.load'],
    ['u8', 'tk103.bms.dio'],
    ['u16', BMS.cycles],
  ],
};
/** BS51 data ids that list values by frame: 0x95 three cell voltages (mV), 0x96 seven temperatures. */
export const DALY_CELLS = 0x95;
export const DALY_TEMPERATURES = 0x96;
