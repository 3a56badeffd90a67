import type { Decoded, Message } from '../../common/types.js';
import { layouts, type ReportSpec } from '../constants.js';
import { common, type Sentence } from '../packet.js';
import { ACCESSORY_FIELDS, CAN_FIELDS, type FieldKey, OBD_FIELDS } from '../params.js';
import { applyKeys, applyTail, bit, finish, keep, locateFix, readCell, readFix, readFixes } from './fix.js';

type Handler = (s: Sentence, spec: ReportSpec, out: Decoded) => Message[];

/** Report kinds whose layout is not "header, fixes, tail" (constants.ts `REPORTS` kind). */
export function decodeSpecial(s: Sentence, spec: ReportSpec, out: Decoded): Message[] {
  return HANDLERS[spec.kind as keyof typeof HANDLERS](s, spec, out);
}

/** Header fields only (GTPNA, GTPFA, GTVER). */
function decodeNoFix(s: Sentence, spec: ReportSpec): Message[] {
  const m = common(s);
  const rest: string[] = [];
  applyKeys(m, s.v, s.nameIdx + 1, s.end, Array.isArray(spec.header) ? spec.header : [], rest);
  rest.push(...s.v.slice(s.nameIdx + 1 + (Array.isArray(spec.header) ? spec.header.length : 0), s.end));
  return [finish(m, rest)];
}

/** GTINF device information: a per-family layout (constants.ts `layouts.inf`), no fix. */
function decodeInf(s: Sentence): Message[] {
  const m = common(s);
  const rest: string[] = [];
  const at = applyKeys(m, s.v, s.nameIdx + 1, s.end, layouts.inf(s.family), rest);
  rest.push(...s.v.slice(at, s.end));
  return [finish(m, rest)];
}

/** GTERI: `<ERI mask>,<power>,<report type>,<number>`, fixes, the family tail, then mask-selected sections. */
function decodeEri(s: Sentence): Message[] {
  const { v, end } = s;
  const hdr = s.nameIdx + 1;
  const base = common(s);
  const rest: string[] = [];
  const start = locateFix(v, hdr + 4, hdr, end);
  applyKeys(base, v, hdr, start === undefined ? end : start - 1, ['eri_mask', 'power_mv', 'report_type'], rest);
  if (start === undefined) return [finish(base, rest)];
  keep(base, 'number', v[start - 1], rest);
  const { messages, at: fixEnd } = readFixes(s, start, Number(v[start - 1]), base, rest);
  const last = messages[messages.length - 1];
  const mask = /^[0-9A-Fa-f]{1,8}$/.test(v[hdr]) ? parseInt(v[hdr], 16) : 0;
  let at = applyKeys(last, v, fixEnd, end, layouts.eriTail(s.family), rest);
  if (bit(mask, 0) && at < end) keep(last, 'fuel_hex', v[at++], rest);
  if (bit(mask, 1) && !bit(mask, 29) && at < end) at = readTemperatures(last, v, at, end);
  rest.push(...v.slice(at, end));
  finish(last, rest);
  return messages;
}

/** 1-wire temperature sensors: `<count>`, then per sensor `<id>,<type>,<value as signed hex × 0.0625 °C>`. */
function readTemperatures(m: Message, v: readonly string[], i: number, end: number): number {
  const count = Number(v[i]);
  if (!Number.isInteger(count) || count < 0 || i + 1 + count * 3 > end) return i;
  m['queclink.temperature_sensor_count'] = count;
  for (let k = 0; k < count; k++) {
    const raw = v[i + 3 + k * 3];
    if (/^[0-9A-Fa-f]{4}$/.test(raw)) m[`sensor.temperature.${k + 1}`] = ((parseInt(raw, 16) << 16) >> 16) * 0.0625;
  }
  return i + 1 + count * 3;
}

/** Fields selected by a report mask, in table order; returns the index after them. */
function readMasked(
  m: Message,
  v: readonly string[],
  i: number,
  end: number,
  mask: number,
  table: ReadonlyArray<readonly [number, FieldKey]>,
  rest: string[],
): number {
  let at = i;
  for (const [n, key] of table) if (bit(mask, n) && at < end) keep(m, key, v[at++], rest);
  return at;
}

/** A fix found after the decoded fields (CAN/OBD/accessory reports), and what follows it. */
function trailingFix(s: Sentence, m: Message, from: number, tail: readonly FieldKey[], rest: string[]): void {
  const start = locateFix(s.v, -1, from, s.end);
  if (start === undefined) {
    rest.push(...s.v.slice(from, s.end));
    return;
  }
  rest.push(...s.v.slice(from, start));
  const at = readFix(s, start, m, rest);
  applyTail(m, s.v.slice(at, s.end), tail, rest);
}

/** GTCAN: `<report type>,<CAN state>,<report mask>`, mask-selected CAN fields, then a fix when bit 30 is set. */
function decodeCan(s: Sentence): Message[] {
  const m = common(s);
  const rest: string[] = [];
  const hdr = s.nameIdx + 1;
  applyKeys(m, s.v, hdr, s.end, ['report_type', 'can_state', 'report_mask'], rest);
  const mask = /^[0-9A-Fa-f]{1,8}$/.test(s.v[hdr + 2]) ? parseInt(s.v[hdr + 2], 16) : 0;
  const at = readMasked(m, s.v, hdr + 3, s.end, mask, CAN_FIELDS, rest);
  if (bit(mask, 30)) trailingFix(s, m, at, [], rest);
  else rest.push(...s.v.slice(at, s.end));
  return [finish(m, rest)];
}

