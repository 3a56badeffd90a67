/**
 * Galileosky packet constants. Sources: Galileosky "Server exchange protocol" (tag format,
 * packets 0x01/0x07/0x08, confirmation 0x02 + checksum) and ../shared/protocols/README.md.
 */

/** First byte of a packet, with who sends it. */
export const Header = {
  /** Data packet (all Galileosky terminals: head packet with IMEI, main packets, command replies). */
  Data: 0x01,
  /** Server confirmation: `02` + the CRC of the confirmed packet (little endian). */
  Ack: 0x02,
  /** Photo part (terminals with a camera on RS232/RS485): part number + JPEG bytes. */
  Photo: 0x07,
  /** Compressed packet (Galileosky 7.x "minimal data set" + selected tags). */
  Compressed: 0x08,
} as const;

/** Tags with their own handling in the decoder (the rest are in the tag table). */
export const Tag = {
  HardwareVersion: 0x01,
  FirmwareVersion: 0x02,
  Imei: 0x03,
  DeviceId: 0x04,
  RecordNumber: 0x10,
  Time: 0x20,
  Coordinates: 0x30,
  /** Command number chosen by the server and echoed in the reply (u32 LE). */
  CommandNumber: 0xe0,
  /** Command text (server → device) or reply text (device → server): length u8 + ASCII. */
  CommandText: 0xe1,
  /** User data array: length u8 + bytes. */
  UserDataArray: 0xea,
  /** Extended tags block: length u16 LE + (u16 LE tag id + value)*. */
  Extended: 0xfe,
} as const;

/** header u8 + length u16 LE. */
export const HEADER_SIZE = 3;
/** CRC-16/MODBUS (u16 LE) over every preceding byte. */
export const CRC_SIZE = 2;
/** Bit 15 of the length field: the terminal still has unsent archive records. */
export const ARCHIVE_PENDING = 0x8000;
export const LENGTH_MASK = 0x7fff;
export const IMEI_LENGTH = 15;

/**
 * Iridium SBD "Direct IP" mobile-originated message (Galileosky satellite terminals): protocol
 * revision `01`, total length u16 BE, then information elements (id u8, length u16 BE, data).
 * It starts like a data packet; the MO header element `01 001C` right after the length tells it
 * apart (0x1C is not a Galileosky tag). No CRC and no confirmation.
 */
export const Iridium = {
  Revision: 0x01,
  MoHeader: 0x01,
  MoPayload: 0x02,
  MoLocation: 0x03,
  MoHeaderLength: 0x1c,
  /** Revision + length + MO header element (id, length, 28 bytes) at least. */
  MinLength: 3 + 3 + 0x1c,
} as const;
