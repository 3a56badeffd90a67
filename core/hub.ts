import { type Authenticator } from './api/auth.js';
import { channelRoutes } from './api/routes/channels.js';
import { deviceRoutes } from './api/routes/devices.js';
import { protocolRoutes } from './api/routes/protocols.js';
import { type Route, Router } from './api/router.js';
import { IngestService } from './ingest.js';
import type { Logger } from './logger.js';
import { MessageService } from './messages/service.js';
import type { ChannelRepository, Clock, DeviceRepository, IdGenerator, PackStore, TelemetryStore } from './ports.js';
import { ChannelService } from './registry/channels.js';
import { deviceTypes } from './registry/device-types.js';
import { DeviceService } from './registry/devices.js';

/** Everything the domain needs from the outside world. */
export interface HubPorts {
  readonly devices: DeviceRepository;
  readonly channels: ChannelRepository;
  readonly ids: IdGenerator;
  readonly packs: PackStore;
  readonly telemetry: TelemetryStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface HubSettings {
  readonly publicHost: string;
  readonly portRange: readonly [number, number];
  readonly auth: Authenticator;
  /** Registry changed (local mode: refresh caches and listeners at once). */
  readonly onRegistryChange?: () => void;
}

export interface HubServices {
  readonly messages: MessageService;
  readonly devices: DeviceService;
  readonly channels: ChannelService;
  readonly ingest: IngestService;
  readonly routes: readonly Route[];
  readonly router: Router;
}

/** Wires the domain services over the ports: one composition for Lambda and for local mode. */
export function createHub(ports: HubPorts, settings: HubSettings): HubServices {
  const messages = new MessageService(ports.packs, ports.clock);
  const types = deviceTypes();
  const devices = new DeviceService({ devices: ports.devices, ids: ports.ids, messages, telemetry: ports.telemetry, deviceTypes: types, onChange: settings.onRegistryChange });
  const channels = new ChannelService({ channels: ports.channels, ids: ports.ids, messages, publicHost: settings.publicHost, portRange: settings.portRange });
  const ingest = new IngestService({ devices: ports.devices, channels: ports.channels, messages, telemetry: ports.telemetry, clock: ports.clock, logger: ports.logger });
  const routes = [...channelRoutes(channels), ...deviceRoutes(devices), ...protocolRoutes()];
  const router = new Router(routes, settings.auth, ports.logger);
  return { messages, devices, channels, ingest, routes, router };
}
