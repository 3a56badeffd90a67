/** The ports of the analytics registry: geofences, plugins, calculators and their intervals. */
export interface GeofenceRepository {
  create(geofence: import('./schemas/geofences.js').Geofence): Promise<void>;
  get(id: number): Promise<import('./schemas/geofences.js').Geofence | undefined>;
  list(): Promise<import('./schemas/geofences.js').Geofence[]>;
  update(geofence: import('./schemas/geofences.js').Geofence): Promise<void>;
  delete(geofence: import('./schemas/geofences.js').Geofence): Promise<void>;
}

/** A device a plugin is assigned to; `seq` orders a device's plugins (assignment order). */
export interface PluginLink {
  readonly pluginId: number;
  readonly deviceId: number;
  readonly seq: number;
}

export interface PluginRepository {
  create(plugin: import('./schemas/plugins.js').Plugin): Promise<void>;
  get(id: number): Promise<import('./schemas/plugins.js').Plugin | undefined>;
  list(): Promise<import('./schemas/plugins.js').Plugin[]>;
  update(plugin: import('./schemas/plugins.js').Plugin): Promise<void>;
  delete(plugin: import('./schemas/plugins.js').Plugin): Promise<void>;
  /** Assigns a plugin to a device at position `seq`; an existing assignment keeps its place (false). */
  assign(link: PluginLink): Promise<boolean>;
  unassign(pluginId: number, deviceId: number): Promise<void>;
  /** The devices of a plugin, in assignment order. */
  devicesOf(pluginId: number): Promise<PluginLink[]>;
  /** The plugins of a device, in assignment order (one query: ingest reads this per device). */
  pluginsOf(deviceId: number): Promise<PluginLink[]>;
}

/** One (calculator, device): the engine's state, whether its stored history is calculated, and the version conditional writes check. */
export interface CalcStateRecord {
  readonly calcId: number;
  readonly deviceId: number;
  readonly state: import('./calcs/types.js').IntervalState;
  /** The backfill is done: new messages update the state as they arrive. */
  readonly synced: boolean;
  /** Time of the newest message calculated (backfill progress), null before the first. */
  readonly updated: number | null;
  /** 0 for a record never written. */
  readonly version: number;
  /**
   * Messages stored after `state.lastTs` may not be in the state yet (a write-behind store read it
   * back after a restart, adapters/local/write-behind-calcs.ts): ingest re-reads them first.
   */
  readonly catchUp?: boolean;
  /**
   * What the last ingest batch that changed the pair wrote and published, under its batch token:
   * a redelivery of that batch (same token, nothing new) writes and publishes it again, since a
   * crash may have come between the state write and those (events are delivered at least once).
   */
  readonly outbox?: { readonly token: string; readonly events: readonly import('./calcs/types.js').CalcEvent[] };
}

/** A stored interval: the engine's fields and counters, with its calculator, device and user fields. */
export type StoredInterval = import('./calcs/types.js').Interval & { readonly calc_id: number; readonly device_id: number };

export interface CalcRepository {
  create(calc: import('./schemas/calcs.js').Calc): Promise<void>;
  get(id: number): Promise<import('./schemas/calcs.js').Calc | undefined>;
  list(): Promise<import('./schemas/calcs.js').Calc[]>;
  update(calc: import('./schemas/calcs.js').Calc): Promise<void>;
  delete(calc: import('./schemas/calcs.js').Calc): Promise<void>;
  /** Assigns (with an unsynced, empty state); an existing assignment is kept as it is (false). */
  assign(calcId: number, deviceId: number): Promise<boolean>;
  /** Removes the assignment, its state and its intervals. */
  unassign(calcId: number, deviceId: number): Promise<void>;
  /** The calculators of a device (one query: ingest reads it per device, cached). */
  calcsOf(deviceId: number): Promise<number[]>;
  /** The states of a calculator's devices (one query: the API and the tick). */
  statesOf(calcId: number): Promise<CalcStateRecord[]>;
  getState(calcId: number, deviceId: number): Promise<CalcStateRecord | undefined>;
  /** Several states in few requests (ingest reads a batch's pairs at once); missing pairs are left out. */
  getStates(pairs: readonly { readonly calcId: number; readonly deviceId: number }[]): Promise<CalcStateRecord[]>;
  /** Writes `record` as version `record.version + 1` if the stored one is still `record.version`; false when another writer came first. */
  putState(record: CalcStateRecord): Promise<boolean>;
  /** Intervals by id (≈ begin in ms), oldest first (or newest with reverse); expired ones are left out. */
  intervals(calcId: number, deviceId: number, q?: { fromId?: number; toId?: number; reverse?: boolean; count?: number }): Promise<StoredInterval[]>;
  /** Upserts the engine's fields (user fields stay); each expires `ttl` s after its end. */
  putIntervals(calcId: number, deviceId: number, intervals: readonly import('./calcs/types.js').Interval[], ttl: number): Promise<void>;
  deleteIntervals(calcId: number, deviceId: number, ids: readonly number[]): Promise<void>;
  /**
   * Stores now what a write-behind store holds of the pair: changes a restart could not redo from
   * the messages stored after the state (recalculated late data, a reset, deleted intervals).
   * Absent when every write is stored as it is made.
   */
  settle?(calcId: number, deviceId: number): Promise<void>;
  /** Sets user fields of one interval (null removes one). */
  setUserFields(calcId: number, deviceId: number, id: number, fields: Readonly<Record<string, string | number | boolean | null>>): Promise<void>;
}
