import type { Message, MessageValue } from '../common/types.js';
import { DataType } from './constants.js';

/**
 * Wialon parameter (block) names → message parameters (DESIGN §3). One line per name; the decoder
 * holds no per-name branches. Names are matched lower-cased; a trailing `#` matches a number,
 * which replaces `#` in the hub name (`adc2` → `ain.2`). Exact names win over `#` lines.
 *
 * Two sources of names:
 * - Wialon's own (spec "Block name": `posinfo`, `pwr_ext`, `avl_inputs`, `avl_outputs`,
 *   `avl_driver`, `adc1…`, `gsm`, `ign`, `can1…`; the names Wialon gives IPS-style units, mapped as
 *   protocols/wialon_ips/params.ts maps them, so the same unit reads the same through both).
 * - The hub's own names as its Wialon Retranslator stream sends them (core/streams/
 *   retranslator-packet.ts: dots become `_`, booleans int32 0/1): hub → Wialon → hub, or hub → hub,
 *   keeps its names and types.
 *
 * kind: `number` (int32, int64, double, or numeric text), `bool` (non-zero; text 1/0, true/false,
 * on/off), `text` (text as is, numbers as decimal text, binary as hex), `sos` (alarm flag: true
 * also sets `alarm.type: sos`).
 *
 * Names not in the table, and values the kind cannot read, keep the Wialon name under the protocol
 * prefix: `wialon_retranslator.<name>` (lower case, characters other than letters, digits and `_`
 * replaced by `_`; `_2`, `_3`… added when the name is taken). Nothing is dropped.
 */
export type ParamKind = 'number' | 'bool' | 'text' | 'sos';
type Row = readonly [wialon: string, hub: string, kind: ParamKind];

const WIALON_ROWS: readonly Row[] = [
  ['pwr_ext', 'external.powersource.voltage', 'number'], // V
  ['pwr_int', 'battery.voltage', 'number'], // V, internal battery
  ['avl_inputs', 'din', 'number'], // digital inputs bitmask (flag 0x02)
  ['avl_outputs', 'dout', 'number'], // digital outputs bitmask (flag 0x04)
  ['avl_driver', 'ibutton.code', 'text'], // driver id (flag 0x20): iButton / RFID code
  ['adc#', 'ain.#', 'number'], // V, analog inputs
  ['in#', 'din.#', 'bool'],
  ['out#', 'dout.#', 'bool'],
  ['gsm', 'gsm.signal.level', 'number'], // as the unit reports it (bars or CSQ)
  ['ign', 'engine.ignition.status', 'bool'],
  ['mcc', 'gsm.mcc', 'number'],
  ['mnc', 'gsm.mnc', 'number'],
  ['lac', 'gsm.lac', 'number'],
  ['cell_id', 'gsm.cellid', 'number'],
  ['odometer', 'vehicle.mileage', 'number'], // km
  ['mileage', 'vehicle.mileage', 'number'], // km
  ['temp#', 'sensor.temperature.#', 'number'], // °C
  ['hdop', 'position.hdop', 'number'],
  ['pdop', 'position.pdop', 'number'],
  ['battery', 'battery.level', 'number'], // %
  ['bat_level', 'battery.level', 'number'],
  ['motion', 'movement.status', 'bool'],
  ['sos', 'alarm.event.trigger', 'sos'],
  ['fw_version', 'firmware.version', 'text'],
  ['hw_version', 'hardware.version', 'text'],
];

