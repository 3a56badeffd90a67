/**
 * Meiligao data → message parameters (DESIGN §3): one line per field; the record decoders hold no
 * per-field branches. Sources: GPRS protocol V2.1 Annex 1 (GPRS data: GPRMC, then `|`-separated
 * HDOP, altitude, state, AD, base ID, CSQ, journey), the 0x9999 alarm list, and the Meiligao notes
 * in ../shared/protocols/README.md (Traccar's decoder, facts only). A field that does not read as
 * its kind is kept as `io.<index>` (its index in the `|` list), never dropped.
 */

/** 0x9999 alarm codes → `alarm.type` (the code itself is always `event.enum`). */
export const ALARMS: ReadonlyMap<number, string> = new Map([
  [0x01, 'sos'], //              SOS button pressed (input 1 active)
  [0x10, 'low_battery'], //      low internal battery
  [0x11, 'overspeed'], //        speeding
  [0x12, 'movement'], //         movement alarm (left the 0x4106 radius)
  [0x13, 'geofence'], //         geo-fence alarm
  [0x50, 'power_cut'], //        external power cut (V1.05 "power-cut alarm")
  [0x53, 'gps_antenna_cut'], //  GPS antenna cut
  [0x72, 'braking'], //          harsh braking
  [0x73, 'acceleration'], //     harsh acceleration
]);

/** Alarm codes 0x01-0x05: input N became active; 0x31-0x35: input N became inactive (`din.N`). */
export const INPUT_ACTIVE_FIRST = 0x01;
export const INPUT_INACTIVE_FIRST = 0x31;
export const INPUT_ALARMS = 5;

/**
 * How a field reads: `decimal` number, `altitude` metres (a value outside -1000..60000 m is kept
 * as `meiligao.raw.altitude`), `state` 4 hex digits (outputs 1-5 in bits 0-4, inputs 1-5 in bits
 * 8-12), `adc` comma-separated hex counts, `cell` MCC MNC LAC (4 hex each) + cell id (4-8 hex),
 * `csq` hex 0-31 (99 = unknown, dropped), `hex` integer in hex, `hex_metres` / `metres` a distance in
 * m (hex / decimal) → km, `code` a card number in hex as text (all zeros: no card), `text` as sent (the rest of the list).
 */
export type TailKind = 'decimal' | 'altitude' | 'state' | 'adc' | 'cell' | 'csq' | 'hex' | 'hex_metres' | 'metres' | 'code' | 'text';

/** One table line: index in the `|` list (0 = the GPRMC sentence), parameter name, kind. */
export type TailRow = readonly [index: number, name: string, kind: TailKind];

/** Annex 1: `GPRMC|HDOP|altitude|state|AD1,AD2[,AD3...]` (all firmware from V1.02 on). */
export const TAIL_COMMON: readonly TailRow[] = [
  [1, 'position.hdop', 'decimal'],
  [2, 'position.altitude', 'altitude'], //  m
  [3, 'io', 'state'], //                    din, dout bitmasks
  [4, 'meiligao.adc', 'adc'], //            meiligao.adc.<n>: raw AD counts
];

/** Annex 1 as modified in V2.0: `|base ID|CSQ|journey`, then on some firmware (per Traccar) `|satellites|driver licence`. */
export const TAIL_CELL: readonly TailRow[] = [
  [5, 'gsm', 'cell'], //                     gsm.mcc, gsm.mnc, gsm.lac, gsm.cellid
  [6, 'gsm.signal.level', 'csq'], //        CSQ 0-31
  [7, 'vehicle.mileage', 'hex_metres'], //  journey, m on the wire → km
  [8, 'position.satellites', 'hex'],
  [9, 'meiligao.driver.license', 'text'],
];

/** Firmware before V2.0: `|odometer (decimal m)|RFID card (hex)`. */
export const TAIL_ODOMETER: readonly TailRow[] = [
  [5, 'vehicle.mileage', 'metres'], //      m on the wire → km
  [6, 'ibutton.code', 'code'], //           driver card
];

/** GPRMC fields after the date that some firmware fills: magnetic variation and the NMEA 2.3 mode letter. */
export const RMC_EXTRA: ReadonlyArray<readonly [index: number, name: string]> = [
  [9, 'meiligao.nmea.variation'],
  [10, 'meiligao.nmea.variation.direction'],
  [11, 'meiligao.nmea.mode'], //  A autonomous, D differential, E estimated, N not valid
];

/** 0x9901 OBD real-time data, decimal fields in this order (field order per Traccar). */
export const OBD_REALTIME: readonly string[] = [
  'obd.voltage', //                           V, vehicle battery
  'engine.rpm',
  'obd.vehicle.speed', //                     km/h
  'obd.throttle', //                          %
  'obd.engine.load', //                       %
  'obd.engine.coolant.temperature', //        °C
  'meiligao.fuel.consumption.instant',
  'fuel.consumption', //                      average
  'meiligao.driving.range', //                km
  'obd.mileage', //                           km
  'meiligao.fuel.used.trip', //               L
  'vehicle.fuel.used', //                     L, total
  'obd.dtc.count',
  'meiligao.harsh.acceleration.count',
  'meiligao.harsh.braking.count',
];

/** 0x9902 OBD accumulated data, decimal fields in this order (field order per Traccar). */
export const OBD_ACCUMULATED: readonly string[] = [
  'meiligao.ignition.count',
  'meiligao.driving.time', //                 h
  'meiligao.idling.time', //                  h
  'meiligao.hot.start.time', //               s, average
  'meiligao.speed.average', //                km/h
  'meiligao.speed.max', //                    km/h, history highest
  'meiligao.rpm.max', //                      history highest
  'meiligao.harsh.acceleration.total',
  'meiligao.harsh.braking.total',
];

/** 0x9903: the trouble codes, space-separated. */
export const DTC_NAME = 'obd.dtc.codes';

/** Names of the frame-level values. */
export const Name = {
  AdcPrefix: 'meiligao.adc',
  State: 'meiligao.state',
  RawAltitude: 'meiligao.raw.altitude',
  LogHeader: 'meiligao.log.header',
  CardPrefix: 'meiligao.card',
  Driver: 'ibutton.code',
  PhotoIndex: 'meiligao.photo.index',
  PhotoUpload: 'meiligao.photo.upload',
  PhotoSize: 'meiligao.photo.size',
  PhotoPackets: 'meiligao.photo.packets',
  PhotoPacket: 'meiligao.photo.packet',
  PhotoData: 'meiligao.photo.data',
} as const;

/** Plausible altitudes (m); a value outside is a firmware fault and not a position. */
export const ALTITUDE_RANGE = [-1000, 60000] as const;
/** CSQ 99: signal not known or not detectable (3GPP TS 27.007). */
export const CSQ_UNKNOWN = 99;
