import { CRC16, crc16 } from '../common/crc.js';
import { fixParams, simFix } from '../common/simulation.js';
import type { DeviceSimulator, Message } from '../common/types.js';
import { Binary, CUSTOM_INFO, KEEPALIVE_LENGTH, KEEPALIVE_MARKER, REPORT_PREFIX, TEXT_STRING_END } from './constants.js';
import { customRow, type Wire } from './params.js';

/**
 * The device side of ATrack, for simulators and tests: what a unit sends (Protocol Document §3):
 * the keep-alive, binary and ASCII reports with optional `%CI` custom fields, and answers.
 */
export interface AtrackRecord {
  readonly atMs: number;
  /** Unit RTC and send times (default: the GPS time). */
  readonly rtcMs?: number;
  readonly sendMs?: number;
  readonly latitude: number;
  readonly longitude: number;
  readonly course: number;
  readonly reportId?: number;
  readonly odometerKm?: number;
  readonly hdop?: number;
  readonly inputs?: number;
  /** km/h */
  readonly speed: number;
  readonly outputs?: number;
  readonly adcMv?: number;
  readonly driver?: string;
  /** °C; absent: no sensor (2000). */
  readonly temperature1?: number;
  readonly temperature2?: number;
  readonly text?: string;
  /** Custom fields: the AT$FORM codes (`%SA%MV`) and their raw values in wire units; `inline` sends `%CI<form>` first. */
  readonly custom?: { readonly form: string; readonly values: readonly (number | string)[]; readonly inline?: boolean };
}

export interface ReportOptions {
  /** Two-byte prefix (AT$FORM), default `@P`. */
  readonly prefix?: string;
}

const arc = crc16(CRC16.ARC);
const seconds = (ms: number | undefined, fallback: number): number => Math.floor((ms ?? fallback) / 1000);
const temperature = (c: number | undefined): number => (c === undefined ? 2000 : Math.round(c * 10));

/** `FE 02` + unit id u64 + sequence u16: the keep-alive (the server echoes it). */
export function keepAlive(unitId: string, seq: number): Buffer {
  const b = Buffer.alloc(KEEPALIVE_LENGTH);
  b.writeUInt16BE(KEEPALIVE_MARKER, 0);
  b.writeBigUInt64BE(BigInt(unitId), 2);
  b.writeUInt16BE(seq & 0xffff, 10);
  return b;
}

/** A binary report: prefix, CRC-16/ARC of the rest, length, sequence, unit id, records. */
export function binaryReport(unitId: string, seq: number, records: readonly AtrackRecord[], options: ReportOptions = {}): Buffer {
  const body = Buffer.concat(records.map(binaryRecord));
  const b = Buffer.alloc(Binary.header + body.length);
  b.write(options.prefix ?? REPORT_PREFIX, 0, 'latin1');
  b.writeUInt16BE(b.length - Binary.lengthAt - 2, Binary.lengthAt);
  b.writeUInt16BE(seq & 0xffff, Binary.seqAt);
  b.writeBigUInt64BE(BigInt(unitId), Binary.idAt);
  body.copy(b, Binary.header);
  b.writeUInt16BE(arc(b, Binary.lengthAt), Binary.crcAt);
  return b;
}

function binaryRecord(r: AtrackRecord): Buffer {
  const parts: Buffer[] = [
    u(4, seconds(r.atMs, r.atMs)),
    u(4, seconds(r.rtcMs, r.atMs)),
    u(4, seconds(r.sendMs, r.atMs)),
    i32(Math.round(r.longitude * 1e6)),
    i32(Math.round(r.latitude * 1e6)),
    u(2, Math.round(r.course)),
    u(1, r.reportId ?? 0),
    u(4, Math.round((r.odometerKm ?? 0) * 10)),
    u(2, Math.round((r.hdop ?? 0) * 10)),
    u(1, r.inputs ?? 0),
    u(2, Math.round(r.speed)),
    u(1, r.outputs ?? 0),
    u(2, r.adcMv ?? 0),
    cString(r.driver ?? ''),
    i16(temperature(r.temperature1)),
    i16(temperature(r.temperature2)),
    cString(r.text ?? ''),
  ];
  if (r.custom) {
    if (r.custom.inline) parts.push(cString(`${CUSTOM_INFO}${r.custom.form}`));
    const { form, values } = r.custom;
    const codes = form.split('%').filter((c) => c !== '');
    for (const [i, code] of codes.entries()) parts.push(wire(customRow(code)[1] ?? 'str', values[i] ?? 0));
  }
  return Buffer.concat(parts);
}

