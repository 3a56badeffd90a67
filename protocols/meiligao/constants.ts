/**
 * Meiligao GPRS protocol constants. Sources: "Meiligao GPRS Communication Protocol Between GPS
 * Tracker and Server" V2.1 (Shenzhen Meiligao Electronics, 2011-12-12; for GT30i, GT60, VT300,
 * VT310, VT400): §I command format, Annex 1 (GPRS data), §II command list; the Meiligao notes in
 * ../shared/protocols/README.md (gathered from Traccar's decoder, Apache-2.0).
 *
 * Tracker → server: `$$ <L u16> <ID 7 bytes> <command u16> <data> <checksum u16> \r\n`
 * Server → tracker: `@@ <L u16> <ID 7 bytes> <command u16> <parameter> <checksum u16> \r\n`
 * Big-endian; L counts the whole packet; the checksum is CRC-CCITT (CRC-16/CCITT-FALSE) of every
 * byte before it; the ID is decimal digits as BCD nibbles, padded with F.
 */

/**
 * Command codes a tracker sends (§II), with the models that send them. "All models" are in the
 * V2.1 command list (GT30i, GT60, VT300, VT310, VT400); the others are known from Traccar's decoder
 * and its test frames, whose models are not named there.
 */
export const DeviceCommand = {
  /** Heartbeat (firmware per Traccar): answered 0x0001 `01`. Other firmware sends a lone 0x00 (KEEP_ALIVE). */
  Heartbeat: 0x0001,
  /** The tracker asks for the server address (firmware per Traccar): answered 0x0002 with ASCII `host:port`. */
  ServerAddress: 0x0002,
  /** Login (all models, after every GPRS connect): answered 0x4000 `01`. */
  Login: 0x5000,
  /** Position report by time, distance or on demand (all models): GPRS data (Annex 1), no answer. */
  Position: 0x9955,
  /** Alarm report (all models): alarm code byte, then GPRS data; no answer. */
  Alarm: 0x9999,
  /** Logged positions (all models; V1.03), read out with the server's 0x9016: 6-byte header, then GPRS data. */
  Logged: 0x9016,
  /** RFID card report (models with a card reader): 15 card numbers (u32), then `|time,date,lat,lon`. */
  Rfid: 0x9966,
  /** Position with a picture (camera models): picture index, upload type, GPRS data. */
  PositionImage: 0x9977,
  /** One packet of a picture (camera models): index, size u16, packets, packet index, JPEG bytes. */
  PhotoData: 0x9988,
  /** The tracker starts a picture upload (camera models; index): answered 0x8801 with the index. */
  PhotoStart: 0x0800,
  /** The tracker finished a picture upload (camera models; index): answered 0x6688 (index, 0, 0). */
  PhotoEnd: 0x0f80,
  /** Retransmitted positions (firmware with a position buffer): count, then alarm byte + GPRS data per record, `\` between. */
  Retransmission: 0x6688,
  /** OBD real-time data (models with an OBD module): decimal text. */
  ObdRealtime: 0x9901,
  /** OBD accumulated data (models with an OBD module): decimal text. */
  ObdAccumulated: 0x9902,
  /** OBD trouble codes (models with an OBD module): the codes as text. */
  ObdDtc: 0x9903,
} as const;

/** Command codes the server sends (§II command list); the tracker answers most with the same code. */
export const ServerCommand = {
  LoginAck: 0x4000,
  PhotoStartAck: 0x8801,
  PhotoEndAck: 0x6688,
  TrackOnDemand: 0x4101,
  TrackByInterval: 0x4102,
  MovementAlarm: 0x4106,
  OutputConditional: 0x4114,
  OutputImmediate: 0x4115,
  TimeZone: 0x4132,
  TakePhoto: 0x4151,
  ClearMileage: 0x4351,
  RebootGps: 0x4902,
  HeartbeatInterval: 0x5199,
  ReadSnImei: 0x9001,
  ReadInterval: 0x9002,
} as const;

/** The tracker answers 0x4102 (track by interval) with 0x5100: a success flag first. */
export const INTERVAL_RESULT = 0x5100;
/** Codes a tracker answers server commands with: the set commands 0x41xx-0x5Fxx and the reads 0x9001-0x9003. */
export function isAnswerCode(code: number): boolean {
  return (code >= 0x4100 && code <= 0x5fff) || (code >= ServerCommand.ReadSnImei && code <= 0x9003);
}
/** Answers whose data is binary even when its bytes happen to be printable (the interval u16, the flag). */
export const BINARY_ANSWERS: readonly number[] = [ServerCommand.ReadInterval, INTERVAL_RESULT];

/** Packet headers: `$$` from the tracker, `@@` from the server (some OBD firmware also sends `@@`). */
export const DEVICE_HEADER = 0x24;
export const SERVER_HEADER = 0x40;
export const SERVER_HEADER_TEXT = '@@';

/** Byte offsets and sizes of the packet (§I). */
export const Layout = {
  Length: 2,
  Id: 4,
  IdSize: 7,
  Command: 11,
  Data: 13,
  /** checksum u16 + CR LF */
  Trailer: 4,
  /** `$$` L ID command checksum CR LF, without data. */
  MinPacket: 17,
} as const;

/** Padding nibble of the ID. */
export const ID_PAD = 0x0f;
/** A 14-digit ID (an IMEI without its check digit) gets the Luhn digit in the ident, as Traccar names it. */
export const IMEI_BODY_DIGITS = 14;

/** A lone 0x00 between packets: the GPRS keep-alive some firmware sends (Traccar's frame decoder skips it). */
export const KEEP_ALIVE = 0x00;

/** Answer data of a login and a heartbeat: 0x01 = accepted. */
export const ACCEPTED = 0x01;

/** RFID report: 15 card numbers of 4 bytes before the position text. */
export const RFID_CARDS = 15;
/** Logged-data header before the GPRS data: tracker random, server random, remaining count (4). */
export const LOGGED_HEADER = 6;
/** Retransmitted records are separated by a backslash. */
export const RECORD_SEPARATOR = 0x5c;

/** Channel setting (`options.settings.server`): the `host:port` a tracker asking 0x0002 is told. */
export const SERVER_SETTING = 'server';
