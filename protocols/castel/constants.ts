/**
 * Castel / Sinocastel framing constants and message types. Sources: Sinocastel "NEW OBD SMART
 * Communication Protocol" CB212-C1005 (Rev. 4.x: §1.1 package format, §1.1.2 data types), the
 * castel notes in ../shared/protocols/README.md (gathered from Traccar's decoder, Apache-2.0) and
 * the corpus frames.
 *
 * Frame (§1.1): `@@` | length u16 LE (whole frame) | version u8 | device id 20 bytes ASCII, NUL
 * padded | type u16 BE | body (little-endian fields) | CRC-16/X-25 u16 LE over `@@`…body | `0D0A`.
 * Version 3 or 4 is the SC family (IDD-213/218 OBD); other versions the older CC trackers. The
 * MPIP variant starts with `$$` and has no version byte.
 */
export const HEADER = 0x4040; // "@@"
export const HEADER_MPIP = 0x2424; // "$$"
export const TERMINATOR = 0x0d0a;
export const ID_SIZE = 20;
/** `@@` | len | version | id | type; the `$$` form lacks the version byte. */
export const HEAD_SIZE = 2 + 2 + 1 + ID_SIZE + 2;
export const HEAD_SIZE_MPIP = 2 + 2 + ID_SIZE + 2;
/** CRC u16 + `0D0A`. */
export const TAIL_SIZE = 4;

/** Protocol versions of the SC (OBD) family; the CC family uses the others. */
export const SC_VERSIONS: ReadonlySet<number> = new Set([3, 4]);
/** The version Traccar's encoder writes into commands (CC fuel control). */
export const COMMAND_VERSION = 1;

/** Frame families, chosen by the header and the version. */
export type Family = 'sc' | 'cc' | 'mpip';

/** SC message types (device → server unless noted), with the models that send them. */
export const Sc = {
  /** Login: stat data, fixes, software and hardware versions, supported parameters (IDD-213/218). Answered 0x9001. */
  Login: 0x1001,
  /** Server answer to the login: IP u32 (0xFFFFFFFF), port u16 (0), UTC time u32. */
  LoginResponse: 0x9001,
  /** Logout: stat data and fixes. */
  Logout: 0x1002,
  /** Heartbeat (empty). Answered 0x9003 (empty). */
  Heartbeat: 0x1003,
  HeartbeatResponse: 0x9003,
  /** GPS data: history flag, stat data, fixes, RPM samples. */
  Gps: 0x4001,
  /** PID data streams: stat data, sample rate, PIDs, groups of values. */
  PidData: 0x4002,
  /** G-sensor samples (§1.1.2.9 GSENSOR_DATA). */
  GSensor: 0x4003,
  /** The PIDs the vehicle supports. */
  SupportedPids: 0x4004,
  /** OBD data: stat data, flag, PIDs and one value each. */
  ObdData: 0x4005,
  /** DTCs of a passenger car (u16 each). */
  DtcsPassenger: 0x4006,
  /** Alarm: alarm index u32, stat data, fixes, §1.1.2.10 ALARM_DATA. Answered 0xC007 with the index. */
  Alarm: 0x4007,
  AlarmResponse: 0xc007,
  /** Cell: stat data, LAC u16, cell id u16. */
  Cell: 0x4008,
  /** GPS while sleeping: device time u32, one fix. */
  GpsSleep: 0x4009,
  /** DTCs of a commercial vehicle (J1939, 4 bytes each). */
  DtcsCommercial: 0x400b,
  /** Fuel: stat data, fixes, one fuel sensor value u16 per fix. */
  Fuel: 0x400e,
  /** Comprehensive data (D-218, 234L): history flag, index u32, stat data, fixes, then TLVs. */
  Comprehensive: 0x401f,
  /** AGPS request: the last fix. */
  AgpsRequest: 0x5101,
  /** Answer to a parameter query (0x2002): index u16, counts, failed tags, tag/length/value. */
  QueryResponse: 0xa002,
  /** Answer to a location request: index u16, stat data, fixes. */
  CurrentLocation: 0xb001,
} as const;

/** CC message types (versions other than 3 and 4). */
export const Cc = {
  /** Login with a fix, status, battery, odometer. Answered 0x8001 (empty). */
  Login: 0x4001,
  LoginResponse: 0x8001,
  /** Heartbeat with fixes. Answered 0x8206 (empty). */
  Heartbeat: 0x4206,
  HeartbeatResponse: 0x8206,
  /** Server command: petrol (fuel) control, 1 byte: 1 cut, 0 restore. */
  PetrolControl: 0x4583,
} as const;

/** MPIP (`$$`) message types. */
export const Mpip = {
  /** A fix; answered with the same type (as Traccar does). */
  Position: 0x4001,
  /** Index u32, Unix time u32, a byte, a fix; answered 0x1001 (`@@`, no version, 4 zero and 8 0xFF bytes). */
  Report: 0x2001,
  Ack: 0x1001,
  /** Single fixes. */
  Fix1: 0x4201,
  Fix2: 0x4202,
  Fix6: 0x4206,
  /** Eight fixes of 19 bytes, each followed by 31 bytes. */
  Batch: 0x4204,
} as const;

/** Bytes after each fix of an MPIP 0x4204 batch. */
export const MPIP_BATCH_GAP = 31;
export const MPIP_BATCH_COUNT = 8;

/** Body of the 0x9001 login answer before the time: IP 0xFFFFFFFF and port 0 (keep the current server). */
export const LOGIN_RESPONSE_HEAD = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x00]);
