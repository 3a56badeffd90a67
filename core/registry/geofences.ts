import { z } from 'zod';
import { GeofenceIndex, validateGeometry } from '../geofences/index.js';
import type { MessageService } from '../messages/service.js';
import type { GeofenceRepository, IdGenerator, TelemetryStore } from '../ports.js';
import { parseOrThrow } from '../schemas/common.js';
import type { Device } from '../schemas/devices.js';
import { type Geofence, GeofenceCreateSchema, GeofenceUpdateSchema } from '../schemas/geofences.js';
import type { Access } from './access.js';
import { select } from './selectors.js';
import { currentTelemetry } from './telemetry.js';

export interface GeofenceServiceDeps {
  readonly geofences: GeofenceRepository;
  readonly ids: IdGenerator;
  readonly telemetry: TelemetryStore;
  readonly messages: Pick<MessageService, 'query'>;
  readonly selectDevices: (sel: string, access: Access) => Promise<Device[]>;
  /** Geofences changed: drop cached indexes (ingest, fan-out, queries). */
  readonly onChange?: () => void;
}

/** A device whose current position (telemetry) is inside a geofence. */
export interface DeviceInside {
  readonly geofence_id: number;
  readonly device_id: number;
}

/** Geofences: CRUD with geometry validation, and the devices inside them now. */
export class GeofenceService {
  constructor(private readonly d: GeofenceServiceDeps) {}

  async create(body: unknown): Promise<Geofence[]> {
    const items = parseOrThrow(z.array(GeofenceCreateSchema).min(1).max(1000), body);
    items.forEach((item, i) => {
      validateGeometry(item.geometry, `[${i}].geometry`);
    });
    const out: Geofence[] = [];
    for (const item of items) {
      const geofence: Geofence = { ...item, id: await this.d.ids.next('geofence') };
      await this.d.geofences.create(geofence);
      out.push(geofence);
    }
    this.d.onChange?.();
    return out;
  }

  async select(selector: string, access: Access): Promise<Geofence[]> {
    return select({
      text: selector,
      what: 'geofence',
      resource: 'gw/geofences',
      access,
      list: () => this.d.geofences.list(),
      get: (id) => this.d.geofences.get(id),
    });
  }

  async update(selector: string, body: unknown, access: Access): Promise<Geofence[]> {
    const patch = parseOrThrow(GeofenceUpdateSchema, body);
    if (patch.geometry) validateGeometry(patch.geometry, 'geometry');
    const out: Geofence[] = [];
    for (const previous of await this.select(selector, access)) {
      const next: Geofence = { ...previous, ...patch };
      await this.d.geofences.update(next);
      out.push(next);
    }
    this.d.onChange?.();
    return out;
  }

  async delete(selector: string, access: Access): Promise<Geofence[]> {
    const targets = await this.select(selector, access);
    for (const g of targets) await this.d.geofences.delete(g);
    this.d.onChange?.();
    return targets;
  }

  /**
   * The devices (within the caller's access) whose current position is inside the selected
   * enabled geofences, by geofence id then device id.
   */
  async devicesInside(selector: string, access: Access): Promise<DeviceInside[]> {
    const geofences = await this.select(selector, access);
    const index = new GeofenceIndex(geofences);
    if (index.size === 0) return [];
    const out: DeviceInside[] = [];
    for (const device of await this.d.selectDevices('all', access)) {
      const t = await currentTelemetry(this.d.telemetry, this.d.messages, device.id);
      const lat = t['position.latitude']?.value;
      const lon = t['position.longitude']?.value;
      if (typeof lat !== 'number' || typeof lon !== 'number') continue;
      for (const g of index.containing(lat, lon)) out.push({ geofence_id: g.id, device_id: device.id });
    }
    return out.sort((a, b) => a.geofence_id - b.geofence_id || a.device_id - b.device_id);
  }
}
