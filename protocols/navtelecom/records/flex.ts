import type { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { type FlexFieldDef, STATUS_BITS } from '../params.js';

/**
 * FLEX records (§1.2.2): the fields the negotiated mask enables, in field order, each at its fixed
 * size from the FLEX table, little endian. Read by the table (params.ts FLEX_FIELDS): one small
 * branch per kind, none per field.
 */
export function readFlexRecord(r: Reader, fields: readonly FlexFieldDef[]): Message {
  const m: Message = {};
  for (const f of fields) readField(r.bytes(f.size), f, m);
  const fix = m['navtelecom.fix.timestamp'];
  if (m.timestamp === undefined && typeof fix === 'number') m.timestamp = fix; // no event time: the fix's
  return m;
}

function readField(b: Buffer, f: FlexFieldDef, m: Message): void {
  switch (f.kind) {
    case 'u':
      m[f.name] = scaled(b.readUIntLE(0, f.size), f.divisor);
      return;
    case 's':
      m[f.name] = scaled(b.readIntLE(0, f.size), f.divisor);
      return;
    case 'f':
      m[f.name] = float(b.readFloatLE(0));
      return;
    case 'hex':
      m[f.name] = b.toString('hex');
      return;
    case 'time':
      m[f.name] = b.readUInt32LE(0);
      return;
    case 'coord':
      m[f.name] = b.readInt32LE(0) / 600000;
      return;
    default:
      readComposite(b, f, m);
  }
}

function readComposite(b: Buffer, f: FlexFieldDef, m: Message): void {
  switch (f.kind) {
    case 'nav': // bit 0 receiver on, bit 1 valid fix, bits 2-7 satellites
      m['position.valid'] = (b[0] & 0x02) !== 0;
      m['position.satellites'] = b[0] >> 2;
      return;
    case 'status':
      m[f.name] = b[0];
      for (const [bit, name] of STATUS_BITS) m[name] = (b[0] & (1 << bit)) !== 0;
      return;
    case 'low':
    case 'high': {
      const shift = f.kind === 'low' ? 0 : 8;
      const was = typeof m[f.name] === 'number' ? (m[f.name] as number) : 0;
      m[f.name] = (was & ~(0xff << shift)) | (b[0] << shift);
      return;
    }
    case 'dop':
      m['position.hdop'] = b[0] / 10;
      m['position.pdop'] = b[1] / 10;
  }
}

function scaled(raw: number, divisor: number | undefined): number {
  return divisor === undefined ? raw : raw / divisor;
}

/** A float32 as its shortest decimal (7 significant digits: 54.3, not 54.29999923706055); null when not finite. */
export function float(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(7)) : null;
}
