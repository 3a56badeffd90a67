/**
 * Suntech constants. Sources: "ST300/340 Operation Manual – LATAM" rev 1.41 (2015: §6 reports in
 * normal and zip form, §7 commands, the ADP notes "ACK in case of UDP"), the ST310U Operation
 * Manual rev 1.08 (§4-2 RPT, §7-9 Reboot), the ST600 / ST3310 user manuals (§4-6 ADP), the notes in
 * ../shared/protocols/README.md "Suntech", and the facts in Traccar's suntech decoders (the
 * universal protocol of ST4300/ST4340-era firmware, whose manual is not public).
 */

/** Legacy (`ST300STT`) and universal (`STT`) report types, with the models that send them. */
export const ReportType = {
  /** Status report, periodic or on request (every model; §6-1). */
  Status: 'STT',
  /** Emergency report: panic, parking lock, main power removed… (§6-2). */
  Emergency: 'EMG',
  /** Event report: input changes (§6-3). */
  Event: 'EVT',
  /** Alert report: speeding, geofence, low battery… (§6-4). */
  Alert: 'ALT',
  /** Keep-alive, sent when nothing else was sent for `T4` seconds (§4-2 RPT). */
  Alive: 'ALV',
  /** Data of an external RS232 device (§6-7). */
  Uex: 'UEX',
  /** Trip report with driver id (ST300H/ST300A `HTE`). */
  Travel: 'HTE',
  /** Universal BLE beacon report (ST4300 family). */
  Ble: 'BLE',
  /** Universal BLE sensor report (ST4300 family; kept raw). */
  BleSensor: 'BSA',
  /** Universal command answer `RES;<id>;<group>;<action>;…`. */
  Result: 'RES',
  /** Crash (accelerometer) data in parts: `CRR;<id>;<part>;<parts>;<len>;<data>;<sum>`. */
  Crash: 'CRR',
} as const;

/** The word after `ST910;` in the personal-tracker (ST910/ST940) reports. */
export const St9Type = { Location: 'Location', Emergency: 'Emergency', Alert: 'Alert', Alive: 'Alive' } as const;

/** Zip (compressed) reports: `02 | len u16 | HDR | … | 03` (§6-x-2, "Zip"). */
export const ZipType = {
  Status: 0x10,
  Emergency: 0x11, // ST310U §5-2-2
  Event: 0x12, // §6-3-2
  Alert: 0x13, // §6-4-2
  Alive: 0x14,
  /** The server's UDP acknowledgement `15 | id BCD[5]` (ADP notes). */
  Ack: 0x15,
  Uex: 0x16, // §6-7-2
} as const;

/** Universal binary reports: `type | len u16 | id[5] | mask u24 | …` (Traccar: 0x81 status, 0x82 alert). */
export const BinaryType = { Status: 0x81, Alert: 0x82 } as const;

export const STX = 0x02;
export const ETX = 0x03;
export const CR = 0x0d;
export const LF = 0x0a;
/** Escape byte of UEX serial data: `01 10` stands for 00, `01 11` for 01 (§6-8). */
export const ESCAPE = 0x01;

/** Zip frame: STX, length u16, … , ETX; the length excludes those four bytes. */
export const ZIP_OVERHEAD = 4;
/** Universal binary frame: type, length u16; the length counts the bytes after it. */
export const BINARY_HEADER = 3;
/** Zip header before the common fields: STX, len, HDR, id BCD[5]. */
export const ZIP_ID_AT = 4;

/** Legacy command header when the device's own (`ST300`, `ST600`…) is not known yet (as Traccar). */
export const DEFAULT_PREFIX = 'SA200';
/** Protocol version field of every legacy command (§7-1). */
export const COMMAND_VERSION = '02';

/** Largest serial payload of a UEX report (§6-7: up to 500 bytes) and of a CRR part, in bytes. */
export const MAX_UEX_DATA = 1000;
export const MAX_CRASH_DATA = 9999;

/** Report types each family decodes (others are refused as unsupported); keep-alives are answered by nothing and not stored. */
export const LEGACY_REPORTS: readonly string[] = ['STT', 'EMG', 'EVT', 'ALT', 'UEX', 'HTE'];
export const ST4_REPORTS: readonly string[] = ['STT', 'ALT'];
export const ST9_REPORTS: readonly string[] = [St9Type.Location, St9Type.Emergency, St9Type.Alert];
export const UNIVERSAL_REPORTS: readonly string[] = ['STT', 'EMG', 'EVT', 'ALT', 'UEX', 'BLE', 'BSA'];
export const ALIVE: readonly string[] = [ReportType.Alive, St9Type.Alive];

/**
 * Universal commands `CMD;<id>;<group>;<action>` for the legacy CMD_IDs they stand for (Traccar's
 * encoder: 03 = requests, 04 = outputs); the device echoes `<group>;<action>` in `RES`.
 */
export const UNIVERSAL_ACTIONS: Readonly<Record<string, string>> = {
  StatusReq: '03;01',
  Reboot: '03;03',
  Enable1: '04;01',
  Disable1: '04;02',
  Enable2: '04;03',
  Disable2: '04;04',
  Enable3: '04;09',
  Disable3: '04;10',
};
