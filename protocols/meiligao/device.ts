import { CodecError } from '../common/errors.js';
import { simFix } from '../common/simulation.js';
import type { DeviceSimulator, Message } from '../common/types.js';
import { DeviceCommand, Layout } from './constants.js';
import { buildPacket, idBytes, luhnDigit } from './packet.js';

/**
 * The device side of Meiligao (GPRS protocol V2.1), for simulators and tests: the packets a
 * VT310/VT400 sends — login 0x5000, heartbeat 0x0001, position 0x9955 and alarm 0x9999 with the
 * Annex 1 GPRS data `GPRMC*xor|HDOP|altitude|state|AD1,AD2|base ID|CSQ|journey|satellites`.
 */
export interface MeiligaoFix {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
  readonly speedKnots: number;
  readonly course: number;
  readonly hdop: number;
  readonly altitude: number;
  /** Outputs 1-5 in bits 0-4, inputs 1-5 in bits 8-12. */
  readonly state: number;
  readonly adc: readonly number[];
  /** MCC, MNC, LAC, cell id. */
  readonly cell: readonly [number, number, number, number];
  readonly csq: number;
  /** Journey, m. */
  readonly mileage: number;
  readonly satellites: number;
}

const two = (n: number): string => String(n).padStart(2, '0');
const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');

function id(ident: string): Buffer {
  const bytes = idBytes(ident);
  if (bytes instanceof CodecError) throw bytes;
  return bytes;
}

/** Degrees as (d)ddmm.mmmm with the hemisphere letter. */
function degreesMinutes(deg: number, width: number, hemispheres: string): string {
  const tenThousandths = Math.round(Math.abs(deg) * 600000);
  const d = Math.floor(tenThousandths / 600000);
  const minutes = (tenThousandths % 600000) / 10000;
  return `${String(d).padStart(width, '0')}${minutes.toFixed(4).padStart(7, '0')},${deg >= 0 ? hemispheres[0] : hemispheres[1]}`;
}

/** NMEA checksum: XOR of the sentence's characters. */
function nmeaXor(text: string): string {
  let x = 0;
  for (let i = 0; i < text.length; i++) x ^= text.charCodeAt(i);
  return hex(x, 2);
}

/** Annex 1 GPRS data of a fix. */
export function gprsData(fix: MeiligaoFix): string {
  const t = new Date(fix.atMs);
  const time = `${two(t.getUTCHours())}${two(t.getUTCMinutes())}${two(t.getUTCSeconds())}.${String(t.getUTCMilliseconds()).padStart(3, '0')}`;
  const date = `${two(t.getUTCDate())}${two(t.getUTCMonth() + 1)}${two(t.getUTCFullYear() % 100)}`;
  const rmc = [
    time,
    'A',
    degreesMinutes(fix.latitude, 2, 'NS'),
    degreesMinutes(fix.longitude, 3, 'EW'),
    fix.speedKnots.toFixed(2),
    String(fix.course),
    date,
    '',
    '',
    'A',
  ].join(',');
  const [mcc, mnc, lac, cellId] = fix.cell;
  return [
    `${rmc}*${nmeaXor(`GPRMC,${rmc}`)}`,
    fix.hdop.toFixed(1),
    String(fix.altitude),
    hex(fix.state, 4),
    fix.adc.map((v) => hex(v, 4)).join(','),
    hex(mcc, 4) + hex(mnc, 4) + hex(lac, 4) + hex(cellId, 8),
    hex(fix.csq, 2),
    hex(fix.mileage, 8),
    hex(fix.satellites, 2),
  ].join('|');
}

/** §III login 0x5000 (no data), answered 0x4000 `01`. */
export function login(ident: string): Buffer {
  return buildPacket('$$', id(ident), DeviceCommand.Login);
}

/** Heartbeat 0x0001 (no data), answered 0x0001 `01`. */
export function heartbeat(ident: string): Buffer {
  return buildPacket('$$', id(ident), DeviceCommand.Heartbeat);
}

/** Position report 0x9955. */
export function position(ident: string, fix: MeiligaoFix): Buffer {
  return buildPacket('$$', id(ident), DeviceCommand.Position, Buffer.from(gprsData(fix), 'latin1'));
}

/** Alarm report 0x9999: the alarm code, then the GPRS data. */
export function alarm(ident: string, code: number, fix: MeiligaoFix): Buffer {
  return buildPacket('$$', id(ident), DeviceCommand.Alarm, Buffer.concat([Buffer.of(code), Buffer.from(gprsData(fix), 'latin1')]));
}

const knots = (kmh: number): number => Number((kmh / 1.852).toFixed(2));

/** The simulated tracker's fix: simFix plus fixed I/O, cell and journey values. */
function trackerFix(n: number, seq: number, atMs: number): MeiligaoFix {
  const f = simFix(n, seq, atMs);
  return {
    ...f,
    speedKnots: knots(f.speed),
    hdop: 0.9,
    state: 0x0100, //   input 1 on, outputs off
    adc: [0x0123, 0x0a00],
    cell: [246, 1, 0x2775, 0x0001a2b3],
    csq: 24,
    mileage: 12345678 + seq * 10,
  };
}

/** A simulated tracker (hub simulate): login answered 0x4000, then position reports (not answered). */
export const simulator: DeviceSimulator = {
  transports: ['tcp', 'udp'],
  identFor: (n) => {
    const body = String(13_579_000_000_000 + n); // 14-digit ID; the ident adds the Luhn digit
    return body + String(luhnDigit(body));
  },
  login: (ident) => login(ident),
  report: (ident, n, seq, atMs) => position(ident, trackerFix(n, seq, atMs)),
  expected: (_ident, n, seq, atMs): Message => {
    const f = trackerFix(n, seq, atMs);
    return {
      timestamp: Math.round(atMs) / 1000,
      'position.valid': true,
      'position.latitude': f.latitude,
      'position.longitude': f.longitude,
      'position.speed': Math.round(f.speedKnots * 1.852 * 1000) / 1000,
      'position.direction': f.course,
      'meiligao.nmea.mode': 'A',
      'position.hdop': f.hdop,
      'position.altitude': f.altitude,
      din: 1,
      dout: 0,
      'meiligao.adc.1': f.adc[0],
      'meiligao.adc.2': f.adc[1],
      'gsm.mcc': f.cell[0],
      'gsm.mnc': f.cell[1],
      'gsm.lac': f.cell[2],
      'gsm.cellid': f.cell[3],
      'gsm.signal.level': f.csq,
      'vehicle.mileage': f.mileage / 1000,
      'position.satellites': f.satellites,
    };
  },
  replyLength: (buf) => (buf.length < Layout.Id ? undefined : buf.readUInt16BE(Layout.Length)),
  loginAcked: true,
  reportsAcked: false,
};
