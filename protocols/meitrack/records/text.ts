import { CodecError, CodecErrorCode } from '../../common/errors.js';
import type { Message } from '../../common/types.js';
import { EVENT_RFID } from '../constants.js';
import { AD_SCALES, type AdScale, DEFAULT_AD_SCALE, REPORT_FIELDS, REQUIRED_REPORT_FIELDS, type ReportKind, VOLTAGE_FIELDS } from '../params.js';

/**
 * Decodes the data of an AAA report (GPRS protocol §1.2), the text after `AAA,` up to `*`:
 * `event,lat,lon,yymmddhhmmss,A|V,sats,gsm,km/h,course,hdop,alt,odometer,runtime,
 * mcc|mnc|lac|ci,io,ad1|ad2|ad3|bat|ext,[event data],[sensor],[protocol],[fuel],[temps],[n],[data]`.
 * `model` picks the AD scale of old models (codec setting `model`).
 */
export function decodeReport(text: string, model?: string): Message {
  let fields = text.split(',');
  // Some firmware puts a parameter-table number before the event code (`AAA,<n>,<event>,...`).
  if (fields.length > 2 && !fields[1].includes('.') && fields[2].includes('.')) fields = fields.slice(1);
  if (fields.length < REQUIRED_REPORT_FIELDS) {
    throw new CodecError(CodecErrorCode.Truncated, `AAA report has ${fields.length} fields, at least ${REQUIRED_REPORT_FIELDS} expected`);
  }
  const m: Message = {};
  const scale = AD_SCALES[(model ?? '').toUpperCase()] ?? DEFAULT_AD_SCALE;
  for (let i = 0; i < REPORT_FIELDS.length && i < fields.length; i++) {
    const [name, kind] = REPORT_FIELDS[i];
    const value = kind === 'rest' ? fields.slice(i).join(',') : fields[i];
    if (/^,*$/.test(value)) continue;
    readField(m, name, kind, value, scale);
  }
  return m;
}

function readField(m: Message, name: string, kind: ReportKind, value: string, scale: AdScale): void {
  switch (kind) {
    case 'int':
    case 'float':
      setNumber(m, name, value);
      return;
    case 'km':
      if (isNumber(value)) m[name] = Number(value) / 1000;
      return;
    case 'datetime':
      m[name] = parseTime(value);
      return;
    case 'validity':
      m[name] = value === 'A';
      return;
    case 'cell':
      readCell(m, name, value);
      return;
    case 'io':
      if (/^[0-9A-Fa-f]{4}$/.test(value)) {
        m.din = parseInt(value.slice(0, 2), 16);
        m.dout = parseInt(value.slice(2), 16);
      } else m['meitrack.io'] = value;
      return;
    case 'analog':
      readAnalog(m, value, scale);
      return;
    case 'event_data':
      if (m['event.enum'] === EVENT_RFID) m['rfid.code'] = value.replace(/[\s|]/g, '');
      else m[name] = value;
      return;
    case 'fuel':
      if (/^[0-9A-Fa-f]{4}$/.test(value)) m[name] = parseInt(value.slice(0, 2), 16) + parseInt(value.slice(2), 16) / 100;
      else m['meitrack.fuel'] = value;
      return;
    case 'temperatures':
      readTemperatures(m, name, value);
      return;
    case 'text':
    case 'rest':
      m[name] = value;
      return;
  }
}

/** Latitude, longitude and time must parse; the other numeric fields are skipped when they do not. */
function setNumber(m: Message, name: string, value: string): void {
  if (isNumber(value)) {
    m[name] = Number(value);
    return;
  }
  if (name.startsWith('position.l') || name === 'event.enum') throw new CodecError(CodecErrorCode.Malformed, `${name} "${value}" is not a number`);
  m[`meitrack.raw.${name}`] = value;
}

function isNumber(value: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(value);
}

function parseTime(value: string): number {
  const d = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(value);
  if (!d) throw new CodecError(CodecErrorCode.Malformed, `time "${value}" is not yymmddhhmmss`);
  const [yy, mo, dd, hh, mi, ss] = d.slice(1).map(Number);
  return Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss) / 1000;
}

/** `mcc|mnc|lac|ci`, lac and ci in hex; kept only when the MCC is known. */
function readCell(m: Message, name: string, value: string): void {
  const [mcc, mnc, lac, ci] = value.split('|');
  if (!/^\d+$/.test(mcc ?? '') || Number(mcc) === 0) {
    if (/[^0|]/.test(value)) m['meitrack.cell'] = value;
    return;
  }
  m[`${name}.mcc`] = Number(mcc);
  if (/^\d+$/.test(mnc ?? '')) m[`${name}.mnc`] = Number(mnc);
  if (/^[0-9A-Fa-f]+$/.test(lac ?? '')) m[`${name}.lac`] = parseInt(lac, 16);
  if (/^[0-9A-Fa-f]+$/.test(ci ?? '')) m[`${name}.cellid`] = parseInt(ci, 16);
}

/** `ad1|ad2|ad3|battery|power` in hex counts, or decimal volts `battery|power|rtc|mcu|gps` (newer firmware). */
function readAnalog(m: Message, value: string, scale: AdScale): void {
  const parts = value.split('|');
  if (parts.some((p) => p.includes('.'))) {
    parts.forEach((p, i) => {
      if (isNumber(p)) m[VOLTAGE_FIELDS[i] ?? `meitrack.voltage.${i + 1}`] = Number(p);
    });
    return;
  }
  parts.forEach((p, i) => {
    if (!/^[0-9A-Fa-f]+$/.test(p)) return;
    const raw = parseInt(p, 16);
    const [name, factor] = i < 3 ? [`ain.${i + 1}`, scale.ain] : i === 3 ? ['battery.voltage', scale.battery] : ['external.powersource.voltage', scale.power];
    if (i > 4 || factor === null) m[`meitrack.adc.${i + 1}`] = raw;
    else m[name] = Math.round(((raw * factor.fullScale) / factor.divisor) * 1000) / 1000;
  });
}

/** `iivvvv|iivvvv...`: sensor index, then (protocol ≥ 3) signed hundredths, else signed integer + hundredths. */
function readTemperatures(m: Message, name: string, value: string): void {
  const modern = Number(m['meitrack.protocol.version'] ?? 0) >= 3;
  for (const t of value.split('|')) {
    if (!/^[0-9A-Fa-f]{6}$/.test(t)) continue;
    const index = parseInt(t.slice(0, 2), 16);
    let celsius: number;
    if (modern) {
      const raw = parseInt(t.slice(2), 16);
      celsius = (raw >= 0x8000 ? raw - 0x10000 : raw) / 100;
    } else {
      const whole = (parseInt(t.slice(2, 4), 16) << 24) >> 24;
      const hundredths = parseInt(t.slice(4), 16) / 100;
      celsius = Math.round((whole + (whole < 0 ? -hundredths : hundredths)) * 100) / 100;
    }
    m[`${name}.${index}`] = celsius;
  }
}
