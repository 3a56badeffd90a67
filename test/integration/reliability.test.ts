import { afterAll, describe, expect, it } from 'vitest';
import { type FaultKind, type FaultResult, runScenario } from '../helpers/faults.js';
import { removeDir, tempDir } from '../helpers/local-hub.js';

/**
 * Nothing acked is ever lost: traffic from 10 devices with a fault injected for 3 s, then recovery.
 * Every record a device got an ack for is stored once (no duplicates in the history) and delivered
 * to the subscribed stream at least once.
 */
describe('reliability under injected faults (local mode)', () => {
  const results: FaultResult[] = [];
  const dirs: string[] = [];
  afterAll(() => {
    console.table(results);
    dirs.forEach(removeDir);
  });

  it.each<FaultKind>(['none', 'ingest-crash-mid-batch', 'dynamo-throttle', 'dynamo-errors', 'stream-target-down', 'hub-restart'])(
    '%s: acked = stored (no loss, no duplicates), delivered ≥ stored',
    async (fault) => {
      const dir = tempDir('hub-fault-');
      dirs.push(dir);
      const r = await runScenario(fault, { dataDir: dir, devices: 10, trafficS: 8, faultAtS: 2, faultForS: 3 });
      results.push(r);
      expect(r.acked).toBeGreaterThan(50);
      expect(r.lost).toBe(0);
      expect(r.duplicated).toBe(0);
      expect(r.stored).toBeGreaterThanOrEqual(r.acked);
      expect(r.delivered).toBeGreaterThanOrEqual(r.stored);
    },
    120_000,
  );
});
