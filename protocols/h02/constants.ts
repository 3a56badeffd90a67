/**
 * H02 (Sinotrack, and the many clones that speak "*HQ") constants. Sources: the H02 notes in
 * ../shared/protocols/README.md and the frames of Traccar's H02 tests (Apache-2.0).
 */

/** First byte of each frame kind. */
export const Marker = {
  /** `*HQ,<id>,<type>,...#` text frame. */
  Text: 0x2a,
  /** `$` + BCD binary position frame of a fixed length. */
  Binary: 0x24,
  /** `X` + 31 bytes: an alternative binary frame some models interleave (no ident; not decoded). */
  Alternative: 0x58,
  /** `#` ends a text frame. */
  End: 0x23,
} as const;

/** Text frame types (third field), with the models that send them. */
export const TextType = {
  /** Position report (all H02 models: ST-901, ST-906, TK-905, H02 clones). Acked with V4,V1. */
  Position: 'V1',
  /** Command echo with a position: `V4,<command>,<result...>,<cmd time>,<time>,A,...`. */
  CommandEcho: 'V4',
  /** Multi-cell LBS report (NBR), acked with V4,NBR. */
  Cells: 'NBR',
  /** Wearables' link report: rssi, satellites, battery, steps, turnovers. */
  Link: 'LINK',
  /** LBS report with MCC+MNC packed in one field (V3). */
  CellsV3: 'V3',
  /** Watch report (`*hq,...,VP1,A|V,...`): position, or MCC/MNC and `Y`-separated cells. */
  Vp1: 'VP1',
  /** Heartbeat, echoed back (`*HQ,<id>,HTBT#`); may carry a battery level. */
  Heartbeat: 'HTBT',
  /** Heartbeat of older firmware, echoed like HTBT. */
  HeartbeatV0: 'V0',
  /** SMS text the device forwards (replies to SMS commands such as the ST-906 status text). */
  Sms: 'SMS',
} as const;

/** Binary frame lengths: 32 (short, 5-byte id), 45 (short id + cell data), 42 (8-byte IMEI id). */
export const BinaryLength = {
  Short: 32,
  Long: 45,
  LongId: 42,
  /** `$`, 5-byte id, time, date, latitude, battery, longitude+flags, speed+course, status. */
  Core: 29,
} as const;

/** Channel settings (`options.settings`) this codec reads. */
export const SettingKey = {
  /** `true`: answer position reports other than V1 with `*HQ,<id>,R12,hhmmss#` (Traccar `h02.ack`). */
  Ack: 'ack',
  /** Fixed binary frame length for the channel (Traccar `h02.messageLength`); 0 or absent: detect. */
  MessageLength: 'messageLength',
} as const;

/** Session variable: the binary frame length this connection uses (set by the inspector). */
export const VAR_BINARY_LENGTH = 'binaryLength';

/** Manufacturer field the server writes in its replies and commands. */
export const SERVER_MAKER = 'HQ';
