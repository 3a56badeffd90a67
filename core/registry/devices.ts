import { z } from 'zod';
import { scope } from '../api/access.js';
import type { Principal } from '../api/auth.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { MessagePage, MessageService } from '../messages/service.js';
import type { Clock, CommandRepository, DeviceLogRepository, DeviceRepository, IdGenerator, SettingsRepository, Telemetry, TelemetryStore } from '../ports.js';
import { parseOrThrow } from '../schemas/common.js';
import { DEFAULT_DEVICE_MESSAGES_TTL, type Device, DeviceCreateSchema, DeviceUpdateSchema } from '../schemas/devices.js';
import type { MessagesQuery } from '../schemas/messages.js';
import { adoptIdentHistory } from './adoption.js';
import type { DeviceType } from './device-types.js';
import { parseSelector, selectOrThrow } from './selectors.js';
import { currentTelemetry, narrowTelemetry } from './telemetry.js';

export interface DeviceServiceDeps {
  readonly devices: DeviceRepository;
  readonly ids: IdGenerator;
  readonly messages: MessageService;
  readonly telemetry: TelemetryStore;
  readonly deviceTypes: ReadonlyMap<number, DeviceType>;
  readonly logs?: DeviceLogRepository;
  readonly commands?: Pick<CommandRepository, 'moveIdent'>;
  readonly settings?: Pick<SettingsRepository, 'drop'>;
  /** messages_ttl of devices created without one (s). */
  readonly defaultMessagesTtl?: number;
  readonly clock?: Clock;
  /** Called after the registry changed (local mode uses it to refresh ingest's caches at once). */
  readonly onChange?: () => void;
}

/** Devices: CRUD, hardware swap (ident change), history and telemetry. */
export class DeviceService {
  constructor(private readonly deps: DeviceServiceDeps) {}

  async create(body: unknown): Promise<Device[]> {
    const items = parseOrThrow(z.array(DeviceCreateSchema).min(1).max(1000), body);
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.configuration.ident)) throw new ConflictError(`[${i}].configuration.ident: "${item.configuration.ident}" appears twice in the request`);
      seen.add(item.configuration.ident);
      this.checkType(item.device_type_id ?? null, `[${i}].device_type_id`);
    });
    const created: Device[] = [];
    try {
      for (const item of items) {
        const device: Device = {
          id: await this.deps.ids.next('device'),
          name: item.name,
          configuration: item.configuration,
          device_type_id: item.device_type_id ?? null,
          protocol_id: this.protocolOf(item.device_type_id ?? null),
          messages_ttl: item.messages_ttl ?? this.deps.defaultMessagesTtl ?? DEFAULT_DEVICE_MESSAGES_TTL,
          enabled: item.enabled,
          metadata: item.metadata,
        };
        await this.deps.devices.create(device);
        created.push(device);
      }
    } catch (err) {
      for (const d of created) await this.deps.devices.delete(d).catch(() => undefined);
      throw err;
    }
    for (const d of created) await adoptIdentHistory(this.deps.messages, this.deps.telemetry, d);
    this.deps.onChange?.();
    return created;
  }

  async select(selector: string): Promise<Device[]> {
    const sel = parseSelector(selector, 'device selector');
    if (sel.kind === 'ids') {
      const found = (await Promise.all(sel.ids.map((id) => this.deps.devices.get(id)))).filter((d): d is Device => d !== undefined);
      if (found.length === 0) throw new NotFoundError(`device selector "${selector}" matched nothing`);
      return scope(
        'gw/devices',
        found.sort((a, b) => a.id - b.id),
        sel.ids,
        selector,
      );
    }
    return scope('gw/devices', selectOrThrow(await this.deps.devices.list(), sel, 'device', selector), undefined, selector);
  }

  async update(selector: string, body: unknown, principal?: Principal): Promise<Device[]> {
    const patch = parseOrThrow(DeviceUpdateSchema, body);
    const targets = await this.select(selector);
    if (patch.configuration?.ident !== undefined && targets.length > 1) {
      throw new ValidationError('configuration.ident: an ident can be set on one device at a time');
    }
    if (patch.device_type_id !== undefined) this.checkType(patch.device_type_id, 'device_type_id');
    const updated: Device[] = [];
    for (const previous of targets) {
      const device: Device = {
        ...previous,
        ...patch,
        configuration: { ...previous.configuration, ...patch.configuration },
        device_type_id: patch.device_type_id === undefined ? previous.device_type_id : patch.device_type_id,
        protocol_id: patch.device_type_id === undefined ? previous.protocol_id : this.protocolOf(patch.device_type_id),
        metadata: patch.metadata ?? previous.metadata,
      } as Device;
      await this.deps.devices.update(device, previous);
      if (device.configuration.ident !== previous.configuration.ident) {
        await this.deps.commands?.moveIdent(device.id, previous.configuration.ident, device.configuration.ident);
        await adoptIdentHistory(this.deps.messages, this.deps.telemetry, device);
        await this.deps.logs?.append(device.id, {
          timestamp: this.deps.clock?.now() ?? Date.now() / 1000,
          event: 'ident_changed',
          old: previous.configuration.ident,
          new: device.configuration.ident,
          token: principal?.tokenId ?? null,
        });
      }
      updated.push(device);
    }
    this.deps.onChange?.();
    return updated;
  }

  async delete(selector: string): Promise<Device[]> {
    const targets = await this.select(selector);
    for (const d of targets) {
      await this.deps.devices.delete(d);
      await this.deps.telemetry.drop(d.id);
      await this.deps.messages.drop('device', d.id);
      await this.deps.settings?.drop(d.id);
    }
    this.deps.onChange?.();
    return targets;
  }

  async messages(selector: string, q: MessagesQuery): Promise<MessagePage> {
    const targets = await this.select(selector);
    if (targets.length > 1) throw new ValidationError('device selector: messages are read from one device at a time');
    return this.deps.messages.query('device', targets[0].id, q);
  }

  async deleteMessages(selector: string, from: number, to: number): Promise<{ device_id: number; deleted: number }[]> {
    const out: { device_id: number; deleted: number }[] = [];
    for (const d of await this.select(selector)) out.push({ device_id: d.id, deleted: await this.deps.messages.deleteRange('device', d.id, from, to) });
    return out;
  }

  async telemetry(selector: string, prefixes?: readonly string[]): Promise<{ id: number; telemetry: Telemetry }[]> {
    const targets = await this.select(selector);
    return Promise.all(
      targets.map(async (d) => ({ id: d.id, telemetry: narrowTelemetry(await currentTelemetry(this.deps.telemetry, this.deps.messages, d.id), prefixes) })),
    );
  }

  private checkType(id: number | null, field: string): void {
    if (id !== null && !this.deps.deviceTypes.has(id)) throw new ValidationError(`${field}: no device type ${id} (see GET /gw/protocols/all/device-types)`);
  }

  private protocolOf(typeId: number | null): number | null {
    return typeId === null ? null : (this.deps.deviceTypes.get(typeId)?.protocol_id ?? null);
  }
}
