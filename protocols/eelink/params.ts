/**
 * Eelink fields → message parameters (DESIGN §3). The record decoders read fields; this file says
 * what they are called, their units and how codes translate. Sources: Eelink Device Protocol 2.0
 * (§3.5 status, §5.4 location, §5.5 warning types), the 1.x packages as Traccar's
 * EelinkProtocolDecoder reads them, ../shared/protocols/README.md "Eelink".
 */

/** Parameter names, one line per field. */
export const P = {
  lat: 'position.latitude', // i32 / 1,800,000
  lon: 'position.longitude',
  altitude: 'position.altitude', // m
  speed: 'position.speed', // km/h as sent
  course: 'position.direction',
  sats: 'position.satellites',
  valid: 'position.valid', // status bit 0
  ignition: 'engine.ignition.status', // status bit 2 (when bit 1: the unit has ACC)
  armed: 'armed.status', // status bit 4: motion warning armed (when bit 3)
  motion: 'movement.status', // status bit 9 (when bit 3: the unit has an accelerometer)
  blocked: 'engine.blocked.status', // status bit 6 clear: relay cut (when bit 5)
  charging: 'battery.charging.status', // status bit 8 (when bit 7: the unit can charge)
  gnss: 'gnss.status', // status bit 10: GPS module running
  din: 'din', // status bits 12-15: DIN0..DIN3 levels
  status: 'eelink.status', // status word as sent
  battery: 'battery.voltage', // V (mV on the wire)
  rssi: 'gsm.signal.level', // serving cell RxLev (2.0), signal u16 (1.x GPS package) as sent
  mcc: 'gsm.mcc',
  mnc: 'gsm.mnc',
  lac: 'gsm.lac',
  cid: 'gsm.cellid',
  cells: 'gsm.cells', // [[lac, cid, rxlev], ...] neighbour cells (mask bits 2-3)
  wifi: 'wifi.access.points', // [[mac, rssi dBm], ...]
  lteRat: 'eelink.lte.rat', // radio access technology byte as sent
  lteTac: 'eelink.lte.tac',
  lteTa: 'eelink.lte.ta', // timing advance
  ltePcid: 'eelink.lte.pcid', // physical cell id
  lteEarfcn: 'eelink.lte.earfcn',
  lteRssi: 'eelink.lte.rssi', // dBm
  lteNeighbours: 'eelink.lte.neighbours', // 5 bytes per neighbour cell, as hex
  mileage: 'vehicle.mileage', // km (m on the wire)
  gsmCounter: 'eelink.gsm.counter',
  gpsCounter: 'eelink.gps.counter',
  steps: 'eelink.pdm.steps', // pedometer steps
  walkTime: 'eelink.pdm.time', // pedometer walking time as sent
  temperature1: 'sensor.temperature.1', // °C (1/256 °C on the wire)
  humidity: 'sensor.humidity.1', // % (1/10 % on the wire)
  illuminance: 'sensor.illuminance.1', // lux (1/256 lux on the wire)
  co2: 'sensor.co2.1', // ppm
  temperature2: 'sensor.temperature.2', // °C (1/16 °C on the wire, since revision V2.0.2)
  alarm: 'alarm.type',
  alarmTrigger: 'alarm.event.trigger',
  event: 'event.enum', // warning type (0x14, 0x04), report type (0x15), state type (0x05)
  response: 'command.response',
  payload: 'eelink.payload', // content the decoder does not read (message, OBD body/fault, trailing bytes), as hex
} as const;

/** Analog input N (V): AIN0 → ain.1 (1/100 V on the wire, 2.0). */
export const ain = (n: number): string => `ain.${n}`;
/** 1.x GPS package ADC N, raw (its scale is not documented). */
export const adc = (n: number): string => `eelink.adc.${n}`;

/** BLE tag N of the 2.0 location package (V2.1 §3.7 beacon): id (MAC), RSSI, battery (V), temperature (°C), data. */
export const BLE = {
  id: (n: number): string => `ble.sensor.id.${n}`,
  rssi: (n: number): string => `ble.sensor.rssi.${n}`,
  model: (n: number): string => `eelink.ble.sensor.model.${n}`, // model and version bytes as hex
  battery: (n: number): string => `ble.sensor.battery.voltage.${n}`,
  temperature: (n: number): string => `ble.sensor.temperature.${n}`,
  data: (n: number): string => `eelink.ble.sensor.data.${n}`,
} as const;

/** §5.5 warning types (and the 1.x alarm package codes): code → alarm.type. One line per code. */
const ALARM_CODES: ReadonlyArray<readonly [code: number, type: string]> = [
  [0x01, 'power_cut'], // external power disconnected
  [0x02, 'sos'],
  [0x03, 'low_battery'],
  [0x04, 'vibration'],
  [0x08, 'gps_antenna_cut'], // GPS antenna open circuit
  [0x09, 'gps_antenna_cut'], // GPS antenna short circuit
  [0x25, 'removing'],
  [0x81, 'low_speed'],
  [0x82, 'overspeed'],
  [0x83, 'geofence_enter'],
  [0x84, 'geofence_exit'],
  [0x85, 'accident'], // collision
  [0x86, 'fall_down'],
];
export const ALARMS: ReadonlyMap<number, string> = new Map(ALARM_CODES);

/**
 * 1.x OBD package (0x07) elements: PID → parameter. Standard OBD-II PIDs carry their data bytes
 * A, B… left-aligned in 4 bytes (unused bytes 0x55); the value is (A[,B] as unsigned) / divisor +
 * offset. PIDs 0x89–0x8B are Eelink's own, a signed 32-bit value. Other PIDs keep their 4 bytes
 * as hex under `eelink.obd.<pid>`. One line per PID.
 */
export type ObdRow = readonly [pid: number, name: string, bytes: 1 | 2 | 4, divisor?: number, offset?: number];
const OBD_ROWS: readonly ObdRow[] = [
  [0x04, 'obd.engine.load', 1, 2.55], // %
  [0x05, 'obd.engine.coolant.temperature', 1, 1, -40], // °C
  [0x0b, 'obd.intake.pressure', 1], // kPa
  [0x0c, 'obd.engine.rpm', 2, 4],
  [0x0d, 'obd.vehicle.speed', 1], // km/h
  [0x0f, 'obd.intake.temperature', 1, 1, -40], // °C
  [0x10, 'obd.maf', 2, 100], // g/s
  [0x11, 'obd.throttle', 1, 2.55], // %
  [0x1f, 'obd.engine.runtime', 2], // s since the engine started
  [0x21, 'obd.mil.distance', 2], // km driven with the MIL on
  [0x2f, 'obd.fuel.level', 1, 2.55], // %
  [0x42, 'obd.voltage', 2, 1000], // V, control module
  [0x46, 'obd.ambient.temperature', 1, 1, -40], // °C
  [0x5c, 'obd.engine.oil.temperature', 1, 1, -40], // °C
  [0x89, 'fuel.consumption', 4], // as sent
  [0x8a, 'obd.mileage', 4], // km
  [0x8b, 'fuel.level', 4, 10], // as sent / 10
];
export const OBD_PIDS: ReadonlyMap<number, ObdRow> = new Map(OBD_ROWS.map((row) => [row[0], row]));
