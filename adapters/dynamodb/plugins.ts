import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PluginLink, PluginRepository } from '../../core/ports.js';
import type { Plugin } from '../../core/schemas/plugins.js';
import { isConditionFailed } from './errors.js';
import { type RegistryChanged, unannounced } from './generation.js';
import { PK, pad } from './keys.js';
import { queryAll } from './registry.js';

/**
 * Plugins (`plugin`/<id>) and their assignments, kept from both sides so that each read is one
 * query: `plug#d#<device>`/<plugin> (ingest reads a device's chain) and `plug#p#<plugin>`/<device>
 * (the API lists a plugin's devices). Both carry `seq`, the assignment order.
 */
export class DynamoPluginRepository implements PluginRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    /** Raises the registry generation after a write (generation.ts). */
    private readonly changed: RegistryChanged = unannounced,
  ) {}

  async create(plugin: Plugin): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { pk: PK.plugin, sk: pad(plugin.id), ...plugin }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    await this.changed();
  }

  async get(id: number): Promise<Plugin | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.plugin, sk: pad(id) } }));
    return r.Item ? strip(r.Item) : undefined;
  }

  async list(): Promise<Plugin[]> {
    return (await queryAll(this.doc, this.table, PK.plugin)).map(strip);
  }

  async update(plugin: Plugin): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.plugin, sk: pad(plugin.id), ...plugin } }));
    await this.changed();
  }

  async delete(plugin: Plugin): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.plugin, sk: pad(plugin.id) } }));
    await this.changed();
  }

  async assign(link: PluginLink): Promise<boolean> {
    // the device side decides (conditional); the plugin side is a plain put, repeated harmlessly on a retry
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: PK.pluginsOfDevice(link.deviceId), sk: pad(link.pluginId), seq: link.seq },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const kept = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.pluginsOfDevice(link.deviceId), sk: pad(link.pluginId) } }));
      await this.putPluginSide({ ...link, seq: Number(kept.Item?.seq ?? link.seq) });
      return false;
    }
    await this.putPluginSide(link);
    await this.changed();
    return true;
  }

  async unassign(pluginId: number, deviceId: number): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.pluginsOfDevice(deviceId), sk: pad(pluginId) } }));
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.devicesOfPlugin(pluginId), sk: pad(deviceId) } }));
    await this.changed();
  }

  private async putPluginSide(link: PluginLink): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.devicesOfPlugin(link.pluginId), sk: pad(link.deviceId), seq: link.seq } }));
  }

  async devicesOf(pluginId: number): Promise<PluginLink[]> {
    return ordered((await queryAll(this.doc, this.table, PK.devicesOfPlugin(pluginId))).map((i) => ({ pluginId, deviceId: Number(i.sk), seq: Number(i.seq) })));
  }

  async pluginsOf(deviceId: number): Promise<PluginLink[]> {
    return ordered((await queryAll(this.doc, this.table, PK.pluginsOfDevice(deviceId))).map((i) => ({ pluginId: Number(i.sk), deviceId, seq: Number(i.seq) })));
  }
}

const ordered = (links: PluginLink[]): PluginLink[] => links.sort((a, b) => a.seq - b.seq);

function strip(item: Record<string, unknown>): Plugin {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as Plugin;
}
