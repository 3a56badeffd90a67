import { type ParamDef, type ParamRow, paramDef, paramTable } from '../common/params.js';

/**
 * Castel / Sinocastel fields → message parameters (DESIGN §3). One line per element: the record
 * decoders hold no per-element branches. Sources: Sinocastel CB212-C1005 (§1.1.2.6 VSTATE,
 * §1.1.2.7 STAT_DATA, §1.1.2.10 ALARM_DATA, §4.3 TLV list), the castel notes in
 * ../shared/protocols/README.md and the corpus frames (which fix the PID value sizes below).
 * Unknown elements are kept: PIDs as `castel.pid.<id>`, TLVs as `castel.tlv.<tag>` (decimal ids:
 * 0x2167 is `castel.pid.8551`).
 */

/** §1.1.2.7 STAT_DATA (34 bytes, u32/u16 little-endian): field → parameter; the divisor gives km and litres. */
export const STAT = {
  /** Last ACC-on time, Unix seconds. */
  accOn: paramDef('castel.acc.on.time', 'u'),
  /** Total mileage, m → km. */
  mileage: paramDef('vehicle.mileage', 'u', 1000),
  /** Mileage of the current trip, m → km. */
  trip: paramDef('trip.mileage', 'u', 1000),
  /** Total fuel consumption, 0.01 L → L. */
  fuel: paramDef('vehicle.fuel.used', 'u', 100),
  /** Fuel consumption of the current trip, 0.01 L → L (§1.1.2.7, unit since Rev. 4.03). */
  tripFuel: paramDef('castel.trip.fuel.used', 'u', 100),
  /** §1.1.2.6 VSTATE as sent. */
  status: paramDef('castel.status', 'u'),
} as const satisfies Record<string, ParamDef>;

/** §1.1.2.6 VSTATE bits with a meaning of their own (bit → parameter). */
export const STATUS_BITS: readonly (readonly [bit: number, name: string])[] = [
  [4, 'harsh.acceleration.status'],
  [5, 'harsh.braking.status'],
  [6, 'idle.status'],
  [18, 'engine.ignition.status'],
];

/** GPS history flag (0x4001, 0x401F, CC heartbeat): 1 = a stored fix sent late. */
export const HISTORY_NAME = 'message.buffered.status';
/** Software and hardware versions of the login (NUL-terminated strings). */
export const FIRMWARE_NAME = 'firmware.version';
export const HARDWARE_NAME = 'hardware.version';
/** The parameter tags a device lists at login after its versions (u16 each). */
export const LOGIN_TAGS_NAME = 'castel.parameters';
/** RPM samples after the fixes of a 0x4001 GPS message (one per fix). */
export const RPM_NAME = 'obd.engine.rpm';
/** Indexes: 0x401F record index, 0x4007 alarm index (echoed in the ack), 0xB001 request index. */
export const INDEX_NAME = 'castel.index';
export const ALARM_INDEX_NAME = 'castel.alarm.index';
export const REQUEST_INDEX_NAME = 'castel.request.index';
/** MPIP 0x2001: the byte between the device time and the fix, as sent. */
export const REPORT_FLAG_NAME = 'castel.report.flag';
/** Fuel sensor value after each fix of 0x400E, as sent. */
export const FUEL_SENSOR_NAME = 'castel.fuel.sensor';
/** Cell of 0x4008 and of CC frames. */
export const LAC_NAME = 'gsm.lac';
export const CELL_NAME = 'gsm.cellid';
/** Bytes after the last field a record defines, hex. */
export const REST_NAME = 'castel.data';

/** OBD: sample rate of 0x4002/0x4003 (as sent), the 0x4004 PID list, the 0x4005/0x4006 flag byte. */
export const SAMPLE_RATE_NAME = 'castel.sample.rate';
export const SUPPORTED_PIDS_NAME = 'castel.supported.pids';
export const OBD_FLAG_NAME = 'castel.obd.flag';
export const DTC_FLAG_NAME = 'castel.dtc.flag';
export const DTC_NAME = 'obd.dtc.codes';
export const DTC_COUNT_NAME = 'obd.dtc.count';
/** J1939 DTCs of 0x400B and TLV 0x000B: 4 bytes each, hex (u32 little-endian). */
export const J1939_DTC_NAME = 'castel.dtc.j1939';
/** §1.1.2.9 GSENSOR_DATA: [x, y, z] samples in g (s16 × 0.015625). */
export const GSENSOR_NAME = 'castel.acceleration';
export const GSENSOR_UNIT = 0.015625;

/** 0xA002 query answer: the last value (as Traccar's `result`), and every tag as `castel.param.<tag>`. */
export const RESULT_NAME = 'command.response';
export const QUERY_PREFIX = 'castel.param';
export const QUERY_FAILED_NAME = 'castel.param.failed';

/** CC frames: battery, geofence and flag bytes. */
export const CC = {
  battery: paramDef('battery.level', 'u'),
  geofence: paramDef('castel.geofence.id', 'u'),
  geofenceFlags: paramDef('castel.geofence.flags', 'u'),
  flags: paramDef('castel.flags', 'u'),
} as const satisfies Record<string, ParamDef>;

