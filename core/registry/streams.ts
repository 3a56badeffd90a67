import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { compileExpression } from '../expressions/index.js';
import type {
  Clock,
  DroppedBatch,
  IdGenerator,
  StreamLogEntry,
  StreamRepository,
  StreamStateRepository,
  SubscriptionKind,
  SubscriptionRepository,
} from '../ports.js';
import type { Channel } from '../schemas/channels.js';
import { parseOrThrow } from '../schemas/common.js';
import type { Device } from '../schemas/devices.js';
import { INTERVALS_REFUSED, STREAM_CONFIG_SCHEMAS, type Stream, StreamCreateSchema, type StreamStatus, StreamUpdateSchema } from '../schemas/streams.js';
import type { Access } from './access.js';
import { select } from './selectors.js';

export interface StreamServiceDeps {
  readonly streams: StreamRepository;
  readonly subscriptions: SubscriptionRepository;
  readonly state: StreamStateRepository;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly selectDevices: (sel: string, access: Access) => Promise<Device[]>;
  readonly selectChannels: (sel: string, access: Access) => Promise<Channel[]>;
  /** Subscriptions or streams changed (local mode: refresh fan-out caches at once). */
  readonly onChange?: () => void;
  /** Replayed batches were buffered again: drain the stream now. */
  readonly onReplay?: (streamId: number) => void;
}

export type StreamView = Stream & { status: StreamStatus };

/** Streams: CRUD with per-type configuration, subscriptions, status, logs, dropped batches. */
export class StreamService {
  constructor(private readonly d: StreamServiceDeps) {}

  async create(body: unknown): Promise<Stream[]> {
    const items = parseOrThrow(z.array(StreamCreateSchema).min(1).max(100), body);
    const out: Stream[] = [];
    items.forEach((item, i) => {
      this.check(item.protocol_name, item.configuration, item.validate_message, `[${i}]`, item.source);
    });
    for (const item of items) {
      const { convert_message: _unused, ...rest } = item;
      const stream: Stream = {
        ...rest,
        id: await this.d.ids.next('stream'),
        configuration: STREAM_CONFIG_SCHEMAS[item.protocol_name].parse(item.configuration) as Record<string, unknown>,
      };
      await this.d.streams.create(stream);
      out.push(stream);
    }
    this.d.onChange?.();
    return out;
  }

  async select(selector: string, access: Access): Promise<Stream[]> {
    return select({ text: selector, what: 'stream', resource: 'gw/streams', access, list: () => this.d.streams.list(), get: (id) => this.d.streams.get(id) });
  }

  async view(selector: string, access: Access): Promise<StreamView[]> {
    return Promise.all((await this.select(selector, access)).map(async (s) => ({ ...s, status: await this.status(s.id) })));
  }

  async update(selector: string, body: unknown, access: Access): Promise<Stream[]> {
    const patch = parseOrThrow(StreamUpdateSchema, body);
    const out: Stream[] = [];
    for (const previous of await this.select(selector, access)) {
      const configuration = patch.configuration ?? previous.configuration;
      const validate = patch.validate_message === null ? undefined : (patch.validate_message ?? previous.validate_message);
      this.check(previous.protocol_name, configuration, validate, '', patch.source ?? previous.source);
      const { validate_message: _v, ...rest } = patch;
      const next: Stream = {
        ...previous,
        ...rest,
        configuration: STREAM_CONFIG_SCHEMAS[previous.protocol_name].parse(configuration) as Record<string, unknown>,
      };
      if (validate === undefined) delete (next as { validate_message?: string }).validate_message;
      else next.validate_message = validate;
      await this.d.streams.update(next);
      out.push(next);
    }
    this.d.onChange?.();
    return out;
  }

  async delete(selector: string, access: Access): Promise<Stream[]> {
    const targets = await this.select(selector, access);
    for (const s of targets) {
      const subs = await this.d.subscriptions.subscribers(s.id);
      for (const id of subs.devices) await this.d.subscriptions.remove(s.id, 'device', id);
      for (const id of subs.channels) await this.d.subscriptions.remove(s.id, 'channel', id);
      await this.d.streams.delete(s);
      await this.d.state.clear(s.id);
    }
    this.d.onChange?.();
    return targets;
  }

