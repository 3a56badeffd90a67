import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { compilePlugin } from '../plugins/index.js';
import type { GeofenceRepository, IdGenerator, PluginRepository } from '../ports.js';
import { parseOrThrow } from '../schemas/common.js';
import type { Device } from '../schemas/devices.js';
import { PLUGIN_CONFIG_SCHEMAS, type Plugin, type PluginAssignment, PluginCreateSchema, PluginUpdateSchema } from '../schemas/plugins.js';
import type { Access } from './access.js';
import { select } from './selectors.js';

export interface PluginServiceDeps {
  readonly plugins: PluginRepository;
  readonly geofences: Pick<GeofenceRepository, 'get'>;
  readonly ids: IdGenerator;
  readonly selectDevices: (sel: string, access: Access) => Promise<Device[]>;
  /** Plugins or assignments changed: drop ingest's cached chains. */
  readonly onChange?: () => void;
}

/** Plugins: CRUD with per-type configuration (expressions compiled), and assignment to devices in order. */
export class PluginService {
  constructor(private readonly d: PluginServiceDeps) {}

  async create(body: unknown): Promise<Plugin[]> {
    const items = parseOrThrow(z.array(PluginCreateSchema).min(1).max(100), body);
    const checked: Plugin['configuration'][] = [];
    for (const [i, item] of items.entries()) checked.push(await this.check(item, `[${i}].configuration`));
    const out: Plugin[] = [];
    for (const [i, item] of items.entries()) {
      const plugin: Plugin = { ...item, configuration: checked[i], id: await this.d.ids.next('plugin') };
      await this.d.plugins.create(plugin);
      out.push(plugin);
    }
    this.d.onChange?.();
    return out;
  }

  async select(selector: string, access: Access): Promise<Plugin[]> {
    return select({ text: selector, what: 'plugin', resource: 'gw/plugins', access, list: () => this.d.plugins.list(), get: (id) => this.d.plugins.get(id) });
  }

  async update(selector: string, body: unknown, access: Access): Promise<Plugin[]> {
    const patch = parseOrThrow(PluginUpdateSchema, body);
    const out: Plugin[] = [];
    for (const previous of await this.select(selector, access)) {
      const next: Plugin = { ...previous, ...patch };
      if (patch.configuration) next.configuration = await this.check(next, 'configuration');
      out.push(next);
    }
    for (const p of out) await this.d.plugins.update(p);
    this.d.onChange?.();
    return out;
  }

  async delete(selector: string, access: Access): Promise<Plugin[]> {
    const targets = await this.select(selector, access);
    for (const p of targets) {
      for (const link of await this.d.plugins.devicesOf(p.id)) await this.d.plugins.unassign(p.id, link.deviceId);
      await this.d.plugins.delete(p);
    }
    this.d.onChange?.();
    return targets;
  }

  /**
   * Assigns (or unassigns) the selected plugins to the selected devices. A device's plugins apply in
   * the order they were assigned; assigning one again keeps its place.
   */
  async assign(selector: string, deviceSelector: string, on: boolean, access: Access): Promise<PluginAssignment[]> {
    const plugins = await this.select(selector, access);
    const devices = await this.d.selectDevices(deviceSelector, access);
    const out: PluginAssignment[] = [];
    for (const p of plugins) {
      for (const device of devices) {
        if (on) await this.d.plugins.assign({ pluginId: p.id, deviceId: device.id, seq: await this.d.ids.next('plugin_assignment') });
        else await this.d.plugins.unassign(p.id, device.id);
        out.push({ plugin_id: p.id, device_id: device.id });
      }
    }
    this.d.onChange?.();
    return out;
  }

  /** The devices of the selected plugins, each plugin's in assignment order. */
  async devices(selector: string, access: Access): Promise<PluginAssignment[]> {
    const allowed = access.ids('gw/devices');
    const out: PluginAssignment[] = [];
    for (const p of await this.select(selector, access)) {
      for (const link of await this.d.plugins.devicesOf(p.id))
        if (!allowed || allowed.has(link.deviceId)) out.push({ plugin_id: p.id, device_id: link.deviceId });
    }
    return out;
  }

  /** The plugins of the selected devices, each device's in assignment order (the order ingest applies them). */
  async ofDevices(deviceSelector: string, access: Access): Promise<PluginAssignment[]> {
    const out: PluginAssignment[] = [];
    for (const device of await this.d.selectDevices(deviceSelector, access)) {
      for (const link of await this.d.plugins.pluginsOf(device.id)) out.push({ plugin_id: link.pluginId, device_id: device.id });
    }
    return out;
  }

  /** The configuration checked against the type (defaults filled in), expressions compiled, geofence ids existing. */
  private async check(plugin: Pick<Plugin, 'name' | 'type' | 'configuration'>, where: string): Promise<Plugin['configuration']> {
    compilePlugin({ ...plugin, id: 0 }, where);
    if (plugin.type === 'geofence') {
      const ids = (plugin.configuration as { geofences: number[] | 'all' }).geofences;
      if (ids !== 'all') {
        const missing: number[] = [];
        for (const id of ids) if (!(await this.d.geofences.get(id))) missing.push(id);
        if (missing.length > 0) throw new ValidationError(`${where}.geofences: no geofence ${missing.join(',')}`);
      }
    }
    return PLUGIN_CONFIG_SCHEMAS[plugin.type].parse(plugin.configuration) as Plugin['configuration'];
  }
}