/**
 * §1.1.2.10 ALARM_DATA alarm types → `alarm.type` (0x16/0x17 are ignition on/off, not alarms).
 * Each alarm also keeps its current value and threshold as `castel.alarm.<type>` and `.threshold`.
 */
export const ALARM_TYPES: Readonly<Record<number, string>> = {
  0x01: 'overspeed',
  0x02: 'low_power',
  0x03: 'temperature',
  0x04: 'hard_acceleration',
  0x05: 'hard_braking',
  0x06: 'idle',
  0x07: 'tow',
  0x08: 'high_rpm',
  0x09: 'power_on',
  0x0b: 'lane_change',
  0x0c: 'hard_cornering',
  0x0d: 'fatigue_driving',
  0x0e: 'power_off',
  0x11: 'accident',
  0x12: 'tamper',
  0x1c: 'vibration',
};
export const IGNITION_ALARMS: Readonly<Record<number, boolean>> = { 0x16: true, 0x17: false };
export const ALARM_CODE_NAME = 'castel.alarm.code';
export const alarmValueName = (code: number): string => `castel.alarm.${code}`;
export const alarmThresholdName = (code: number): string => `castel.alarm.${code}.threshold`;

/**
 * Passenger-car data streams (PID 0x21 + SAE J1979 mode 01 PID), values as the device sends them
 * (already in the unit shown; Traccar reads them without conversion).
 */
const PID_ROWS: readonly ParamRow[] = [
  [0x2104, 'obd.engine.load', 'u'], // %
  [0x2105, 'obd.engine.coolant.temperature', 'u'], // °C
  [0x210b, 'obd.intake.pressure', 'u'], // kPa
  [0x210c, 'obd.engine.rpm', 'u'],
  [0x210d, 'obd.vehicle.speed', 'u'], // km/h
  [0x210f, 'obd.intake.temperature', 'u'], // °C
  [0x2111, 'obd.throttle', 'u'], // %
  [0x2121, 'obd.mil_distance', 'u'], // km
  [0x212f, 'obd.fuel.level', 'u'], // %
  [0x2131, 'obd.dtc_cleared_distance', 'u'], // km
];
export const PID_TABLE: ReadonlyArray<ParamDef | undefined> = paramTable(PID_ROWS, 65536, 'Castel PID');
export const PID_PREFIX = 'castel.pid';

/** Value sizes of the passenger data streams (PID 0x21xx, by the low byte), from the CB212 data stream list. */
const PID_SIZE_ROWS: readonly (readonly [size: number, pids: readonly number[]])[] = [
  [
    1,
    [
      0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0b, 0x0d, 0x0e, 0x0f, 0x11, 0x12, 0x13, 0x1c, 0x1d, 0x1e, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x33, 0x43, 0x45, 0x46,
      0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x51, 0x52, 0x5a, 0x5b, 0x5c, 0x61, 0x62,
    ],
  ],
  [
    2,
    [
      0x02, 0x03, 0x0a, 0x0c, 0x10, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x21, 0x22, 0x23, 0x31, 0x32, 0x3c, 0x3d, 0x3e, 0x3f, 0x42, 0x44,
      0x4d, 0x4e, 0x50, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5d, 0x5e, 0x63, 0x9d,
    ],
  ],
  [
    4,
    [
      0x00, 0x01, 0x20, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x40, 0x41, 0x4f, 0x5f, 0x60, 0x64,
      0x67, 0xa4, 0xa6,
    ],
  ],
  [8, [0x66, 0x68, 0x87]],
  [10, [0x85]],
  [13, [0x7f]],
];
const PID_SIZES = new Map<number, number>(PID_SIZE_ROWS.flatMap(([size, pids]) => pids.map((pid) => [0x2100 | pid, size] as const)));

/** Size of a data stream's value in bytes, or undefined for a PID outside the table. */
export function pidSize(pid: number): number | undefined {
  return PID_SIZES.get(pid);
}

/**
 * §4.3 TLV tags of the 0x401F comprehensive message with a scalar value (the raw value is
 * little-endian, of the TLV's length). Structured tags are read by records/tlv.ts.
 */
const TLV_ROWS: readonly ParamRow[] = [
  [0x0010, 'device.temperature', 's', 10], // °C
  [0x0011, 'sensor.temperature.1', 's', 10],
  [0x0012, 'sensor.temperature.2', 's', 10],
  [0x0013, 'sensor.temperature.3', 's', 10],
  [0x0014, 'sensor.temperature.4', 's', 10],
  [0x0020, 'external.powersource.voltage', 'u', 100], // V
  [0x0021, 'battery.voltage', 'u', 100], // V
];
export const TLV_TABLE: ReadonlyArray<ParamDef | undefined> = paramTable(TLV_ROWS, 65536, 'Castel TLV');
export const TLV_PREFIX = 'castel.tlv';

/** Structured TLV tags of 0x401F. */
export const Tlv = {
  Pids: 0x0002,
  DtcsPassenger: 0x0006,
  Alarm: 0x0007,
  DtcsCommercial: 0x000b,
} as const;
