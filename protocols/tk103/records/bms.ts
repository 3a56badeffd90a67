import { CodecError, CodecErrorCode } from '../../common/errors.js';
import { fromHex, Reader } from '../../common/reader.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import type { Packet } from '../packet.js';
import { BMS, BMS_CURRENT_OFFSET, BMS_TEMPERATURE_OFFSET, type BmsField, DALY_CELLS, DALY_FIELDS, DALY_TEMPERATURES, P } from '../params.js';

/** Battery management reports of e-bike units (no position: the receive time). */

const BS50_CELLS = 24;
const BS50_TEMPERATURES = 7;
const BS50_RESERVED = 6;

/**
 * BS50: hex payload, little-endian: length u16 BE + `FF`, cell count, 24 cell voltages (mV), charge
 * flag (0 = charging), current (0.1 A), total voltage (0.01 V), SOC %, overheat, charge and
 * discharge protection, drop line, balanced, cycles u16, fault, 6 reserved, sensor count, power and
 * balance temperatures, 7 battery temperatures (°C + 40), calibrated capacity (0.01 Ah), discharged
 * capacity u32. Cells and sensors past their counts are left out; bytes after the known fields are kept.
 */
export function decodeBmsBinary(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const bytes = fromHex(p.body);
  if (!bytes) throw new CodecError(CodecErrorCode.Malformed, 'BS50 payload is not hex', p.at);
  const r = new Reader(bytes);
  r.skip(3);
  const m: Message = { [P.type]: p.type };
  const cells = r.u8();
  for (let i = 1; i <= BS50_CELLS; i++) {
    const mv = r.u16le();
    if (i <= cells) m[BMS.cellVoltage(i)] = mv / 1000;
  }
  m[P.charging] = r.u8() === 0;
  m[BMS.current] = r.u16le() / 10;
  m[P.battery] = r.u16le() / 100;
  m[P.batteryLevel] = r.u8();
  m[BMS.overheat] = r.u8() > 0;
  m[BMS.chargeProtection] = r.u8() > 0;
  m[BMS.dischargeProtection] = r.u8() > 0;
  m[BMS.dropLine] = r.u8();
  m[BMS.balanced] = r.u8();
  m[BMS.cycles] = r.u16le();
  m[BMS.fault] = r.u8();
  r.skip(BS50_RESERVED);
  const sensors = r.u8();
  m[BMS.powerTemperature] = r.u8() - BMS_TEMPERATURE_OFFSET;
  m[BMS.balanceTemperature] = r.u8() - BMS_TEMPERATURE_OFFSET;
  for (let i = 1; i <= BS50_TEMPERATURES; i++) {
    const t = r.u8() - BMS_TEMPERATURE_OFFSET;
    if (i <= sensors) m[BMS.temperature(i)] = t;
  }
  m[BMS.calibratedCapacity] = r.u16le() / 100;
  m[BMS.dischargedCapacity] = r.u32le();
  if (r.remaining > 0) m[BMS.rest] = r.bytes(r.remaining).toString('hex');
  if (ctx.receivedAt !== undefined) m.timestamp = ctx.receivedAt;
  out.messages.push(m);
}

/**
 * BS51: `<data id hex>:<data hex>` pairs, comma-separated, each the 8 data bytes of a Daly BMS
 * answer (big-endian): 0x90 voltage/current/SOC, 0x91 cell voltage extremes, 0x92 temperature
 * extremes, 0x93 MOS state and remaining capacity, 0x94 counts and cycles, 0x95 cell voltages
 * (frame no. + 3 × mV, several frames), 0x96 temperatures (frame no. + 7 × °C + 40). Other ids kept as hex.
 */
export function decodeBmsDaly(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const m: Message = { [P.type]: p.type };
  for (const pair of p.body.split(',')) {
    const kv = /^([0-9A-Fa-f]{2}):((?:[0-9A-Fa-f]{2})+)$/.exec(pair.trim());
    if (!kv) throw new CodecError(CodecErrorCode.Malformed, `BS51 item "${pair.slice(0, 20)}" is not <id>:<hex>`, p.at);
    const id = parseInt(kv[1], 16);
    const r = new Reader(Buffer.from(kv[2], 'hex'));
    const fields = DALY_FIELDS[id];
    if (fields) for (const field of fields) readField(r, field, m);
    else if (id === DALY_CELLS)
      readFrames(
        r,
        3,
        (n) => BMS.cellVoltage(n),
        () => r.u16() / 1000,
        m[BMS.cells],
        m,
      );
    else if (id === DALY_TEMPERATURES)
      readFrames(
        r,
        7,
        (n) => BMS.temperature(n),
        () => r.u8() - BMS_TEMPERATURE_OFFSET,
        m[BMS.sensors],
        m,
      );
    else m[BMS.raw(id)] = kv[2];
  }
  if (ctx.receivedAt !== undefined) m.timestamp = ctx.receivedAt;
  out.messages.push(m);
}

function readField(r: Reader, [kind, name, divisor]: BmsField, m: Message): void {
  const raw = {
    u8: () => r.u8(),
    b: () => r.u8(),
    t: () => r.u8() - BMS_TEMPERATURE_OFFSET,
    u16: () => r.u16(),
    c: () => r.u16() - BMS_CURRENT_OFFSET,
    u32: () => r.u32(),
  }[kind]();
  m[name] = kind === 'b' ? raw !== 0 : divisor === undefined ? raw : raw / divisor;
}

/** Frames of `perFrame` values after a frame number (from 1); values numbered across frames, up to `count` when known. */
function readFrames(r: Reader, perFrame: number, name: (n: number) => string, value: () => number, count: unknown, m: Message): void {
  const size = perFrame === 3 ? 7 : 8;
  while (r.remaining >= size) {
    const frame = r.u8();
    for (let k = 0; k < perFrame; k++) {
      const n = (frame - 1) * perFrame + k + 1;
      const v = value();
      if (n >= 1 && (typeof count !== 'number' || n <= count)) m[name(n)] = v;
    }
    if (perFrame === 3 && r.remaining > 0) r.skip(1);
  }
}
