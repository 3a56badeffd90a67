/**
 * Meitrack GPRS protocol constants (MEITRACK GPRS Protocol V1.7 §1.1-1.2, T622/T366 protocol
 * documents; facts cross-checked with Traccar's MeitrackProtocolDecoder).
 *
 * Device → server: `$$<flag><len>,<imei>,<type>,<data>*<CS>\r\n`
 * Server → device: `@@<flag><len>,<imei>,<command>*<CS>\r\n`
 * `flag` (data identifier) is one character 0x41-0x7A; a device answers a command with the
 * command's flag. `len` counts from the first comma through `\r\n`; CS is the byte sum mod 256
 * (two upper-case hex digits) of everything from the header through `*`.
 */

/** Command types (the field after the IMEI) a device sends, with the models that send them. */
export const FrameType = {
  /** Automatic event report, text (all models: MVT100/340/380/600/800, T1, T3, T333, T355, T366, TC68S, P88L...). */
  Report: 'AAA',
  /** Event report that asks for a server confirmation (T366/T633L firmware option); acked with `AAC,1`. */
  Confirm: 'AAC',
  /** Compressed binary batch, fixed 52-byte records (T1/T3/T333/MVT600/MVT800/T622, protocol 0x0102). */
  Compressed: 'CCC',
  /** Extended binary batch, tagged parameters in 1/2/4/variable-byte groups (T366/T399/T633L/P88L...). */
  Extended: 'CCE',
  /** Picture data packet (camera models: MVT600, T1, T366G, T622, T633L). */
  PhotoData: 'D00',
  /** Reply to the take-picture command D03. */
  Photo: 'D03',
} as const;

/** Header bytes. */
export const DOLLAR = 0x24;
export const COMMA = 0x2c;
export const STAR = 0x2a;
export const SERVER_HEADER = '@@';

/** The checksum's name in errors: the byte sum mod 256 of `$$` through `*` (a missing one does not match either). */
export const CHECKSUM_NAME = 'byte-sum checksum';

/** The longest decimal length field accepted (5 digits: up to 99999 bytes). */
export const MAX_LENGTH_DIGITS = 5;
/** Shortest possible `len` (`,X,ABC*CS\r\n`). */
export const MIN_LENGTH = 11;
/** Longest ident accepted between the first two commas. */
export const MAX_IDENT_LENGTH = 20;
/** `*` + 2 checksum digits + CR LF, counted in `len` after the content. */
export const TRAILER_LENGTH = 5;

/**
 * Flag (data identifier) used for server-initiated commands when neither a `flag` property nor a
 * hub command id is given; the Traccar encoder tests use it too (`@@A25,...`).
 */
export const DEFAULT_FLAG = 'A';
/** Valid flag range: 0x41 ('A') to 0x7A ('z'). */
export const FLAG_FIRST = 0x41;
export const FLAG_COUNT = 0x7a - 0x41 + 1;

/** Binary timestamps count seconds from 2000-01-01 00:00:00 UTC. */
export const Y2K = 946684800;
/** CCC record size for protocol 0x0102 (the size is also carried in the packet header). */
export const CCC_RECORD_SIZE = 52;
/** CCE parameter ids starting with 0xFE are two bytes long (big-endian id). */
export const CCE_EXTENDED_ID = 0xfe;

/** The device sends picture packets in batches of 8; the server then asks for the next batch. */
export const PHOTO_BATCH = 8;
/** File name Traccar asks for after a D03 (take picture) reply, and the default of our D03 command. */
export const DEFAULT_PHOTO_FILE = 'camera_picture.jpg';

/** Event code whose event-specific field is an RFID / driver card number. */
export const EVENT_RFID = 37;
