import { CodecError, CodecErrorCode } from '../../common/errors.js';
import type { CommandReply, Decoded, Message, MessageValue } from '../../common/types.js';
import { TextType } from '../constants.js';
import { fixLayout, parseCoordinate, parseDecimal, STATUS_PATTERN, splitText, type TextFrame, toTimestamp } from '../packet.js';
import { applyStatus, BATTERY_RAW_NAME, CELLS_NAME, ODOMETER_TAIL, RESULT_WORDS, SIM_FIELDS, SIMPLE_FIELDS, tailName } from '../params.js';

const KNOTS_TO_KMH = 1.852;

type TypeDecoder = (f: TextFrame, out: Decoded) => void;

/** Text frame types with their own layout; every other `V*` type is a position report. */
const DECODERS: Readonly<Record<string, TypeDecoder>> = {
  [TextType.Heartbeat]: decodeSimple,
  [TextType.HeartbeatV0]: decodeSimple,
  [TextType.Link]: decodeSimple,
  [TextType.Cells]: decodeNbr,
  [TextType.CellsV3]: decodeV3,
  [TextType.Vp1]: decodeVp1,
  [TextType.Sms]: decodeSms,
};

/** Decodes one `*...#` frame. */
export function decodeText(frame: Buffer, out: Decoded): void {
  const f = splitText(frame);
  if (!f) throw new CodecError(CodecErrorCode.Malformed, 'text frame is not *<maker>,<id>,<type>,...#');
  if (f.type === '') return; // `*HQ,<id>,#`: identifies only
  const decoder = DECODERS[f.type] ?? (f.type.startsWith('V') ? decodePosition : undefined);
  if (!decoder) throw new CodecError(CodecErrorCode.Unsupported, `text frame type "${f.type}" is not supported`);
  decoder(f, out);
}

/** V1, V2, V4 (command echo), V6, V8, V19, VI1 and the fix form of VP1. */
function decodePosition(f: TextFrame, out: Decoded): void {
  const { args } = f;
  const layout = fixLayout(f.type, args);
  if (!layout) {
    if (f.type === TextType.CommandEcho) {
      commandEcho(f, args.join(','), undefined, out);
      return;
    }
    throw new CodecError(CodecErrorCode.Malformed, `${f.type} report has too few fields`);
  }
  const v = layout.valid;
  const time = v > 0 ? args[v - 1] : undefined;
  const m: Message = { 'report.type': f.type };
  const ts = toTimestamp(args[layout.date], time);
  if (ts !== undefined) m.timestamp = ts;
  const lat = parseCoordinate(args[v + 1], args[v + 2], true);
  const lon = parseCoordinate(args[v + 3], args[v + 4], false);
  if (!Number.isNaN(lat) && !Number.isNaN(lon)) {
    m['position.latitude'] = lat;
    m['position.longitude'] = lon;
    m['position.valid'] = f.type === TextType.Vp1 || args[v] === 'A' || /^\d+$/.test(args[v]); // digits: a coding scheme (V2)
    const speed = parseDecimal(args[v + 5]);
    const course = parseDecimal(args[v + 6]);
    if (!Number.isNaN(speed)) m['position.speed'] = round(speed * KNOTS_TO_KMH);
    if (!Number.isNaN(course)) m['position.direction'] = course;
  }
  if (layout.battery >= 0) m[BATTERY_RAW_NAME] = Number(args[layout.battery]);
  decodeTail(args.slice(layout.date + 1), m);
  out.messages.push(m);
  if (f.type === TextType.CommandEcho) commandEcho(f, args.slice(0, Math.max(0, v - 1)).join(','), m, out);
}

/** After the date: [SIM group of 3,] status, then the 6-field odometer form or firmware fields. */
function decodeTail(tail: readonly string[], m: Message): void {
  let at = 0;
  if (!STATUS_PATTERN.test(tail[0] ?? '') && STATUS_PATTERN.test(tail[3] ?? '')) {
    SIM_FIELDS.forEach((name, i) => {
      setText(m, name, tail[i]);
    });
    at = 3;
  }
  if (STATUS_PATTERN.test(tail[at] ?? '')) applyStatus(m, parseInt(tail[at++], 16));
  const rest = tail.slice(at);
  if (rest.length === ODOMETER_TAIL.length && rest.every((x, i) => ODOMETER_TAIL[i].pattern.test(x.trim()))) {
    ODOMETER_TAIL.forEach((def, i) => {
      const text = rest[i].trim();
      const value = def.radix === 16 ? parseInt(text, 16) : Number(text);
      m[def.name] = def.divisor === undefined ? value : value / def.divisor;
    });
    return;
  }
  rest.forEach((x, i) => {
    setText(m, tailName(i), x);
  });
}

/**
 * V4: `<command>,<result words...>,<command time>` before the echo's own time; the device echoes the
 * command's hhmmss, which is the correlation.
 */
function commandEcho(f: TextFrame, response: string, m: Message | undefined, out: Decoded): void {
  const words = response.split(',');
  const verdict = words
    .slice(1)
    .map((w) => RESULT_WORDS[w.trim().toUpperCase()])
    .find((x) => x !== undefined);
  const echoedTime = words.length > 1 && /^\d{6}$/.test(words[words.length - 1]) ? words[words.length - 1] : undefined;
  const reply: CommandReply = {
    response,
    ...(verdict !== undefined ? { executed: verdict } : {}),
    ...(echoedTime ? { correlation: echoedTime } : {}),
    ...(m?.timestamp !== undefined ? { timestamp: m.timestamp as number } : {}),
  };
  out.commandReplies.push(reply);
  if (m) m['command.response'] = response;
  else out.messages.push({ 'report.type': f.type, 'command.response': response });
}

