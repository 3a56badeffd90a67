import { type ParamDef, paramDef } from '../common/params.js';

/**
 * Galileosky tags → value lengths and message parameters (DESIGN §3). One line per tag (or per
 * numbered run of tags); the decoder holds no per-tag branches, only one small function per
 * `kind`. Sources: Galileosky "Server exchange protocol description" (tag table), the tag lengths
 * and scales used by Traccar's Galileo decoder and by glonassd's galileo.c (facts only), and
 * ../shared/protocols/README.md. A tag missing here aborts the rest of the packet (its length is
 * unknown, so nothing after it can be read).
 *
 * kinds: `u` unsigned LE / `s` signed LE of the tag's length, divided by `divisor`; `hex` raw
 * bytes (these three are `ParamDef`s, converted by `convertParam`); `ibutton` u32 LE as 8 hex
 * digits; composite kinds are described at their rows. Vendor numbering
 * is kept for numbered inputs (IN0 → `ain.0`, thermometer 0 → `sensor.temperature.0`).
 */
/** Kinds of tags read by a function of their own (records/tags.ts). */
type CompositeKind = 'ibutton' | 'imei' | 'time' | 'coords' | 'motion' | 'status' | 'thermometer' | 'fuel_temp' | 'can_a1' | 'text' | 'array' | 'extended';

type ValueKind = 'u' | 's' | 'hex';
type TagKind = ValueKind | CompositeKind;

/** A tag whose value is one integer (`u`, `s`) or raw bytes (`hex`) of the tag's length. */
export interface ValueTagDef extends ParamDef {
  readonly kind: ValueKind;
  readonly tag: number;
  readonly length: number;
}

/** A tag with two or more values, or a meaning of its own. */
export interface CompositeTagDef {
  readonly kind: CompositeKind;
  readonly tag: number;
  /** Value length in bytes; 0 for tags that carry their own length (E1, EA, FE). */
  readonly length: number;
  readonly name: string;
  /** Second parameter of a two-value tag (thermometer id, fuel sensor temperature, course). */
  readonly extra?: string;
}

export type TagDef = ValueTagDef | CompositeTagDef;

/** `[tag, length, name, kind, divisor (the raw integer is divided by it), extra name]` */
type Row = readonly [tag: number, length: number, name: string, kind: TagKind, divisor?: number, extra?: string];
/** `[first, last, length, name with {n} for the index, kind, divisor, index of the first tag, extra name]` */
type Run = readonly [first: number, last: number, length: number, name: string, kind: TagKind, divisor: number | undefined, base: number, extra?: string];

const ROWS: readonly Row[] = [
  [0x01, 1, 'hardware.version', 'u'],
  [0x02, 1, 'firmware.version', 'u'],
  [0x03, 15, 'ident', 'imei'], // IMEI, 15 ASCII digits: the device ident (not a message parameter)
  [0x04, 2, 'galileosky.device.id', 'u'], // terminal number set by the user
  [0x10, 2, 'galileosky.record.number', 'u'], // archive record number
  [0x20, 4, 'timestamp', 'time'], // u32 LE seconds since 1970 UTC
  [0x30, 9, 'position', 'coords'], // sats (low nibble) | correctness (high nibble, 0 = valid) | lat i32 | lon i32 ×1e-6
  [0x33, 4, 'position.speed', 'motion', undefined, 'position.direction'], // speed u16 ×0.1 km/h | course u16 ×0.1 deg
  [0x34, 2, 'position.altitude', 's'], // m
  [0x35, 1, 'position.hdop', 'u', 10], // HDOP ×0.1 (error in m when the source is GSM cells)
  [0x40, 2, 'galileosky.status', 'status'], // terminal status bits, see STATUS_BITS
  [0x41, 2, 'external.powersource.voltage', 'u', 1000], // mV → V
  [0x42, 2, 'battery.voltage', 'u', 1000], // mV → V
  [0x43, 1, 'device.temperature', 's'], // °C
  [0x44, 4, 'galileosky.acceleration', 'u'], // accelerometer X/Y/Z, 10 bits each (raw)
  [0x45, 2, 'dout', 'u'], // outputs bitmask (bit 0 = OUT0)
  [0x46, 2, 'din', 'u'], // inputs bitmask (bit 0 = IN0)
  [0x47, 4, 'galileosky.ecodrive', 'u'], // EcoDrive: acceleration, braking, turn, bump (raw)
  [0x48, 2, 'galileosky.status.extended', 'u'],
  [0x58, 2, 'galileosky.rs232.0', 'u'],
  [0x59, 2, 'galileosky.rs232.1', 'u'],
  [0x5a, 4, 'galileosky.rep500', 'u'], // REP-500 electricity meter reading
  [0x5b, 7, 'galileosky.refrigerator', 'hex'], // refrigerator unit data (documented as variable; 7 as Traccar reads it)
  [0x5c, 68, 'galileosky.pressurepro', 'hex'], // PressurePro tyre pressure system
  [0x5d, 3, 'galileosky.dosimeter', 'hex'], // DBG-S11D dosimeter
  [0x88, 1, 'galileosky.rs232.extended', 'u'],
  [0x90, 4, 'ibutton.code', 'ibutton'], // first iButton key
  [0xc0, 4, 'can.fuel.consumed', 'u', 2], // CAN_A0: total fuel used, ×0.5 l
  [0xc1, 4, 'can.fuel.level', 'can_a1'], // CAN_A1: fuel level ×0.4 % | coolant °C +40 | rpm u16 ×0.125
  [0xc2, 4, 'can.vehicle.mileage', 'u', 200], // CAN_B0: mileage ×5 m → km
  [0xc3, 4, 'galileosky.can.b1', 'u'],
  [0xd3, 4, 'galileosky.ibutton.2', 'ibutton'], // second iButton key
  [0xd4, 4, 'vehicle.mileage', 'u', 1000], // total GNSS mileage, m → km
  [0xd5, 1, 'galileosky.ibutton.state', 'u'], // one bit per key set with the iButtons command
  [0xe0, 4, 'galileosky.command.number', 'u'], // echoed command number: the reply correlation
  [0xe1, 0, 'command.response', 'text'], // length u8 + ASCII
  [0xea, 0, 'galileosky.user.data.array', 'array'], // length u8 + bytes
  [0xfa, 3, 'galileosky.tag.fa', 'hex'],
  [0xfd, 8, 'galileosky.tag.fd', 'hex'],
  [0xfe, 0, 'galileosky.ext', 'extended'], // length u16 + extended tags, see decodeExtended
];

