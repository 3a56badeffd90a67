import type { FieldKey } from './params.js';

/**
 * Queclink @Track constants. Sources: GL300 "@Track Air Interface Protocol" (TRACGL300AN001 §3.2,
 * §3.3), GMT100 and GV-series air interface documents, and the facts in Traccar's gl200 decoders.
 */

/** Text message heads: live report, buffered (black-box) report, command acknowledgement. */
export const TextHead = { Resp: 'RESP', Buff: 'BUFF', Ack: 'ACK' } as const;

/**
 * Binary ("HEX mode") heads, with where their length field sits. `B…` heads are the buffered
 * twins of the live ones. Offsets are from the `+`.
 */
export const BINARY_HEADS = {
  '+RSP': { length: 'u16', at: 9, buffered: false },
  '+BSP': { length: 'u16', at: 9, buffered: true },
  '+EVT': { length: 'u16', at: 9, buffered: false },
  '+BVT': { length: 'u16', at: 9, buffered: true },
  '+INF': { length: 'u16', at: 7, buffered: false },
  '+BNF': { length: 'u16', at: 7, buffered: true },
  '+HBD': { length: 'u8', at: 5, buffered: false },
  '+CRD': { length: 'u16', at: 6, buffered: false },
  '+BRD': { length: 'u16', at: 6, buffered: true },
  '+LGN': { length: 'u16', at: 6, buffered: false },
  /** `+ACK` followed by a binary type byte (not `:`): length byte at offset 6. */
  '+ACK': { length: 'u8', at: 6, buffered: false },
} as const;
export type BinaryHead = keyof typeof BINARY_HEADS;

/** Compact binary frames (newer devices): `+`, identifier `00`, total length u16. */
export const COMPACT_IDENTIFIER = 0x00;

/** Smallest frame worth deciding on (a binary header with its length field). */
export const MIN_FRAME = 11;

export const START = 0x2b; // '+'

/** Old binary +RSP report types with extra fields (Traccar MSG_RSP_*). */
export const RspType = { Lcb: 3, Geo: 8, Compressed: 100 } as const;

/** Old binary +EVT types and the bytes of their event-specific block (Traccar MSG_EVT_*). */
export const EVT_EXTRA_BYTES: Readonly<Record<number, number>> = {
  6: 2, // BPL: backup battery voltage
  15: 3, // UPD: code, retry
  17: 4, // IDF: idling duration
  21: 5, // GSS: gps signal status, reserved
  23: 1, // CRA: crash counter
  26: 14, // GES: geo id, enable, mode, radius, interval
  31: 2, // GPJ: cw jamming value, state
  33: 1, // JDS: jamming state
  34: 3, // UPC: command id, result
  35: 1, // RMD: roaming state
  45: 7, // VGN: reserved, report type, ignition duration
  46: 7, // VGF
};

/** Old binary +INF types with extra blocks (Traccar MSG_INF_*). */
export const InfType = { Csq: 5, Ver: 6, Bat: 7, Gir: 10 } as const;

/** Data item id of a position in a compact binary record. */
export const COMPACT_POSITION_ID = 0x52;

/** Commands: password default (model-dependent; `gl300` for the GL300 family) and serial. */
export const DEFAULT_PASSWORD = 'gl300';
export const DEFAULT_SERIAL = 'FFFF';

/** AT+GTRTO sub-commands (TRACGL300AN001 §3.2.11). */
export const RtoSub = { Gps: '0', Locate: '1', Read: '2', Reboot: '3', Reset: '4', PowerOff: '5', Version: '8' } as const;

/** Binary identity mask bit 6: the 8-byte identity field holds the device name instead of the IMEI. */
export const NAME_INSTEAD_OF_IMEI = 0x40;

/**
 * The message tables of the Queclink text protocol: device families (the first two hex digits of
 * the protocol version, six for the 10-character versions) with their per-model field layouts, and
 * report codes with their decoding kind, header layout and alarm. Model names come from the
 * vendor documents and Traccar's model table; the decoder reads layouts from here, never from
 * per-model branches.
 */

type Keys = readonly FieldKey[];

/** Fix block after the 11 standard fields (accuracy … cell id): `append` = append mask or mileage. */
const FIX_STD: Keys = ['append'];
/** GL5xx: CSQ rssi and ber sit between the cell and the append field. */
const FIX_GL5: Keys = ['rssi', 'ber', 'append'];

