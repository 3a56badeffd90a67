import { CodecError } from '../../common/errors.js';
import type { CommandReply, Decoded, Message } from '../../common/types.js';
import { DEFAULT_REPORT, layouts, REPORTS, type ReportSpec, type Rule, TextHead } from '../constants.js';
import { common, parseSentence, type Sentence } from '../packet.js';
import { type FieldKey, HARSH } from '../params.js';
import { applyTail, finish, keep, locateFix, readFixes } from './fix.js';
import { decodeSpecial } from './text-reports.js';

/**
 * Decodes one text frame: `+RESP:`/`+BUFF:` reports (one message per fix) and `+ACK:` command
 * acknowledgements. Layouts come from constants.ts; report kinds other than `fix` are in text-reports.ts.
 */
export function decodeText(frame: Buffer, out: Decoded): void {
  const s = parseSentence(frame);
  if (s instanceof CodecError) {
    out.errors.push(s);
    return;
  }
  if (s.head === TextHead.Ack) {
    decodeAck(s, out);
    return;
  }
  const spec = REPORTS[s.code] ?? DEFAULT_REPORT;
  const messages = spec.kind === 'fix' ? decodeFixReport(s, spec) : decodeSpecial(s, spec, out);
  for (const m of messages) {
    if (m.timestamp === undefined && s.sendTime !== undefined) m.timestamp = s.sendTime;
    if (spec.alarm) raise(m, spec.alarm);
    if (spec.ignition !== undefined) m['engine.ignition.status'] = spec.ignition;
    if (spec.rule) applyRule(m, spec.rule);
    out.messages.push(m);
  }
}

/** `+ACK:GTxxx,<version>,<imei>,<name>,…,<serial>,<send time>,<count>`: a command reply (GTHBD is a heartbeat). */
function decodeAck(s: Sentence, out: Decoded): void {
  if (s.code === 'HBD') return;
  const serial = s.v[s.end - 1];
  const reply: CommandReply = {
    response: s.text,
    executed: true,
    ...(s.end - 1 > s.nameIdx && /^[0-9A-Fa-f]{4}$/.test(serial) ? { correlation: serial.toUpperCase() } : {}),
    ...(s.sendTime !== undefined ? { timestamp: s.sendTime } : {}),
  };
  out.commandReplies.push(reply);
  const m: Message = { 'command.response': s.text, 'queclink.ack.type': `GT${s.code}` };
  if (s.sendTime !== undefined) m.timestamp = s.sendTime;
  out.messages.push(m);
}

/** Reports built of header fields, one or more fixes and a tail (GTFRI and most event reports). */
function decodeFixReport(s: Sentence, spec: ReportSpec): Message[] {
  const { v, end, family } = s;
  const keys = spec.header === 'fri' ? layouts.friHeader(family) : spec.header === 'ign' ? layouts.ignHeader(family) : (spec.header ?? []);
  const hdr = s.nameIdx + 1;
  const start = locateFix(v, hdr + keys.length + (spec.multi ? 1 : 0), hdr, end);
  const base = common(s);
  const rest: string[] = [];
  const headerEnd = start === undefined ? end : spec.multi ? start - 1 : start;
  for (let i = hdr; i < headerEnd; i++) keep(base, keys[i - hdr] ?? 'reserved', v[i], rest);
  if (start === undefined) return [finish(base, rest)];
  const counted = spec.multi === true && start - 1 >= hdr;
  if (counted) keep(base, 'number', v[start - 1], rest);
  const { messages, at } = readFixes(s, start, counted ? Number(v[start - 1]) : 1, base, rest);
  const last = messages[messages.length - 1];
  const tail = v.slice(at, end);
  applyTail(last, tail, spec.tail === 'family' ? familyTail(s, tail.length) : spec.tail, rest);
  finish(last, rest);
  return messages;
}

/** The family's position-report tail when its length fits, else the shape rules (GV 9/10 fields; one field: mileage or battery). */
function familyTail(s: Sentence, count: number): readonly FieldKey[] | undefined {
  const own = s.family.friTail;
  if (count <= 1) return undefined;
  return own && own.length === count ? own : layouts.tailByShape(count);
}

function raise(m: Message, alarm: string | undefined): void {
  if (alarm) Object.assign(m, { 'alarm.event.trigger': true, 'alarm.type': alarm });
}

/** Meanings that depend on the report type field (TRACGL300AN001 §3.3.1 `<Report type>`). */
function applyRule(m: Message, rule: Rule): void {
  if (rule === 'fatigue') {
    if (m['queclink.warning_type'] === 1) raise(m, 'fatigue_driving');
    return;
  }
  const raw = m['queclink.report_type'];
  if (typeof raw !== 'string' || !/^[0-9A-Fa-f]{1,2}$/.test(raw)) return;
  const type = parseInt(raw, 16);
  if (rule === 'geofence') raise(m, type === 1 ? 'geofence_enter' : type === 0 ? 'geofence_exit' : undefined);
  else if (rule === 'harsh') raise(m, HARSH[type & 0x0f]);
  else if (rule === 'input' && type >> 4 > 0) m[`din.${type >> 4}`] = (type & 0x0f) === 1;
  else if (rule === 'ignition') m['engine.ignition.status'] = (type & 0x0f) === 1;
  else if (rule === 'motion') m['movement.status'] = type === 1;
}
