import type { CommandReply, SettingDefinition } from '../../protocols/common/types.js';
import { ValidationError } from '../errors.js';
import type { Clock, CommandRepository, DeviceLogRepository, SettingsRepository } from '../ports.js';
import type { Command } from '../schemas/commands.js';
import { parseOrThrow } from '../schemas/common.js';
import type { Device } from '../schemas/devices.js';
import { SettingPutSchema, type SettingState, type SettingView } from '../schemas/settings.js';
import type { Access } from './access.js';
import type { CommandService } from './commands.js';
import type { DeviceType } from './device-types.js';

/** Write attempts before a setting is marked failed. */
export const MAX_WRITE_ATTEMPTS = 3;
/** How long a write command may wait for the device (s): offline devices get it on reconnect. */
export const WRITE_TTL_S = 7 * 86400;

const ORIGIN = 'setting:';

export interface SettingsServiceDeps {
  readonly settings: SettingsRepository;
  readonly commands: CommandService;
  readonly commandRepo: Pick<CommandRepository, 'get'>;
  readonly clock: Clock;
  readonly logs?: DeviceLogRepository;
  readonly selectDevices: (sel: string, access: Access) => Promise<Device[]>;
  readonly onQueued?: () => void;
}

/**
 * Remote configuration: desired values become write commands (delivered now or on the next
 * connection), replies become reported values; a write the device refuses, or that stays
 * unanswered after MAX_WRITE_ATTEMPTS, leaves the setting failed with the reason. Replies the
 * device sends on its own ("gathered" changes) update reported values too.
 */
export class SettingsService {
  constructor(private readonly d: SettingsServiceDeps) {}

  async list(selector: string, access: Access): Promise<SettingView[]> {
    const out: SettingView[] = [];
    for (const device of await this.d.selectDevices(selector, access)) {
      const type = await this.d.commands.deviceTypeOf(device);
      const states = new Map((await this.d.settings.list(device.id)).map((s) => [s.name, s]));
      for (const def of type?.settings ?? []) {
        const state = await this.reconcile(device, def, states.get(def.name));
        out.push(view(device.id, def.name, state));
      }
    }
    return out;
  }

  async set(selector: string, name: string, body: unknown, access: Access): Promise<SettingView[]> {
    const { value } = parseOrThrow(SettingPutSchema, body);
    const devices = await this.d.selectDevices(selector, access);
    const plan: { device: Device; def: SettingDefinition }[] = [];
    for (const device of devices) {
      const type = await this.d.commands.deviceTypeOf(device);
      const def = type?.settings.find((s) => s.name === name);
      if (!def)
        throw new ValidationError(
          `${name}: device ${device.id} (${type?.name ?? 'unknown device type'}) has no such setting; known: ${(type?.settings ?? []).map((s) => s.name).join(', ') || 'none'}`,
        );
      const problem = def.validate?.(value);
      if (problem) throw new ValidationError(`value: ${problem}`);
      plan.push({ device, def });
    }
    const out: SettingView[] = [];
    const now = this.d.clock.now();
    for (const { device, def } of plan) {
      const current = (await this.d.settings.list(device.id)).find((s) => s.name === name);
      const base: SettingState = {
        ...current,
        name,
        desired: value,
        desired_at: now,
        desired_by: access.actor === 'system' ? undefined : access.actor,
        status: 'pending',
        attempts: 0,
        reason: undefined,
      };
      const state = await this.write(device, def, base);
      await this.d.logs?.append(device.id, { timestamp: now, event: 'setting_changed', name, value: value as never, token: access.actor });
      out.push(view(device.id, name, state));
    }
    this.d.onQueued?.();
    return out;
  }

