import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CommandRepository, PendingCommand, PendingKick } from '../../core/ports.js';
import type { Command } from '../../core/schemas/commands.js';
import { isConditionFailed } from './errors.js';
import { PK, pad, SK } from './keys.js';

/** Results stay readable for a week after the command expired. */
const RESULT_RETENTION_S = 7 * 86400;

/**
 * Commands in the registry table: `cmd#<device>`/<id> holds the command and its result; a pending
 * marker `pending`/`cmd#<ident>#<id>` tells listeners what to deliver (one small partition every
 * listener polls); kicks are `pending`/`kick#<channel>#<connection>`.
 */
export class DynamoCommandRepository implements CommandRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(command: Command, ident: string): Promise<void> {
    await this.put(command);
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: PK.pending,
          sk: SK.pendingCommand(ident, command.id),
          device_id: command.device_id,
          command_id: command.id,
          ttl: Math.ceil(command.expire),
        },
      }),
    );
  }

  async get(deviceId: number, id: number): Promise<Command | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.commands(deviceId), sk: pad(id) } }));
    return r.Item ? strip(r.Item) : undefined;
  }

  async list(deviceId: number): Promise<Command[]> {
    const out: Command[] = [];
    for await (const page of paginateQuery(
      { client: this.doc },
      { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PK.commands(deviceId) } },
    )) {
      for (const item of page.Items ?? []) out.push(strip(item));
    }
    return out;
  }

  async update(command: Command, ident?: string): Promise<void> {
    await this.put(command);
    if (command.status !== 'queued' && ident) await this.unpend(ident, command.id);
  }

  async markSent(command: Command, ident: string, at: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: PK.commands(command.device_id), sk: pad(command.id) },
          UpdateExpression: 'SET #s = :sent, sent = :at',
          ConditionExpression: '#s = :queued',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':sent': 'sent', ':queued': 'queued', ':at': at },
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
    await this.unpend(ident, command.id);
    return true;
  }

  async delete(command: Command, ident?: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.commands(command.device_id), sk: pad(command.id) } }));
    if (ident) await this.unpend(ident, command.id);
  }

  async pending(): Promise<{ commands: PendingCommand[]; kicks: PendingKick[] }> {
    const commands: PendingCommand[] = [];
    const kicks: PendingKick[] = [];
    const now = Date.now() / 1000;
    for await (const page of paginateQuery(
      { client: this.doc },
      { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PK.pending } },
    )) {
      for (const item of page.Items ?? []) {
        if (item.ttl && Number(item.ttl) < now) continue;
        const sk = String(item.sk);
        if (sk.startsWith(SK.kickPrefix)) {
          const [, channel, ...conn] = sk.split('#');
          kicks.push({ channelId: Number(channel), connectionId: conn.join('#') });
        } else commands.push(fromPending(item));
      }
    }
    return { commands, kicks };
  }

  async pendingFor(ident: string): Promise<PendingCommand[]> {
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': PK.pending, ':p': SK.pendingCommandsOf(ident) },
      }),
    );
    return (r.Items ?? []).map(fromPending);
  }

  async moveIdent(deviceId: number, oldIdent: string, newIdent: string): Promise<void> {
    for (const p of await this.pendingFor(oldIdent)) {
      if (p.deviceId !== deviceId) continue;
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: PK.pending, sk: SK.pendingCommand(newIdent, p.commandId), device_id: deviceId, command_id: p.commandId },
        }),
      );
      await this.unpend(oldIdent, p.commandId);
    }
  }

  async kick(kick: PendingKick): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: PK.pending, sk: SK.kick(kick.channelId, kick.connectionId), ttl: Math.ceil(Date.now() / 1000 + 300) },
      }),
    );
  }

  async clearKick(kick: PendingKick): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.pending, sk: SK.kick(kick.channelId, kick.connectionId) } }));
  }

  private async put(command: Command): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: PK.commands(command.device_id), sk: pad(command.id), ...command, ttl: Math.ceil(command.expire + RESULT_RETENTION_S) },
      }),
    );
  }

  private async unpend(ident: string, id: number): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.pending, sk: SK.pendingCommand(ident, id) } }));
  }
}

function fromPending(item: Record<string, unknown>): PendingCommand {
  const sk = String(item.sk);
  return { ident: sk.slice(4, sk.lastIndexOf('#')), deviceId: Number(item.device_id), commandId: Number(item.command_id) };
}

function strip(item: Record<string, unknown>): Command {
  const { pk: _pk, sk: _sk, ttl: _ttl, ...rest } = item;
  return rest as Command;
}
