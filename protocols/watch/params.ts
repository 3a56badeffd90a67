/**
 * Watch fields → message parameters (DESIGN §3; the first protocols' names where the meaning is the
 * same). Sources: SeTracker Part VIII Appendix I (location data, device status bits), Part I §1 and
 * §5, Part III and Part VI (health), and the watch notes in ../shared/protocols/README.md. A field
 * with no name here is kept as `io.<n>`, n its position in the content (the type is 0).
 */

/** Parameter names, one line per field. */
export const P = {
  type: 'report.type', // the content type as sent (UD, UD2, AL_LTE, LK, bphrt...)
  lat: 'position.latitude',
  lon: 'position.longitude',
  valid: 'position.valid', // A / V
  accuracy: 'position.accuracy', // m, the last field of 4G units
  buffered: 'message.buffered.status', // UD2: blind-spot re-upload (Part I §3)
  network: 'gsm.network.technology', // from the type's suffix: 4G (_LTE), 3G (_WCDMA), CDMA
  status: 'watch.status', // Appendix I device status word, as a number
  alarm: 'alarm.type',
  trigger: 'alarm.event.trigger',
  mcc: 'gsm.mcc',
  mnc: 'gsm.mnc',
  lac: 'gsm.lac',
  cid: 'gsm.cellid',
  cells: 'gsm.cells', // [[lac, cid, rssi], ...] as gt06 lists them
  ta: 'watch.cell.ta', // "connect base station number / GSM time delay"
  wifi: 'wifi.access.points', // [[mac, rssi], ...] as gt06 lists them
  wifiNames: 'watch.wifi.names', // the access points' SSIDs, in the same order
  friendTime: 'watch.friend.time', // PP (Part II §29): the watch's hhmmss before the location data
  battery: 'battery.level', // %
  steps: 'watch.steps', // total steps (Part II §19: the count is never reset)
  turnovers: 'watch.turnovers', // "sleep body tumbling" count, as h02.turnovers
  response: 'command.response',
  firmware: 'firmware.version', // VERNO answer (Part II §13)
  iccid: 'gsm.sim.iccid',
  audioData: 'watch.audio.data', // AMR bytes (unescaped), hex
  audioFile: 'watch.audio.file', // JXTK: file name, part number, number of parts
  audioPart: 'watch.audio.part',
  audioParts: 'watch.audio.parts',
  photoData: 'watch.photo.data', // JPEG bytes (unescaped), hex
  photoType: 'watch.photo.type', // Part IV: 5 = remote snapshot
  photoTime: 'watch.photo.time', // yyMMddHHmmss of the watch's clock, as sent
  cdma: 'watch.cdma', // UD_CDMA: .sid, .nid, .bid, .signal
  temperatureAbnormal: 'health.body.temperature.abnormal', // btemp2 with temp 0 (low) or 1 (high)
} as const;

/** SeTracker Appendix I location data after the type: the numeric fields, by position (0 = the date). */
export const LOCATION_FIELDS: ReadonlyArray<readonly [index: number, name: string]> = [
  [7, 'position.speed'], // km/h
  [8, 'position.direction'],
  [9, 'position.altitude'], // m
  [10, 'position.satellites'],
  [11, 'gsm.signal.level'], // 0-100
  [12, P.battery],
  [13, P.steps],
  [14, P.turnovers],
];
/** Positions of the other Appendix I fields: date, time, validity, coordinates, status word, then the cells. */
export const F = { date: 0, time: 1, valid: 2, lat: 3, ns: 4, lon: 5, ew: 6, status: 15, network: 16 } as const;

/** Appendix I device status, low 16 bits (states): bit → parameter, and the value a set bit gives. */
export const STATUS_FLAGS: ReadonlyArray<readonly [bit: number, name: string, whenSet: boolean]> = [
  [0, 'battery.low.status', true],
  [1, 'watch.geofence.outside.status', true],
  [2, 'watch.geofence.inside.status', true],
  [4, 'movement.status', false], // "device no moving state" (00000010 = static); Traccar reads it as motion
];

/**
 * Appendix I device status, high 16 bits (alarms), in priority order: the first set bit is the
 * message's `alarm.type`. Bit 22 is "abnormal heart rate" in the spec (Traccar reads 21 and 22 as a fall).
 */
export const STATUS_ALARMS: ReadonlyArray<readonly [bit: number, type: string]> = [
  [16, 'sos'],
  [17, 'low_battery'],
  [18, 'geofence_exit'],
  [19, 'geofence_enter'],
  [20, 'removing'], // the watch was taken off
  [21, 'fall_down'],
  [22, 'abnormal_heart_rate'],
];
/** An AL frame without an alarm bit (Traccar: general). */
export const GENERAL_ALARM = 'general';

/** Part I §1 `LK,<steps>,<turnovers>,<battery %>`. */
export const KEEPALIVE_FIELDS: readonly string[] = [P.steps, P.turnovers, P.battery];

const HEART_RATE = 'health.heart.rate'; // beats/min
const SYSTOLIC = 'health.blood.pressure.systolic'; // mmHg
const DIASTOLIC = 'health.blood.pressure.diastolic'; // mmHg
export const BODY_TEMPERATURE = 'health.body.temperature'; // °C

/** Health frames: content type → the fields after it, by position (undefined: not a named field). */
export const HEALTH_FIELDS: Readonly<Record<string, readonly (string | undefined)[]>> = {
  bphrt: [SYSTOLIC, DIASTOLIC, HEART_RATE, 'watch.user.height', 'watch.user.gender', 'watch.user.age', 'watch.user.weight'], // Part III §3: cm, 1 male 2 female, years, kg
  blood: [SYSTOLIC, DIASTOLIC, HEART_RATE],
  pulse: [HEART_RATE],
  heart: [HEART_RATE],
  oxygen: ['watch.measure.type', 'health.blood.oxygen'], // Part III §4: 0 = measured by hand; SpO2 %
  btemp2: ['watch.measure.mode', BODY_TEMPERATURE], // Part VI §1: 0 forehead, 1 wrist
  temp: [BODY_TEMPERATURE],
};
/** Measurements where 0 means "not measured" (Part III §3) and the field is left out. */
export const ZERO_IS_NONE: ReadonlySet<string> = new Set([
  HEART_RATE,
  SYSTOLIC,
  DIASTOLIC,
  'health.blood.oxygen',
  'watch.user.height',
  'watch.user.age',
  'watch.user.weight',
  'watch.user.gender',
]);

/** Part I §5 `CONFIG,TY:G75,UL:600,SY:1,CM:1`: keys with a name; other keys → `watch.config.<key>`. */
export const CONFIG_KEYS: Readonly<Record<string, string>> = {
  TY: 'watch.model', // device type
  UL: 'watch.upload.interval', // s
};

/** Answers to server commands that carry a value worth a parameter: command word → parameter of the text after it. */
export const REPLY_VALUES: Readonly<Record<string, string>> = { VERNO: P.firmware };

/** A field's number (decimal, sign allowed), or undefined. */
export function numberOf(raw: string | undefined): number | undefined {
  const v = raw?.trim() ?? '';
  return /^[-+]?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
}
