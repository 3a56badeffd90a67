/**
 * Coban GPS103 / TK103 / GPS303 / GPS306 text protocol constants. Sources: Coban "GPRS protocol"
 * (Shenzhen Coban Electronics, 2014-12-12: §1 login, §2 heartbeat, §3 server commands, §4 report
 * format, §4.3 keywords), the older "GPS102/GPS103/GPS104 GPRS data protocol" table, and the
 * GPS103 notes in ../shared/protocols/README.md (gathered from Traccar's decoder, Apache-2.0).
 */

/** Frame kinds, by how the sentence starts, with the models that send them. */
export const FrameKind = {
  /** `##,imei:<IMEI>,A;` (§1, every model): answered `LOAD`. */
  Login: 'login',
  /** `<IMEI>;` (§2, every model; may arrive glued to the next report): answered `ON`. */
  Heartbeat: 'heartbeat',
  /** `imei:<IMEI>,<keyword>,...;` (§4): reports, OBD (GPS306A), photo parts (TK303 camera). */
  Report: 'report',
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/** Report layouts, chosen by the keyword (field 1) or the frame's shape. */
export const ReportKind = {
  /** `imei:..,<keyword>,<local time>,<phone|rfid>,F|L,...` (§4.1, all models). */
  Location: 'location',
  /** `imei:..,OBD,<yymmddhhmmss>,odometer,...` (GPS306A / TK306 OBD). */
  Obd: 'obd',
  /** `imei:..,vr,<hex>` camera picture part (TK303, after a `vt<n>` report). */
  Photo: 'photo',
  /** `imei:..,<name>,<event>,...,hhmmss,ddmmyy,...,*` decimal-degree variant (km/h). */
  Alternative: 'alternative',
} as const;
export type ReportKind = (typeof ReportKind)[keyof typeof ReportKind];

/** Keywords with a layout of their own. */
export const Keyword = {
  Obd: 'OBD',
  PhotoPart: 'vr',
  /** `vt<n>`: a picture of n parts follows. */
  PhotoStart: 'vt',
  HelpMe: 'help me',
  Rfid: 'rfid',
  AccOn: 'acc on',
  AccOff: 'acc off',
} as const;

/** Frame terminators (Traccar's framer splits at each; the device ends sentences with `;`). */
export const Terminator = {
  Semicolon: 0x3b,
  /** Ends the alternative (decimal-degree) sentence. */
  Star: 0x2a,
  LineFeed: 0x0a,
} as const;
export const TERMINATORS: readonly number[] = Object.values(Terminator);
/** Line ends skipped between frames. */
export const LINE_ENDS: readonly number[] = [0x0d, 0x0a];

/** Markers a frame starts with (§1 login, §4 report). */
export const LOGIN_MARKER = '##,';
export const REPORT_MARKER = 'imei:';

/** Traccar treats any frame of at most this many characters that holds `imei:` as a login (e.g. `imei:<IMEI>,L,*`). */
export const SHORT_LOGIN_LENGTH = 30;

/** Server answers that never change: §3.1 "Data load" to the login, "ON" to a heartbeat. */
export const LOGIN_REPLY = Buffer.from('LOAD', 'latin1');
export const HEARTBEAT_REPLY = Buffer.from('ON', 'latin1');

/** Server command prefix (§3): `**,imei:<IMEI>,<code>[,<args>]` (the device needs no terminator). */
export const COMMAND_PREFIX = '**,imei:';
/** §3.1 keyword E: cancel the alarm; the server sends it to stop a repeating `help me`. */
export const CANCEL_ALARM = 'E';
