/**
 * Ruptela command ids (the byte after the IMEI), with the devices that send them. Device → server
 * ids are below 100; the server answers or commands with 100 + id. Sources: the Ruptela protocol
 * notes in ../shared/protocols and the ids used by Traccar's Ruptela decoder/encoder (facts only).
 */
export const MessageType = {
  /** FM-Eco3/Eco4, FM-Pro3/Pro4, FM-Tco3/Tco4, Trace5, HCV5/LCV5: position records, 1-byte IO ids. */
  Records: 1,
  /** Reply to a configuration command (text). */
  DeviceConfiguration: 2,
  /** Reply to a version request (text). */
  DeviceVersion: 3,
  /** Reply to a firmware update command (text). */
  FirmwareUpdate: 4,
  /** Reply to a set-connection command. */
  SetConnection: 5,
  /** Reply to a set-odometer command. */
  SetOdometer: 6,
  /** Reply to an SMS command delivered over GPRS (text). */
  SmsViaGprsResponse: 7,
  /** SMS command over GPRS (server → device as 108). */
  SmsViaGprs: 8,
  /** FM-Pro/Tco with OBD/CAN: diagnostic trouble codes with time and position. */
  Dtcs: 9,
  /** All: identification on connect (model, firmware, IMSI, operator). */
  Identification: 15,
  /** All: keep-alive. */
  Heartbeat: 16,
  /** Reply to a set-IO (output control) command: one result byte. */
  SetIo: 17,
  /** FM-Tco4 with DLT card reader: driver card tracks. */
  DriverDlt: 36,
  /** Camera-equipped devices: file (photo) transfer. */
  Files: 37,
  /** Firmware 00.02.xx and later, 5th gen: extended records with 2-byte IO ids and merged records. */
  ExtendedRecords: 68,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Server → device ids are the device id + 100. */
export const SERVER_OFFSET = 100;
/** Ack command for (extended) records: `0002 64 01 13BC`. */
export const RECORDS_ACK_COMMAND = 100;
/** Positive ack payload. */
export const ACK_OK = 0x01;

/** Replies that are text (the payload as ASCII). */
export const TEXT_REPLIES: ReadonlySet<number> = new Set([
  MessageType.DeviceConfiguration,
  MessageType.DeviceVersion,
  MessageType.FirmwareUpdate,
  MessageType.SmsViaGprsResponse,
]);
/** Replies that are one result byte. */
export const BYTE_REPLIES: ReadonlySet<number> = new Set([MessageType.SetConnection, MessageType.SetOdometer, MessageType.SetIo]);

/** length u16 | IMEI u64 | command u8 | … | CRC u16 */
export const HEADER_SIZE = 2 + 8 + 1;
export const CRC_SIZE = 2;
/** The length field counts IMEI + command + payload: at least 9. */
export const MIN_LENGTH = 9;
/** A coordinate of i32 minimum means "no position" in the record. */
export const NO_COORDINATE = -0x80000000;

/** Files sub-command carrying one part of a file. */
export const FILE_PART = 2;
/** DTC archive flag value meaning the record comes from memory. */
export const DTC_ARCHIVED = 2;
