import type { Message } from '../../protocols/common/types.js';
import type { MessageService } from '../messages/service.js';
import type { TelemetryStore } from '../ports.js';
import type { Device } from '../schemas/devices.js';
import { mergeTelemetry } from './telemetry.js';

/** Adds the registered device's fields to a message. */
export function annotateDevice(message: Message, device: Device): Message {
  message['device.id'] = device.id;
  message['device.name'] = device.name;
  if (device.device_type_id !== null) message['device.type.id'] = device.device_type_id;
  return message;
}

/**
 * Messages that arrived for an ident before any device had it are kept (for the channel's TTL);
 * when a device gets that ident they join its history and telemetry.
 */
export async function adoptIdentHistory(messages: MessageService, telemetry: TelemetryStore, device: Device): Promise<Message[]> {
  const moved = await messages.adopt(device.configuration.ident, device.id, device.messages_ttl, (m) => annotateDevice(m, device));
  if (moved.length > 0) await telemetry.update(device.id, (current) => mergeTelemetry(current, moved));
  return moved;
}
