/**
 * Wialon Retranslator 1.0 constants. Sources: Gurtam "Wialon Retranslator 1.0 protocol
 * description" ("Incoming data": packet and data block tables, the `posinfo` table; "Outgoing
 * data": the acknowledgement), the stream notes in ../shared/streams/README.md (the layout the hub
 * itself sends, core/streams/retranslator-packet.ts) and the wialon_retranslator notes in
 * ../shared/protocols/README.md (Traccar's `retranslator` decoder, facts only).
 * Sender: a Wialon server (Wialon Hosting or Wialon Local) retranslating its units; one TCP
 * connection carries packets of many units, each packet naming its unit.
 */

/**
 * Packet header (spec "Incoming data"): `size` u32 **little-endian** (bytes that follow, the only
 * little-endian integer), unit id as ASCII ending in 0x00, time u32 BE (Unix s, UTC), flags u32 BE.
 */
export const SIZE_FIELD = 4;
/** The shortest packet after the size field: a one-character id, its 0x00, time and flags. */
export const MIN_PACKET_SIZE = 2 + 4 + 4;
/** An id longer than this is not an id (the hub's idents are at most 64 characters). */
export const MAX_IDENT_LENGTH = 64;

/** Message flags (spec "Incoming data", bit flags of a message); all other bits are Wialon's. */
export const Flag = {
  /** 0x01: location information (the `posinfo` block). */
  Location: 0x01,
  /** 0x02: digital inputs (the `avl_inputs` block). */
  DigitalInputs: 0x02,
  /** 0x04: digital outputs (the `avl_outputs` block). */
  DigitalOutputs: 0x04,
  /** 0x10: alarm bit. */
  Alarm: 0x10,
  /** 0x20: driver identifier (the `avl_driver` block). */
  DriverId: 0x20,
} as const;

/**
 * Data block (spec "Data block has the following format"): type u16 BE (always 0x0BBB), size u32
 * BE (bytes after the size field), attribute u8 (visibility; the spec's two editions disagree on
 * its values, and nothing depends on it), data type u8, name ASCII ending in 0x00, value.
 */
export const BLOCK_TYPE = 0x0bbb;
/** Block type and size fields. */
export const BLOCK_HEADER_SIZE = 2 + 4;

/** Block data types (spec: 0x1 text, 0x2 binary, 0x3 int32, 0x4 double, 0x5 int64). */
export const DataType = {
  /** Text ending in 0x00. */
  Text: 1,
  /** Binary: `posinfo`, `imag`, or opaque bytes. */
  Binary: 2,
  /** Signed 32-bit integer, big-endian. */
  Int32: 3,
  /** IEEE-754 double, **little-endian**. */
  Double: 4,
  /** Signed 64-bit integer, big-endian. */
  Int64: 5,
} as const;
export type DataType = (typeof DataType)[keyof typeof DataType];

/** Binary blocks with a layout of their own. */
export const BlockName = {
  /** Coordinates (spec "'posinfo' binary block"): lon, lat, altitude doubles LE; speed u16; course u16; satellites u8. */
  Posinfo: 'posinfo',
  /** A JPEG image (Wialon Retranslator notes): title u64 (0), image size u32, JPEG bytes. */
  Image: 'imag',
} as const;
/** Size of the `posinfo` value: 3 × 8 + 2 + 2 + 1. */
export const POSINFO_SIZE = 29;
/** `imag` value header: title u64 + image size u32. */
export const IMAGE_HEADER_SIZE = 12;

/** The receiver's answer to each packet (spec "Outgoing data"): the sender waits for it before the next. */
export const ACK = Buffer.from([0x11]);
