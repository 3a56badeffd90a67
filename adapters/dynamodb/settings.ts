import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { SettingsRepository } from '../../core/ports.js';
import type { SettingState } from '../../core/schemas/settings.js';
import { PK } from './keys.js';

/** Settings per device: `set#<device>`/<name>. */
export class DynamoSettingsRepository implements SettingsRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async list(deviceId: number): Promise<SettingState[]> {
    const out: SettingState[] = [];
    for await (const page of paginateQuery(
      { client: this.doc },
      { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PK.settings(deviceId) } },
    )) {
      for (const item of page.Items ?? []) out.push(item.s as SettingState);
    }
    return out;
  }

  async put(deviceId: number, state: SettingState): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.settings(deviceId), sk: state.name, s: state } }));
  }

  async drop(deviceId: number): Promise<void> {
    for (const s of await this.list(deviceId))
      await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.settings(deviceId), sk: s.name } }));
  }
}
