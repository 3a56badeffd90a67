import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { GeofenceRepository } from '../../core/ports.js';
import type { Geofence } from '../../core/schemas/geofences.js';
import { type RegistryChanged, unannounced } from './generation.js';
import { PK, pad } from './keys.js';
import { queryAll } from './registry.js';

/** Geofences in the registry table: `geofence`/<id>. */
export class DynamoGeofenceRepository implements GeofenceRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    /** Raises the registry generation after a write (generation.ts). */
    private readonly changed: RegistryChanged = unannounced,
  ) {}

  async create(geofence: Geofence): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { pk: PK.geofence, sk: pad(geofence.id), ...geofence }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    await this.changed();
  }

  async get(id: number): Promise<Geofence | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.geofence, sk: pad(id) } }));
    return r.Item ? strip(r.Item) : undefined;
  }

  async list(): Promise<Geofence[]> {
    return (await queryAll(this.doc, this.table, PK.geofence)).map(strip);
  }

  async update(geofence: Geofence): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.geofence, sk: pad(geofence.id), ...geofence } }));
    await this.changed();
  }

  async delete(geofence: Geofence): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.geofence, sk: pad(geofence.id) } }));
    await this.changed();
  }
}

function strip(item: Record<string, unknown>): Geofence {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as Geofence;
}