/** GTOBD: `<report type>,<report mask>`, mask-selected OBD fields, a fix, mileage. */
function decodeObd(s: Sentence): Message[] {
  const m = common(s);
  const rest: string[] = [];
  const hdr = s.nameIdx + 1;
  applyKeys(m, s.v, hdr, s.end, ['report_type', 'report_mask'], rest);
  const mask = /^[0-9A-Fa-f]{1,8}$/.test(s.v[hdr + 1]) ? parseInt(s.v[hdr + 1], 16) : 0;
  const known = !bit(mask, 17) && !bit(mask, 18);
  const at = known ? readMasked(m, s.v, hdr + 2, s.end, mask, OBD_FIELDS, rest) : hdr + 2;
  trailingFix(s, m, at, ['mileage'], rest);
  return [finish(m, rest)];
}

/** GTGSM / GTLBS: header fields, then cells of `<mcc>,<mnc>,<lac>,<cell id>,<rx level>,<reserved>`. */
function decodeCells(s: Sentence, spec: ReportSpec): Message[] {
  const m = common(s);
  const rest: string[] = [];
  const keys = Array.isArray(spec.header) ? spec.header : [];
  const from = applyKeys(m, s.v, s.nameIdx + 1, s.end, keys, rest);
  const cells: string[] = [];
  for (let i = from; i + 4 < s.end; i += 6) {
    const cell: Message = {};
    if (!readCell(s.v, i, cell)) continue;
    if (cells.length === 0) Object.assign(m, cell);
    cells.push([cell['gsm.mcc'], cell['gsm.mnc'], cell['gsm.lac'], cell['gsm.cellid'], s.v[i + 4]].join(':'));
  }
  if (cells.length > 0) m['gsm.cells'] = cells;
  return [finish(m, rest)];
}

/** GTWIF: `<count>`, then `<mac>,<rssi>,,,` per access point, then the battery level. */
function decodeWif(s: Sentence): Message[] {
  const m = common(s);
  const rest: string[] = [];
  const count = Number(s.v[s.nameIdx + 1]);
  const aps: string[] = [];
  for (let k = 0, i = s.nameIdx + 2; Number.isInteger(count) && k < count && i + 1 < s.end; k++, i += 5) {
    if (/^[0-9A-Fa-f]{12}$/.test(s.v[i])) aps.push(`${s.v[i].toLowerCase()}:${s.v[i + 1]}`);
  }
  if (aps.length > 0) m['wifi.access_points'] = aps;
  keep(m, 'battery', s.v[s.end - 1], rest);
  return [finish(m, rest)];
}

/** GTDTT transparent data: hex payload as text; a `COMB` fuel sensor sentence gives the fuel level. */
function decodeDtt(s: Sentence): Message[] {
  const m = common(s);
  const hex = s.v[s.nameIdx + 5] ?? '';
  const text = /^([0-9A-Fa-f]{2})+$/.test(hex) ? Buffer.from(hex, 'hex').toString('latin1') : hex;
  m['queclink.data_type'] = s.v[s.nameIdx + 3] ?? '';
  const fuel = text.includes('COMB') ? Number(text.split(',')[2]) : NaN;
  if (!Number.isNaN(fuel)) m['fuel.level'] = fuel;
  else m['queclink.data'] = text;
  return [m];
}

/** GTBID / GTBAA: header fields, an accessory append mask and its fields, then a fix. */
function decodeAccessory(s: Sentence, spec: ReportSpec): Message[] {
  const m = common(s);
  const rest: string[] = [];
  const keys = Array.isArray(spec.header) ? spec.header : [];
  const maskAt = applyKeys(m, s.v, s.nameIdx + 1, s.end, keys, rest);
  const mask = /^[0-9A-Fa-f]{4}$/.test(s.v[maskAt]) ? parseInt(s.v[maskAt], 16) : 0;
  const at = readMasked(m, s.v, maskAt + 1, s.end, mask, ACCESSORY_FIELDS, rest);
  trailingFix(s, m, at, [], rest);
  return [finish(m, rest)];
}

/** Answers to real-time queries (GTALS, GTALL, GTGPS…): the text is a command response. */
function decodeConfig(s: Sentence, _spec: ReportSpec, out: Decoded): Message[] {
  out.commandReplies.push({ response: s.text, executed: true, ...(s.sendTime !== undefined ? { timestamp: s.sendTime } : {}) });
  return [{ ...common(s), 'command.response': s.text }];
}

const HANDLERS: Record<Exclude<ReportSpec['kind'], 'fix'>, Handler> = {
  nofix: decodeNoFix,
  inf: decodeInf,
  eri: decodeEri,
  can: decodeCan,
  obd: decodeObd,
  cells: decodeCells,
  wif: decodeWif,
  dtt: decodeDtt,
  accessory: decodeAccessory,
  config: decodeConfig,
};
