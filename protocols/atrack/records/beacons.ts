import { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';

/**
 * The `%BC` BLE beacon block of an ASCII report: `<mode>:<mask>:<hex>`, one entry after another
 * in the hex. Mask bit 7: a 6-byte beacon id leads each entry; the other bits select the fields of
 * the mode (1 iBeacon: major, minor, tx power, RSSI; 2: battery, temperature, tx power, RSSI;
 * 3: humidity, temperature, RSSI, a reserved word; 4: a sensor hardware id with its data, a
 * 9-byte name). Values are kept as sent, `atrack.beacon.<n>.<field>`; RSSI is signed dBm. A block
 * this cannot read stays in `atrack.beacons` only.
 */
type Field = readonly [bit: number, name: string, size: 1 | 2, signed?: boolean];

const MODES: Readonly<Record<number, readonly Field[]>> = {
  1: [
    [6, 'major', 2],
    [5, 'minor', 2],
    [4, 'tx.power', 1, true],
    [3, 'rssi', 1, true],
  ],
  2: [
    [6, 'battery', 2],
    [5, 'temperature', 2],
    [4, 'tx.power', 1, true],
    [3, 'rssi', 1, true],
  ],
  3: [
    [6, 'humidity', 2],
    [5, 'temperature', 2],
    [3, 'rssi', 1, true],
    [2, 'reserved', 2],
  ],
};

/** Mode 4 sensor data sizes by hardware id (mask bit 5). */
const SENSOR_BYTES: Readonly<Record<number, number>> = { 1: 11, 2: 2, 3: 6, 4: 11, 5: 10 };
const MAX_BEACONS = 64;

export function decodeBeacons(m: Message, block: string): void {
  const parts = /^(\d+):(\d+):((?:[0-9A-Fa-f]{2})+)$/.exec(block);
  if (!parts) return;
  const [mode, mask] = [Number(parts[1]), Number(parts[2])];
  const r = new Reader(Buffer.from(parts[3], 'hex'));
  const out: Message = {};
  try {
    for (let n = 1; r.remaining > 0 && n <= MAX_BEACONS; n++) {
      const before = r.pos;
      readEntry(r, mode, mask, `atrack.beacon.${n}.`, out);
      if (r.pos === before) return; // nothing selected: not a beacon block
    }
  } catch {
    return; // an entry past the end: keep only the raw block
  }
  Object.assign(m, out);
}

function readEntry(r: Reader, mode: number, mask: number, prefix: string, out: Message): void {
  if (mask & 0x80) out[`${prefix}id`] = r.bytes(6).toString('hex');
  if (mode === 4) {
    if (mask & 0x40) {
      const hardware = r.u8();
      out[`${prefix}hardware`] = hardware;
      if (mask & 0x20) out[`${prefix}data`] = r.bytes(SENSOR_BYTES[hardware] ?? 0).toString('hex');
    }
    if (mask & 0x10) out[`${prefix}name`] = r.bytes(9).toString('latin1').replace(/\0+$/, '');
    return;
  }
  for (const [bit, name, size, signed] of MODES[mode] ?? []) {
    if (!(mask & (1 << bit))) continue;
    out[`${prefix}${name}`] = size === 2 ? r.u16() : signed ? r.i8() : r.u8();
  }
}
