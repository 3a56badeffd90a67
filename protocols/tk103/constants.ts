/**
 * TK103 / GT02 text protocol constants. Sources: "GPS Tracker Communication Protocol" V1.5-V1.9
 * (the TK103-2 / GT02 document: §2 frame and location data, §3.1 server → device commands, §3.2
 * device → server messages), and the TK103 notes in ../shared/protocols/README.md (gathered from
 * Traccar's decoder, Apache-2.0).
 */

/** Frame bytes (§2): `(` + serial + 4-character command + body + `)`; `$...$` free text may hold `)`. */
export const Marker = {
  Open: 0x28,
  Close: 0x29,
  /** Delimits free text (ZC03 command results), inside which `(` and `)` are data. */
  Text: 0x24,
} as const;

/** Line ends some units put between frames. */
export const LINE_ENDS: readonly number[] = [0x0d, 0x0a];

/** §2: the serial number is 12 characters (since V1.8: `0` + the 11-digit device number). */
export const SERIAL_LENGTH = 12;

/**
 * Device → server messages of the serial dialect (`(<serial><type><body>)`), with the section of
 * the spec or the units that send them. Every message carries the serial, so no login is required.
 */
export const MessageType = {
  /** §3.2.1 handshake (keep-alive), `HSO` body; answered AP01. All TK103/GT02 units. */
  Handshake: 'BP00',
  /** §3.2.2 login: IMEI (15 digits) + location data; answered AP05. Some clones send cells instead. */
  Login: 'BP05',
  /** §3.2.4 alarm: alarm code (1 character) + location data; answered AS01 (§3.1.4). */
  Alarm: 'BO01',
  /** §3.2.5 answer to AP00 (locate): location data. */
  LocateAnswer: 'BP04',
  /** §3.2.6 isochronous feedback (periodic position): location data. */
  Position: 'BR00',
  /** Isometry (distance) feedback: location data. */
  DistancePosition: 'BR01',
  /** §3.2.7 end of continuous feedback: location data. */
  TrackingEnd: 'BR02',
  /** §3.2.9 answer to AV00 (circuit control); OBD clones also send `BV00` + a 17-character VIN. */
  CircuitAnswer: 'BV00',
  /** Network report of LBS clones: `,mcc,mnc,lac hex,cid hex,...`. */
  Network: 'BZ00',
  /** Extended alarm of TK103 clones: `,ALARM,<code>,<n>,` + location data. */
  AlarmExtended: 'BQ81',
  /** Battery management system of e-bike units: binary payload in hex. */
  BmsBinary: 'BS50',
  /** Battery management system, Daly BMS data ids as `<id hex>:<8 bytes hex>` pairs. */
  BmsDaly: 'BS51',
} as const;

/**
 * Device answers to server commands (§3.2): answer type → the command it answers (§3.1). The answer
 * type is the correlation: the protocol carries no command id.
 */
export const ANSWERS: Readonly<Record<string, string>> = {
  BP02: 'AP03', // answer device parameters
  BP03: 'AP04', // answer device operating status
  BP04: 'AP00', // §3.2.5 answer calling (locate)
  BP12: 'AP12', // §3.2.8 answer speed limits
  BS08: 'AR00', // §3.2.3 answer isochronous feedback setting (interval)
  BR05: 'AR05', // §3.2.12 answer ACC-on interval
  BR06: 'AR06', // §3.2.13 answer ACC-off interval
  BT00: 'AT00', // §3.2.11 answer restart
  BU00: 'AX05', // §3.2.14 answer geo-fence setting
  BV00: 'AV00', // §3.2.9 answer circuit control
  BV01: 'AV01', // §3.2.10 answer oil control
};

/** Comma dialect (`(<IMEI>,<type>,...)`) of newer clones: reports with their own layouts. */
export const CommaType = {
  /** `ddmmyy,hhmmss,<level code>,<battery 0.01 V>,<power 0.1 V>,<installed>` battery report. */
  Battery: 'ZC20',
  /** `ddmmyy,hhmmss,$<text>$` answer to an SMS-style command (sms2). */
  CommandResult: 'ZC03',
  /** `DW5x,mcc,mnc,lac,cid,<n>,(mac*rssi*channel,)*n,ddmmyy,hhmmss` LBS + Wi-Fi reports. */
  LbsWifiPrefix: 'DW5',
} as const;

/** Server → device commands (§3.1), sent as `(<serial><command><body>)`. */
export const Command = {
  /** §3.1.1 answer to the handshake, body `HSO`. */
  HandshakeAnswer: 'AP01',
  /** §3.1.2 answer to the login. */
  LoginAnswer: 'AP05',
  /** §3.1.4 answer to an alarm, body: the alarm code. */
  AlarmAnswer: 'AS01',
  /** §3.1.5 one-time calling: report the position now (answered BP04). */
  Locate: 'AP00',
  /** Firmware version (as Traccar sends it). */
  Version: 'AP07',
  /** §3.1.3 isochronous feedback: interval (4 hex digits, s) + duration (4 hex digits); all zero stops. */
  Interval: 'AR00',
  /** §3.1.9 circuit control, body `0`/`1`. */
  Circuit: 'AV00',
  /** §3.1.10 oil control, body `0` cut / `1` restore. */
  Oil: 'AV01',
  /** §3.1.11 restart the device. */
  Reboot: 'AT00',
} as const;

/** §3.1.1 handshake answer body. */
export const HANDSHAKE_BODY = 'HSO';

/** SMS-style commands of some clones, wrapped for GPRS delivery: `[begin]sms2,<text>,[end]`. */
export const SMS2_PREFIX = '[begin]sms2,';
export const SMS2_SUFFIX = ',[end]';

/** Channel settings (`options.settings`) this codec reads. */
export const SettingKey = {
  /** `false`: do not answer BO01 alarms with AS01 (Traccar sends no answer). Default: answer. */
  AlarmAck: 'alarmAck',
} as const;