/** Tails of position reports (GTFRI and friends) after the last fix. */
const TAIL_GV9: Keys = ['mileage', 'hours', 'adc1', 'adc2', 'battery', 'status', 'rpm', 'fuel_consumption', 'fuel_level'];
const TAIL_GV10: Keys = ['mileage', 'hours', 'adc1', 'adc2', 'reserved', 'battery', 'status', 'rpm', 'fuel_consumption', 'fuel_level'];

/** GTERI tails (before the mask-selected sections). */
const ERI_GV: Keys = ['mileage', 'hours', 'adc1', 'adc2', 'battery', 'status', 'uart'];
const ERI_ADC3: Keys = ['mileage', 'hours', 'adc1', 'adc2', 'adc3', 'battery', 'status', 'uart'];
const ERI_CEU: Keys = ['mileage', 'hours', 'adc1', 'adc2', 'reserved', 'battery', 'status', 'uart'];
const ERI_NO_ADC2: Keys = ['mileage', 'hours', 'adc1', 'battery', 'status', 'uart'];
const ERI_GV600M: Keys = ['mileage', 'hours', 'adc1', 'reserved', 'battery', 'status', 'uart'];

/** GTINF layouts after the device name. */
const INF_STD: Keys = ['state', 'iccid', 'rssi', 'ber', 'ext_power', 'power_or_mileage', 'power2_mv', 'battery_v', 'charging'];
const INF_NO_POWER2: Keys = ['state', 'iccid', 'rssi', 'ber', 'ext_power', 'power_or_mileage', 'battery_v', 'charging'];
const INF_RESERVED: Keys = ['state', 'iccid', 'rssi', 'ber', 'ext_power', 'power_or_mileage', 'reserved', 'battery_v', 'charging'];
const INF_GV310LAU: Keys = [...INF_RESERVED, 'led', 'power_saving', 'ext_antenna', 'last_fix_time', 'pin_mask', 'adc1', 'adc2', 'adc3'];

export interface Family {
  readonly model: string;
  /** A VIN field always follows the IMEI (GV500 family). */
  readonly vin?: boolean;
  readonly fix?: Keys;
  /** Header of GTFRI-like reports before the number of fixes. */
  readonly friHeader?: Keys;
  readonly friTail?: Keys;
  readonly eriTail?: Keys;
  readonly ignHeader?: Keys;
  readonly inf?: Keys;
}

/** GL families end position reports with one field: battery % (or mileage), read by the shape rules. */
const GL: Family = { model: '' };
const GV: Family = { model: '', friTail: TAIL_GV9 };

