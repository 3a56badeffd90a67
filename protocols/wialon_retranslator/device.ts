import { fixParams, type SimFix, simFix } from '../common/simulation.js';
import type { DeviceSimulator } from '../common/types.js';
import { BLOCK_TYPE, BlockName, DataType, Flag, IMAGE_HEADER_SIZE, POSINFO_SIZE } from './constants.js';

/**
 * The sending side of Wialon Retranslator (a Wialon server), for simulators and tests: packets
 * built as spec "Incoming data" lays them out (the same layout as the hub's own stream,
 * core/streams/retranslator-packet.ts). The receiver answers each packet with 0x11.
 */

/** Visibility attribute the spec's examples give `posinfo` and the `avl_*` blocks (others carry 0). */
const VISIBLE = 1;

/** One data block: `0x0BBB | size u32 BE | attribute | type | name 0x00 | value`. */
export function block(name: string, type: number, value: Buffer, attribute = 0): Buffer {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  const head = Buffer.alloc(8);
  head.writeUInt16BE(BLOCK_TYPE, 0);
  head.writeUInt32BE(2 + nameBytes.length + value.length, 2);
  head[6] = attribute;
  head[7] = type;
  return Buffer.concat([head, nameBytes, value]);
}

export function textBlock(name: string, text: string, attribute = 0): Buffer {
  return block(name, DataType.Text, Buffer.from(`${text}\0`, 'utf8'), attribute);
}

export function int32Block(name: string, value: number, attribute = 0): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return block(name, DataType.Int32, b, attribute);
}

export function doubleBlock(name: string, value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(value);
  return block(name, DataType.Double, b);
}

export function int64Block(name: string, value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(value);
  return block(name, DataType.Int64, b);
}

/** `posinfo`: longitude, latitude, altitude doubles LE; speed u16 (km/h); course u16; satellites u8. */
export function posinfoBlock(fix: Pick<SimFix, 'latitude' | 'longitude' | 'altitude' | 'speed' | 'course' | 'satellites'>): Buffer {
  const v = Buffer.alloc(POSINFO_SIZE);
  v.writeDoubleLE(fix.longitude, 0);
  v.writeDoubleLE(fix.latitude, 8);
  v.writeDoubleLE(fix.altitude, 16);
  v.writeUInt16BE(Math.round(fix.speed), 24);
  v.writeUInt16BE(Math.round(fix.course), 26);
  v[28] = fix.satellites;
  return block(BlockName.Posinfo, DataType.Binary, v, VISIBLE);
}

/** `imag`: title u64 0, image size u32, JPEG bytes. */
export function imageBlock(jpeg: Buffer): Buffer {
  const head = Buffer.alloc(IMAGE_HEADER_SIZE);
  head.writeUInt32BE(jpeg.length, 8);
  return block(BlockName.Image, DataType.Binary, Buffer.concat([head, jpeg]));
}

/** A whole packet: `size u32 LE | ident 0x00 | time u32 BE | flags u32 BE | blocks`. */
export function packet(ident: string, timeS: number, flags: number, blocks: readonly Buffer[]): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(timeS, 0);
  head.writeUInt32BE(flags, 4);
  const body = Buffer.concat([Buffer.from(`${ident}\0`, 'latin1'), head, ...blocks]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(body.length);
  return Buffer.concat([size, body]);
}

const SIM_POWER_V = 12.5;
const SIM_INPUTS = 1;

/** A simulated Wialon server retranslating unit `n`: one packet per report (posinfo, pwr_ext, avl_inputs), each acked 0x11. */
export const simulator: DeviceSimulator = {
  transports: ['tcp'],
  identFor: (n) => String(353_976_000_000_000 + n),
  report: (ident, n, seq, atMs) =>
    packet(ident, Math.floor(atMs / 1000), Flag.Location | Flag.DigitalInputs, [
      posinfoBlock(simFix(n, seq, atMs)),
      doubleBlock('pwr_ext', SIM_POWER_V),
      int32Block('avl_inputs', SIM_INPUTS, VISIBLE),
    ]),
  expected: (ident, n, seq, atMs) => ({
    ident,
    ...fixParams(simFix(n, seq, atMs), ['atMs', 'latitude', 'longitude', 'altitude', 'speed', 'course', 'satellites']),
    'external.powersource.voltage': SIM_POWER_V,
    din: SIM_INPUTS,
    'position.valid': true,
  }),
  replyLength: (buf) => (buf.length >= 1 ? 1 : undefined),
  loginAcked: false,
  reportsAcked: true,
};
