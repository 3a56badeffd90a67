import type { CodecOptions, Message } from '../../common/types.js';
import { P } from '../params.js';
import { num, putNum } from './common.js';

/**
 * The optional fields at the end of a legacy report, which depend on the unit's settings and are
 * not self-described (§6-1 <Note>, ST310U §5 "H_METER/BCK_VOLT/MSG_TYPE only when HBM_STT is 1"):
 * H_METER;BCK_VOLT;MSG_TYPE, then ADC1–3, RPM, DID;DID_REG and 1-wire temperatures `<id>:<°C>`.
 * Channel settings as Traccar's: `hbm` (0, 1, or 2 = a serving cell block follows), `includeAdc`,
 * `includeRpm`. Without `hbm` the block is recognised by its shape (integer; voltage; 0|1); the
 * driver id (14 hex digits and a 0|1 flag) and the temperatures are recognised by theirs.
 * Returns the fields no rule read, for `suntech.unparsed`.
 */
export function decodeTail(m: Message, v: readonly string[], from: number, options: CodecOptions | undefined): string[] {
  const s = options?.settings ?? {};
  const hbm = s.hbm === undefined ? undefined : s.hbm === true ? 1 : Number(s.hbm) || 0;
  const skipped: string[] = [];
  let at = from;
  const found = hbm === undefined ? (isHbm(v, at) ? at : undefined) : hbm >= 1 ? scan(v, at, 2, isHbm) : undefined;
  if (found !== undefined) {
    skipped.push(...v.slice(at, found));
    putNum(m, P.hours, v[found], 60);
    putNum(m, P.battery, v[found + 1]);
    if (v[found + 2] === '0') m[P.buffered] = true;
    at = found + 3;
  }
  if (s.includeAdc === true) {
    for (let n = 1; n <= 3 && at < v.length; n++) putNum(m, P.adc(n), v[at++]);
  }
  if (s.includeRpm === true && at < v.length) putNum(m, P.rpm, v[at++]);
  const driver = scan(v, at, 3, isDriver);
  if (driver !== undefined) {
    skipped.push(...v.slice(at, driver));
    m[P.driver] = v[driver].toUpperCase();
    m[P.driverRegistered] = v[driver + 1] === '1';
    at = driver + 2;
  }
  at = temperatures(m, v, at);
  if (hbm === 2 && v.length - at >= 5) at = cell(m, v, at);
  return [...skipped, ...v.slice(at)];
}

function scan(v: readonly string[], from: number, window: number, test: (v: readonly string[], i: number) => boolean): number | undefined {
  for (let i = from; i <= from + window && i < v.length; i++) if (test(v, i)) return i;
  return undefined;
}

/** H_METER (minutes), BCK_VOLT (`4.1`, `0.0`), MSG_TYPE (1 live, 0 buffered). */
function isHbm(v: readonly string[], i: number): boolean {
  return /^\d{1,10}$/.test(v[i] ?? '') && /^\d{1,2}\.\d{1,2}$/.test(v[i + 1] ?? '') && /^[01]$/.test(v[i + 2] ?? '');
}

/** DID (14 hex digits, iButton/RFID) and DID_REG (1: a registered driver). */
function isDriver(v: readonly string[], i: number): boolean {
  return /^[0-9A-Fa-f]{14}$/.test(v[i] ?? '') && /^[01]$/.test(v[i + 1] ?? '');
}

/** Up to three 1-wire sensor slots `<sensor id>:<+°C>` (an empty slot is `:`). */
function temperatures(m: Message, v: readonly string[], from: number): number {
  let at = from;
  for (let slot = 1; slot <= 3 && /^[0-9A-Fa-f]*:([+-]?\d+(\.\d+)?)?$/.test(v[at] ?? ''); slot++, at++) {
    putNum(m, P.temp(slot), v[at].slice(v[at].indexOf(':') + 1));
  }
  return at;
}

/** `hbm` 2: serving cell `<cell id>;<mcc>;<mnc>;<rx level>;<lac>` in decimal. */
function cell(m: Message, v: readonly string[], at: number): number {
  const [cid, mcc, mnc, rssi, lac] = v.slice(at, at + 5).map(num);
  if (cid === undefined || mcc === undefined || mnc === undefined || lac === undefined) return at;
  Object.assign(m, { [P.cid]: cid, [P.mcc]: mcc, [P.mnc]: mnc, [P.lac]: lac });
  if (rssi !== undefined) m[P.rssi] = rssi;
  return at + 5;
}