export const FAMILIES: Readonly<Record<string, Family>> = {
  '02': { ...GL, model: 'GL200' },
  '04': { ...GV, model: 'GV200', eriTail: ['mileage', 'hours', 'adc1', 'adc2', 'adc3', 'din_hex', 'dout_hex', 'uart'] },
  '06': { ...GV, model: 'GV300' },
  '08': { ...GV, model: 'GMT100' },
  '09': { ...GV, model: 'GV50P' },
  '0F': { ...GV, model: 'GV55' },
  '10': { ...GV, model: 'GV55 LITE' },
  '11': { ...GL, model: 'GL500' },
  '1A': { ...GL, model: 'GL300' },
  '1F': { ...GV, model: 'GV500', vin: true },
  '21': { ...GL, model: 'GL200' },
  '25': { ...GV, model: 'GV300' },
  '27': { ...GV, model: 'GV300W' },
  '28': { ...GL, model: 'GL300VC' },
  '2C': { ...GL, model: 'GL300W' },
  '2D': { ...GV, model: 'GV500VC', vin: true, inf: INF_NO_POWER2 },
  '2F': { ...GV, model: 'GV55' },
  '30': { ...GL, model: 'GL300' },
  '31': { ...GV, model: 'GV65', eriTail: ERI_NO_ADC2 },
  '35': { ...GV, model: 'GV200', eriTail: ['mileage', 'hours', 'adc1', 'adc2', 'adc3', 'din_hex', 'dout_hex', 'uart'] },
  '36': { ...GV, model: 'GV500', vin: true },
  '3F': { ...GV, model: 'GMT100' },
  '40': { ...GL, model: 'GL500' },
  '41': { ...GV, model: 'GV75W' },
  '42': { model: 'GT501', fix: ['rssi'], friHeader: ['power_or_id', 'report_type', 'reserved', 'reserved'], friTail: ['reserved', 'battery'] },
  '44': { ...GL, model: 'GL530' },
  '45': { ...GL, model: 'GB100' },
  '4F': { ...GV, model: 'GV56' },
  '50': { ...GV, model: 'GV55W' },
  '52': { ...GL, model: 'GL50' },
  '55': { ...GL, model: 'GL50B' },
  '5E': { ...GV, model: 'GV500MAP' },
  '6E': { ...GV, model: 'GV310LAU', eriTail: ERI_ADC3, inf: INF_GV310LAU },
  '74': { ...GV, model: 'GV350CEU', eriTail: ERI_ADC3 },
  BD: { ...GV, model: 'CV200', ignHeader: ['reserved', 'report_type', 'duration'] },
  C2: { ...GV, model: 'GV600M', eriTail: ERI_GV600M },
  C3: { model: 'GL320M', fix: [], eriTail: ['mileage', 'battery'] },
  DC: { ...GV, model: 'GV600MG', eriTail: ERI_GV600M },
  DE: { model: 'GL500M', fix: FIX_GL5, friTail: ['battery', 'mode', 'motion', 'temperature'], eriTail: ['battery', 'mode', 'motion'] },
  DF: { ...GV, model: 'CV100LG' },
  F1: { ...GV, model: 'GV350M', eriTail: ERI_NO_ADC2, inf: INF_RESERVED },
  F8: { ...GV, model: 'GV800W' },
  FC: { ...GV, model: 'GV600W', eriTail: ERI_NO_ADC2 },
  '802004': { ...GV, model: 'GV58LAU', friTail: TAIL_GV10 },
  '802005': { ...GV, model: 'GV355CEU', eriTail: ERI_CEU },
  '80201E': { ...GV, model: 'GV30CEU', eriTail: ERI_CEU },
};

export const UNKNOWN_FAMILY: Family = { model: '' };

/** Family of a protocol version: six-hex-digit prefix for 10-character versions, else two. */
export function familyOf(version: string): Family {
  const v = version.toUpperCase();
  return (v.length > 6 ? FAMILIES[v.slice(0, 6)] : undefined) ?? FAMILIES[v.slice(0, 2)] ?? UNKNOWN_FAMILY;
}

export const layouts = {
  fix: (f: Family): Keys => f.fix ?? FIX_STD,
  friHeader: (f: Family): Keys => f.friHeader ?? ['power_or_id', 'report_type'],
  eriTail: (f: Family): Keys => f.eriTail ?? ERI_GV,
  ignHeader: (f: Family): Keys => f.ignHeader ?? ['duration'],
  inf: (f: Family): Keys => f.inf ?? INF_STD,
  /** Shape rules for tails whose length does not fit the family table: GV with 9 or 10 fields. */
  tailByShape: (count: number): Keys | undefined => (count === 9 ? TAIL_GV9 : count === 10 ? TAIL_GV10 : undefined),
};

/** How a report is decoded. */
export type Kind = 'fix' | 'nofix' | 'eri' | 'inf' | 'can' | 'obd' | 'cells' | 'wif' | 'dtt' | 'accessory' | 'config';

/** Report-type dependent meanings (the field after the power / report id). */
export type Rule = 'geofence' | 'harsh' | 'input' | 'ignition' | 'motion' | 'fatigue';

export interface ReportSpec {
  readonly kind: Kind;
  /** Fields between the device name and the first fix (for `multi`, before the number of fixes). */
  readonly header?: Keys | 'fri' | 'ign';
  /** The header ends with a number of fixes; one message per fix. */
  readonly multi?: boolean;
  /** Fields after the last fix: a list, or the family's position-report tail. */
  readonly tail?: Keys | 'family';
  readonly alarm?: string;
  readonly rule?: Rule;
  readonly ignition?: boolean;
}

const POSITION: ReportSpec = { kind: 'fix', header: 'fri', multi: true, tail: 'family' };
const IGNITION: ReportSpec = { kind: 'fix', header: 'ign', tail: ['hours', 'mileage'] };
const CONFIG: ReportSpec = { kind: 'config' };

