/**
 * ATrack record fields → message parameters (DESIGN §3): one line per field. Sources: ATrack
 * "Protocol Document" rev 1.3.6 §3 (report fields, AT$FORM custom information codes) and the
 * ATrack notes in ../shared/protocols/README.md (sizes and scales as Traccar's decoder reads them,
 * Apache-2.0, facts only). Values the decoders cannot name keep the protocol prefix
 * (`atrack.<code>`, `io.<n>` for unnamed custom values), never dropped.
 */

/** How a value sits in a binary record: an integer type, a NUL-ended string, or a fixed number of bytes (hex). */
export type Wire = 'u8' | 'u16' | 'u32' | 'i16' | 'i32' | 'u64' | 'str' | number;

/** How a value reads: `num` (divided by `divisor`), `bool` (non-zero), `text`, `hex`, `operator` (MCC+MNC digits), `beacons`. */
export type Conv = 'num' | 'bool' | 'text' | 'hex' | 'operator' | 'beacons';

/** One fixed field of a record, in wire order after the three times. */
export type RecordRow = readonly [name: string, wire: Wire, divisor?: number];

/**
 * §3 report record after the GPS, RTC and send times: lon, lat (×1e-6°), heading, report id,
 * odometer (0.1 km), HDOP (×0.1), inputs, speed (km/h), outputs, analog input (mV), driver id,
 * two temperatures (0.1 °C; 2000 = no sensor) and a text message.
 */
export const RECORD: readonly RecordRow[] = [
  ['position.longitude', 'i32', 1e6],
  ['position.latitude', 'i32', 1e6],
  ['position.direction', 'u16'],
  ['event.enum', 'u8'], // report id: the event that made the unit report (AT$REPT ids)
  ['vehicle.mileage', 'u32', 10], // km
  ['position.hdop', 'u16', 10],
  ['din', 'u8'], // input status bitmask (bit 0 = IN0)
  ['position.speed', 'u16'], // km/h
  ['dout', 'u8'], // output status bitmask
  ['ain.1', 'u16', 1000], // V (the unit sends mV)
  ['ibutton.code', 'str'], // driver id (iButton / RFID)
  ['sensor.temperature.1', 'i16', 10], // °C
  ['sensor.temperature.2', 'i16', 10], // °C
  ['atrack.text', 'str'], // text message (AT$SMSG / external device)
];

/** The temperature fields (a value of 2000 there means no sensor). */
export const TEMPERATURE = 'sensor.temperature.';

/** Names of the three times: GPS fix time (the message timestamp), unit RTC time, send time. */
export const RTC_TIME = 'atrack.rtc.timestamp';
export const SEND_TIME = 'atrack.send.timestamp';

/** One custom information code (AT$FORM `%XX`): binary wire (undefined: not sent in binary reports), name, reading, divisor. */
export type CustomRow = readonly [code: string, wire: Wire | undefined, name: string, conv: Conv, divisor?: number];

/** km per mile as a divisor: miles / 0.621371… = km. */
const MILES = 1 / 1.609344;

