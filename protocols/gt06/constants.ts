/**
 * GT06 / Concox / Jimi framing constants and protocol numbers (../shared/protocols/README.md, "GT06").
 *
 * Frame: `7878` len u8 (or `7979` len u16) | protocol | content | serial u16 | CRC u16 | `0D0A`.
 * len counts protocol .. CRC; CRC-ITU (CRC-16/X25) covers len .. serial.
 */
export const HEADER_SHORT = 0x7878;
export const HEADER_LONG = 0x7979;
export const TERMINATOR = 0x0d0a;

/** Protocol numbers, with the device families that send them (as noted by Traccar's decoder). */
export const Msg = {
  Login: 0x01,
  /** GT06 (old): GPS only, the length covers the GPS block and there is no serial or CRC. */
  Gps: 0x10,
  /** GPS + LBS with u16 MNC and u32 cell id. */
  GpsLbs6: 0x11,
  /** GPS + LBS: the standard location packet of GT06 / GT06N / TR06 and most clones. */
  GpsLbs1: 0x12,
  /** Status / heartbeat: terminal info, voltage level, GSM signal, alarm/language. */
  Status: 0x13,
  /** Text reply to a server command (0x80). */
  String: 0x15,
  /** GPS + LBS + status: alarm packet. */
  GpsLbsStatus1: 0x16,
  /** WiFi (length byte = AP count, no CRC) or, with length 0x27/0x28, GPS + LBS + RFID. */
  Wifi: 0x17,
  LbsExtend: 0x18,
  LbsStatus: 0x19,
  GpsPhone: 0x1a,
  /** JI09: GPS + neighbour cells. */
  GpsLbsExtend: 0x1e,
  /** Mini GT06 / 4G: text reply (7979 frame, encoding byte). */
  StringInfo: 0x21,
  /** GPS + LBS (GT06N, JM-VL01, Jimi 2G): adds ACC, upload mode, re-upload and optional mileage. */
  GpsLbs2: 0x22,
  /** GK310 heartbeat. */
  Heartbeat: 0x23,
  LbsMultiple3: 0x24,
  /** XT40 / NT models: GPS + LBS + driver. */
  GpsLbsDriver: 0x25,
  /** GPS + LBS + status (alarm, UTC). */
  GpsLbsStatus2: 0x26,
  /** GPS + LBS + status (alarm, local time) with geofence id. */
  GpsLbsStatus3: 0x27,
  LbsMultiple1: 0x28,
  /** GK310 address request (GPS + phone); answered with 0x97. */
  AddressRequest: 0x2a,
  LbsWifi: 0x2c,
  GpsLbs4: 0x2d,
  LbsMultiple2: 0x2e,
  /** AZ735 / SL4X. */
  GpsLbs5: 0x31,
  GpsLbsStatus4: 0x32,
  Wifi5: 0x33,
  /** X1: GPS with odometer, driver, ADC. */
  X1Gps: 0x34,
  X1PhotoInfo: 0x35,
  /** Jimi 4G heartbeat with modules; VL103: GPS + LBS + RFID. */
  Status2: 0x36,
  GpsLbs3: 0x37,
  /** 7979: GPS + 4G cell + modules. */
  GpsLbs8: 0x38,
  /** iButton: IMEI + GPS + LBS + driver id. */
  IButton: 0x61,
  /** WiFi (length byte = AP count, BCD time, no CRC). */
  Wifi2: 0x69,
  /** 7979: modular packet (type u16, length u16, data). */
  GpsModular: 0x70,
  Command0: 0x80,
  Command1: 0x81,
  Command2: 0x82,
  /** 7979 FM08ABC: OBD text. */
  Obd: 0x8c,
  /** GK310 time request (the answer needs the server clock; not answered here). */
  TimeRequest: 0x8a,
  /** Information: 7878 = external voltage, 7979 = sub-typed information. */
  Info: 0x94,
  /** JC100 / JC400: alarm with optional GPS and event files. */
  Alarm: 0x95,
  AddressResponse: 0x97,
  /** 7979: serial pass-through data from a peripheral. */
  Serial: 0x9b,
  /** GK310 / JM-VL03: GPS + 4G LBS. */
  GpsLbs7: 0xa0,
  /** GK310: 4G neighbour cells. */
  Lbs2: 0xa1,
  /** GK310: 4G cells + WiFi; LWxG (length 0x40): GPS + 4G LBS + status. */
  Wifi3: 0xa2,
  /** GK310: single geofence alarm; GL21L / Seeworld (length 0x0c, 0x18): status. */
  FenceSingle: 0xa3,
  /** GK310 / JM-LL301: GPS + LBS + status + geofence (4G alarm). */
  FenceMulti: 0xa4,
  /** GK310 / JM-LL301: 4G LBS + status (alarm without GPS). */
  LbsAlarm: 0xa5,
  LbsAddress: 0xa7,
  /** 7979: device status items (Unix time, id/length/value items). */
  DeviceStatus: 0xf1,
  /** VL842: peripheral data (7979). */
  Peripheral: 0xf2,
  /** WiFi, binary time, AP count byte. */
  Wifi4: 0xf3,
} as const;

