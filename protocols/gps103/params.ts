/**
 * GPS103 fields → message parameters (DESIGN §3): one line per field; the record decoders hold no
 * per-field branches. Sources: Coban "GPRS protocol" (2014-12-12) §4.2 field content and §4.3
 * keywords, and the GPS103 notes in ../shared/protocols/README.md (Traccar's decoder, facts only).
 * A field that does not read as its kind is kept as `io.<index>` (its index in the sentence).
 */

/** How a field's text reads: `number` (decimal, sign allowed), `percent` (`51.6%`), `bool01`, `text`, `hex` (integer in hex), `dtc` (OBD-II code). */
export type FieldKind = 'number' | 'percent' | 'bool01' | 'text' | 'hex' | 'dtc';

/** One table line: index in the sentence (0 = `imei:<IMEI>`), parameter name, kind. */
export type FieldRow = readonly [index: number, name: string, kind: FieldKind];

/**
 * §4.1 location sentence after the course: `,alt,acc,door,fuel1%,fuel2%,temp` (GPS303/GPS306 and
 * later firmware; older TK103 stop at the course). Two lines for one index: the first that reads wins.
 */
export const LOCATION_TAIL: readonly FieldRow[] = [
  [13, 'position.altitude', 'number'], // m
  [14, 'engine.ignition.status', 'bool01'], // ACC
  [15, 'door.status', 'bool01'],
  [16, 'fuel.level.1', 'percent'], // %
  [17, 'fuel.level.2', 'percent'], // %
  [17, 'obd.dtc.codes', 'dtc'], // the DTC keyword puts the code here
  [18, 'sensor.temperature.1', 'number'], // °C
];

/** §4.1 without a fix (`L`): the serving cell in the latitude and longitude fields, in hex. */
export const CELL_FIELDS: readonly FieldRow[] = [
  [7, 'gsm.lac', 'hex'],
  [9, 'gsm.cellid', 'hex'],
];

/** OBD sentence (GPS306A): `imei:..,OBD,yymmddhhmmss,` then these, then up to four DTCs. */
export const OBD_FIELDS: readonly FieldRow[] = [
  [3, 'obd.mileage', 'number'], // as sent
  [4, 'gps103.fuel.consumption.instant', 'number'],
  [5, 'fuel.consumption', 'number'], // average
  [6, 'engine.hours', 'number'], // h
  [7, 'obd.vehicle.speed', 'number'], // km/h
  [8, 'obd.engine.load', 'percent'], // %
  [9, 'obd.engine.coolant.temperature', 'number'], // °C (a lone sign when unknown)
  [10, 'obd.throttle', 'percent'], // %
  [11, 'engine.rpm', 'number'],
  [12, 'obd.voltage', 'number'], // V, the vehicle battery
];
/** First DTC field of the OBD sentence; the codes are joined with spaces in `obd.dtc.codes`. */
export const OBD_DTC_FROM = 13;
export const DTC_NAME = 'obd.dtc.codes';

/**
 * Decimal-degree variant: `imei:..,<name>,<event>,<sensor id>,<sensor V>,hhmmss,ddmmyy,<rssi>,
 * <gps 0|1>,lat,lon,<km/h>,<course>,<alt>,<hdop>,<sats>,<acc>,<charging>,<error>,*`. `---` = none.
 */
export const ALTERNATIVE_FIELDS: readonly FieldRow[] = [
  [1, 'gps103.name', 'text'],
  [2, 'report.type', 'text'],
  [3, 'gps103.sensor.id', 'text'],
  [4, 'gps103.sensor.voltage', 'number'], // V
  [7, 'gsm.signal.level', 'number'],
  [13, 'position.altitude', 'number'], // m
  [14, 'position.hdop', 'number'],
  [15, 'position.satellites', 'number'],
  [16, 'engine.ignition.status', 'bool01'],
  [17, 'battery.charging.status', 'bool01'],
  [18, 'gps103.error', 'text'],
];

/** Field 3 of the location sentence: the driver card for the `rfid` keyword, else the phone number field as sent. */
export const RFID_NAME = 'ibutton.code';
export const PHONE_NAME = 'gps103.phone';
/** `vt<n>`: the number of picture parts that follow; `vr` parts: index and payload (hex). */
export const PHOTO_PARTS_NAME = 'gps103.photo.parts';
export const PHOTO_INDEX_NAME = 'gps103.photo.index';
export const PHOTO_DATA_NAME = 'gps103.photo.data';

/** §4.3 keywords that are alarms → `alarm.type`. */
export const ALARM_KEYWORDS: Readonly<Record<string, string>> = {
  'help me': 'sos',
  'low battery': 'low_battery',
  stockade: 'geofence',
  move: 'movement',
  speed: 'overspeed',
  'door alarm': 'door',
  'ac alarm': 'power_cut',
  'accident alarm': 'accident',
  'sensor alarm': 'vibration',
  'bonnet alarm': 'bonnet',
  'footbrake alarm': 'foot_brake',
  DTC: 'fault',
};

/**
 * §4.3 keywords that start with a prefix: `T:<°C>` temperature alarm (the value → sensor.temperature.1),
 * `oil…` fuel alarm (`oil <level>`: the value → fuel.level).
 */
export const PREFIX_KEYWORDS: ReadonlyArray<readonly [prefix: string, alarm: string, valuePrefix: string, name: string]> = [
  ['T:', 'temperature', 'T:', 'sensor.temperature.1'],
  ['oil', 'fuel_leak', 'oil ', 'fuel.level'],
];

/** `acc on` / `acc off` set the ignition. */
export const IGNITION_KEYWORDS: Readonly<Record<string, boolean>> = { 'acc on': true, 'acc off': false };

const NUMBER = /^[-+]?\d+(\.\d+)?$/;
const PERCENT = /^\d+(\.\d+)?%$/;
const HEX = /^[0-9A-Fa-f]{1,8}$/;
const DTC = /^[PCBU][0-9A-F]{4}$/;

/** The value of a field of `kind`, or undefined when its text does not read as that kind. */
export function fieldValue(kind: FieldKind, raw: string): number | boolean | string | undefined {
  const v = raw.trim();
  switch (kind) {
    case 'number':
      return NUMBER.test(v) ? Number(v) : undefined;
    case 'percent':
      return PERCENT.test(v) ? Number(v.slice(0, -1)) : undefined;
    case 'bool01':
      return v === '1' ? true : v === '0' ? false : undefined;
    case 'hex':
      return HEX.test(v) ? parseInt(v, 16) : undefined;
    case 'dtc':
      return DTC.test(v) ? v : undefined;
    case 'text':
      return v === '' || /^-+$/.test(v) ? undefined : v;
  }
}