/** An ASCII report: `<prefix>,<CRC>,<length>,<seq>,<unit id>,<record>\r\n…`, the CRC from the comma after it. */
export function textReport(unitId: string, seq: number, records: readonly AtrackRecord[], options: ReportOptions = {}): Buffer {
  const afterLength = `,${seq & 0xffff},${unitId},${records.map(textRecord).join('')}`;
  const fromCrcComma = Buffer.from(`,${Buffer.byteLength(afterLength, 'latin1')}${afterLength}`, 'latin1');
  const crc = arc(fromCrcComma).toString(16).toUpperCase().padStart(4, '0');
  return Buffer.concat([Buffer.from(`${options.prefix ?? REPORT_PREFIX},${crc}`, 'latin1'), fromCrcComma]);
}

function textRecord(r: AtrackRecord): string {
  const fields: (string | number)[] = [
    seconds(r.atMs, r.atMs),
    seconds(r.rtcMs, r.atMs),
    seconds(r.sendMs, r.atMs),
    Math.round(r.longitude * 1e6),
    Math.round(r.latitude * 1e6),
    Math.round(r.course),
    r.reportId ?? 0,
    Math.round((r.odometerKm ?? 0) * 10),
    Math.round((r.hdop ?? 0) * 10),
    r.inputs ?? 0,
    Math.round(r.speed),
    r.outputs ?? 0,
    r.adcMv ?? 0,
    r.driver ?? '',
    temperature(r.temperature1),
    temperature(r.temperature2),
    `${r.text ?? ''}${TEXT_STRING_END}`,
  ];
  if (r.custom) fields.push(...(r.custom.inline ? [`${CUSTOM_INFO}${r.custom.form}`] : []), ...r.custom.values);
  return `${fields.join(',')}\r\n`;
}

/** A command answer as the unit sends it: `$OK\r\n`, `$ERROR=101\r\n`, `$INFO=…\r\n`. */
export function answer(text: string): Buffer {
  return Buffer.from(`${text}\r\n`, 'latin1');
}

function wire(w: Wire, value: number | string): Buffer {
  if (typeof w === 'number') return Buffer.from(String(value), 'hex');
  if (w === 'str') return cString(String(value));
  if (w === 'u64') return u64(String(value));
  const n = Number(value);
  return w === 'i16' ? i16(n) : w === 'i32' ? i32(n) : u(w === 'u8' ? 1 : w === 'u16' ? 2 : 4, n);
}

function u(size: 1 | 2 | 4, n: number): Buffer {
  const b = Buffer.alloc(size);
  b.writeUIntBE(n, 0, size);
  return b;
}
function i16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}
function i32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}
function u64(digits: string): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(digits));
  return b;
}
function cString(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'latin1');
}

/** The simulated units' custom fields: satellites, main power (0.1 V), altitude (m). */
const SIM_FORM = '%SA%MV%AT';
const SIM_POWER = 124; // 12.4 V

function simRecord(n: number, seq: number, atMs: number): AtrackRecord {
  const fix = simFix(n, seq, atMs);
  return {
    ...fix,
    reportId: 2,
    odometerKm: 1000 + seq / 10,
    hdop: 0.9,
    inputs: 1,
    outputs: 0,
    adcMv: 12000,
    custom: { form: SIM_FORM, values: [fix.satellites, SIM_POWER, fix.altitude], inline: true },
  };
}

/** A simulated ATrack unit (hub simulate): binary `@P` reports with `%CI` custom fields, each acked `FE 02`. */
export const simulator: DeviceSimulator = {
  transports: ['tcp', 'udp'],
  identFor: (n) => String(357_000_000_000_000 + n),
  report: (ident, n, seq, atMs) => binaryReport(ident, seq, [simRecord(n, seq, atMs)]),
  expected: (_ident, n, seq, atMs): Message => {
    const fix = simFix(n, seq, atMs);
    return {
      ...fixParams(fix, ['atMs', 'speed', 'course', 'altitude', 'satellites']),
      'position.latitude': Math.round(fix.latitude * 1e6) / 1e6,
      'position.longitude': Math.round(fix.longitude * 1e6) / 1e6,
      'atrack.rtc.timestamp': Math.floor(atMs / 1000),
      'atrack.send.timestamp': Math.floor(atMs / 1000),
      'event.enum': 2,
      'vehicle.mileage': Math.round((1000 + seq / 10) * 10) / 10,
      'position.hdop': 0.9,
      din: 1,
      dout: 0,
      'ain.1': 12,
      'external.powersource.voltage': SIM_POWER / 10,
    };
  },
  replyLength: (buf) => (buf.length >= KEEPALIVE_LENGTH && buf.readUInt16BE(0) === KEEPALIVE_MARKER ? KEEPALIVE_LENGTH : undefined),
  loginAcked: false,
  reportsAcked: true,
};
