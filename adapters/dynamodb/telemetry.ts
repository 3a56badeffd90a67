import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Telemetry, TelemetryStore } from '../../core/ports.js';
import { isConditionFailed } from './errors.js';
import { PK, SK } from './keys.js';

const key = (deviceId: number) => ({ pk: PK.telemetry(deviceId), sk: SK.single });

/** Telemetry of a device as one item (`j`: JSON, `v`: version for optimistic concurrency). */
export class DynamoTelemetryStore implements TelemetryStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(deviceId: number): Promise<Telemetry | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: key(deviceId) }));
    return r.Item ? (JSON.parse(String(r.Item.j)) as Telemetry) : undefined;
  }

  async update(deviceId: number, merge: (current: Telemetry) => Telemetry): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: key(deviceId), ConsistentRead: true }));
      const version = r.Item ? Number(r.Item.v) : 0;
      const next = merge(r.Item ? (JSON.parse(String(r.Item.j)) as Telemetry) : {});
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...key(deviceId), j: JSON.stringify(next), v: version + 1 },
            ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'v = :v',
            ExpressionAttributeValues: version === 0 ? undefined : { ':v': version },
          }),
        );
        return;
      } catch (err) {
        if (!isConditionFailed(err) || attempt >= 10) throw err;
      }
    }
  }

  async drop(deviceId: number): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: key(deviceId) }));
  }
}
