import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../../bin/commands/sim-devices.js';

describe('bin/commands/sim-devices', () => {
  describe('backoffMs', () => {
    it('waits 1 s after the first failure and doubles up to 60 s (jitter at its midpoint)', () => {
      const mid = () => 0.5;
      expect([0, 1, 2, 3, 4, 5, 6, 7, 30].map((f) => backoffMs(f, mid))).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    });

    it('spreads each wait by ±25 % and never past 60 s', () => {
      expect([backoffMs(0, () => 0), backoffMs(0, () => 1)]).toEqual([750, 1250]);
      expect([backoffMs(5, () => 0), backoffMs(5, () => 1)]).toEqual([24_000, 40_000]);
      expect([backoffMs(6, () => 0), backoffMs(6, () => 1)]).toEqual([45_000, 60_000]);
    });
  });
});
