import { z } from 'zod';
import type { CommandReply } from '../../protocols/common/types.js';
import { ValidationError } from '../errors.js';
import type { Clock, CommandRepository, DeviceLogRepository, IdGenerator, TelemetryStore } from '../ports.js';
import { type Command, CommandCreateSchema, type CommandResult, ImmediateCommandSchema, toResult } from '../schemas/commands.js';
import { parseOrThrow } from '../schemas/common.js';
import type { Device } from '../schemas/devices.js';
import type { Access } from './access.js';
import type { DeviceType } from './device-types.js';
import { parseSelector } from './selectors.js';

export interface CommandServiceDeps {
  readonly commands: CommandRepository;
  readonly ids: IdGenerator;
  readonly telemetry: TelemetryStore;
  readonly deviceTypes: ReadonlyMap<number, DeviceType>;
  readonly clock: Clock;
  readonly logs?: DeviceLogRepository;
  /** Selects devices (404 when none); shared with the device service. */
  readonly selectDevices: (selector: string, access: Access) => Promise<Device[]>;
  /** A command was queued (local mode: wake the listener at once). */
  readonly onQueued?: () => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The commands queue, results, immediate commands, and correlation of device replies. */
export class CommandService {
  constructor(private readonly deps: CommandServiceDeps) {}

  /** The device type whose commands a device accepts: its own, else the generic type of the protocol it last spoke. */
  async deviceTypeOf(device: Device): Promise<DeviceType | undefined> {
    if (device.device_type_id !== null) return this.deps.deviceTypes.get(device.device_type_id);
    const t = await this.deps.telemetry.get(device.id);
    const protocolId = t?.['protocol.id']?.value;
    return typeof protocolId === 'number' ? [...this.deps.deviceTypes.values()].find((d) => d.protocol_id === protocolId && d.id === protocolId) : undefined;
  }

  async queue(selector: string, body: unknown, access: Access): Promise<Command[]> {
    const items = parseOrThrow(z.array(CommandCreateSchema).min(1).max(100), body);
    const devices = await this.deps.selectDevices(selector, access);
    const checked: { device: Device; item: (typeof items)[number] }[] = [];
    for (const device of devices) {
      const type = await this.deviceTypeOf(device);
      items.forEach((item, i) => {
        this.validate(type, device, item.name, item.properties, `[${i}]`);
        checked.push({ device, item });
      });
    }
    const now = this.deps.clock.now();
    const out: Command[] = [];
    for (const { device, item } of checked) {
      out.push(await this.create(device, item.name, item.properties, item.priority, now + item.ttl, originOf(access)));
    }
    this.deps.onQueued?.();
    return out;
  }

  /** Queues one command for one device (streams' reverse path uses this too). */
  async create(device: Device, name: string, properties: Record<string, unknown>, priority: number, expire: number, origin?: string): Promise<Command> {
    const command: Command = {
      id: await this.deps.ids.next('command'),
      device_id: device.id,
      name,
      properties,
      priority,
      status: 'queued',
      created: this.deps.clock.now(),
      expire,
      origin,
    };
    await this.deps.commands.create(command, device.configuration.ident);
    await this.deps.logs?.append(device.id, { timestamp: command.created, event: 'command_queued', command_id: command.id, name, origin: origin ?? null });
    return command;
  }

  async validateFor(device: Device, name: string, properties: unknown, field = 'name'): Promise<void> {
    this.validate(await this.deviceTypeOf(device), device, name, properties, field);
  }

  async listQueue(selector: string, access: Access): Promise<Command[]> {
    const now = this.deps.clock.now();
    return (await this.all(selector, access)).filter((c) => c.status === 'queued' && c.expire > now);
  }

  async results(selector: string, access: Access): Promise<CommandResult[]> {
    return (await this.all(selector, access)).filter((c) => c.status !== 'queued').map(toResult);
  }

  /** Cancels queued commands; `commandSelector` is `all` or ids. */
  async cancel(selector: string, commandSelector: string, access: Access): Promise<Command[]> {
    const sel = parseSelector(commandSelector, 'command selector');
    if (sel.kind === 'expr') throw new ValidationError('command selector: use all or a comma list of command ids');
    const devices = await this.deps.selectDevices(selector, access);
    const out: Command[] = [];
    for (const device of devices) {
      for (const c of await this.deps.commands.list(device.id)) {
        if (c.status !== 'queued' || (sel.kind === 'ids' && !sel.ids.includes(c.id))) continue;
        const cancelled: Command = { ...c, status: 'cancelled', timestamp: this.deps.clock.now() };
        await this.deps.commands.update(cancelled, device.configuration.ident);
        out.push(cancelled);
      }
    }
    return out;
  }

