/**
 * EGTS (ERA-GLONASS telematics standard) constants. Sources: GOST 33472-2015 / GOST 33465-2015
 * (transport layer §5.6, service support layer §6.6, EGTS_AUTH_SERVICE §6.7.2,
 * EGTS_COMMANDS_SERVICE §6.7.3, processing result codes appendix В), Order No. 285 of the Russian
 * Ministry of Transport (31.07.2012: EGTS_TELEDATA_SERVICE subrecords, the fleet commands
 * EGTS_FLEET_*), and the EGTS notes in ../shared/protocols/README.md. Every multi-byte field is
 * little-endian.
 */

/** PRV: the only header version (§5.6.1.3). */
export const PRV = 0x01;
/** HL without routing fields, and with PRA, RCA, TTL (RTE = 1). Both include HCS. */
export const HEADER_SIZE = 11;
export const ROUTED_HEADER_SIZE = 16;
/** SFRCS: CRC-16 after the frame data, present when FDL > 0. */
export const SFRCS_SIZE = 2;
/** Header flags byte (§5.6.1.3): PRF 7-6, RTE 5, ENA 4-3, CMP 2, PR 1-0. */
export const Flags = { RouteMask: 0x20, EncryptionShift: 3, EncryptionMask: 0x03, Compressed: 0x04 } as const;

/** PT: transport packet types (§5.6.2), all sent by both sides. */
export const PacketType = {
  /** EGTS_PT_RESPONSE: RPID u16 + PR u8, then record responses (acks of an APPDATA packet). */
  Response: 0,
  /** EGTS_PT_APPDATA: service data records. */
  AppData: 1,
  /** EGTS_PT_SIGNED_APPDATA: SIGL u16 + signature, then service data records. */
  SignedAppData: 2,
} as const;

/** Service types (SST/RST of a record, §6.7.1). */
export const Service = {
  /** Terminal authentication (every unit that authenticates; platforms retranslating as dispatcher). */
  Auth: 1,
  /** Positions and sensors (every unit). */
  Teledata: 2,
  /** Commands, messages and confirmations in both directions. */
  Commands: 4,
  /** Firmware and configuration upload. */
  Firmware: 9,
  /** ERA-GLONASS emergency call units (MSD, track, acceleration). */
  Ecall: 10,
} as const;

/** RFL record flags (§6.6.2.2). */
export const RecordFlags = { Oid: 0x01, Evid: 0x02, Time: 0x04, RecipientOnDevice: 0x40, SourceOnDevice: 0x80 } as const;

/**
 * EGTS_AUTH_SERVICE subrecords, numbered as in Order No. 285 and the units that follow it
 * (DISPATCHER_IDENTITY 5 … RESULT_CODE 9). Traccar numbers them 4-7 (GOST R 54619 draft): its
 * result code goes out as SRT 7, which `settings.resultCodeSubrecord = 7` reproduces.
 */
export const AuthSr = {
  RecordResponse: 0,
  /** TID, flags, optional HDID, IMEI[15], IMSI[16], LNGC[3], NID[3], BS, MSISDN[15] (§6.7.2.2). */
  TermIdentity: 1,
  /** Module type, vendor, firmware and software versions, serial, description (§6.7.2.3). */
  ModuleData: 2,
  /** VIN[17], vehicle type, propulsion storage type (§6.7.2.4). */
  VehicleData: 3,
  /** Retranslating platforms: dispatcher type, dispatcher id, description. */
  DispatcherIdentity: 5,
  AuthParams: 6,
  /** User name and password, NUL-delimited. */
  AuthInfo: 7,
  ServiceInfo: 8,
  /** RCD u8: the platform's answer to an authentication (§6.7.2.8). */
  ResultCode: 9,
} as const;

/** EGTS_TELEDATA_SERVICE subrecords (Order No. 285, EGTS_TELEDATA_SERVICE). */
export const TeledataSr = {
  PosData: 16,
  ExtPosData: 17,
  AdSensors: 18,
  Counters: 19,
  /** STATE_DATA as GOST R 54619 numbers it (Traccar; units that send a 5-byte subrecord 20). */
  StateData20: 20,
  /** STATE_DATA as Order No. 285 numbers it (20 is ACCEL_DATA there). */
  StateData: 21,
  LoopIn: 22,
  AbsDigitalSensor: 23,
  AbsAnalogSensor: 24,
  AbsCounter: 25,
  AbsLoopIn: 26,
  LiquidLevel: 27,
  Passengers: 28,
} as const;

/** EGTS_COMMANDS_SERVICE subrecord (§6.7.3.1). */
export const COMMAND_DATA = 51;

/** CT, high nibble of the first COMMAND_DATA byte (§6.7.3.1). */
export const CommandType = {
  /** The unit confirms a command: received, executed, refused (CCT). */
  ComConf: 1,
  MsgConf: 2,
  /** Text message from the unit (driver display). */
  MsgFrom: 3,
  MsgTo: 4,
  /** Command for the unit to execute. */
  Com: 5,
  DelCom: 6,
  SubReq: 7,
  /** Delivery confirmation of a command or message. */
  Deliv: 8,
} as const;

/** CCT, low nibble of the first COMMAND_DATA byte, with the reply text the hub gives it. */
export const CONFIRMATIONS: Readonly<Record<number, { readonly text: string; readonly executed?: boolean }>> = {
  0: { text: 'ok', executed: true }, // CC_OK: executed, positive answer
  1: { text: 'error', executed: false }, // CC_ERROR
  2: { text: 'illegal', executed: false }, // CC_ILL: not allowed or unknown command
  3: { text: 'deleted', executed: true }, // CC_DEL: queued command deleted
  4: { text: 'not found', executed: false }, // CC_NFOUND: command to delete not found
  5: { text: 'negative', executed: false }, // CC_NCONF: executed, negative answer
  6: { text: 'in progress' }, // CC_INPROG: accepted, the result comes later
};
export const CONFIRMATION_IN_PROGRESS = 6;

/** ACT of a CT_COM command body (§6.7.3.1, command format table). */
export const Action = { Params: 0, Get: 1, Set: 2 } as const;

/** CCD command codes (GOST 33465 §6.7.3.2; EGTS_FLEET_* from Order No. 285). */
export const CommandCode = {
  RawData: 0x0000,
  ConfigReset: 0x0006,
  Restart: 0x0008,
  /** Data: outputs bitmask u16 (bit 0 = output 1). */
  FleetDoutOn: 0x0009,
  FleetDoutOff: 0x000a,
  FleetGetDoutData: 0x000b,
  FleetGetPosData: 0x000c,
  FleetGetSensorsData: 0x000d,
  FleetGetState: 0x0010,
  FleetOdomClear: 0x0011,
} as const;

/** PR / RST processing result codes (appendix В) the hub sends. */
export const Result = {
  Ok: 0,
  UnsupportedProtocol: 128,
  DecryptError: 129,
  AuthDenied: 151,
  HeaderCrcError: 137,
  DataCrcError: 138,
} as const;

/** NTM and TM count seconds from 2010-01-01 00:00:00 UTC. */
export const EPOCH_2010 = 1_262_304_000;

/** TERM_IDENTITY field sizes. */
export const IMEI_SIZE = 15;
export const IMSI_SIZE = 16;
export const MSISDN_SIZE = 15;
