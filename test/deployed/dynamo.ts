/**
 * dynalite (in memory) with the template's tables: every `AWS::DynamoDB::Table` and
 * `AWS::DynamoDB::GlobalTable` under its physical name, with its key schema, attribute definitions
 * and secondary indexes. dynalite has no TTL: the TTL attribute of each table is kept for the test
 * to read (the hub's readers skip expired items themselves).
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { asArray, isObject, type ResolvedTemplate } from './template.js';

export interface LocalTables {
  readonly endpoint: string;
  /** TTL attribute per table name (from `TimeToLiveSpecification`). */
  readonly ttl: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

const indexes = (list: unknown) =>
  asArray(list)
    .filter(isObject)
    .map((i) => ({ IndexName: String(i.IndexName), KeySchema: i.KeySchema, Projection: i.Projection ?? { ProjectionType: 'ALL' } }));

export function tableDefinitionsOf(t: ResolvedTemplate): { input: CreateTableCommandInput; ttl?: string }[] {
  return [...t.ofType('AWS::DynamoDB::Table'), ...t.ofType('AWS::DynamoDB::GlobalTable')].map((id) => {
    const p = (t.resolve(t.resource(id).Properties ?? {}) ?? {}) as Record<string, unknown>;
    const gsi = indexes(p.GlobalSecondaryIndexes);
    const lsi = indexes(p.LocalSecondaryIndexes);
    const ttl =
      isObject(p.TimeToLiveSpecification) && p.TimeToLiveSpecification.Enabled !== false ? String(p.TimeToLiveSpecification.AttributeName) : undefined;
    return {
      ttl,
      input: {
        TableName: t.name(id),
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: p.KeySchema,
        AttributeDefinitions: p.AttributeDefinitions,
        ...(gsi.length > 0 ? { GlobalSecondaryIndexes: gsi } : {}),
        ...(lsi.length > 0 ? { LocalSecondaryIndexes: lsi } : {}),
      } as CreateTableCommandInput,
    };
  });
}

export async function startTables(t: ResolvedTemplate): Promise<LocalTables> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'setup', secretAccessKey: 'setup' } });
  const ttl = new Map<string, string>();
  try {
    for (const def of tableDefinitionsOf(t)) {
      await client.send(new CreateTableCommand(def.input));
      if (def.ttl && def.input.TableName) ttl.set(def.input.TableName, def.ttl);
    }
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    ttl,
    close: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