  /** After ingest: command replies of a device (completed commands and any reply text). */
  async observe(device: Device, type: DeviceType | undefined, replies: readonly CommandReply[], completed: readonly Command[]): Promise<void> {
    if (!type?.parseSettings || (replies.length === 0 && completed.length === 0)) return;
    const states = new Map((await this.d.settings.list(device.id)).map((s) => [s.name, s]));
    const now = this.d.clock.now();
    const changed = new Map<string, SettingState>();
    const handled = new Set<string>();
    for (const c of completed) {
      if (!c.origin?.startsWith(ORIGIN)) continue;
      const name = c.origin.slice(ORIGIN.length);
      const state = states.get(name);
      if (!state || state.command_id !== c.id) continue;
      handled.add(c.response ?? '');
      const report = type.parseSettings(c.response ?? '', [name]);
      changed.set(name, applyWriteReply(state, report, c, now));
    }
    for (const r of replies) {
      if (handled.has(r.response)) continue;
      const report = type.parseSettings(r.response);
      for (const [name, value] of Object.entries(report?.values ?? {})) {
        const state = changed.get(name) ?? states.get(name) ?? { name, status: 'synced', attempts: 0 };
        changed.set(name, withReported(state, value, now));
      }
    }
    for (const state of changed.values()) await this.d.settings.put(device.id, state);
  }

  /** Re-sends a write that expired unanswered, or gives up after MAX_WRITE_ATTEMPTS. */
  private async reconcile(device: Device, def: SettingDefinition, state: SettingState | undefined): Promise<SettingState | undefined> {
    if (state?.status !== 'pending' || state.command_id === undefined) return state;
    const command = await this.d.commandRepo.get(device.id, state.command_id);
    if (command && (command.status === 'queued' || command.status === 'sent' || command.status === 'replied')) return state;
    if (state.attempts >= MAX_WRITE_ATTEMPTS) {
      const failed: SettingState = {
        ...state,
        status: 'failed',
        reason: `no answer after ${state.attempts} attempts (${command?.response ?? 'command gone'})`,
      };
      await this.d.settings.put(device.id, failed);
      return failed;
    }
    return this.write(device, def, state);
  }

  private async write(device: Device, def: SettingDefinition, state: SettingState): Promise<SettingState> {
    const properties = def.writeProperties ? def.writeProperties(state.desired) : { value: state.desired };
    await this.d.commands.validateFor(device, def.write, properties, `settings.${def.name}`);
    const command = await this.d.commands.create(device, def.write, properties, 50, this.d.clock.now() + WRITE_TTL_S, ORIGIN + def.name);
    const next: SettingState = { ...state, status: 'pending', attempts: state.attempts + 1, command_id: command.id };
    await this.d.settings.put(device.id, next);
    return next;
  }
}

function withReported(state: SettingState, value: unknown, now: number): SettingState {
  const next: SettingState = { ...state, reported: value, reported_at: now };
  if (state.status === 'pending' && state.command_id !== undefined) return next;
  return {
    ...next,
    status: state.desired === undefined || same(state.desired, value) ? 'synced' : state.status === 'failed' ? 'failed' : 'pending',
    reason: undefined,
  };
}

function applyWriteReply(state: SettingState, report: ReturnType<NonNullable<DeviceType['parseSettings']>>, c: Command, now: number): SettingState {
  const name = state.name;
  if (report?.refused?.[name] !== undefined)
    return { ...state, status: 'failed', reason: `refused by the device: ${report.refused[name]}`, command_id: undefined };
  if (report && name in report.values) {
    const value = report.values[name];
    const ok = same(value, state.desired);
    return {
      ...state,
      reported: value,
      reported_at: now,
      status: ok ? 'synced' : 'failed',
      reason: ok ? undefined : `the device reports ${JSON.stringify(value)} after the write`,
      command_id: undefined,
    };
  }
  if (report?.confirmed?.includes(name))
    return { ...state, reported: state.desired, reported_at: now, status: 'synced', reason: undefined, command_id: undefined };
  return { ...state, status: 'failed', reason: `unexpected answer: ${c.response ?? ''}`, command_id: undefined };
}

function same(a: unknown, b: unknown): boolean {
  return a === b || String(a) === String(b);
}

function view(deviceId: number, name: string, s: SettingState | undefined): SettingView {
  return {
    device_id: deviceId,
    name,
    desired: s?.desired ?? null,
    reported: s?.reported ?? null,
    desired_at: s?.desired_at ?? null,
    reported_at: s?.reported_at ?? null,
    status: s?.status ?? 'synced',
    ...(s?.reason ? { reason: s.reason } : {}),
  };
}
