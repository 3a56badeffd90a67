import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ArchivedGroup, MessageScope, OwnerId, PackArchive } from '../../core/ports.js';
import { archivedDayPath, dayOfName, decodeArchivedDay, encodeArchivedDay, ownerPath } from '../archive-body.js';

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * The message archive of local mode: one file per owner per day under a folder (the data
 * directory's `archive/`), in the same format as the S3 objects. A day is written to a temporary
 * file and renamed over the old one, so a reader sees the old day or the new one. Expiry by age is
 * left to reads (which skip expired messages) and to dropping the owner.
 */
export class FilePackArchive implements PackArchive {
  constructor(private readonly root: string) {}

  async days(scope: MessageScope, id: OwnerId, fromDay: string, toDay: string): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(join(this.root, ownerPath(scope, id)));
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
    return names
      .map(dayOfName)
      .filter((d): d is string => d !== undefined && d >= fromDay && d <= toDay)
      .sort();
  }

  async get(scope: MessageScope, id: OwnerId, day: string): Promise<ArchivedGroup[] | undefined> {
    try {
      return decodeArchivedDay(await readFile(join(this.root, archivedDayPath(scope, id, day))));
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async put(scope: MessageScope, id: OwnerId, day: string, groups: readonly ArchivedGroup[]): Promise<void> {
    const path = join(this.root, archivedDayPath(scope, id, day));
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, encodeArchivedDay(groups), { flush: true });
    await rename(tmp, path);
  }

  async delete(scope: MessageScope, id: OwnerId, day: string): Promise<void> {
    await rm(join(this.root, archivedDayPath(scope, id, day)), { force: true });
  }

  async drop(scope: MessageScope, id: OwnerId): Promise<void> {
    await rm(join(this.root, ownerPath(scope, id)), { recursive: true, force: true });
  }
}
