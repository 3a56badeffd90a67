/**
 * Ingest's registry lookups in the cost bench. Ingest's caches keep an entry past its 2-minute TTL
 * while the registry generation is unchanged, up to a maximum age (core/generation.ts): in a steady
 * fleet a device's lookups are read again once per maximum age (15 minutes), longer than most runs.
 * Each run measures what loading one device's lookups costs (its warm-up loads every sampled
 * device once) and charges those reloads at the steady rate, or what the run measured when that is
 * more (a cache that re-reads more often than the model says is charged as measured).
 */

/** Partition keys of the items ingest's caches look up (generation.ts keeps these), as opposed to history, telemetry, states or the generation itself. */
const LOOKUP_KEYS = [/^ident$/, /^device$/, /^channel$/, /^plug#d#/, /^plugin$/, /^calc#d#/, /^calc$/, /^geofence$/];

export function isRegistryLookup(pk: string): boolean {
  return LOOKUP_KEYS.some((re) => re.test(pk));
}

export interface RegistryLookupCost {
  /** Read units to load one device's lookups (measured in the warm-up). */
  readonly loadRruPerDevice: number;
  /** Lookup read units per message the counted part of the run measured. */
  readonly measured: number;
  /** Lookup read units per message in steady state: one load per device per maximum age. */
  readonly modelled: number;
  /** What is charged: the larger of the two. */
  readonly charged: number;
}

/**
 * `warmRru` over `devices` loads, reloaded at the first batch after `maxAgeS` (on average half a
 * batch cadence later), by a device sending every `periodS`.
 */
export function steadyRegistryLookups(o: {
  readonly warmRru: number;
  readonly devices: number;
  readonly measuredPerMessage: number;
  readonly maxAgeS: number;
  readonly cadenceS: number;
  readonly periodS: number;
}): RegistryLookupCost {
  const loadRruPerDevice = o.warmRru / Math.max(1, o.devices);
  const modelled = (loadRruPerDevice * o.periodS) / (o.maxAgeS + o.cadenceS / 2);
  return { loadRruPerDevice, measured: o.measuredPerMessage, modelled, charged: Math.max(modelled, o.measuredPerMessage) };
}
