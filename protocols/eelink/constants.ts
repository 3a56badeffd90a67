/**
 * Eelink framing constants and package identifiers (Eelink Device Protocol 2.0, §4 TCP/IP and §5
 * Packages; the 1.x "Terminal Communication Protocol" packages 0x02–0x07 as Traccar's decoder
 * reads them; ../shared/protocols/README.md "Eelink").
 *
 * Package (§5.1): `67 67` | PID u8 | size u16 (sequence + content) | sequence u16 | content,
 * big-endian, no checksum. UDP datagrams (§4.2) wrap packages: `EL` | size u16 (from the sum on) |
 * sum u16 | IMEI BCD[8] | packages.
 */
export const MARK = 0x6767;
/** `EL`: the UDP envelope (§4.2); Traccar's TCP decoder accepts it too. */
export const ENVELOPE_MARK = 0x454c;

/** `67 67` PID size(2): the bytes before the size counts. */
export const PACKAGE_HEADER = 5;
/** `EL` size(2): the bytes before the envelope's size counts. */
export const ENVELOPE_HEADER = 4;
/** Envelope: sum u16 + IMEI BCD[8] after the size field. */
export const ENVELOPE_FIXED = 2 + 8;
/** Offset of the envelope's sum field, and of the IMEI. */
export const ENVELOPE_SUM_AT = 4;
export const ENVELOPE_IMEI_AT = 6;
/** First package of an envelope. */
export const ENVELOPE_BODY_AT = ENVELOPE_IMEI_AT + 8;

/** Package identifiers (§5.1 table; 1.x ids from the older protocol), with the units that send them. */
export const Pid = {
  /** §5.2 login: IMEI BCD[8], language, time zone, versions (1.x: IMEI, language[, time zone]). */
  Login: 0x01,
  /** 1.x GPS package (TK116, GPT06): position, serving cell, status, battery, signal, ADC. Not answered. */
  Gps: 0x02,
  /** §5.3 heartbeat: status word. */
  Heartbeat: 0x03,
  /** 1.x alarm package: position, serving cell, alarm code. */
  Alarm: 0x04,
  /** 1.x state package: position, serving cell, state type, device time, status word. */
  State: 0x05,
  /** 1.x SMS package: position, serving cell, then the message. */
  Sms: 0x06,
  /** 1.x OBD package (TK-OBD units): device time, then (PID, 4 data bytes) pairs; 4 bytes: a status word. */
  Obd: 0x07,
  /** §5.4 location package. */
  Location: 0x12,
  /** §5.5 warning package: location + warning type + status. */
  Warning: 0x14,
  /** §5.6 report package: location + report type + status. */
  Report: 0x15,
  /** §5.7 message package: location + message (kept as hex). */
  Message: 0x16,
  /** §5.8 OBD data package: location + OBD data (kept as hex). */
  ObdData: 0x17,
  /** §5.9 OBD body package. */
  ObdBody: 0x18,
  /** §5.10 OBD fault package. */
  ObdFault: 0x19,
  /** §5.13 instruction package: server → device command; the device answers with the same PID. */
  Instruction: 0x80,
  /** §5.14 broadcast package (server → device); never answered. */
  Broadcast: 0x81,
} as const;

/** Packages the server does not answer (every other package gets its PID and sequence back, §5.1 note 3). */
export const NOT_ANSWERED: ReadonlySet<number> = new Set([Pid.Gps, Pid.Broadcast]);

/** 2.0 packages that start with time, mask and the location fields (§5.4–§5.10). */
export const LOCATION_PIDS: ReadonlySet<number> = new Set([Pid.Location, Pid.Warning, Pid.Report, Pid.Message, Pid.ObdData, Pid.ObdBody, Pid.ObdFault]);

/** 1.x packages that start with time, position and the serving cell. */
export const LEGACY_PIDS: ReadonlySet<number> = new Set([Pid.Gps, Pid.Alarm, Pid.State, Pid.Sms]);

/** Packages the decoder reads (the inspector stores only these). */
export const DECODED_PIDS: ReadonlySet<number> = new Set([...LOCATION_PIDS, ...LEGACY_PIDS, Pid.Heartbeat, Pid.Obd, Pid.Instruction]);

/** §5.4 mask bits: which location fields follow the time. */
export const Mask = {
  Position: 0x01,
  /** Serving cell: MCC, MNC, LAC, CID, RxLev. */
  Cell0: 0x02,
  /** Neighbour cells: LAC, CID, RxLev. */
  Cell1: 0x04,
  Cell2: 0x08,
  /** Wi-Fi access points: MAC, RSSI. */
  Wifi0: 0x10,
  Wifi1: 0x20,
  Wifi2: 0x40,
  /** LTE cells and Wi-Fi list with counts. */
  Lte: 0x80,
} as const;

/** §5.2 login answer content: server time u32, protocol version u16, param-set action u8. */
export const LOGIN_REPLY_VERSION = 0x0001;
export const LOGIN_REPLY_ACTION = 0x00;

/** §5.13 instruction content: type u8 (0x01 = command text), server flag u32, text. */
export const INSTRUCTION_COMMAND = 0x01;
/** Longest instruction text sent (the units' command buffers are small; Traccar's framer stops at 1024 bytes). */
export const MAX_COMMAND_TEXT = 512;

/** A 1.x login carries IMEI (8) + language (1) [+ time zone (1)]; 2.0 adds versions (22 bytes). */
export const LOGIN_MIN = 8;

/** Unix time of 2000-01-01: a device time before it means the clock is not set yet. */
export const CLOCK_SET_AFTER = 946684800;
