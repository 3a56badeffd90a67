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
