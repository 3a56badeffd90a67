/**
 * Suntech fields → message parameters (DESIGN §3). The record decoders read fields; this file says
 * what they are called and how codes translate. Sources: the ST300/340 Operation Manual rev 1.41
 * (§6 reports, field tables), the ST310U manual (§5-2 EMG_ID), and the alarm codes Traccar's
 * suntech decoder maps. Vendor-specific values keep the `suntech.` prefix.
 */

/** Parameter names, one line per field. */
export const P = {
  time: 'timestamp',
  lat: 'position.latitude',
  lon: 'position.longitude',
  speed: 'position.speed', // km/h as sent
  course: 'position.direction',
  sats: 'position.satellites',
  valid: 'position.valid', // FIX 1 / 0
  report: 'report.type', // STT, EMG, EVT, ALT, UEX, HTE, BLE… (ST910: Location, Emergency, Alert)
  model: 'suntech.model', // MODEL code of the model table (ST310U §5: 07 = ST310U…)
  firmware: 'firmware.version', // SW_VER
  mileage: 'vehicle.mileage', // km (DIST is metres)
  power: 'external.powersource.voltage', // PWR_VOLT, V
  battery: 'battery.voltage', // BCK_VOLT, V
  hours: 'engine.hours', // H_METER (minutes) in hours
  ignition: 'engine.ignition.status',
  din: 'din', // bitmask of inputs 1..n
  dout: 'dout', // bitmask of outputs 1..n
  io: 'suntech.io', // the I/O field as sent ("100100": ignition, in1–in3, out1–out2)
  mode: 'suntech.mode', // STT MODE (1 parking/idle, 2 driving, …)
  reason: 'suntech.report.reason', // universal STT_RPT_TYPE
  index: 'suntech.message.number', // MSG_NUM
  buffered: 'message.buffered.status', // MSG_TYPE 0: sent from the buffer
  event: 'event.enum', // EVT_ID, ALERT_ID, EMG_ID
  eventModifier: 'suntech.event.modifier', // universal ALERT_MOD
  eventData: 'suntech.event.data', // universal ALERT_DATA
  alarm: 'alarm.type',
  alarmTrigger: 'alarm.event.trigger',
  mcc: 'gsm.mcc',
  mnc: 'gsm.mnc',
  lac: 'gsm.lac',
  cid: 'gsm.cellid',
  rssi: 'gsm.signal.level', // RX level as sent
  cells: 'gsm.cells', // ST4xx: [[mcc, mnc, lac, cid, rssi], …]
  bsic: 'suntech.bsic', // serving cell BSIC (legacy CELL field)
  cell: 'suntech.cell', // a cell field whose layout is not known, as sent
  network: 'suntech.network', // ST4xx collaborative network field
  temperature: 'device.temperature', // ST419 internal temperature, °C
  moving: 'movement.status',
  adc: (n: number): string => `ain.${n}`, // V
  temp: (n: number): string => `sensor.temperature.${n}`, // °C, 1-wire sensor slot n
  rpm: 'engine.rpm',
  driver: 'ibutton.code', // DID: driver id (iButton / RFID)
  driverRegistered: 'suntech.driver.registered', // DID_REG
  fuel: 'fuel.level', // sum of the fuel sensors of a UEX report
  fuelN: (n: number): string => `fuel.level.${n}`,
  serial: 'suntech.serial.data', // UEX payload as text (without its line end)
  serialHex: 'suntech.serial.hex', // UEX payload that is not text
  drivingQuality: 'suntech.driving.quality',
  assign: (n: number): string => `suntech.assign.${n}`, // universal assigned field n, as sent
  beacons: 'ble.beacons', // [[id, rssi, rssi min, rssi max, samples, major, minor], …]
  crashPart: 'suntech.crash.part',
  crashParts: 'suntech.crash.parts',
  crashData: 'suntech.crash.data', // accelerometer samples, hex
  tripStartLat: 'suntech.trip.start.latitude',
  tripStartLon: 'suntech.trip.start.longitude',
  tripEndLat: 'suntech.trip.end.latitude',
  tripEndLon: 'suntech.trip.end.longitude',
  response: 'command.response',
  unparsed: 'suntech.unparsed', // fields after the decoded ones, `;`-joined (text) or hex (binary)
} as const;

/** ALERT_ID → alarm (§6-4 "Alert type 0x01 ~ 0x43", the codes Traccar maps; 132 on newer units). */
export const ALERTS: Readonly<Record<number, string>> = {
  1: 'overspeed',
  5: 'geofence_exit',
  6: 'geofence_enter',
  14: 'low_battery',
  15: 'vibration', // shock
  16: 'accident',
  40: 'power_restored',
  41: 'power_cut',
  42: 'sos',
  46: 'hard_acceleration',
  47: 'hard_braking',
  50: 'jamming',
  132: 'door',
};

/** EMG_ID → alarm (ST310U §5-2: panic button, parking lock, main power removed, anti-theft, motion, shock). */
export const EMERGENCIES: Readonly<Record<number, string>> = {
  1: 'sos',
  2: 'parking',
  3: 'power_cut',
  5: 'door',
  6: 'door',
  7: 'movement',
  8: 'vibration',
};

/** Universal report mask bits (`STT;<id>;<mask hex>;…`): each set bit adds its field, in this order. */
export const Bit = {
  Model: 1,
  Firmware: 2,
  MessageType: 3,
  Date: 4,
  Time: 5,
  CellId: 6,
  Mcc: 7,
  Mnc: 8,
  Lac: 9,
  RxLevel: 10,
  Latitude: 11,
  Longitude: 12,
  Speed: 13,
  Course: 14,
  Satellites: 15,
  Fix: 16,
  Inputs: 17,
  Outputs: 18,
  /** STT: MODE; ALT/EMG/EVT: the alert (event) id. */
  Mode: 19,
  /** STT: STT_RPT_TYPE; ALT: ALERT_MOD. */
  Reason: 20,
  /** STT: MSG_NUM; ALT: ALERT_DATA. */
  Number: 21,
  Reserved: 22,
  /** A hex map of the assigned fields that follow, bit n → field n+1. */
  AssignMap: 23,
} as const;

/** BLE reports carry no mask: model, firmware, date, time, latitude, longitude (Traccar). */
export const BLE_MASK = (1 << Bit.Model) | (1 << Bit.Firmware) | (1 << Bit.Date) | (1 << Bit.Time) | (1 << Bit.Latitude) | (1 << Bit.Longitude);
