/**
 * EGTS fields → message parameters (DESIGN §3). Sources: Order No. 285 of the Russian Ministry of
 * Transport (EGTS_TELEDATA_SERVICE subrecords and the SRC event table), GOST 33465-2015 §6.7.2
 * (authentication subrecords) and §6.7.3 (commands, terminal parameters), and the EGTS notes in
 * ../shared/protocols/README.md. Values the standard leaves without a unit (analog inputs,
 * counters, loop inputs) keep the protocol prefix and their number; subrecords without a reader
 * are kept as hex under `egts.sr.<service>.<type>`.
 */

/** Names used by the record decoders. */
export const P = {
  lat: 'position.latitude',
  lon: 'position.longitude',
  altitude: 'position.altitude', // m, ALTS gives the sign
  speed: 'position.speed', // km/h, 0.1 resolution
  course: 'position.direction',
  valid: 'position.valid',
  sats: 'position.satellites',
  hdop: 'position.hdop',
  vdop: 'position.vdop',
  pdop: 'position.pdop',
  motion: 'movement.status', // POS_DATA MV
  buffered: 'message.buffered.status', // POS_DATA BB: sent from the black box
  mileage: 'vehicle.mileage', // km, 0.1 resolution
  din: 'din', // POS_DATA DIN: inputs 1-8 as a bitmask
  dout: 'dout', // AD_SENSORS_DATA DOUT: outputs 1-8 as a bitmask
  event: 'event.enum', // POS_DATA SRC: why the unit sent the fix, see ALARMS
  alarm: 'alarm.type',
  power: 'external.powersource.voltage', // STATE_DATA MPSV, V
  battery: 'battery.voltage', // STATE_DATA IBV (internal battery), V
  vin: 'vehicle.vin',
  imsi: 'gsm.sim.imsi',
  response: 'command.response',
  oid: 'egts.oid', // record OID: the unit (or a retranslated object) the record belongs to
  eventId: 'egts.event.id', // record EVID
  tid: 'egts.tid', // TERM_IDENTITY terminal id
  hdid: 'egts.home.dispatcher.id',
  msisdn: 'egts.msisdn',
  language: 'egts.language', // ISO 639-2, e.g. "rus"
  networkId: 'egts.network.id', // NID: MCC and MNC as sent (3 bytes hex)
  bufferSize: 'egts.buffer.size', // BS: the unit's receive buffer, bytes
  pz90: 'egts.pz90', // POS_DATA CS: coordinates in PZ-90.02 rather than WGS-84
  fix3d: 'egts.fix.3d', // POS_DATA FIX
  sourceData: 'egts.source.data', // POS_DATA SRCD
  navSystems: 'egts.navigation.systems', // EXT_POS_DATA NS bitmask: 1 GLONASS, 2 GPS, 4 Galileo, 8 Compass, 16 Beidou…
  state: 'egts.state.enum', // STATE_DATA ST: 0 passive, 1 ERA, 2 active, 3 emergency call, 4 emergency tracking, 5 test, 6 service, 7 firmware
  backupBattery: 'egts.backup.battery.voltage', // STATE_DATA BBV, V
  backupUsed: 'egts.backup.battery.used', // STATE_DATA BBU
  internalUsed: 'egts.internal.battery.used', // STATE_DATA IBU
  navModule: 'egts.navigation.module.status', // STATE_DATA NMS
  dispatcherType: 'egts.dispatcher.type',
  dispatcherId: 'egts.dispatcher.id',
  dispatcherDescription: 'egts.dispatcher.description',
  user: 'egts.auth.user', // AUTH_INFO UNM (the password is not kept)
  vehicleType: 'egts.vehicle.type',
  propulsion: 'egts.vehicle.propulsion',
  commandType: 'egts.command.type', // COMMAND_DATA CT
  commandId: 'egts.command.id', // COMMAND_DATA CID
  confirmation: 'egts.command.confirmation', // COMMAND_DATA CCT
  message: 'egts.message', // CT_MSGFROM text
} as const;

/** Analog input N (AD_SENSORS_DATA ANS, ABS_AN_SENS_DATA), raw. */
export const ain = (n: number): string => `egts.ain.${n}`;
/** Additional digital inputs octet N (AD_SENSORS_DATA ADIO). */
export const adio = (n: number): string => `egts.adio.${n}`;
/** Counter N (COUNTERS_DATA CN, ABS_CNTR_DATA). */
export const counter = (n: number): string => `egts.counter.${n}`;
/** Loop input N state (LOOPIN_DATA, ABS_LOOPIN_DATA). */
export const loopIn = (n: number): string => `egts.loopin.${n}`;
/** Digital sensor N state (ABS_DIG_SENS_DATA). */
export const digitalSensor = (n: number): string => `egts.dsens.${n}`;
/** Liquid level sensor N (LIQUID_LEVEL_SENSOR LLSN): the level, and the sensor's own fields. */
export const fuelN = (n: number): string => `fuel.level.${n}`;
export const lls = (n: number, field: 'unit' | 'error' | 'raw' | 'address'): string => `egts.lls.${n}.${field}`;
/** A module of MODULE_DATA, by its type MT. */
export const moduleParam = (type: number, field: 'vendor' | 'firmware' | 'software' | 'modification' | 'state' | 'serial' | 'description'): string =>
  `egts.module.${type}.${field}`;
/** A subrecord without a reader, kept as hex. */
export const unknownSubrecord = (service: number, srt: number): string => `egts.sr.${service}.${srt}`;

/** POS_DATA SRC (event source) codes that are alarms → alarm.type. */
export const ALARMS: Readonly<Record<number, string>> = {
  7: 'overspeed', // speed threshold exceeded
  10: 'tamper', // case opened
  11: 'power_cut', // switched to backup power
  12: 'low_battery', // backup battery low
  13: 'sos', // alarm button
  15: 'sos', // emergency call
  20: 'hard_acceleration',
  21: 'hard_braking',
  25: 'gps_antenna_cut', // navigation antenna fault
};

/** Terminal parameters read with ACT 1 and written with ACT 2 (GOST 33465-2015 terminal parameter table): name, code, value type. */
export const SETTING_PARAMS: readonly (readonly [name: string, code: number, type: 'text' | 'int', title: string])[] = [
  ['apn', 0x0203, 'text', 'GPRS access point, EGTS_GPRS_APN (0x0203)'],
  ['server_address', 0x0204, 'text', 'Server address "host:port", EGTS_SERVER_ADDRESS (0x0204)'],
  ['unit_id', 0x0404, 'int', 'Unit id, EGTS_UNIT_ID (0x0404)'],
];