const RUNS: readonly Run[] = [
  [0x50, 0x57, 2, 'ain.{n}', 'u', 1000, 0], // IN0..IN7: mV (or pulses/Hz when the input is so configured)
  [0x60, 0x62, 2, 'fuel.level.{n}', 'u', undefined, 0], // RS485 fuel sensors 0..2
  [0x63, 0x6f, 3, 'fuel.level.{n}', 'fuel_temp', undefined, 3, 'fuel.temperature.{n}'], // RS485 fuel sensors 3..15: level u16 | temperature i8
  [0x70, 0x77, 2, 'sensor.temperature.{n}', 'thermometer', undefined, 0, 'galileosky.thermometer.{n}.id'], // thermometer id u8 | temperature i8 °C
  [0x80, 0x87, 3, 'galileosky.ds1923.{n}', 'hex', undefined, 0], // DS1923 id | temperature | humidity
  [0x8a, 0x8c, 1, 'fuel.temperature.{n}', 's', undefined, 0], // RS485 fuel sensors 0..2 temperature °C
  [0xa0, 0xaf, 1, 'galileosky.can8bitr.{n}', 'u', undefined, 15],
  [0xb0, 0xb9, 2, 'galileosky.can16bitr.{n}', 'u', undefined, 5],
  [0xc4, 0xd2, 1, 'galileosky.can8bitr.{n}', 'u', undefined, 0],
  [0xd6, 0xda, 2, 'galileosky.can16bitr.{n}', 'u', undefined, 0],
  [0xdb, 0xdf, 4, 'galileosky.can32bitr.{n}', 'u', undefined, 0],
  [0xe2, 0xe9, 4, 'galileosky.user.data.{n}', 'u', undefined, 0],
  [0xf0, 0xf9, 4, 'galileosky.can32bitr.{n}', 'u', undefined, 5],
];

/** Tag 0x40 bits decoded into common names (the raw word is kept as `galileosky.status`). */
export const STATUS_BITS: ReadonlyArray<readonly [bit: number, name: string]> = [
  [5, 'battery.low.status'], // internal battery below normal
  [8, 'external.powersource.low.status'], // external supply below normal
  [9, 'engine.ignition.status'], // "vehicle is on"
];
/** Bits 12-13 of tag 0x40: GSM signal level, scale 0..3. */
export const STATUS_GSM_SHIFT = 12;

/** Extended tags (inside tag 0xFE): u16 LE id + value; 4 bytes unless listed here. */
export const EXTENDED_VALUE_LENGTH = 4;
export const EXTENDED_LENGTHS: Readonly<Record<number, number>> = {};

/** Dense lookup by tag byte. */
export const TAGS: ReadonlyArray<TagDef | undefined> = (() => {
  const table: (TagDef | undefined)[] = new Array(256);
  const add = (tag: number, length: number, name: string, kind: TagKind, divisor?: number, extra?: string): void => {
    if (table[tag]) throw new Error(`duplicate Galileosky tag 0x${tag.toString(16)}`);
    table[tag] = tagDef(tag, length, name, kind, divisor, extra);
  };
  for (const [tag, length, name, kind, divisor, extra] of ROWS) add(tag, length, name, kind, divisor, extra);
  for (const [first, last, length, name, kind, divisor, base, extra] of RUNS) {
    for (let tag = first; tag <= last; tag++) {
      const n = String(tag - first + base);
      add(tag, length, name.replace('{n}', n), kind, divisor, extra?.replace('{n}', n));
    }
  }
  return table;
})();

function tagDef(tag: number, length: number, name: string, kind: TagKind, divisor?: number, extra?: string): TagDef {
  if (kind === 'u' || kind === 's' || kind === 'hex') {
    if (extra !== undefined) throw new Error(`Galileosky tag 0x${tag.toString(16)} of kind ${kind} has a second parameter`);
    return { ...paramDef(name, kind, divisor), kind, tag, length };
  }
  if (divisor !== undefined) throw new Error(`Galileosky tag 0x${tag.toString(16)} of kind ${kind} has a divisor`);
  return { tag, length, name, kind, ...(extra === undefined ? {} : { extra }) };
}
