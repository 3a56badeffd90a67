import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { TableNames } from '../dynamodb/client.js';
import { tableDefinitions } from '../dynamodb/tables.js';

export interface LocalDynamo {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Serves the DynamoDB API in-process with dynalite: on disk under `path` (LevelDB), or in memory
 * when `path` is undefined. Tables are created when missing. dynalite has no TTL sweeper: readers
 * skip expired items.
 */
export async function startDynalite(path: string | undefined, tables: TableNames, host = '127.0.0.1'): Promise<LocalDynamo> {
  closeIteratorsOnReturn();
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host}:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    for (const def of tableDefinitions(tables)) {
      try {
        await client.send(new DescribeTableCommand({ TableName: def.TableName }));
      } catch (err) {
        if (!(err instanceof Error && err.name === 'ResourceNotFoundException')) throw err;
        await client.send(new CreateTableCommand(def));
      }
    }
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** The prototype every LevelDB iterator dynalite opens inherits from (abstract-level's CommonIterator). */
export function levelIteratorPrototype(): { close(): Promise<void>; next(): Promise<unknown>; return?: () => Promise<void> } {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const fromLevel = createRequire(fromDynalite.resolve('level'));
  const fromClassic = createRequire(fromLevel.resolve('classic-level'));
  const { AbstractValueIterator } = fromClassic('abstract-level') as { AbstractValueIterator: { prototype: object } };
  return Object.getPrototypeOf(AbstractValueIterator.prototype);
}

/**
 * dynalite 4 wraps LevelDB iterators in streams whose `destroy` closes the iterator only through
 * `iterator.return()`, which abstract-level 3 iterators lack, and nothing closes them at the end
 * either: every Query and Scan leaked two native iterators. Each pins a LevelDB version, so
 * compacted table files were never deleted: in a 10,000-device soak the data directory grew by
 * ~130 MB a minute and the hub's RSS with it (the files are mmapped). Giving iterators a `return`
 * that closes them lets dynalite's own `destroy` release them.
 */
function closeIteratorsOnReturn(): void {
  const proto = levelIteratorPrototype();
  if (typeof proto.return === 'function') return;
  Object.defineProperty(proto, 'return', {
    configurable: true,
    writable: true,
    value(this: { close(): Promise<void> }) {
      return this.close();
    },
  });
}
