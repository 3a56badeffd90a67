/**
 * ATrack AK/AX/AL/AT/AY constants. Sources: ATrack "Protocol Document" rev 1.3.6 (2012-12-21):
 * §3 report formats (AT$FORM: binary or ASCII, any two-byte prefix, `@P` by default), the
 * keep-alive and the server acknowledgement, §3 custom information (`%CI`); and the ATrack notes
 * in ../shared/protocols/README.md (gathered from Traccar's decoder, Apache-2.0: facts only).
 */

/** What a frame is, decided from its first bytes (packet.ts). */
export const FrameKind = {
  /** `FE 02` + unit id u64 + sequence u16 (12 bytes): the unit's keep-alive, echoed by the server. */
  KeepAlive: 'keepalive',
  /** Binary position report: prefix(2) CRC(2) length(2) sequence(2) unit id(8) records. */
  Binary: 'binary',
  /** Binary `@R` photo chunk: the same header, then time u32, index, count, length u16, data. */
  Photo: 'photo',
  /** ASCII report: `<prefix>,<CRC hex>,<length>,<sequence>,<unit id>,<record>\r\n[<record>\r\n…]`. */
  Text: 'text',
  /** Command answer text: `$OK`, `$ERROR=<code>`, `$INFO=…`, `$<CMD>=<values>`, ended by CR LF. */
  Reply: 'reply',
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/** Keep-alive / server acknowledgement marker and size (unit id u64 + sequence u16 after it). */
export const KEEPALIVE_MARKER = 0xfe02;
export const KEEPALIVE_LENGTH = 12;

/** The default report prefix and the photo prefix (AT$FORM sets the report prefix; `@P` = 40 50). */
export const REPORT_PREFIX = '@P';
export const PHOTO_PREFIX = '@R';
/** Prefixes a binary frame may carry besides the channel setting `prefix`. */
export const BINARY_PREFIXES: readonly string[] = [REPORT_PREFIX, PHOTO_PREFIX];

/** Binary header: prefix 2, CRC 2 (over the bytes after it), length 2 (bytes after it), sequence 2, unit id 8. */
export const Binary = { crcAt: 2, lengthAt: 4, seqAt: 6, idAt: 8, header: 16 } as const;

/** Command answers start with `$`; ASCII fields are separated by `,`. */
export const REPLY_START = 0x24;
export const COMMA = 0x2c;
export const LINE_END = '\r\n';
export const LINE_ENDS: readonly number[] = [0x0d, 0x0a];

/** A string field ends with NUL in binary reports and with SUB (0x1A) in ASCII reports. */
export const BINARY_STRING_END = 0x00;
export const TEXT_STRING_END = '\x1a';

/** Custom information (AT$FORM `%CI`): the record's own format string leads its custom fields. */
export const CUSTOM_INFO = '%CI';

/** Temperature sensor value of a unit without that sensor (200.0 °C in 0.1 °C). */
export const NO_TEMPERATURE = 2000;

/** Smallest binary record: 3 Unix times, position block, driver id NUL, 2 temperatures, text NUL. */
export const MIN_RECORD = 41;
/** The same with the three `yyyy MM dd hh mm ss` dates of the long-date mode (7 bytes each). */
export const MIN_RECORD_LONG_DATE = 50;

/** Answers to commands. */
export const Reply = { Ok: '$OK', Error: '$ERROR', Info: '$INFO' } as const;

/** Commands are plain text ended by CR LF (§2.1 command syntax: `AT$<CMD>=<params>`, `AT$<CMD>=?` to read). */
export const COMMAND_END = '\r\n';
