/**
 * JT/T 808 message ids, markers and sizes. Clauses are those of JT/T 808-2019 (the 2013 edition has
 * the same messages, numbered differently); vendor messages name the devices that send them.
 */
export const Msg = {
  /** §8.1 terminal general response: reply serial, reply id, result. */
  TerminalResponse: 0x0001,
  /** §8.2 platform general response. */
  PlatformResponse: 0x8001,
  /** §8.3 heartbeat (empty body; Jimi adds battery, signal, status). */
  Heartbeat: 0x0002,
  /** §8.10 terminal logout. */
  Logout: 0x0003,
  /** §8.4 query server time (2019): the answer needs the server clock. */
  TimeQuery: 0x0004,
  /** §8.8 terminal registration → §8.9 0x8100. */
  Register: 0x0100,
  RegisterResponse: 0x8100,
  /** §8.11 terminal authentication (auth code; 2019 adds IMEI and software version). */
  Auth: 0x0102,
  /** §8.12 set terminal parameters. */
  SetParams: 0x8103,
  /** §8.13 query all parameters, §8.14 query given parameters, §8.15 the answer. */
  QueryParams: 0x8104,
  QueryParamsSome: 0x8106,
  ParamsResponse: 0x0104,
  /** §8.16 terminal control (command word + parameters). */
  Control: 0x8105,
  /** §8.17 query terminal attributes, §8.18 the answer. */
  QueryAttributes: 0x8107,
  Attributes: 0x0107,
  /** §8.21 location report. */
  Location: 0x0200,
  /** §8.22 location query, §8.23 the answer (reply serial + location). */
  LocationQuery: 0x8201,
  LocationResponse: 0x0201,
  /** §8.24 temporary location tracking (interval, validity). */
  Tracking: 0x8202,
  /** §8.27 text message (flag + GBK text). */
  Text: 0x8300,
  /** §8.30 vehicle control, §8.31 the answer (reply serial + location). */
  VehicleControl: 0x8500,
  VehicleControlResponse: 0x0500,
  /** §8.45 electronic waybill (length u32 + content). */
  Waybill: 0x0701,
  /** §8.47 driver identity (IC card inserted/removed). */
  DriverIdentity: 0x0702,
  /** §8.48 location batch (count, type, then length-prefixed 0x0200 bodies). */
  Batch: 0x0704,
  /** §8.60 downlink pass-through, §8.61 uplink pass-through (type byte + data). */
  TransparentDown: 0x8900,
  Transparent: 0x0900,
  /** Jimi (JC/VL/C5 series): batch of u8-length-prefixed locations, or battery + time when 7 bytes. */
  Batch2: 0x0210,
  /** Jimi: time zone synchronisation (acked). */
  TimezoneSync: 0x1007,
  /** Jimi: alternative heartbeat (acked). */
  Heartbeat2: 0x0506,
  /** Jimi: photo notice (acked). */
  Photo: 0x8888,
  /** Vendor text report: encoding byte + GBK text (acked). */
  TextReport: 0x6006,
  /** Vendor text answer: reply serial + UTF-16BE text. */
  TextResponse: 0x1300,
  /** Accelerometer samples (time + three signed words each). */
  Acceleration: 0x2070,
  /** Jointech JT701/JT709 e-locks: JT600-style location with a one-byte serial (0x5502: buffered). */
  LockLocation: 0x5501,
  LockLocationBlind: 0x5502,
  /** The answer to 0x5501/0x5502 when attribute bit 15 asks for one: id + result, one-byte serial. */
  LockResponse: 0x4401,
} as const;

/** Messages answered with a §8.2 platform general response (0x8001, result 0) once stored. */
export const ACKED: ReadonlySet<number> = new Set([
  Msg.Heartbeat,
  Msg.Logout,
  Msg.Auth,
  Msg.Location,
  Msg.Batch,
  Msg.Batch2,
  Msg.Transparent,
  Msg.Attributes,
  Msg.DriverIdentity,
  Msg.Waybill,
  Msg.TimezoneSync,
  Msg.Heartbeat2,
  Msg.Photo,
  Msg.TextReport,
]);

/** Messages stored and decoded without an ack (answers to platform commands, vendor reports). */
export const UNACKED: ReadonlySet<number> = new Set([
  Msg.TerminalResponse,
  Msg.ParamsResponse,
  Msg.LocationResponse,
  Msg.VehicleControlResponse,
  Msg.TextResponse,
  Msg.Acceleration,
]);

/** §8.2 result codes. */
export const Result = { Ok: 0, Fail: 1, Bad: 2, Unsupported: 3, AlarmConfirmed: 4 } as const;

/** §4.4: frames start and end with 0x7E; 0x7E and 0x7D inside are sent as 7D 02 and 7D 01. */
export const FLAG = 0x7e;
export const ESCAPE = 0x7d;
/** Vendor text frames (Jointech e-locks): `(` … `)`. */
export const TEXT_OPEN = 0x28;
export const TEXT_CLOSE = 0x29;

/** §4.4.3 message body attributes. */
export const Attr = {
  LengthMask: 0x03ff,
  /** Bits 10–12: encryption (bit 10 RSA). */
  Encryption: 0x1c00,
  /** Bit 13: split message, the header carries packet total and packet number. */
  Split: 0x2000,
  /** Bit 14 (2019): version flag, the header carries the protocol version and a BCD[10] terminal number. */
  Version: 0x4000,
  /** Bit 15 (vendor, 0x5501/0x5502): the device wants an answer. */
  Reserved: 0x8000,
} as const;

/** Terminal number sizes: BCD[6] (2011/2013), BCD[10] (2019). */
export const TERMINAL_SIZE = 6;
export const TERMINAL_SIZE_2019 = 10;

/** Device time is GMT+8 unless the channel says otherwise (§8.21, time field). */
export const DEFAULT_TZ_MINUTES = 480;

/** Size of the fixed part of a 0x0200 body (alarm, status, lat, lon, altitude, speed, course, time). */
export const LOCATION_SIZE = 28;
