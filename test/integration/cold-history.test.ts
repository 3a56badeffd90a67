import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilePackArchive } from '../../adapters/local/file-archive.js';
import { coldHistoryBattery } from '../helpers/cold-history.js';

coldHistoryBattery('the file-backed archive (local mode)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-archive-'));
  return { archive: new FilePackArchive(dir), close: async () => rmSync(dir, { recursive: true, force: true }) };
});
