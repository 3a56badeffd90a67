import { z } from 'zod';
import { getProtocol } from '../../protocols/index.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { GeofenceIndex } from '../geofences/index.js';
import type { MessagePage, MessageService } from '../messages/service.js';
import type { ChannelRepository, Clock, ConnectionDirectory, IdGenerator } from '../ports.js';
import { type Channel, ChannelCreateSchema, ChannelUpdateSchema, DEFAULT_CHANNEL_MESSAGES_TTL } from '../schemas/channels.js';
import { parseOrThrow } from '../schemas/common.js';
import type { MessagesQuery } from '../schemas/messages.js';
import type { Access } from './access.js';
import { select } from './selectors.js';

export interface ChannelServiceDeps {
  readonly channels: ChannelRepository;
  readonly ids: IdGenerator;
  readonly messages: MessageService;
  /** Host devices connect to (the NLB name on AWS, the bind address locally). */
  readonly publicHost: string;
  /** Ports the hub may give channels created without one (inclusive). */
  readonly portRange: readonly [number, number];
  /** messages_ttl of channels created without one (s). */
  readonly defaultMessagesTtl?: number;
  /** Where listeners report whether they serve each channel (GET shows it as `status`). */
  readonly directory?: Pick<ConnectionDirectory, 'statuses'>;
  readonly clock?: Clock;
  /** Whether a port can be listened on here (local mode probes it; on AWS the load balancer owns the range). */
  readonly portAvailable?: (port: number, transport: 'tcp' | 'udp') => Promise<boolean>;
  /** The geofences, for `geofence('name')` in a messages filter. */
  readonly geofences?: () => Promise<GeofenceIndex>;
}

/** The `status` of a channel in API answers: whether its listener(s) serve it, or why not. */
export interface ChannelStatusView {
  readonly listening: boolean;
  readonly error?: string;
  /** When this state began (Unix seconds); null when no listener has reported the channel. */
  readonly since: number | null;
}

/** Listener reports older than this are a dead listener's (as for connections). */
const STATUS_STALE_S = 90;

/** Channels: connection points, one protocol on one port. */
export class ChannelService {
  constructor(private readonly deps: ChannelServiceDeps) {}

  async create(body: unknown): Promise<Channel[]> {
    const items = parseOrThrow(z.array(ChannelCreateSchema).min(1).max(100), body);
    const existing = await this.deps.channels.list();
    const used = new Set(existing.map((c) => portKey(c.configuration.port, c.configuration.transport)));
    const created: Channel[] = [];
    try {
      for (const [i, item] of items.entries()) {
        const protocol = getProtocol(item.protocol_name ?? item.protocol_id ?? '');
        if (!protocol)
          throw new ValidationError(
            `[${i}].${item.protocol_name ? 'protocol_name' : 'protocol_id'}: unknown protocol "${item.protocol_name ?? item.protocol_id}"`,
          );
        if (item.protocol_name && item.protocol_id && item.protocol_id !== protocol.id)
          throw new ValidationError(`[${i}].protocol_id: ${item.protocol_id} is not ${item.protocol_name}`);
        const transport = item.configuration.transport ?? protocol.transports[0];
        if (!protocol.transports.includes(transport)) throw new ValidationError(`[${i}].configuration.transport: ${protocol.name} does not speak ${transport}`);
        const port = item.configuration.port ?? (await this.freePort(used, transport));
        if (used.has(portKey(port, transport)))
          throw new ConflictError(`[${i}].configuration.port: ${layer4(transport)} port ${port} is used by another channel`);
        used.add(portKey(port, transport));
        const channel: Channel = {
          id: await this.deps.ids.next('channel'),
          name: item.name,
          protocol_id: protocol.id,
          protocol_name: protocol.name,
          uri: `${this.deps.publicHost}:${port}`,
          configuration: { ...item.configuration, port, transport },
          messages_ttl: item.messages_ttl ?? this.deps.defaultMessagesTtl ?? DEFAULT_CHANNEL_MESSAGES_TTL,
          enabled: item.enabled,
        };
        await this.deps.channels.create(channel);
        created.push(channel);
      }
    } catch (err) {
      for (const c of created) await this.deps.channels.delete(c).catch(() => undefined);
      throw err;
    }
    return created;
  }

  async select(selector: string, access: Access): Promise<Channel[]> {
    return select({
      text: selector,
      what: 'channel',
      resource: 'gw/channels',
      access,
      list: () => this.deps.channels.list(),
      get: (id) => this.deps.channels.get(id),
    });
  }

