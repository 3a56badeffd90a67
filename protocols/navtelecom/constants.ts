/**
 * Navtelecom NTCB / FLEX constants. Sources: Navtelecom "Protocol of information exchange" v6.2
 * (§1.1 transport layer of NTCB, §1.2.1 connecting over FLEX, §1.2.2 FLEX versions and messages,
 * §2 application layer), the vendor's FLEX examples (wiki.navtelecom.ru, developers/flex_examples)
 * and the navtelecom notes in ../shared/protocols/README.md (Traccar's `navis` decoder, facts only).
 * Terminals: Signal S-2550/S-2551/S-2651/S-2653 and the other SMART/SIGNAL models.
 */

/** First byte of a frame: the transport it belongs to. */
export const Start = {
  /** `@NTC` NTCB frame (§1.1): every model, both directions. */
  Ntcb: 0x40,
  /** `~` FLEX telemetry frame (§1.2.2), after the FLEX negotiation. */
  Flex: 0x7e,
  /** A lone 0x7F: FLEX keep-alive (§1.2.2), sent while there is nothing to report. */
  KeepAlive: 0x7f,
} as const;

/** NTCB header: `@NTC` | receiver u32 | sender u32 | length u16 | CSd u8 | CSp u8 (little endian). */
export const NTCB_PREAMBLE = Buffer.from('@NTC', 'latin1');
export const NTCB_HEADER_SIZE = 16;
/** Offsets in the header. */
export const NtcbHeader = { Receiver: 4, Sender: 8, Length: 12, DataXor: 14, HeaderXor: 15 } as const;

/**
 * NTCB message prefixes (§1.2.1, §2): `*>` device → server, `*<` server answer, `*!` server
 * command, `*@` the device's answer to a command. Every model speaks these.
 */
export const NtcbMessage = {
  /** `*>S:<IMEI>`: identification, answered `*<S`. */
  Ident: '*>S',
  /** `*>FLEX` + `B0` protocol, version, struct version, field count, mask: answered `*<FLEX`. */
  Flex: '*>FLEX',
  /** `*>T` + one telemetry record (formats F1.0-F6.0): answered `*<T` + its index u32. */
  Telemetry: '*>T',
  /** `*>A` + count u8 + archive records: answered `*<A` + the count. */
  Archive: '*>A',
  /** `*@<COMMAND> ...`: the terminal's answer to a `*!` command (`*@SETOUT OK,1Y`, `*@DEV_RESET`). */
  Reply: '*@',
  /** `*#<QUERY>...`: the terminal's answer to a `*?` query (`*#V:S-2651:01.00.72:13.05.20:RU`). */
  Answer: '*#',
  /** `*!<COMMAND>`: server command (§2, "standard commands"). */
  Command: '*!',
  /** `*?<QUERY>`: server query. */
  Query: '*?',
} as const;

/** The byte after `*>FLEX` / `*<FLEX`: the FLEX protocol code. */
export const FLEX_PROTOCOL = 0xb0;
/** FLEX protocol / structure versions (§1.2.2): 1.0, 2.0, 3.0 (FLEX 3.0 allows up to 255 fields). */
export const FlexVersion = { V10: 0x0a, V20: 0x14, V30: 0x1e } as const;
export const MAX_FLEX_FIELDS = 255;

/** FLEX message types (the byte after `~`), with the FLEX version that brought them. */
export const FlexType = {
  /** `~A` count u8 + records: archive (the general queue), FLEX 1.0. */
  Archive: 0x41,
  /** `~T` event index u32 + record: an urgent (out of turn) event, FLEX 1.0. */
  Event: 0x54,
  /** `~C` + record: current state (online mode), FLEX 1.0. */
  Current: 0x43,
  /** `~E` count u8 + (length u16 + record): additional archive records, FLEX 2.0. */
  ExtraArchive: 0x45,
  /** `~X` event index u32 + length u16 + record: an additional event, FLEX 2.0. */
  ExtraEvent: 0x58,
} as const;

/** FLEX frames end with CRC-8/NRSC-5 over every preceding byte. */
export const FLEX_CRC_SIZE = 1;

/**
 * NTCB telemetry record formats (§2.4, the format byte of `*>T` / `*>A` records; a first byte 0
 * announces a u16 format). F2.0 and F5.x carry coordinates as float radians, F6.0 as i32 ÷ 600000.
 */
export const NtcbFormat = {
  F10: 0x01,
  F20: 0x02,
  F30: 0x03,
  F40: 0x04,
  F50: 0x05,
  F51: 0x15,
  F52: 0x25,
  F60: 0x06,
} as const;

/** NTCB ids when the session has none: the terminal 0 talking to the server 1 (§1.1 defaults). */
export const DEFAULT_DEVICE_ID = 0;
export const DEFAULT_SERVER_ID = 1;

/** Session variables (`SessionState.vars`), set by the inspector and read by the framer and decoder. */
export const Var = {
  /** NTCB id of the terminal (the sender of its frames): receiver of our answers. */
  DeviceId: 'ntcb.device',
  /** NTCB id the terminal addresses (the receiver of its frames): sender of our answers. */
  ServerId: 'ntcb.server',
  /** Negotiated FLEX protocol version (0x0A, 0x14, 0x1E). */
  FlexVersion: 'flex.version',
  /** Number of fields the FLEX mask describes. */
  FlexFields: 'flex.fields',
  /** The FLEX mask, hex (one bit per field, most significant bit first). */
  FlexMask: 'flex.mask',
  /** Bytes of one FLEX record under the mask. */
  FlexSize: 'flex.size',
} as const;