/** §3 custom information codes. Codes of the J1708 (`Z…`) and J1939/FMS (`J…`) families not listed read by size (`customWire`). */
export const CUSTOM: readonly CustomRow[] = [
  ['SA', 'u8', 'position.satellites', 'num'],
  ['MV', 'u16', 'external.powersource.voltage', 'num', 10], // V
  ['BV', 'u16', 'battery.voltage', 'num', 10], // V
  ['GQ', 'u8', 'gsm.signal.level', 'num'], // CSQ 0-31, 99 unknown
  ['GS', 'u8', 'atrack.gsm.status', 'num'],
  ['CE', 'u32', 'gsm.cellid', 'num'],
  ['LC', 'u16', 'gsm.lac', 'num'],
  ['CN', 'u32', 'gsm.operator.code', 'operator'], // MCC + MNC digits
  ['RL', 'u8', 'atrack.rxlev', 'num'],
  ['PC', 'u32', 'atrack.pulse.count', 'num'],
  ['AT', 'i32', 'position.altitude', 'num'], // m
  ['RP', 'u16', 'engine.rpm', 'num'],
  ['DT', 'u8', 'message.buffered.status', 'bool'], // 1 = a stored (buffered) report
  ['VN', 'str', 'vehicle.vin', 'text'],
  ['MF', 'u16', 'obd.maf', 'num'], // mass air flow as sent
  ['EL', 'u8', 'obd.engine.load', 'num'], // %
  ['TR', 'u8', 'obd.throttle', 'num'], // %
  ['ET', 'i16', 'obd.engine.coolant.temperature', 'num'], // °C
  ['FL', 'u8', 'fuel.level', 'num'], // %
  ['ML', 'u8', 'obd.mil.status', 'bool'],
  ['FC', 'u32', 'fuel.consumption', 'num'], // as sent
  ['CI', 'str', 'atrack.form', 'text'], // the custom information format itself
  ['AV1', 'u16', 'atrack.av.1', 'num'],
  ['NC', 'str', 'atrack.neighbor.cells', 'text'],
  ['SM', 'u16', 'atrack.speed.max', 'num'], // km/h, highest since the last report
  ['GL', 'str', 'atrack.google.link', 'text'],
  ['MA', 'str', 'atrack.mac', 'text'],
  ['PD', 'u8', 'atrack.pending.dtc.status', 'num'],
  ['CD', 'str', 'gsm.sim.iccid', 'text'],
  ['CM', 'u64', 'gsm.sim.imsi', 'text'],
  ['GN', 60, 'atrack.gsensor.data', 'hex'],
  ['GV', 6, 'atrack.gforce.max', 'hex'],
  ['ME', 'u64', 'atrack.imei', 'text'],
  ['IA', 'u8', 'obd.intake.air.temperature', 'num'], // °C
  ['MP', 'u8', 'obd.manifold.pressure', 'num'], // kPa
  ['EO', 'u32', 'obd.mileage', 'num', MILES], // km (the ECU sends miles)
  ['EH', 'u32', 'engine.hours', 'num', 10], // h (0.1 h)
  ['IN0', 'u8', 'engine.ignition.status', 'bool'], // IN0 is the ignition input
  ['IN1', 'u8', 'atrack.in.1', 'bool'],
  ['IN2', 'u8', 'atrack.in.2', 'bool'],
  ['IN3', 'u8', 'atrack.in.3', 'bool'],
  ['HA', 'u8', 'harsh.acceleration.status', 'bool'],
  ['HB', 'u8', 'harsh.braking.status', 'bool'],
  ['HC', 'u8', 'harsh.cornering.status', 'bool'],
  ['MT', 'u8', 'movement.status', 'bool'],
  ['BC', undefined, 'atrack.beacons', 'beacons'], // `<mode>:<mask>:<hex>` BLE beacon block
  // J1708 (AT$FORM %ZO/%ZH/%ZL/%ZS)
  ['ZO4', 'u8', 'obd.throttle', 'num', 2.5], // 0.4 %
  ['ZO9', 'u8', 'obd.engine.load', 'num', 2], // 0.5 %
  ['ZO10', 'u8', 'fuel.level', 'num', 2], // 0.5 %
  ['ZO14', 'u8', 'obd.engine.coolant.temperature', 'num'],
  ['ZH3', 'u16', 'engine.rpm', 'num', 4], // 0.25 rpm
  ['ZL4', 'u32', 'engine.hours', 'num', 20], // 0.05 h
  ['ZS1', 'str', 'vehicle.vin', 'text'],
  // J1939 / FMS (AT$FORM %JO/%JH/%JL/%JS/%JN)
  ['JO4', 'u8', 'obd.engine.load', 'num'],
  ['JO5', 'u8', 'fuel.level', 'num', 2.5], // 0.4 %
  ['JH1', 'u16', 'obd.vehicle.speed', 'num', 256], // km/h
  ['JH2', 'u16', 'engine.rpm', 'num', 8], // 0.125 rpm
  ['JL1', 'u32', 'can.fuel.used', 'num', 2], // l (0.5 l)
  ['JL2', 'u32', 'engine.hours', 'num', 20], // 0.05 h
  ['JL3', 'u32', 'can.vehicle.mileage', 'num'], // km
  ['JS1', 'str', 'vehicle.vin', 'text'],
  ['JS3', 'str', 'tachograph.driver.id', 'text'],
];

const CUSTOM_BY_CODE: ReadonlyMap<string, CustomRow> = new Map(CUSTOM.map((row) => [row[0], row]));

/** Wire size of a J1708 / J1939 code by its family letter (`O` byte, `H` half word, `L`/`N` long, `S` string). */
const FAMILY_WIRE: Readonly<Record<string, Wire>> = { O: 'u8', H: 'u16', L: 'u32', N: 'u32', S: 'str' };

/** The row of a custom code: the table's, else a vendor-named one sized by its J1708/J1939 family, else text-only. */
export function customRow(code: string): CustomRow {
  const row = CUSTOM_BY_CODE.get(code);
  if (row) return row;
  const family = /^[ZJ]([OHLNS])\d+$/.exec(code);
  const name = `atrack.${code.toLowerCase()}`;
  return family ? [code, FAMILY_WIRE[family[1]], name, family[1] === 'S' ? 'text' : 'num'] : [code, undefined, name, 'text'];
}

/** `$INFO=` answer fields (AT$INFO=?), in order. */
export const INFO_FIELDS: readonly (readonly [name: string, conv: 'num' | 'text', divisor?: number])[] = [
  ['atrack.unit.id', 'text'],
  ['device.model', 'text'],
  ['firmware.version', 'text'],
  ['atrack.imei', 'text'],
  ['gsm.sim.imsi', 'text'],
  ['gsm.sim.iccid', 'text'],
  ['external.powersource.voltage', 'num', 10], // V
  ['battery.voltage', 'num', 10], // V
  ['position.satellites', 'num'],
  ['atrack.gsm.status', 'num'],
  ['gsm.signal.level', 'num'],
  ['atrack.connection.status', 'num'],
  ['atrack.antenna.status', 'num'],
];

/** Command answers: the whole text, and the code of `$ERROR=<code>`. */
export const RESPONSE = 'command.response';
export const ERROR_CODE = 'atrack.error.code';

/** `@R` photo chunk parts. */
export const PHOTO_INDEX = 'atrack.photo.index';
export const PHOTO_COUNT = 'atrack.photo.count';
export const PHOTO_DATA = 'atrack.photo.data';

/** Name of the n-th (from 1) custom value of a record whose format is unknown. */
export const unnamedCustom = (n: number): string => `io.${n}`;