  /** Selected channels with their listening status (GET /gw/channels/{sel}). */
  async view(selector: string, access: Access): Promise<(Channel & { status: ChannelStatusView })[]> {
    const channels = await this.select(selector, access);
    return Promise.all(channels.map(async (c) => ({ ...c, status: await this.status(c) })));
  }

  private async status(channel: Channel): Promise<ChannelStatusView> {
    if (!channel.enabled) return { listening: false, error: 'the channel is disabled', since: null };
    const { directory, clock } = this.deps;
    if (!directory || !clock) return { listening: false, error: 'listener status is not available here', since: null };
    const reports = await directory.statuses(channel.id, clock.now() - STATUS_STALE_S);
    if (reports.length === 0) return { listening: false, error: 'no listener has reported this channel yet', since: null };
    const failing = reports.filter((r) => !r.listening);
    if (failing.length === 0) return { listening: true, since: Math.max(...reports.map((r) => r.since)) };
    const error = failing[0].error ?? 'not listening';
    return { listening: false, error: reports.length > 1 ? `listener ${failing[0].listener}: ${error}` : error, since: failing[0].since };
  }

  async get(id: number): Promise<Channel | undefined> {
    return this.deps.channels.get(id);
  }

  async update(selector: string, body: unknown, access: Access): Promise<Channel[]> {
    const patch = parseOrThrow(ChannelUpdateSchema, body);
    const targets = await this.select(selector, access);
    const all = await this.deps.channels.list();
    const out: Channel[] = [];
    for (const previous of targets) {
      const configuration = { ...previous.configuration, ...patch.configuration };
      const protocol = getProtocol(previous.protocol_id);
      if (protocol && !protocol.transports.includes(configuration.transport))
        throw new ValidationError(`configuration.transport: ${protocol.name} does not speak ${configuration.transport}`);
      if (configuration.port !== previous.configuration.port) {
        if (targets.length > 1) throw new ValidationError('configuration.port: a port can be set on one channel at a time');
        const key = portKey(configuration.port, configuration.transport);
        if (all.some((c) => c.id !== previous.id && portKey(c.configuration.port, c.configuration.transport) === key))
          throw new ConflictError(`configuration.port: ${layer4(configuration.transport)} port ${configuration.port} is used by another channel`);
      }
      const channel: Channel = { ...previous, ...patch, configuration, uri: `${this.deps.publicHost}:${configuration.port}` };
      await this.deps.channels.update(channel);
      out.push(channel);
    }
    return out;
  }

  async delete(selector: string, access: Access): Promise<Channel[]> {
    const targets = await this.select(selector, access);
    for (const c of targets) {
      await this.deps.channels.delete(c);
      await this.deps.messages.drop('channel', c.id);
    }
    return targets;
  }

  async messages(selector: string, q: MessagesQuery, access: Access): Promise<MessagePage> {
    const targets = await this.select(selector, access);
    if (targets.length > 1) throw new ValidationError('channel selector: messages are read from one channel at a time');
    return targets.length === 0 ? { messages: [] } : this.deps.messages.query('channel', targets[0].id, q, { geofences: this.deps.geofences });
  }

  /** The first port of the range no channel uses on this transport and (where the hub can tell) nothing else holds. */
  private async freePort(used: ReadonlySet<string>, transport: 'tcp' | 'udp' | 'http'): Promise<number> {
    const [lo, hi] = this.deps.portRange;
    const skipped: number[] = [];
    for (let p = lo; p <= hi; p++) {
      if (used.has(portKey(p, transport))) continue;
      if (!this.deps.portAvailable || (await this.deps.portAvailable(p, layer4(transport)))) return p;
      skipped.push(p);
    }
    const held = skipped.length > 0 ? ` (${skipped.join(', ')} held by other programs)` : '';
    throw new ConflictError(
      `configuration.port: every ${layer4(transport)} port of the hub's range ${lo}-${hi} is taken${held}; give a port or widen the range`,
    );
  }
}

/** HTTP channels listen on TCP: a TCP and a UDP channel may share a port number, two TCP ones may not. */
function layer4(transport: 'tcp' | 'udp' | 'http'): 'tcp' | 'udp' {
  return transport === 'udp' ? 'udp' : 'tcp';
}

function portKey(port: number, transport: 'tcp' | 'udp' | 'http'): string {
  return `${layer4(transport)}:${port}`;
}
