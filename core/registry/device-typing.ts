import type { Logger } from '../logger.js';
import type { Clock, DeviceLogRepository, DeviceRepository } from '../ports.js';
import type { Device } from '../schemas/devices.js';
import type { DeviceType } from './device-types.js';

/** Mismatches remembered (device, protocol) so that each is logged once per process. */
const MAX_REMEMBERED = 100_000;

/**
 * A device created without a device type takes the generic type of the protocol it first speaks
 * (API.md: its commands and settings then apply), logged in its device log; a type given by the
 * user is never overwritten. A device typed for one protocol that sends another protocol's frames
 * is logged as a mismatch (once per process).
 */
export class DeviceTyping {
  private readonly mismatches = new Set<string>();

  constructor(
    private readonly deps: {
      readonly devices: Pick<DeviceRepository, 'assignType'>;
      readonly deviceTypes: ReadonlyMap<number, DeviceType>;
      readonly logs?: DeviceLogRepository;
      readonly clock: Clock;
      readonly logger: Logger;
    },
  ) {}

  /** The device as it is after a frame of `protocolId` arrived from it. */
  async observe(device: Device, protocolId: number): Promise<Device> {
    if (device.device_type_id === null) return this.assign(device, protocolId);
    if (device.protocol_id !== null && device.protocol_id !== protocolId) await this.mismatch(device, protocolId);
    return device;
  }

  private async assign(device: Device, protocolId: number): Promise<Device> {
    const type = this.deps.deviceTypes.get(protocolId);
    if (!type || type.protocol_id !== protocolId) return device; // the generic type's id is its protocol's
    const typed: Device = { ...device, device_type_id: type.id, protocol_id: protocolId };
    if (!(await this.deps.devices.assignType(device.id, type.id, protocolId))) return typed; // typed meanwhile (another ingest, the API)
    await this.deps.logs?.append(device.id, {
      timestamp: this.deps.clock.now(),
      event: 'device_type_assigned',
      device_type_id: type.id,
      name: type.name,
      protocol_id: protocolId,
    });
    this.deps.logger.info('device took the generic type of the protocol it speaks', { device_id: device.id, device_type_id: type.id });
    return typed;
  }

  private async mismatch(device: Device, protocolId: number): Promise<void> {
    const key = `${device.id}:${protocolId}`;
    if (this.mismatches.has(key)) return;
    if (this.mismatches.size >= MAX_REMEMBERED) this.mismatches.clear();
    this.mismatches.add(key);
    const expected = this.deps.deviceTypes.get(device.device_type_id ?? 0)?.name ?? `protocol ${device.protocol_id}`;
    const got = this.deps.deviceTypes.get(protocolId)?.name ?? `protocol ${protocolId}`;
    await this.deps.logs?.append(device.id, {
      timestamp: this.deps.clock.now(),
      event: 'protocol_mismatch',
      expected_protocol_id: device.protocol_id,
      protocol_id: protocolId,
    });
    this.deps.logger.warn('device sends frames of another protocol than its device type', { device_id: device.id, device_type: expected, protocol: got });
  }
}