/** Report codes (the three letters after `GT`). Unknown codes decode as `fix` with an empty header. */
export const REPORTS: Readonly<Record<string, ReportSpec>> = {
  FRI: POSITION,
  RTL: POSITION,
  DOG: POSITION,
  PNL: POSITION,
  GEO: { ...POSITION, rule: 'geofence' },
  SOS: { ...POSITION, alarm: 'sos' },
  SPD: { ...POSITION, alarm: 'overspeed' },
  TOW: { ...POSITION, alarm: 'tow' },
  IDL: { ...POSITION, alarm: 'idle' },
  HBM: { ...POSITION, rule: 'harsh' },
  NMR: { ...POSITION, rule: 'motion' },
  DIS: { ...POSITION, rule: 'input' },
  IGL: { ...POSITION, rule: 'ignition' },
  IDA: { kind: 'fix', header: ['reserved', 'rfid', 'report_type'], multi: true, tail: ['mileage'] },
  IGN: { ...IGNITION, ignition: true },
  VGN: { ...IGNITION, ignition: true },
  IGF: { ...IGNITION, ignition: false },
  VGF: { ...IGNITION, ignition: false },
  EPN: { kind: 'fix', header: ['power_mv'], alarm: 'power_restored' },
  EPF: { kind: 'fix', header: ['power_mv'], alarm: 'power_cut' },
  MPN: { kind: 'fix', header: [], alarm: 'power_restored' },
  MPF: { kind: 'fix', header: [], alarm: 'power_cut' },
  BPL: { kind: 'fix', header: ['battery_v'], alarm: 'low_battery' },
  STT: { kind: 'fix', header: ['state'] },
  SWG: { kind: 'fix', header: ['reserved'] },
  LBC: { kind: 'fix', header: ['phone'] },
  LSW: { kind: 'fix', header: ['reserved', 'din1_state'] },
  TSW: { kind: 'fix', header: ['reserved', 'din2_state'] },
  JDR: { kind: 'fix', header: [], alarm: 'jamming' },
  JDS: { kind: 'fix', header: ['jamming'], alarm: 'jamming' },
  TMP: { kind: 'fix', header: [], alarm: 'temperature' },
  TEM: { kind: 'fix', header: [], alarm: 'temperature' },
  CRA: { kind: 'fix', header: [], alarm: 'accident' },
  DAR: { kind: 'fix', header: ['warning', 'fatigue', 'reserved', 'reserved'], rule: 'fatigue' },
  DAT: { kind: 'fix', header: ['report_type', 'reserved', 'reserved', 'data'] },
  STR: { kind: 'fix', header: ['reserved', 'report_type', 'reserved', 'temperature', 'battery'] },
  CTN: { kind: 'fix', header: ['reserved', 'report_type', 'reserved', 'temperature', 'battery'] },
  STC: { kind: 'fix', header: ['reserved'] },
  PNA: { kind: 'nofix', header: ['reserved'], alarm: 'power_on' },
  PFA: { kind: 'nofix', header: ['reserved'], alarm: 'power_off' },
  VER: { kind: 'nofix', header: ['device_type', 'firmware', 'hardware'] },
  ERI: { kind: 'eri' },
  INF: { kind: 'inf' },
  CAN: { kind: 'can' },
  OBD: { kind: 'obd' },
  GSM: { kind: 'cells', header: ['fix_type'] },
  LBS: { kind: 'cells', header: ['trigger', 'report_type', 'battery', 'reserved', 'motion', 'reserved', 'reserved', 'reserved'] },
  WIF: { kind: 'wif' },
  DTT: { kind: 'dtt' },
  BID: { kind: 'accessory', header: ['reserved', 'reserved'] },
  BAA: { kind: 'accessory', header: ['reserved', 'reserved', 'reserved', 'reserved'] },
  ALS: CONFIG,
  ALL: CONFIG,
  ALC: CONFIG,
  GPS: CONFIG,
  CID: CONFIG,
  CSQ: CONFIG,
  BAT: CONFIG,
  TMZ: CONFIG,
  GSV: CONFIG,
};

export const DEFAULT_REPORT: ReportSpec = { kind: 'fix', header: [] };