/** Hub names (DESIGN §3 and the first protocols' common names) read back from the hub's own stream. */
const HUB_NAMES: readonly (readonly [hub: string, kind: ParamKind])[] = [
  ['position.valid', 'bool'],
  ['position.hdop', 'number'],
  ['position.pdop', 'number'],
  ['position.accuracy', 'number'],
  ['engine.ignition.status', 'bool'],
  ['movement.status', 'bool'],
  ['external.powersource.voltage', 'number'],
  ['battery.voltage', 'number'],
  ['battery.level', 'number'],
  ['battery.charging.status', 'bool'],
  ['gsm.signal.level', 'number'],
  ['gsm.mcc', 'number'],
  ['gsm.mnc', 'number'],
  ['gsm.lac', 'number'],
  ['gsm.cellid', 'number'],
  ['gsm.operator.code', 'number'],
  ['gsm.sim.iccid', 'text'],
  ['gsm.sim.imsi', 'text'],
  ['vehicle.mileage', 'number'],
  ['trip.mileage', 'number'],
  ['din.#', 'bool'],
  ['dout.#', 'bool'],
  ['ain.#', 'number'],
  ['alarm.event.trigger', 'bool'],
  ['alarm.type', 'text'],
  ['event.enum', 'number'],
  ['priority.enum', 'number'],
  ['report.type', 'text'],
  ['message.buffered.status', 'bool'],
  ['fuel.level', 'number'],
  ['engine.rpm', 'number'],
  ['engine.hours', 'number'],
  ['engine.blocked.status', 'bool'],
  ['device.temperature', 'number'],
  ['sensor.temperature.#', 'number'],
  ['sensor.humidity.#', 'number'],
  ['ibutton.code', 'text'],
  ['rfid.code', 'text'],
  ['towing.status', 'bool'],
  ['door.status', 'bool'],
  ['harsh.braking.status', 'bool'],
  ['harsh.acceleration.status', 'bool'],
  ['can.engine.rpm', 'number'],
  ['can.vehicle.speed', 'number'],
  ['can.vehicle.mileage', 'number'],
  ['can.fuel.level', 'number'],
  ['can.fuel.used', 'number'],
  ['can.engine.coolant.temperature', 'number'],
  ['obd.vehicle.speed', 'number'],
  ['obd.engine.rpm', 'number'],
  ['obd.dtc.codes', 'text'],
  ['vehicle.vin', 'text'],
  ['firmware.version', 'text'],
  ['hardware.version', 'text'],
  ['device.model', 'text'],
];

export interface ParamDef {
  readonly name: string;
  readonly kind: ParamKind;
}

function buildTable(rows: readonly Row[]): ReadonlyMap<string, ParamDef> {
  const table = new Map<string, ParamDef>();
  for (const [wialon, name, kind] of rows) {
    if (table.has(wialon)) throw new Error(`duplicate Wialon Retranslator parameter name ${wialon}`);
    table.set(wialon, { name, kind });
  }
  return table;
}

export const PARAM_TABLE: ReadonlyMap<string, ParamDef> = buildTable([
  ...WIALON_ROWS,
  ...HUB_NAMES.map(([hub, kind]): Row => [hub.replace(/\./g, '_'), hub, kind]),
]);

export const PARAM_PREFIX = 'wialon_retranslator.';
/** Parameters of the codec's own (binary blocks with a layout). */
export const P = {
  photoSize: `${PARAM_PREFIX}photo.size`,
  photoData: `${PARAM_PREFIX}photo.data`,
} as const;

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Hub name and kind for a lower-cased Wialon name, if the table knows it. */
export function lookupParam(lower: string): ParamDef | undefined {
  const exact = PARAM_TABLE.get(lower);
  if (exact) return exact;
  const m = /^(.*?)(\d+)$/.exec(lower);
  const family = m ? PARAM_TABLE.get(`${m[1]}#`) : undefined;
  return family && m ? { name: family.name.replace('#', String(Number(m[2]))), kind: family.kind } : undefined;
}

/** One block's value as read: numbers for int32/double (int64 within 2^53), text, hex for binary. */
export interface BlockValue {
  readonly type: number;
  readonly value: number | string;
}

function convert(v: BlockValue, kind: ParamKind): MessageValue | undefined {
  const { type, value } = v;
  if (kind === 'text') return typeof value === 'number' ? String(value) : value;
  if (type === DataType.Binary || (type === DataType.Int64 && typeof value === 'string')) return undefined;
  if (kind === 'number') return typeof value === 'number' ? value : NUMERIC.test(value.trim()) ? Number(value) : undefined;
  if (typeof value === 'number') return value !== 0;
  const t = value.trim().toLowerCase();
  if (t === '1' || t === 'true' || t === 'on') return true;
  if (t === '0' || t === 'false' || t === 'off') return false;
  return undefined;
}

/** Sets one block's value on a message by the table, or under its prefixed Wialon name (see the header). */
export function applyParam(m: Message, name: string, v: BlockValue): void {
  const lower = name.toLowerCase();
  const def = lookupParam(lower);
  const value = def ? convert(v, def.kind) : undefined;
  if (def && value !== undefined && m[def.name] === undefined) {
    m[def.name] = value;
    if (def.kind === 'sos' && value === true && m['alarm.type'] === undefined) m['alarm.type'] = 'sos';
    return;
  }
  m[freeName(m, `${PARAM_PREFIX}${lower.replace(/[^a-z0-9_]+/g, '_')}`)] = v.value;
}

/** `name`, or `name_2`, `name_3`… when the message already has it. */
function freeName(m: Message, name: string): string {
  if (m[name] === undefined) return name;
  let n = 2;
  while (m[`${name}_${n}`] !== undefined) n++;
  return `${name}_${n}`;
}
