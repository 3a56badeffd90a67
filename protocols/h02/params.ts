/**
 * H02 values → message parameters (DESIGN §3). One line per element; the decoders hold no
 * per-element branches. Sources: ../shared/protocols/README.md (H02) and Traccar's H02 decoder
 * (facts only: bit meanings, battery scale, field order).
 */
import { type ParamDef, type ParamKind, paramDef } from '../common/params.js';
import type { Message } from '../common/types.js';

/**
 * Status word (8 hex digits in text frames, u32 in binary frames): alarm bits are ACTIVE LOW.
 * The first cleared bit in this order names the alarm (one `alarm.type` per message).
 */
export const STATUS_ALARMS: ReadonlyArray<readonly [bit: number, type: string]> = [
  [0, 'vibration'],
  [1, 'sos'],
  [18, 'sos'],
  [2, 'overspeed'],
  [19, 'power_cut'],
];
/** Bit 10 set: ACC (ignition) on. */
export const IGNITION_BIT = 10;
/** The raw status word, kept whole (Traccar `status`). */
export const STATUS_NAME = 'h02.status';

/** Sets `h02.status`, `engine.ignition.status` and the alarm (if any) from a status word. */
export function applyStatus(m: Message, status: number): void {
  m[STATUS_NAME] = status >>> 0;
  m['engine.ignition.status'] = ((status >>> IGNITION_BIT) & 1) === 1;
  const alarm = STATUS_ALARMS.find(([bit]) => ((status >>> bit) & 1) === 0);
  if (alarm) {
    m['alarm.event.trigger'] = true;
    m['alarm.type'] = alarm[1];
  }
}

/**
 * Battery byte of binary frames (and the HTBT/LINK level): 1-3 → 0/10/20 %, 4-6 → 60/80/100 %,
 * 7-100 → percent, F1-F6 → 1-6 %; anything else is unknown (kept raw as `h02.battery`).
 */
export function batteryLevel(raw: number): number | undefined {
  if (raw >= 1 && raw <= 3) return (raw - 1) * 10;
  if (raw >= 4 && raw <= 6) return (raw - 1) * 20;
  if (raw >= 7 && raw <= 100) return raw;
  if (raw >= 0xf1 && raw <= 0xf6) return raw - 0xf0;
  return undefined;
}
/** Battery value of unknown scale (binary byte outside the table, V3 hex field, V1 battery field). */
export const BATTERY_RAW_NAME = 'h02.battery';

/** Positional fields of simple text types: `time`/`date`/`status` are special, others integers. */
export const SIMPLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  // `*HQ,<id>,HTBT,<battery %>#`
  HTBT: ['battery.level'],
  V0: ['battery.level'],
  // `*HQ,<id>,LINK,hhmmss,<rssi 0-31 CSQ>,<satellites>,<battery %>,<steps>,<turnovers>,DDMMYY,<status>#`
  LINK: ['time', 'gsm.signal.level', 'position.satellites', 'battery.level', 'h02.steps', 'h02.turnovers', 'date', 'status'],
};

/** A field of the odometer tail: the text it must match, its radix, and the divisor of the value. */
export interface TailDef extends ParamDef {
  readonly pattern: RegExp;
  readonly radix: 10 | 16;
}
const tailDef = (name: string, kind: ParamKind, pattern: RegExp, radix: 10 | 16, divisor?: number): TailDef => ({
  ...paramDef(name, kind, divisor),
  pattern,
  radix,
});

/** The 6-field tail after the status of some V1 firmware: odometer, temperature, fuel, altitude, LAC, cell. */
export const ODOMETER_TAIL: readonly TailDef[] = [
  tailDef('vehicle.mileage', 'u', /^\d+$/, 10, 1000), // metres → km
  tailDef('sensor.temperature.1', 's', /^-?\d+$/, 10), // °C
  tailDef('fuel.level', 'u', /^\d+\.\d+$/, 10), // always with a decimal point
  tailDef('position.altitude', 's', /^-?\d+$/, 10), // m
  tailDef('gsm.lac', 'u', /^[0-9A-Fa-f]+$/, 16),
  tailDef('gsm.cellid', 'u', /^[0-9A-Fa-f]+$/, 16),
];

/** V19's SIM group between the date and the status (seen: empty, IP address or phone number, ICCID). */
export const SIM_FIELDS = ['h02.sim.1', 'h02.sim.info', 'gsm.sim.iccid'] as const;

/** Other fields after the status (cells in hex or decimal, ICCID, counters: they vary by firmware). */
export const tailName = (index: number): string => `io.${index + 1}`;

/** Serving cell of LBS reports; every cell (serving first) as `[lac, cid, level?]` in `h02.cells`. */
export const CELLS_NAME = 'h02.cells';

/** A field of the binary frame at a fixed offset (u8 or u16 BE). */
export interface BinaryFieldDef extends ParamDef {
  readonly offset: number;
  readonly size: 1 | 2;
}
const binaryField = (offset: number, size: 1 | 2, name: string): BinaryFieldDef => ({ ...paramDef(name, 'u'), offset, size });

/** Binary frames of 45 bytes (5-byte id): the serving cell after the status word. */
export const BINARY_CELL: readonly BinaryFieldDef[] = [
  binaryField(37, 2, 'gsm.mcc'),
  binaryField(39, 1, 'gsm.mnc'),
  binaryField(40, 2, 'gsm.lac'),
  binaryField(42, 2, 'gsm.cellid'),
];

/** Words that tell whether a V4 command echo reports success. */
export const RESULT_WORDS: Readonly<Record<string, boolean>> = { DONE: true, OK: true, SUCCESS: true, ERROR: false, FAIL: false, FAILED: false };
