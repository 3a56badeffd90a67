import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { TokenRepository } from '../../core/ports.js';
import type { StoredToken } from '../../core/schemas/tokens.js';
import { PK, pad } from './keys.js';

/** Tokens (`token`/<id>, holding only the key's SHA-256) and their lookup by hash (`tokenhash`/<hash>). */
export class DynamoTokenRepository implements TokenRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(token: StoredToken): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: PK.tokenHash, sk: token.hash, token_id: token.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.token, sk: pad(token.id), ...token } }));
  }

  async get(id: number): Promise<StoredToken | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.token, sk: pad(id) } }));
    return r.Item ? strip(r.Item) : undefined;
  }

  async list(): Promise<StoredToken[]> {
    const out: StoredToken[] = [];
    for await (const page of paginateQuery(
      { client: this.doc },
      { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PK.token } },
    )) {
      for (const item of page.Items ?? []) out.push(strip(item));
    }
    return out;
  }

  async update(token: StoredToken): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.token, sk: pad(token.id), ...token } }));
  }

  async delete(token: StoredToken): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.token, sk: pad(token.id) } }));
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.tokenHash, sk: token.hash } }));
  }

  async findByHash(hash: string): Promise<StoredToken | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.tokenHash, sk: hash } }));
    return r.Item ? this.get(Number(r.Item.token_id)) : undefined;
  }
}

function strip(item: Record<string, unknown>): StoredToken {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as StoredToken;
}
