/**
 * Queclink @Track constants. Sources: GL300 "@Track Air Interface Protocol" (TRACGL300AN001 §3.2,
 * §3.3), GMT100 and GV-series air interface documents, and the facts in Traccar's gl200 decoders.
 */

/** Text message heads: live report, buffered (black-box) report, command acknowledgement. */
export const TextHead = { Resp: 'RESP', Buff: 'BUFF', Ack: 'ACK' } as const;

/**
 * Binary ("HEX mode") heads, with where their length field sits. `B…` heads are the buffered
 * twins of the live ones. Offsets are from the `+`.
 */
export const BINARY_HEADS = {
  '+RSP': { length: 'u16', at: 9, buffered: false },
  '+BSP': { length: 'u16', at: 9, buffered: true },
  '+EVT': { length: 'u16', at: 9, buffered: false },
  '+BVT': { length: 'u16', at: 9, buffered: true },
  '+INF': { length: 'u16', at: 7, buffered: false },
  '+BNF': { length: 'u16', at: 7, buffered: true },
  '+HBD': { length: 'u8', at: 5, buffered: false },
  '+CRD': { length: 'u16', at: 6, buffered: false },
  '+BRD': { length: 'u16', at: 6, buffered: true },
  '+LGN': { length: 'u16', at: 6, buffered: false },
  /** `+ACK` followed by a binary type byte (not `:`): length byte at offset 6. */
  '+ACK': { length: 'u8', at: 6, buffered: false },
} as const;
export type BinaryHead = keyof typeof BINARY_HEADS;

/** Compact binary frames (newer devices): `+`, identifier `00`, total length u16. */
export const COMPACT_IDENTIFIER = 0x00;

/** Smallest frame worth deciding on (a binary header with its length field). */
export const MIN_FRAME = 11;

export const START = 0x2b; // '+'

/** Old binary +RSP report types with extra fields (Traccar MSG_RSP_*). */
export const RspType = { Lcb: 3, Geo: 8, Compressed: 100 } as const;

/** Old binary +EVT types and the bytes of their event-specific block (Traccar MSG_EVT_*). */
export const EVT_EXTRA_BYTES: Readonly<Record<number, number>> = {
  6: 2, // BPL: backup battery voltage
  15: 3, // UPD: code, retry
  17: 4, // IDF: idling duration
  21: 5, // GSS: gps signal status, reserved
  23: 1, // CRA: crash counter
  26: 14, // GES: geo id, enable, mode, radius, interval
  31: 2, // GPJ: cw jamming value, state
  33: 1, // JDS: jamming state
  34: 3, // UPC: command id, result
  35: 1, // RMD: roaming state
  45: 7, // VGN: reserved, report type, ignition duration
  46: 7, // VGF
};

/** Old binary +INF types with extra blocks (Traccar MSG_INF_*). */
export const InfType = { Csq: 5, Ver: 6, Bat: 7, Gir: 10 } as const;

/** Data item id of a position in a compact binary record. */
export const COMPACT_POSITION_ID = 0x52;

/** Commands: password default (model-dependent; `gl300` for the GL300 family) and serial. */
export const DEFAULT_PASSWORD = 'gl300';
export const DEFAULT_SERIAL = 'FFFF';

/** AT+GTRTO sub-commands (TRACGL300AN001 §3.2.11). */
export const RtoSub = { Gps: '0', Locate: '1', Read: '2', Reboot: '3', Reset: '4', PowerOff: '5', Version: '8' } as const;
