import { z } from 'zod';
import { compileCalc, initialState } from '../calcs/index.js';
import { ValidationError } from '../errors.js';
import type { CalcRepository, CalcStateRecord, DeviceEventSink, GeofenceRepository, IdGenerator } from '../ports.js';
import { type Calc, type CalcAssignment, CalcCreateSchema, CalcUpdateSchema } from '../schemas/calcs.js';
import { parseOrThrow } from '../schemas/common.js';
import type { Device } from '../schemas/devices.js';
import type { Access } from './access.js';
import { select } from './selectors.js';

export interface CalcServiceDeps {
  readonly calcs: CalcRepository;
  readonly geofences: Pick<GeofenceRepository, 'get'>;
  readonly ids: IdGenerator;
  readonly selectDevices: (sel: string, access: Access) => Promise<Device[]>;
  /** Calculators or assignments changed: drop ingest's cached calculators and assignments. */
  readonly onChange?: () => void;
  /** An assignment needs its history calculated (local mode: run the backfill soon). */
  readonly onUnsynced?: () => void;
  /** Where the `deleted` events of intervals removed by a changed definition go. */
  readonly events?: DeviceEventSink;
}

/** What the intervals depend on: the definition without its name. */
function computes(calc: Calc | undefined): string {
  return JSON.stringify({ ...calc, name: undefined });
}

/** A selected calculator with the selected devices it is assigned to. */
export interface CalcPair {
  readonly calc: Calc;
  readonly device: Device;
  readonly record: CalcStateRecord;
}

/**
 * Calculators (API.md "Calculators and intervals"): CRUD, assignment to devices (each starts
 * unsynced: the backfill calculates the stored history, see calc-sync.ts) and the pairs the
 * interval routes work on.
 */
export class CalcService {
  constructor(private readonly d: CalcServiceDeps) {}

  async create(body: unknown): Promise<Calc[]> {
    const items = parseOrThrow(z.array(CalcCreateSchema).min(1).max(100), body);
    for (const [i, item] of items.entries()) await this.check(item, `[${i}]`);
    const out: Calc[] = [];
    for (const item of items) {
      const calc: Calc = { ...item, id: await this.d.ids.next('calc') };
      await this.d.calcs.create(calc);
      out.push(calc);
    }
    this.d.onChange?.();
    return out;
  }

  async select(selector: string, access: Access): Promise<Calc[]> {
    return select({ text: selector, what: 'calc', resource: 'gw/calcs', access, list: () => this.d.calcs.list(), get: (id) => this.d.calcs.get(id) });
  }

  /**
   * A changed definition (anything but the name) is recalculated: each assigned device's state
   * starts over (the backfill computes its stored history with the new definition) and its stored
   * intervals are removed (`deleted` events), so no interval of the old definition stays.
   */
  async update(selector: string, body: unknown, access: Access): Promise<Calc[]> {
    const patch = parseOrThrow(CalcUpdateSchema, body);
    const out: Calc[] = [];
    const before = new Map<number, Calc>();
    for (const previous of await this.select(selector, access)) {
      before.set(previous.id, previous);
      const next: Record<string, unknown> = { ...previous, ...patch };
      for (const k of ['validate_message', 'validate_interval'] as const) if (next[k] === null) delete next[k];
      const calc = next as Calc;
      await this.check(calc, '');
      out.push(calc);
    }
    for (const c of out) await this.d.calcs.update(c);
    this.d.onChange?.();
    for (const c of out) if (computes(before.get(c.id)) !== computes(c)) await this.recalculate(c);
    return out;
  }

  /**
   * Every assigned device of the calculator starts over: unsynced first (ingest leaves it alone),
   * its intervals removed and stored, then the backfill is started once for all of them.
   */
  private async recalculate(calc: Calc): Promise<void> {
    for (const r of await this.d.calcs.statesOf(calc.id)) {
      await this.reset(calc.id, r.deviceId);
      const gone = await this.d.calcs.intervals(calc.id, r.deviceId);
      await this.d.calcs.deleteIntervals(
        calc.id,
        r.deviceId,
        gone.map((i) => i.id),
      );
      await this.d.calcs.settle?.(calc.id, r.deviceId);
      if (gone.length > 0) await this.d.events?.publish(gone.map((interval) => ({ event: 'deleted', calc_id: calc.id, device_id: r.deviceId, interval })));
    }
    this.d.onUnsynced?.();
  }

