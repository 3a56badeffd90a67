import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Telemetry, TelemetryStore } from '../../core/ports.js';
import { isConditionFailed } from './errors.js';
import { PK, SK } from './keys.js';

const key = (deviceId: number) => ({ pk: PK.telemetry(deviceId), sk: SK.single });

/**
 * The telemetry of an item: `z` (its JSON, raw-deflated: a device's ~1.5 KB of parameters fits one
 * write unit) or, as written before compression, `j` (the JSON itself).
 */
function telemetryOfItem(item: Record<string, unknown>): Telemetry {
  const text = item.z instanceof Uint8Array ? inflateRawSync(item.z).toString() : String(item.j);
  return JSON.parse(text) as Telemetry;
}

function telemetryBody(t: Telemetry): Uint8Array {
  return deflateRawSync(Buffer.from(JSON.stringify(t)), { level: 6 });
}

/** Telemetry of a device as one item (`z`: compressed JSON, `v`: version for optimistic concurrency). */
export class DynamoTelemetryStore implements TelemetryStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(deviceId: number): Promise<Telemetry | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: key(deviceId) }));
    return r.Item ? telemetryOfItem(r.Item) : undefined;
  }

  async update(deviceId: number, merge: (current: Telemetry) => Telemetry): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: key(deviceId), ConsistentRead: true }));
      const version = r.Item ? Number(r.Item.v) : 0;
      const next = merge(r.Item ? telemetryOfItem(r.Item) : {});
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...key(deviceId), z: telemetryBody(next), v: version + 1 },
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
