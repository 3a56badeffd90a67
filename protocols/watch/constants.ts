/**
 * Watch protocol (3G/4G child and elderly watches: SeTracker / Beesure, 3G Elec, Wonlex, 4P-Touch
 * and their clones; Traccar `watch`) constants. Source: "Beesure GPS SeTracker Server Protocol"
 * (Shenzhen Yushengchang / 4P-Touch, update 2025-08-02; cited below as "SeTracker"): Part I device
 * commands (§1 LK, §2 UD, §3 UD2, §4 AL, §5 CONFIG), Part II server commands (§1-§32), Part III
 * health, Part IV snapshot, Part V fall down, Part VI body temperature, Part VII Wi-Fi, Part VIII
 * Appendix I (location data); and the watch notes in ../shared/protocols/README.md (Traccar's
 * decoder, facts only).
 */

/** SeTracker preamble: `[<maker>*<id>*<len>*<content>]`, or `[<maker>*<id>*<index>*<len>*<content>]` (ZJ units). */
export const Marker = {
  Open: 0x5b, // [
  Close: 0x5d, // ]
  Separator: 0x2a, // *
  Comma: 0x2c,
  /** Binary content (voice, pictures) escapes 7D 5B 5D 2C 2A as 7D 01..05 (SeTracker Part II §25). */
  Escape: 0x7d,
} as const;

/** The bytes `7D nn` stands for, by nn (SeTracker Part II §25). */
export const ESCAPED: Readonly<Record<number, number>> = { 0x01: 0x7d, 0x02: 0x5b, 0x03: 0x5d, 0x04: 0x2c, 0x05: 0x2a };

/** Line ends some units put between frames (skipped by the framer). */
export const LINE_ENDS: readonly number[] = [0x0d, 0x0a];

/** Header field sizes: maker 1-4 letters/digits (the spec fixes 2), device id up to 20, length and index 4 hex digits. */
export const HEADER = { makerMax: 4, idMax: 20, hexDigits: 4 } as const;

/**
 * How far a frame's `]` may sit before the end its length field announces and still end the frame
 * when nothing follows it yet: lengths in the field are off by 1 to 13 bytes on real units (Traccar
 * corpus), while a `]` inside a Wi-Fi name sits at least 25 bytes before the end (MAC, RSSI and
 * accuracy follow it).
 */
export const LENGTH_SLACK = 16;

/** Record families of device-initiated content, chosen by the content type (the word before the first comma). */
export const Family = {
  /** UD (real time), UD2 (buffered), UD3, AL (alarm), WT, PP (touch to add friend), with _LTE/_WCDMA/_CDMA suffixes. */
  Location: 'location',
  /** LK keep-alive (Part I §1), with steps, turnovers and battery. */
  KeepAlive: 'keepalive',
  /** Heart rate, blood pressure, SpO2, body temperature (Part III, Part VI). */
  Health: 'health',
  /** TK voice from the watch (Part II §25), JXTK voice parts. */
  Audio: 'audio',
  /** img: a picture (Part IV). */
  Photo: 'photo',
  /** CONFIG (Part I §5), CCID, INIT: device information. */
  Info: 'info',
  /** TKQ/TKQ2: the watch asks for offline voice messages (Part II §26); nothing to store. */
  Request: 'request',
  /** Anything else: the watch's answer to a server command (it echoes the command word). */
  Reply: 'reply',
} as const;
export type Family = (typeof Family)[keyof typeof Family];

/** Content types the watch sends on its own (lower-cased), with the models that send them. */
export const CONTENT_TYPES: Readonly<Record<string, Family>> = {
  lk: Family.KeepAlive, // all models
  ud: Family.Location, // all models; UD_LTE 4G, UD_WCDMA 3G, UD_CDMA
  ud2: Family.Location, // blind-spot (buffered) re-upload
  ud3: Family.Location, // 3G Elec firmware
  al: Family.Location, // alarm; AL_LTE on 4G; ALCUSTOMER1 on some 4G firmware
  wt: Family.Location, // Traccar reads WT like UD
  pp: Family.Location, // Part II §29 touch to add friend: the watch's time, then the location data
  pulse: Family.Health, // heart rate (CS units)
  heart: Family.Health,
  blood: Family.Health, // blood pressure and heart rate
  bphrt: Family.Health, // Part III §3
  oxygen: Family.Health, // Part III §4
  btemp2: Family.Health, // Part VI §1
  temp: Family.Health,
  tk: Family.Audio, // Part II §25 (2): voice from the watch (`TK,0|1` is its answer to ours)
  jxtk: Family.Audio, // voice in parts (ZJ units)
  img: Family.Photo, // Part IV
  config: Family.Info, // Part I §5
  ccid: Family.Info, // SIM ICCID, sent after the first LK answer
  init: Family.Info,
  tkq: Family.Request,
  tkq2: Family.Request,
  wifiinfoup: Family.Request, // Part VII §5: the watch's Wi-Fi credentials: answered, never stored
};

/** Suffixes of location types → the radio access technology the watch reports on (SeTracker Part I §2). */
export const NETWORK_SUFFIXES: Readonly<Record<string, string>> = { LTE: '4G', WCDMA: '3G', CDMA: 'CDMA' };

/**
 * Server answers (content only; the envelope echoes the frame's maker, id and index), by content
 * type (lower-cased). `LK` Part I §1, `AL` §4 (any AL* type), `CONFIG,1` §5, `TKQ`/`TKQ2` Part II
 * §26, `TK,1` §25 (2) received, `bphrt` Part III §3, `btemp2` Part VI §1, `WIFIINFOUP,1` Part VII §5;
 * `INIT,1` and `JXTKR,1` as Traccar answers them. UD, UD2 and the rest get none.
 */
export const REPLIES: Readonly<Record<string, string>> = {
  lk: 'LK',
  al: 'AL',
  config: 'CONFIG,1',
  tkq: 'TKQ',
  tkq2: 'TKQ2',
  tk: 'TK,1',
  bphrt: 'bphrt',
  btemp2: 'btemp2',
  wifiinfoup: 'WIFIINFOUP,1',
  init: 'INIT,1',
  jxtk: 'JXTKR,1',
};

/** Session variables the inspector keeps for the encoder: the maker the watch uses, and whether its frames carry an index. */
export const Var = { Maker: 'maker', Indexed: 'indexed' } as const;

/** Maker of server commands when the watch has not sent one yet (Traccar's default), and makers commands use instead of the watch's own. */
export const DEFAULT_MAKER = 'CS';
export const COMMAND_MAKER: Readonly<Record<string, string>> = { '3G': 'SG' };
/** Index field of server commands to units that send one (as Traccar sends it). */
export const COMMAND_INDEX = '0001';

/**
 * Command words whose answer carries a status: `<WORD>,1` done, `<WORD>,0` failed (SeTracker Part II
 * §25 TK, §28 PHBX/PHBX2 and DPHBX, Part III §5 TAKEPILLS).
 */
export const STATUS_REPLIES: ReadonlySet<string> = new Set(['TK', 'PHBX', 'PHBX2', 'DPHBX', 'TAKEPILLS']);