  async delete(selector: string, access: Access): Promise<Calc[]> {
    const targets = await this.select(selector, access);
    for (const c of targets) {
      for (const r of await this.d.calcs.statesOf(c.id)) await this.d.calcs.unassign(c.id, r.deviceId);
      await this.d.calcs.delete(c);
    }
    this.d.onChange?.();
    return targets;
  }

  /** Assigns (history then calculated in the background) or unassigns (state and intervals removed). */
  async assign(selector: string, deviceSelector: string, on: boolean, access: Access): Promise<CalcAssignment[]> {
    const calcs = await this.select(selector, access);
    const devices = await this.d.selectDevices(deviceSelector, access);
    const out: CalcAssignment[] = [];
    for (const c of calcs) {
      for (const device of devices) {
        if (on) await this.d.calcs.assign(c.id, device.id);
        else await this.d.calcs.unassign(c.id, device.id);
        const r = on ? await this.d.calcs.getState(c.id, device.id) : undefined;
        out.push({ calc_id: c.id, device_id: device.id, synced: r?.synced ?? false, updated: r?.updated ?? null });
      }
    }
    this.d.onChange?.();
    if (on && out.some((a) => !a.synced)) this.d.onUnsynced?.();
    return out;
  }

  /** `GET /gw/calcs/{sel}/devices/{sel}`: the assignments with their backfill progress. */
  async assignments(selector: string, deviceSelector: string, access: Access): Promise<CalcAssignment[]> {
    return (await this.pairs(selector, deviceSelector, access)).map(({ calc, device, record }) => ({
      calc_id: calc.id,
      device_id: device.id,
      synced: record.synced,
      updated: record.updated,
    }));
  }

  /** The assigned (calculator, device) pairs among the selected ones. */
  async pairs(selector: string, deviceSelector: string, access: Access): Promise<CalcPair[]> {
    const calcs = await this.select(selector, access);
    const devices = await this.d.selectDevices(deviceSelector, access);
    const out: CalcPair[] = [];
    for (const calc of calcs) {
      const states = new Map((await this.d.calcs.statesOf(calc.id)).map((r) => [r.deviceId, r]));
      for (const device of devices) {
        const record = states.get(device.id);
        if (record) out.push({ calc, device, record });
      }
    }
    return out;
  }

  /** Starts the pair's calculation over (its intervals were deleted): the backfill recalculates its stored history. */
  async resync(calcId: number, deviceId: number): Promise<void> {
    if (await this.reset(calcId, deviceId)) this.d.onUnsynced?.();
  }

  /** The pair's state back to the start, unsynced, stored at once; false when the pair is gone. */
  private async reset(calcId: number, deviceId: number): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const r = await this.d.calcs.getState(calcId, deviceId);
      if (!r) return false;
      if (await this.d.calcs.putState({ ...r, state: initialState(), synced: false, updated: null, outbox: undefined })) {
        await this.d.calcs.settle?.(calcId, deviceId);
        return true;
      }
    }
    throw new Error(`calc ${calcId} device ${deviceId}: the state kept changing while it was reset`);
  }

  /** The definition compiles (expressions were checked by the schema) and its geofence ids exist. */
  private async check(calc: Omit<Calc, 'id'>, where: string): Promise<void> {
    compileCalc(calc);
    for (const [i, s] of calc.selectors.entries()) {
      if (s.type !== 'geofence') continue;
      const missing: number[] = [];
      for (const id of s.geofences) if (!(await this.d.geofences.get(id))) missing.push(id);
      if (missing.length > 0) throw new ValidationError(`${where}${where ? '.' : ''}selectors[${i}].geofences: no geofence ${missing.join(',')}`);
    }
  }
}
