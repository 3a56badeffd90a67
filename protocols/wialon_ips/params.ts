import type { Message, MessageValue } from '../common/types.js';
import type { Param } from './packet.js';

/**
 * Wialon IPS `params` names → message parameters (DESIGN §3). One line per name; the decoder holds
 * no per-name branches. Names are matched lower-cased; a trailing `#` matches a number, which
 * replaces `#` in the hub name (`temp3` → `sensor.temperature.3`). Exact names win over `#` lines.
 * Sources: the names Traccar maps (WialonProtocolDecoder), flespi's wialon_ips parameter list, and
 * names common in Wialon IPS firmware (`pwr_ext`, `pwr_int`, `gsm`, `mcc1`…).
 *
 * kind: `number` (numeric text becomes a number; non-numeric keeps the raw name), `bool` (1/0,
 * true/false, on/off), `text`, `sos` (alarm flag: true also sets `alarm.type: sos`).
 *
 * Names not in the table: a name already in our dotted form (`can.engine.rpm`, as devices set up
 * for flespi send) is kept as is; any other becomes `wialon_ips.<name>` (lower case, characters
 * other than letters, digits, `_` and `.` replaced by `_`). A name that would overwrite a value
 * already in the message (a field, a second `temp`, a reserved name) takes that prefixed form,
 * with `_2`, `_3`… added if needed: nothing is dropped.
 */
export type ParamKind = 'number' | 'bool' | 'text' | 'sos';

const T: ReadonlyArray<readonly [wialon: string, hub: string, kind: ParamKind]> = [
  ['pwr_ext', 'external.powersource.voltage', 'number'], // V
  ['pwr_int', 'battery.voltage', 'number'], // V, internal battery
  ['bat', 'battery.level', 'number'], // %, the meaning of `bat` in Wialon IPS apps (WiaTag) and Traccar
  ['batt', 'battery.level', 'number'],
  ['battery', 'battery.level', 'number'],
  ['bat_level', 'battery.level', 'number'],
  ['battery_level', 'battery.level', 'number'],
  ['charging', 'battery.charging.status', 'bool'],
  ['gsm', 'gsm.signal.level', 'number'], // as reported (0-5 bars or 0-31 CSQ, per device)
  ['gsm_level', 'gsm.signal.level', 'number'],
  ['gsm_signal', 'gsm.signal.level', 'number'],
  ['mcc', 'gsm.mcc', 'number'],
  ['mcc1', 'gsm.mcc', 'number'], // first (serving) cell of a `mcc1…mccN` list
  ['mcc#', 'gsm.mcc.#', 'number'], // further cells
  ['mnc', 'gsm.mnc', 'number'],
  ['mnc1', 'gsm.mnc', 'number'],
  ['mnc#', 'gsm.mnc.#', 'number'],
  ['lac', 'gsm.lac', 'number'],
  ['lac1', 'gsm.lac', 'number'],
  ['lac#', 'gsm.lac.#', 'number'],
  ['cell_id', 'gsm.cellid', 'number'],
  ['cell_id1', 'gsm.cellid', 'number'],
  ['cell_id#', 'gsm.cellid.#', 'number'],
  ['odometer', 'vehicle.mileage', 'number'], // km
  ['mileage', 'vehicle.mileage', 'number'], // km
  ['temp', 'sensor.temperature.1', 'number'], // °C; Traccar's `deviceTemp`
  ['temp#', 'sensor.temperature.#', 'number'],
  ['temperature', 'sensor.temperature.1', 'number'],
  ['temperature#', 'sensor.temperature.#', 'number'],
  ['ign', 'engine.ignition.status', 'bool'],
  ['ignition', 'engine.ignition.status', 'bool'],
  ['motion', 'movement.status', 'bool'],
  ['sos', 'alarm.event.trigger', 'sos'],
  ['hdop', 'position.hdop', 'number'],
  ['pdop', 'position.pdop', 'number'],
  ['hw', 'hardware.version', 'text'],
  ['hw_version', 'hardware.version', 'text'],
  ['fw', 'firmware.version', 'text'],
  ['fw_version', 'firmware.version', 'text'],
];

export const PARAM_TABLE: ReadonlyMap<string, { readonly name: string; readonly kind: ParamKind }> = new Map(T.map(([w, name, kind]) => [w, { name, kind }]));

export const PARAM_PREFIX = 'wialon_ips.';
const DOTTED = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
/** Names ingest sets, or that carry the codec's own meaning: never taken from a device parameter. */
const RESERVED = /^(ident|timestamp|server\.timestamp|channel\.id|peer|protocol\.id|device\..+|crc\.valid|message\.buffered\.status)$/;
const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Hub name and kind for a lower-cased Wialon name, if the table knows it. */
export function lookupParam(lower: string): { name: string; kind: ParamKind } | undefined {
  const exact = PARAM_TABLE.get(lower);
  if (exact) return exact;
  const m = /^(.*?)(\d+)$/.exec(lower);
  const family = m ? PARAM_TABLE.get(`${m[1]}#`) : undefined;
  return family && m ? { name: family.name.replace('#', String(Number(m[2]))), kind: family.kind } : undefined;
}

function convert(value: number | string, kind: ParamKind): MessageValue | undefined {
  if (kind === 'text') return String(value);
  if (kind === 'number') return typeof value === 'number' ? value : NUMERIC.test(value) ? Number(value) : undefined;
  if (typeof value === 'number') return value !== 0;
  const v = value.trim().toLowerCase();
  if (v === '1' || v === 'true' || v === 'on') return true;
  if (v === '0' || v === 'false' || v === 'off') return false;
  return undefined;
}

/** Sets one parameter on a message by the table, or under its own name (see the header). */
export function applyParam(m: Message, p: Param): void {
  const lower = p.name.toLowerCase();
  const def = lookupParam(lower);
  const value = def ? convert(p.value, def.kind) : undefined;
  if (def && value !== undefined && m[def.name] === undefined) {
    m[def.name] = value;
    if (def.kind === 'sos' && value === true && m['alarm.type'] === undefined) m['alarm.type'] = 'sos';
    return;
  }
  m[freeName(m, lower)] = p.value;
}

function freeName(m: Message, lower: string): string {
  const own = DOTTED.test(lower) && !RESERVED.test(lower) ? lower : `${PARAM_PREFIX}${lower.replace(/[^\p{L}\p{N}_.]+/gu, '_')}`;
  if (m[own] === undefined) return own;
  const prefixed = own.startsWith(PARAM_PREFIX) ? own : `${PARAM_PREFIX}${own}`;
  let name = prefixed;
  for (let i = 2; m[name] !== undefined; i++) name = `${prefixed}_${i}`;
  return name;
}