/** How a device packet is acknowledged (Traccar's decoder is the reference for which get a response). */
export type AckKind = 'short' | 'long' | 'wifi' | 'address' | 'none';

/** Packets answered with something other than `7878 05 <type> <serial> <crc> 0D0A`. Keyed by `(long ? 0x100 : 0) | type`. */
export const ACK_EXCEPTIONS: Readonly<Record<number, AckKind>> = {
  [Msg.Command0]: 'none',
  [Msg.Command1]: 'none',
  [Msg.Command2]: 'none',
  [Msg.Info]: 'none',
  [Msg.X1Gps]: 'none',
  [Msg.X1PhotoInfo]: 'none',
  [Msg.TimeRequest]: 'none',
  [Msg.AddressRequest]: 'address',
  [Msg.Wifi]: 'wifi',
  [Msg.Wifi2]: 'wifi',
  [Msg.Wifi4]: 'none',
  [0x100 | Msg.GpsModular]: 'short',
  [0x100 | Msg.StringInfo]: 'short',
  [0x100 | Msg.Peripheral]: 'short',
  [0x100 | Msg.DeviceStatus]: 'short',
  [0x100 | Msg.GpsLbsStatus4]: 'long',
  [0x100 | Msg.Wifi5]: 'long',
  [0x100 | 0x41]: 'long',
};

/** Long (7979) packets not listed above get no answer; short (7878) ones are acked with their own type. */
export function ackKind(long: boolean, type: number, lengthless: boolean): AckKind {
  const listed = ACK_EXCEPTIONS[(long ? 0x100 : 0) | type];
  if (listed === 'wifi') return lengthless ? 'wifi' : 'short'; // 0x17 with a length is the RFID position packet
  return listed ?? (long ? 'none' : 'short');
}

/** Packets whose length byte is not a length (it counts WiFi access points) and that carry no serial or CRC. */
export const LENGTHLESS_TYPES: ReadonlySet<number> = new Set([Msg.Wifi, Msg.Wifi2]);

/**
 * The packets the decoder reads (records/), by the frame they come in: the inspector stores only
 * these. Location packets (GPS / LBS / status) are plans in records/location.ts; the others have a
 * reader each, a 7979 one where its layout differs from the 7878 packet of the same number.
 */
export const LOCATION_TYPES = [
  Msg.Gps,
  Msg.GpsLbs6,
  Msg.GpsLbs1,
  Msg.GpsLbsStatus1,
  Msg.Wifi,
  Msg.LbsStatus,
  Msg.GpsPhone,
  Msg.GpsLbsExtend,
  Msg.LbsMultiple3,
  Msg.GpsLbs2,
  Msg.GpsLbsDriver,
  Msg.GpsLbsStatus2,
  Msg.GpsLbsStatus3,
  Msg.GpsLbs4,
  Msg.GpsLbs5,
  Msg.GpsLbsStatus4,
  Msg.Status2,
  Msg.GpsLbs3,
  Msg.GpsLbs8,
  Msg.IButton,
  Msg.GpsLbs7,
  Msg.Wifi3,
  Msg.FenceSingle,
  Msg.FenceMulti,
  Msg.LbsAlarm,
  Msg.LbsAddress,
] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];

export const SHORT_TYPES = [
  Msg.Status,
  Msg.Heartbeat,
  Msg.String,
  Msg.Status2,
  Msg.Info,
  Msg.Alarm,
  Msg.X1Gps,
  Msg.Wifi4,
  Msg.LbsExtend,
  Msg.LbsMultiple1,
  Msg.LbsMultiple2,
  Msg.LbsMultiple3,
  Msg.LbsWifi,
  Msg.Lbs2,
  Msg.Wifi3,
  Msg.Wifi5,
] as const;
export type ShortType = (typeof SHORT_TYPES)[number];

export const LONG_TYPES = [
  Msg.StringInfo,
  Msg.Info,
  Msg.Serial,
  Msg.GpsModular,
  Msg.Obd,
  Msg.Peripheral,
  Msg.DeviceStatus,
  Msg.GpsLbsStatus4,
  Msg.Wifi5,
  Msg.Status2,
] as const;
export type LongType = (typeof LONG_TYPES)[number];

/** Packets that carry no device data for the queue (login, requests, photo transfer, command echoes). */
export const NOT_STORED: ReadonlySet<number> = new Set([
  Msg.Login,
  Msg.AddressRequest,
  Msg.TimeRequest,
  Msg.X1PhotoInfo,
  Msg.Command0,
  Msg.Command1,
  Msg.Command2,
]);

/** Login extension bits: timezone in hours*100+minutes << 4, bit 3 set for west. */
export const LOGIN_TZ_WEST = 0x08;

/** Server command (0x80) header: command length u8 + server flag u32. */
export const COMMAND_FLAG_SIZE = 4;
/** Longest command text that fits a 7878 frame (len u8 = 1 + 1 + 4 + text + 2 + 2). */
export const MAX_COMMAND_TEXT = 255 - 10;

/** Address request answer used when the hub has no geocoder (as Traccar does). */
export const ADDRESS_UNKNOWN = 'NA&&NA&&0##';
