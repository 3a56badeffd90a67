import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilePackArchive } from '../../adapters/local/file-archive.js';
import { coldHistoryBattery } from '../helpers/cold-history.js';

coldHistoryBattery('the file-backed archive (local mode)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-archive-'));
  return { archive: new FilePackArchive(dir), close: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe('the file-backed archive across a restart', () => {
  it('reads what an earlier process wrote to the same directory, and drops an owner whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-archive-'));
    try {
      const groups = [{ ttl: 1_800_000_000, entries: [{ key: 'k1', ts: 1_700_000_000_000, message: { timestamp: 1_700_000_000, 'position.speed': 12 } }] }];
      await new FilePackArchive(dir).put('device', 1, '2023-11-14', groups);
      const again = new FilePackArchive(dir);
      expect(await again.days('device', 1, '2023-11-01', '2023-11-30')).toEqual(['2023-11-14']);
      expect(await again.get('device', 1, '2023-11-14')).toEqual(groups);
      await again.drop('device', 1);
      expect(await new FilePackArchive(dir).days('device', 1, '2023-11-01', '2023-11-30')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