  /** Sends at once and waits up to `timeout` s for the device's answer. */
  async sendNow(selector: string, body: unknown, access: Access): Promise<CommandResult[]> {
    const items = parseOrThrow(z.array(ImmediateCommandSchema).min(1).max(10), body);
    const devices = await this.deps.selectDevices(selector, access);
    if (devices.length * items.length > 10) throw new ValidationError('body: at most 10 immediate commands per call (devices × commands)');
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
    const waits: Promise<CommandResult>[] = [];
    for (const device of devices) {
      const type = await this.deviceTypeOf(device);
      items.forEach((item, i) => {
        this.validate(type, device, item.name, item.properties, `[${i}]`);
      });
      for (const item of items) {
        const command = await this.create(device, item.name, item.properties, 100, this.deps.clock.now() + item.timeout, originOf(access));
        this.deps.onQueued?.();
        waits.push(this.awaitResult(device, command, item.timeout, sleep));
      }
    }
    return Promise.all(waits);
  }

  /**
   * Applies a device's replies to its sent commands: by the correlation the protocol echoes
   * (`correlationOf` gives it for a command), else oldest first.
   */
  async applyReplies(
    device: Device,
    replies: readonly CommandReply[],
    at: number,
    correlationOf: (c: Command) => string | undefined = () => undefined,
  ): Promise<Command[]> {
    if (replies.length === 0) return [];
    const sent = (await this.deps.commands.list(device.id)).filter((c) => c.status === 'sent').sort((a, b) => (a.sent ?? 0) - (b.sent ?? 0) || a.id - b.id);
    const done: Command[] = [];
    for (const reply of replies) {
      const idx = reply.correlation !== undefined ? sent.findIndex((c) => correlationOf(c) === reply.correlation) : -1;
      const target = sent.splice(Math.max(idx, 0), 1)[0];
      if (!target) continue;
      const completed: Command = { ...target, status: 'replied', executed: reply.executed ?? true, response: reply.response, timestamp: reply.timestamp ?? at };
      await this.deps.commands.update(completed);
      done.push(completed);
    }
    return done;
  }

  private async awaitResult(device: Device, command: Command, timeout: number, sleep: (ms: number) => Promise<void>): Promise<CommandResult> {
    const until = this.deps.clock.now() + timeout;
    for (;;) {
      const current = await this.deps.commands.get(device.id, command.id);
      if (current && current.status !== 'queued' && current.status !== 'sent') return toResult(current);
      if (this.deps.clock.now() >= until) {
        const expired: Command = {
          ...(current ?? command),
          status: 'expired',
          executed: false,
          response: current?.status === 'sent' ? `no answer within ${timeout} s` : `not delivered within ${timeout} s: the device is not connected`,
          timestamp: this.deps.clock.now(),
        };
        await this.deps.commands.update(expired, device.configuration.ident);
        return toResult(expired);
      }
      await sleep(100);
    }
  }

  private async all(selector: string, access: Access): Promise<Command[]> {
    const devices = await this.deps.selectDevices(selector, access);
    const lists = await Promise.all(devices.map((d) => this.deps.commands.list(d.id)));
    return lists.flat().sort((a, b) => a.id - b.id);
  }

  private validate(type: DeviceType | undefined, device: Device, name: string, properties: unknown, field: string): void {
    if (!type)
      throw new ValidationError(
        `device ${device.id}: its device type is unknown (set device_type_id, or let the device connect once) so commands cannot be checked`,
      );
    const def = type.commands.find((c) => c.name === name);
    if (!def)
      throw new ValidationError(`${field}.name: "${name}" is not a command of device type ${type.name}; known: ${type.commands.map((c) => c.name).join(', ')}`);
    const problem = def.validate?.(properties);
    if (problem) throw new ValidationError(`${field}.properties.${problem}`);
  }
}

function originOf(access: Access): string | undefined {
  return access.actor === 'system' ? undefined : `token:${access.actor}`;
}
