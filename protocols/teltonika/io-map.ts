/**
 * Teltonika IO elements → message parameters (DESIGN §3). One line per element: the table is the
 * mapping; the decoder holds no per-element branches. Sources: Teltonika "FMB AVL ID" list (public
 * wiki) and the codec notes in ../shared/protocols. Unknown ids are kept as `io.<id>`.
 *
 * kind: `u` unsigned, `s` signed (two's complement of the element's size), `bool` (non-zero),
 * `hex` (raw bytes), `ascii` (text). scale multiplies the raw integer.
 */
export type IoKind = 'u' | 's' | 'bool' | 'hex' | 'ascii';
export interface IoDef {
  readonly name: string;
  readonly kind: IoKind;
  /** The raw integer is divided by this (a divisor keeps 12345 → 12.345 exact, where × 0.001 would not). */
  readonly div?: number;
  /** `din.N` / `dout.N` elements also set bit N-1 of the `din` / `dout` bitmask. */
  readonly bitmask?: 'din' | 'dout';
  readonly bit?: number;
}

const T: ReadonlyArray<readonly [id: number, name: string, kind: IoKind, scale?: number]> = [
  [1, 'din.1', 'bool'],
  [2, 'din.2', 'bool'],
  [3, 'din.3', 'bool'],
  [4, 'din.4', 'bool'],
  [9, 'ain.1', 'u', 0.001],
  [10, 'ain.2', 'u', 0.001],
  [6, 'ain.3', 'u', 0.001],
  [11, 'gsm.sim.iccid.part1', 'u'],
  [12, 'vehicle.fuel.used.gps', 'u', 0.001],
  [13, 'vehicle.fuel.rate.gps', 'u', 0.01],
  [14, 'gsm.sim.iccid.part2', 'u'],
  [15, 'eco.score', 'u', 0.01],
  [16, 'vehicle.mileage', 'u', 0.001],
  [17, 'x.acceleration', 's', 0.001],
  [18, 'y.acceleration', 's', 0.001],
  [19, 'z.acceleration', 's', 0.001],
  [21, 'gsm.signal.level', 'u'],
  [24, 'gnss.speed', 'u'],
  [25, 'ble.sensor.temperature.1', 's', 0.01],
  [26, 'ble.sensor.temperature.2', 's', 0.01],
  [27, 'ble.sensor.temperature.3', 's', 0.01],
  [28, 'ble.sensor.temperature.4', 's', 0.01],
  [29, 'ble.sensor.battery.voltage.1', 'u', 0.01],
  [30, 'obd.dtc.count', 'u'],
  [31, 'can.engine.load', 'u'],
  [32, 'can.engine.coolant.temperature', 's'],
  [36, 'can.engine.rpm', 'u'],
  [37, 'can.vehicle.speed', 'u'],
  [48, 'can.fuel.level', 'u'],
  [66, 'external.powersource.voltage', 'u', 0.001],
  [67, 'battery.voltage', 'u', 0.001],
  [68, 'battery.current', 'u', 0.001],
  [69, 'gnss.status.enum', 'u'],
  [72, 'sensor.temperature.1', 's', 0.1],
  [73, 'sensor.temperature.2', 's', 0.1],
  [74, 'sensor.temperature.3', 's', 0.1],
  [75, 'sensor.temperature.4', 's', 0.1],
  [78, 'ibutton.code', 'hex'],
  [80, 'data.mode.enum', 'u'],
  [113, 'battery.level', 'u'],
  [179, 'dout.1', 'bool'],
  [180, 'dout.2', 'bool'],
  [380, 'dout.3', 'bool'],
  [181, 'position.pdop', 'u', 0.1],
  [182, 'position.hdop', 'u', 0.1],
  [199, 'trip.mileage', 'u', 0.001],
  [200, 'sleep.mode.enum', 'u'],
  [205, 'gsm.cellid', 'u'],
  [206, 'gsm.lac', 'u'],
  [237, 'network.type.enum', 'u'],
  [239, 'engine.ignition.status', 'bool'],
  [240, 'movement.status', 'bool'],
  [241, 'gsm.operator.code', 'u'],
  [246, 'towing.status', 'bool'],
  [247, 'crash.status', 'u'],
  [249, 'jamming.status', 'bool'],
  [250, 'trip.status', 'u'],
  [251, 'idle.status', 'bool'],
  [252, 'external.powersource.unplug.status', 'bool'],
  [253, 'green.driving.type.enum', 'u'],
  [254, 'green.driving.value', 'u'],
  [255, 'overspeeding.value', 'u'],
  [256, 'vehicle.vin', 'ascii'],
  [263, 'bluetooth.status.enum', 'u'],
  [281, 'obd.dtc.codes', 'ascii'],
  [303, 'instant.movement.status', 'bool'],
  [318, 'gnss.jamming.enum', 'u'],
  [385, 'ble.beacons.raw', 'hex'],
];

/** Dense lookup by IO id (ids are at most u16). */
export const IO_TABLE: ReadonlyArray<IoDef | undefined> = (() => {
  const table: (IoDef | undefined)[] = new Array(65536);
  for (const [id, name, kind, scale] of T) {
    if (table[id]) throw new Error(`duplicate Teltonika IO id ${id}`);
    const bits = /^(din|dout)\.(\d+)$/.exec(name);
    table[id] = {
      name,
      kind,
      ...(scale === undefined ? {} : { div: Math.round(1 / scale) }),
      ...(bits ? { bitmask: bits[1] as 'din' | 'dout', bit: Number(bits[2]) - 1 } : {}),
    };
  }
  return table;
})();

/** `io.<id>` names, built once. */
const UNKNOWN_NAMES: string[] = [];
export function unknownIoName(id: number): string {
  const name = UNKNOWN_NAMES[id] ?? `io.${id}`;
  UNKNOWN_NAMES[id] = name;
  return name;
}

/** Parameter name → IO id (used to read telemetry back as IO, e.g. for the retranslator). */
