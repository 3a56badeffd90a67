import { z } from 'zod';
import { ConflictError, ValidationError } from '../errors.js';
import type { GeofenceIndex } from '../geofences/index.js';
import type { MessagePage, MessageService } from '../messages/service.js';
import type {
  CalcRepository,
  Clock,
  CommandRepository,
  DeviceLogRepository,
  DeviceRepository,
  IdGenerator,
  PluginRepository,
  SettingsRepository,
  Telemetry,
  TelemetryStore,
} from '../ports.js';
import { parseOrThrow } from '../schemas/common.js';
import { DEFAULT_DEVICE_MESSAGES_TTL, type Device, DeviceCreateSchema, DeviceUpdateSchema } from '../schemas/devices.js';
import type { MessagesQuery } from '../schemas/messages.js';
import type { Access } from './access.js';
import { adoptIdentHistory } from './adoption.js';
import type { DeviceType } from './device-types.js';
import type { DeviceTyping } from './device-typing.js';
import { select } from './selectors.js';
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
  /** A deleted device leaves its plugins. */
  readonly plugins?: Pick<PluginRepository, 'pluginsOf' | 'unassign'>;
  /** A deleted device leaves its calculators (their states and intervals go). */
  readonly calcs?: Pick<CalcRepository, 'calcsOf' | 'unassign'>;
  /** The geofences, for `geofence('name')` in a messages filter. */
  readonly geofences?: () => Promise<GeofenceIndex>;
  /** messages_ttl of devices created without one (s). */
  readonly defaultMessagesTtl?: number;
  readonly clock?: Clock;
  /** Gives a device the type of the protocol its adopted history was received with. */
  readonly typing?: DeviceTyping;
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
    const out: Device[] = [];
    for (const d of created) out.push(await this.adopt(d));
    this.deps.onChange?.();
    return out;
  }

  /** The devices a selector picks within the caller's access (empty for `all` on a new hub). */
  async select(selector: string, access: Access): Promise<Device[]> {
    return select({
      text: selector,
      what: 'device',
      resource: 'gw/devices',
      access,
      list: () => this.deps.devices.list(),
      get: (id) => this.deps.devices.get(id),
    });
  }

  async update(selector: string, body: unknown, access: Access): Promise<Device[]> {
    const patch = parseOrThrow(DeviceUpdateSchema, body);
    const targets = await this.select(selector, access);
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
          token: access.actor,
        });
      }
      updated.push(device);
    }
    this.deps.onChange?.();
    return updated;
  }

  async delete(selector: string, access: Access): Promise<Device[]> {
    const targets = await this.select(selector, access);
    for (const d of targets) {
      await this.deps.devices.delete(d);
      await this.deps.telemetry.drop(d.id);
      await this.deps.messages.drop('device', d.id);
      await this.deps.settings?.drop(d.id);
      for (const link of (await this.deps.plugins?.pluginsOf(d.id)) ?? []) await this.deps.plugins?.unassign(link.pluginId, d.id);
      for (const calcId of (await this.deps.calcs?.calcsOf(d.id)) ?? []) await this.deps.calcs?.unassign(calcId, d.id);
    }
    this.deps.onChange?.();
    return targets;
  }

  async messages(selector: string, q: MessagesQuery, access: Access): Promise<MessagePage> {
    const targets = await this.select(selector, access);
    if (targets.length > 1) throw new ValidationError('device selector: messages are read from one device at a time');
    return targets.length === 0
      ? { messages: [] }
      : this.deps.messages.query('device', targets[0].id, q, { metadata: targets[0].metadata, geofences: this.deps.geofences });
  }

  async deleteMessages(selector: string, from: number, to: number, access: Access): Promise<{ device_id: number; deleted: number }[]> {
    const out: { device_id: number; deleted: number }[] = [];
    for (const d of await this.select(selector, access)) out.push({ device_id: d.id, deleted: await this.deps.messages.deleteRange('device', d.id, from, to) });
    return out;
  }

  async telemetry(selector: string, access: Access, prefixes?: readonly string[]): Promise<{ id: number; telemetry: Telemetry }[]> {
    const targets = await this.select(selector, access);
    return Promise.all(
      targets.map(async (d) => ({ id: d.id, telemetry: narrowTelemetry(await currentTelemetry(this.deps.telemetry, this.deps.messages, d.id), prefixes) })),
    );
  }

  /**
   * Joins the history kept for the device's ident before it was registered; a device created
   * without a type that already spoke takes the generic type of the protocol it spoke (DeviceTyping).
   */
  private async adopt(device: Device): Promise<Device> {
    const moved = await adoptIdentHistory(this.deps.messages, this.deps.telemetry, device);
    const protocolId = moved.at(-1)?.['protocol.id'];
    if (device.device_type_id !== null || typeof protocolId !== 'number' || !this.deps.typing) return device;
    return this.deps.typing.observe(device, protocolId);
  }

  private checkType(id: number | null, field: string): void {
    if (id !== null && !this.deps.deviceTypes.has(id)) throw new ValidationError(`${field}: no device type ${id} (see GET /gw/protocols/all/device-types)`);
  }

  private protocolOf(typeId: number | null): number | null {
    return typeId === null ? null : (this.deps.deviceTypes.get(typeId)?.protocol_id ?? null);
  }
}
