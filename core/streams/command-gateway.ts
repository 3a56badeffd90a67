import { HubError } from '../errors.js';
import type { CommandRepository, DeviceRepository } from '../ports.js';
import type { CommandService } from '../registry/commands.js';
import type { CommandGateway } from './types.js';

/** Commands from platforms (MQTT, ThingsBoard RPC) through the same checks as the API. */
export function commandGateway(
  devices: Pick<DeviceRepository, 'findByIdent'>,
  commands: CommandService,
  repo: Pick<CommandRepository, 'get'>,
  ttlSeconds = 3600,
): CommandGateway {
  return {
    async queue(ident, command, origin) {
      const device = await devices.findByIdent(ident);
      if (!device) throw new HubError(404, `no device has ident "${ident}"`);
      await commands.validateFor(device, command.name, command.properties ?? {});
      const created = await commands.create(device, command.name, command.properties ?? {}, 0, Date.now() / 1000 + ttlSeconds, origin);
      return { id: created.id, deviceId: device.id };
    },
    async result(deviceId, commandId) {
      const c = await repo.get(deviceId, commandId);
      if (!c || c.status === 'queued' || c.status === 'sent') return undefined;
      return { executed: c.executed ?? false, response: c.response ?? '', status: c.status };
    },
  };
}
