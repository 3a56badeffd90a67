import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RegistryGeneration } from '../../core/ports.js';
import { PK, SK } from './keys.js';

/**
 * The registry generation as one item (`gen`/`_`, attribute `n`): raised with UpdateItem ADD by
 * the registry adapters after each write a cached ingest lookup depends on, read with one
 * eventually consistent GetItem (0.5 read unit) by the caches that revalidate (core/generation.ts).
 */
export class DynamoRegistryGeneration implements RegistryGeneration {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async read(): Promise<number> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.generation, sk: SK.single } }));
    return Number(r.Item?.n ?? 0);
  }

  async bump(): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: PK.generation, sk: SK.single },
        UpdateExpression: 'ADD n :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }
}

/** What a registry adapter calls after a write that cached lookups depend on (nothing when no generation is kept). */
export type RegistryChanged = () => Promise<void>;

export const unannounced: RegistryChanged = async () => {};
