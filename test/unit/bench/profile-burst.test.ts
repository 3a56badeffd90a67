import { describe, expect, it } from 'vitest';
import { burstFit } from '../../../bench/lib/profile-cost.js';
import { isRegistryLookup, steadyRegistryLookups } from '../../../bench/lib/registry-cost.js';

describe('burstFit: a batching window of writes against provisioned capacity and its burst credit', () => {
  it('a 210 s window fits at 90 %: 159 s of capacity needed from 180 s kept', () => {
    expect(burstFit({ windowS: 210, invocationS: 30, targetUtilization: 0.9 })).toEqual({ neededS: 159, accumulatedS: 180, fits: true });
  });
  it('past 300 s the credit is capped: a 600 s window does not fit at 70 %', () => {
    expect(burstFit({ windowS: 600, invocationS: 20, targetUtilization: 0.7 })).toEqual({ neededS: 400, accumulatedS: 300, fits: false });
  });
  it('no window (continuous demand) needs nothing', () => {
    expect(burstFit({ windowS: 0, invocationS: 0.1, targetUtilization: 0.9 })).toEqual({ neededS: 0, accumulatedS: 0, fits: true });
  });
});

describe('steadyRegistryLookups', () => {
  it('charges one load per device per maximum age, or what was measured when more', () => {
    // 2 RRU per device, reloaded every 900 s + half a 60 s cadence: 2 × 30 / 930 per message
    const c = steadyRegistryLookups({ warmRru: 200, devices: 100, measuredPerMessage: 0.01, maxAgeS: 900, cadenceS: 60, periodS: 30 });
    expect(c.loadRruPerDevice).toBe(2);
    expect(c.modelled).toBeCloseTo(60 / 930, 10);
    expect(c.charged).toBe(c.modelled);
    expect(steadyRegistryLookups({ warmRru: 200, devices: 100, measuredPerMessage: 0.4, maxAgeS: 900, cadenceS: 60, periodS: 30 }).charged).toBe(0.4);
  });
  it('counts the lookups of ingest caches, not history, telemetry, states or the generation', () => {
    expect(['ident', 'device', 'channel', 'plug#d#4', 'plugin', 'calc#d#4', 'calc', 'geofence'].every(isRegistryLookup)).toBe(true);
    expect(['gen', 'tm#4', 'd#4', 'calc#c#1', 'plug#p#1', 'stream'].some(isRegistryLookup)).toBe(false);
  });
});
