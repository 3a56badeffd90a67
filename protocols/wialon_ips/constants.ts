/**
 * Wialon IPS 1.1 / 2.0 constants. Sources: "Wialon IPS v.1.1 Communication protocol" and
 * "Wialon IPS v.2.0" (Gurtam, GNU FDL), sections "Packet types", "Login packet", "Short data
 * packet", "Data packet", "Blackbox packet", "Message to driver"; ../shared/protocols/README.md.
 */

/** Packet types a device sends (`#TYPE#body\r\n`). Server-only types are in {@link Answer}. */
export const PacketType = {
  /** `#L#imei;password` (1.1) or `#L#2.0;imei;password;crc16` (2.0). */
  Login: 'L',
  /** `#SD#date;time;lat1;lat2;lon1;lon2;speed;course;height;sats[;crc16]`. */
  ShortData: 'SD',
  /** `#D#` the SD fields + `;hdop;inputs;outputs;adc;ibutton;params[;crc16]`. */
  Data: 'D',
  /** `#B#record|record|…[|crc16]`: archived SD or D records. */
  BlackBox: 'B',
  /** `#P#`: heartbeat. */
  Ping: 'P',
  /** `#M#text[;crc16]`: a text message from the driver (also sent server → device). */
  Message: 'M',
} as const;

/** Answer packet types the server sends back, one per device packet type. */
export const Answer = {
  Login: 'AL',
  ShortData: 'ASD',
  Data: 'AD',
  BlackBox: 'AB',
  Ping: 'AP',
  Message: 'AM',
} as const;

/** `#AL#` codes (spec "Login packet"). We never check passwords, so `BadPassword` is not sent. */
export const LoginCode = { Ok: '1', Rejected: '0', BadPassword: '01', Checksum: '10' } as const;

/**
 * `#AD#` / `#ASD#` codes (spec "Short data packet", "Data packet"). SD answers use the same numbers
 * for -1…12, and 13 for a checksum error; 13…15 are D-only field groups; 16 is D's checksum error.
 */
export const DataCode = {
  Structure: '-1',
  Time: '0',
  Ok: '1',
  Coordinates: '10',
  SpeedCourseAltitude: '11',
  SatellitesHdop: '12',
  InputsOutputs: '13',
  Adc: '14',
  Params: '15',
  Checksum: '16',
} as const;
export type DataCode = (typeof DataCode)[keyof typeof DataCode];
/** `#ASD#13`: the SD packet's checksum error code. */
export const SHORT_DATA_CHECKSUM = '13';

/** `#AM#` codes: 1 received, 0 error, 01 checksum error (2.0). */
export const MessageCode = { Ok: '1', Error: '0', Checksum: '01' } as const;

/** Field counts without the 2.0 CRC field. */
export const SD_FIELDS = 10;
export const D_FIELDS = 16;

/** Protocol versions; 2.0 adds the CRC16 field and the version in the login and UDP prefix. */
export const VERSION_1 = '1.1';

/** Session variable holding the version announced by the login packet. */
export const VERSION_VAR = 'version';

/** "Not available": the value is absent. */
export const NA = 'NA';

/** Separators in bytes: `;` between fields (and before a CRC), `|` between black-box records. */
export const SEMICOLON = 0x3b;
export const PIPE = 0x7c;
export const HASH = 0x23;
export const CR = 0x0d;
export const LF = 0x0a;