/** HTBT / V0 (`[battery %]`) and LINK: one table line per field. */
function decodeSimple(f: TextFrame, out: Decoded): void {
  const names = SIMPLE_FIELDS[f.type];
  const m: Message = { 'report.type': f.type };
  let time: string | undefined;
  let date: string | undefined;
  names.forEach((name, i) => {
    const value = f.args[i]?.trim() ?? '';
    if (name === 'time') time = value;
    else if (name === 'date') date = value;
    else if (name === 'status') {
      if (STATUS_PATTERN.test(value)) applyStatus(m, parseInt(value, 16));
    } else if (/^-?\d+$/.test(value)) m[name] = Number(value);
  });
  const ts = toTimestamp(date, time);
  if (ts !== undefined) m.timestamp = ts;
  if (Object.keys(m).length > 1) out.messages.push(m);
}

/** `NBR,hhmmss,mcc,mnc,<delay>,<count>,(lac,cid,level)*count,DDMMYY,status[,...]` */
function decodeNbr(f: TextFrame, out: Decoded): void {
  const a = f.args;
  const count = Number(a[4]);
  const date = 5 + count * 3;
  if (!Number.isInteger(count) || a.length < date + 2) throw new CodecError(CodecErrorCode.Malformed, `NBR announces ${a[4]} cells but has ${a.length} fields`);
  const m: Message = { 'report.type': f.type };
  const ts = toTimestamp(a[date], a[0]);
  if (ts !== undefined) m.timestamp = ts;
  const cells: number[][] = [];
  for (let i = 0; i < count; i++) cells.push(a.slice(5 + i * 3, 8 + i * 3).map(Number));
  setCells(m, Number(a[1]), Number(a[2]), cells);
  m['h02.gsm.delay'] = Number(a[3]);
  decodeTail(a.slice(date + 1), m);
  out.messages.push(m);
}

/** `V3,hhmmss,<mcc(3)><mnc>,<count>,(lac,cid,level,[dBm])*count,<battery hex4>,<reboot>,X,DDMMYY,status` */
function decodeV3(f: TextFrame, out: Decoded): void {
  const a = f.args;
  const n = a.length;
  const count = Number(a[2]);
  if (n < 8 || a[n - 3] !== 'X' || !Number.isInteger(count))
    throw new CodecError(CodecErrorCode.Malformed, 'V3 report does not end with <battery>,<reboot>,X,<date>,<status>');
  const m: Message = { 'report.type': f.type };
  const ts = toTimestamp(a[n - 2], a[0]);
  if (ts !== undefined) m.timestamp = ts;
  const cellFields = a.slice(3, n - 5);
  const cells: number[][] = [];
  for (let i = 0; i < count && i * 4 < cellFields.length; i++) cells.push(numbers(cellFields.slice(i * 4, i * 4 + 4)));
  setCells(m, Number(a[1].slice(0, 3)), Number(a[1].slice(3)), cells);
  m[BATTERY_RAW_NAME] = parseInt(a[n - 5], 16);
  m['h02.reboot'] = Number(a[n - 4]);
  if (STATUS_PATTERN.test(a[n - 1])) applyStatus(m, parseInt(a[n - 1], 16));
  out.messages.push(m);
}

/** `VP1,A|B,<fix...>` (position) or `VP1,V,mcc,mnc,lac,cid,level[Ylac,cid,level...]` (cells). */
function decodeVp1(f: TextFrame, out: Decoded): void {
  if (f.args[0] !== 'V') {
    decodePosition(f, out);
    return;
  }
  const m: Message = { 'report.type': f.type };
  const cells = f.args
    .slice(3)
    .join(',')
    .split('Y')
    .map((c) => numbers(c.split(',')));
  setCells(m, Number(f.args[1]), Number(f.args[2]), cells);
  out.messages.push(m);
}

/** `SMS,<text with commas and line breaks>`: the device forwards an SMS reply. */
function decodeSms(f: TextFrame, out: Decoded): void {
  out.commandReplies.push({ response: f.rest });
  out.messages.push({ 'report.type': f.type, 'command.response': f.rest });
}

function setCells(m: Message, mcc: number, mnc: number, cells: readonly number[][]): void {
  if (Number.isFinite(mcc)) m['gsm.mcc'] = mcc;
  if (Number.isFinite(mnc)) m['gsm.mnc'] = mnc;
  const valid = cells.filter((c) => c.length >= 2);
  if (valid.length === 0) return;
  m['gsm.lac'] = valid[0][0];
  m['gsm.cellid'] = valid[0][1];
  m[CELLS_NAME] = valid as MessageValue;
}

/** Keeps a non-blank text field (trimmed). */
function setText(m: Message, name: string, value: string): void {
  const v = value.trim();
  if (v !== '') m[name] = v;
}

/** Decimal fields of a group (blank or non-numeric ones left out). */
function numbers(fields: readonly string[]): number[] {
  return fields
    .map((x) => x.trim())
    .filter((x) => /^-?\d+$/.test(x))
    .map(Number);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