  async subscribe(selector: string, kind: SubscriptionKind, targetSelector: string, on: boolean, access: Access): Promise<{ stream_id: number; id: number }[]> {
    const streams = await this.select(selector, access);
    const items = kind === 'device' ? await this.d.selectDevices(targetSelector, access) : await this.d.selectChannels(targetSelector, access);
    const out: { stream_id: number; id: number }[] = [];
    for (const s of streams) {
      for (const item of items) {
        if (on) await this.d.subscriptions.add(s.id, kind, item.id);
        else await this.d.subscriptions.remove(s.id, kind, item.id);
        out.push({ stream_id: s.id, id: item.id });
      }
    }
    this.d.onChange?.();
    return out;
  }

  async subscribers(selector: string, kind: SubscriptionKind, access: Access): Promise<{ stream_id: number; id: number }[]> {
    const out: { stream_id: number; id: number }[] = [];
    for (const s of await this.select(selector, access)) {
      const subs = await this.d.subscriptions.subscribers(s.id);
      for (const id of kind === 'device' ? subs.devices : subs.channels) out.push({ stream_id: s.id, id });
    }
    return out;
  }

  async logs(selector: string, count: number, access: Access): Promise<(StreamLogEntry & { stream_id: number })[]> {
    const lists = await Promise.all(
      (await this.select(selector, access)).map(async (s) => (await this.d.state.logs(s.id, count)).map((e) => ({ ...e, stream_id: s.id }))),
    );
    return lists.flat().sort((a, b) => a.timestamp - b.timestamp);
  }

  async dropped(selector: string, access: Access): Promise<(Omit<DroppedBatch, 'messages'> & { stream_id: number; messages: number })[]> {
    const lists = await Promise.all(
      (await this.select(selector, access)).map(async (s) =>
        (await this.d.state.dropped(s.id)).map((b) => ({ ...b, messages: b.messages.length, stream_id: s.id })),
      ),
    );
    return lists.flat();
  }

  /** Puts dropped batches back into the buffer (all, or the given batch ids) and drains. */
  async replay(
    selector: string,
    batchIds: readonly string[] | undefined,
    access: Access,
  ): Promise<{ stream_id: number; batch_id: string; messages: number }[]> {
    const out: { stream_id: number; batch_id: string; messages: number }[] = [];
    for (const s of await this.select(selector, access)) {
      for (const b of await this.d.state.dropped(s.id)) {
        if (batchIds && !batchIds.includes(b.batchId)) continue;
        await this.d.state.append(s.id, { sk: b.sk, batchId: b.batchId, messages: b.messages, enqueued: this.d.clock.now(), attempts: 0 });
        await this.d.state.removeDropped(s.id, b.sk);
        out.push({ stream_id: s.id, batch_id: b.batchId, messages: b.messages.length });
      }
      if (out.some((o) => o.stream_id === s.id)) this.d.onReplay?.(s.id);
    }
    return out;
  }

  async discardDropped(selector: string, access: Access): Promise<{ stream_id: number; batch_id: string }[]> {
    const out: { stream_id: number; batch_id: string }[] = [];
    for (const s of await this.select(selector, access)) {
      for (const b of await this.d.state.dropped(s.id)) {
        await this.d.state.removeDropped(s.id, b.sk);
        out.push({ stream_id: s.id, batch_id: b.batchId });
      }
    }
    return out;
  }

  private async status(id: number): Promise<StreamStatus> {
    const [status, buffered] = await Promise.all([this.d.state.status(id), this.d.state.count(id)]);
    return { ...status, buffered: buffered.batches, buffered_messages: buffered.messages };
  }

  private check(type: Stream['protocol_name'], configuration: unknown, validate: string | undefined, prefix: string, source: Stream['source']): void {
    parseOrThrow(STREAM_CONFIG_SCHEMAS[type], configuration, `${prefix}.configuration`.replace(/^\./, ''));
    const refused = INTERVALS_REFUSED[type];
    if (source === 'intervals' && refused)
      throw new ValidationError(`${`${prefix}.source`.replace(/^\./, '')}: "intervals" is not supported by ${type}: ${refused}`);
    if (validate !== undefined) compileExpression(validate, `${prefix}.validate_message`.replace(/^\./, ''));
  }
}
