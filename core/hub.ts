import { json } from './api/http.js';
import { openApiDocument } from './api/openapi.js';
import { type Route, Router } from './api/router.js';
import { activityRoutes } from './api/routes/activity.js';
import { channelRoutes } from './api/routes/channels.js';
import { commandRoutes } from './api/routes/commands.js';
import { deadLetterRoutes } from './api/routes/dead-letters.js';
import { deviceRoutes } from './api/routes/devices.js';
import { protocolRoutes } from './api/routes/protocols.js';
import { settingRoutes } from './api/routes/settings.js';
import { streamRoutes } from './api/routes/streams.js';
import { tokenRoutes } from './api/routes/tokens.js';
import { type IngestedMessage, IngestService } from './ingest.js';
import type { Logger } from './logger.js';
import { HistoryArchiver } from './messages/archiver.js';
import { MessageService } from './messages/service.js';
import type {
  Bus,
  ChannelRepository,
  Clock,
  CommandRepository,
  ConnectionDirectory,
  DeadLetterStore,
  DeviceLogRepository,
  DeviceRepository,
  IdGenerator,
  PackArchive,
  PackStore,
  SettingsRepository,
  StreamRepository,
  StreamStateRepository,
  SubscriptionRepository,
  TelemetryStore,
  TokenRepository,
} from './ports.js';
import type { Authenticator } from './registry/auth.js';
import { ChannelService } from './registry/channels.js';
import { CommandService } from './registry/commands.js';
import { ConnectionService, DeviceLogService } from './registry/connections.js';
import { deviceTypes } from './registry/device-types.js';
import { DeviceTyping } from './registry/device-typing.js';
import { DeviceService } from './registry/devices.js';
import { SettingsService } from './registry/settings.js';
import { StreamService } from './registry/streams.js';
import { TokenService, tokenAuthenticator } from './registry/tokens.js';
import { StreamFanout } from './streams/fanout.js';

/** Everything the domain needs from the outside world. */
export interface HubPorts {
  readonly devices: DeviceRepository;
  readonly channels: ChannelRepository;
  readonly ids: IdGenerator;
  readonly packs: PackStore;
  /** The cold tier of device and channel history (with `coldHistoryAfterDays`). */
  readonly archive?: PackArchive;
  readonly telemetry: TelemetryStore;
  readonly commands: CommandRepository;
  readonly connections: ConnectionDirectory;
  readonly logs: DeviceLogRepository;
  readonly tokens: TokenRepository;
  readonly settings: SettingsRepository;
  readonly streams: StreamRepository;
  readonly subscriptions: SubscriptionRepository;
  readonly streamState: StreamStateRepository;
  /** Where stream batches go (EventBridge, or the local bus). */
  readonly bus: Bus;
  /** The ingest dead-letter queue, when the deployment exposes it. */
  readonly deadLetters?: DeadLetterStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface HubSettings {
  readonly publicHost: string;
  readonly portRange: readonly [number, number];
  /** The admin token (full access), or a loader for it (read once, on first use). */
  readonly adminToken: string | (() => Promise<string>);
  /** Registry changed (local mode: refresh caches and listeners at once). */
  readonly onRegistryChange?: () => void;
  /** A command was queued (local mode: the dispatcher polls at once). */
  readonly onCommandQueued?: () => void;
  /** messages_ttl (s) given to devices and channels created without one. */
  readonly defaultTtl?: { readonly device?: number; readonly channel?: number };
  /** Whether a port can be listened on (local mode: a bind probe); channels created without a port skip the ones that cannot. */
  readonly portAvailable?: (port: number, transport: 'tcp' | 'udp') => Promise<boolean>;
  /** Whole days device and channel messages stay only in `packs` before they are archived (needs `ports.archive`). */
  readonly coldHistoryAfterDays?: number;
  /** Package version shown in the OpenAPI document. */
  readonly version?: string;
  /** Receives every ingest batch's stored messages (besides the stream fan-out): the local live feed. */
  readonly onStored?: (messages: readonly IngestedMessage[]) => Promise<void>;
  /** Dropped stream batches were put back: drain that stream now (local mode). */
  readonly onStreamReplay?: (streamId: number) => void;
}

export interface HubServices {
  readonly ports: HubPorts;
  readonly messages: MessageService;
  /** Copies old history to the archive (with an archive and `coldHistoryAfterDays`). */
  readonly archiver?: HistoryArchiver;
  readonly devices: DeviceService;
  readonly channels: ChannelService;
  readonly commands: CommandService;
  readonly connections: ConnectionService;
  readonly deviceLogs: DeviceLogService;
  readonly tokens: TokenService;
  readonly streams: StreamService;
  readonly settings: SettingsService;
  readonly fanout: StreamFanout;
  /** Admin or platform token → principal (the router and the API Gateway authorizer use it). */
  readonly auth: Authenticator;
  readonly ingest: IngestService;
  readonly routes: readonly Route[];
  readonly router: Router;
}

/** Wires the domain services over the ports: one composition for Lambda and for local mode. */
export function createHub(ports: HubPorts, settings: HubSettings): HubServices {
  const afterDays = settings.coldHistoryAfterDays;
  const cold = ports.archive && afterDays !== undefined ? { archive: ports.archive, afterDays } : undefined;
  const messages = new MessageService(ports.packs, ports.clock, cold);
  const archiver = cold
    ? new HistoryArchiver({ ...cold, packs: ports.packs, devices: ports.devices, channels: ports.channels, clock: ports.clock, logger: ports.logger })
    : undefined;
  const types = deviceTypes();
  const devices = new DeviceService({
    devices: ports.devices,
    ids: ports.ids,
    messages,
    telemetry: ports.telemetry,
    deviceTypes: types,
    logs: ports.logs,
    commands: ports.commands,
    settings: ports.settings,
    clock: ports.clock,
    defaultMessagesTtl: settings.defaultTtl?.device,
    onChange: settings.onRegistryChange,
  });
  const channels = new ChannelService({
    directory: ports.connections,
    clock: ports.clock,
    portAvailable: settings.portAvailable,
    channels: ports.channels,
    ids: ports.ids,
    messages,
    publicHost: settings.publicHost,
    portRange: settings.portRange,
    defaultMessagesTtl: settings.defaultTtl?.channel,
  });
  const commands = new CommandService({
    commands: ports.commands,
    ids: ports.ids,
    telemetry: ports.telemetry,
    deviceTypes: types,
    clock: ports.clock,
    logs: ports.logs,
    selectDevices: (sel, access) => devices.select(sel, access),
    onQueued: settings.onCommandQueued,
  });
  const connections = new ConnectionService(ports.connections, ports.commands, ports.clock, (sel, access) => channels.select(sel, access));
  const deviceLogs = new DeviceLogService(ports.logs, (sel, access) => devices.select(sel, access));
  const fanout = new StreamFanout(ports.streams, ports.subscriptions, ports.bus);
  const streams = new StreamService({
    streams: ports.streams,
    subscriptions: ports.subscriptions,
    state: ports.streamState,
    ids: ports.ids,
    clock: ports.clock,
    selectDevices: (sel, access) => devices.select(sel, access),
    selectChannels: (sel, access) => channels.select(sel, access),
    onChange: () => {
      fanout.invalidate();
      settings.onRegistryChange?.();
    },
    onReplay: settings.onStreamReplay,
  });
  const settingsService = new SettingsService({
    settings: ports.settings,
    commands,
    commandRepo: ports.commands,
    clock: ports.clock,
    logs: ports.logs,
    selectDevices: (sel, access) => devices.select(sel, access),
    onQueued: settings.onCommandQueued,
  });
  const onStored = settings.onStored;
  const ingest = new IngestService({
    devices: ports.devices,
    channels: ports.channels,
    messages,
    telemetry: ports.telemetry,
    clock: ports.clock,
    logger: ports.logger,
    commands,
    typing: new DeviceTyping({ devices: ports.devices, deviceTypes: types, logs: ports.logs, clock: ports.clock, logger: ports.logger }),
    onReplies: async (device, replies, done) => settingsService.observe(device, await commands.deviceTypeOf(device), replies, done),
    onStored: async (batch) => {
      await fanout.publish(batch);
      await onStored?.(batch);
    },
  });
  const tokens = new TokenService(ports.tokens, ports.ids, ports.clock);
  const routes: Route[] = [
    ...channelRoutes(channels),
    ...deviceRoutes(devices, ingest),
    ...commandRoutes(commands),
    ...settingRoutes(settingsService),
    ...activityRoutes(connections, deviceLogs),
    ...streamRoutes(streams),
    ...protocolRoutes(),
    ...tokenRoutes(tokens),
    ...deadLetterRoutes(ports.deadLetters),
  ];
  routes.push({
    method: 'GET',
    path: '/openapi.json',
    tag: 'meta',
    summary: 'This OpenAPI 3.1 document',
    public: true,
    handler: async () => json(200, openApiDocument(routes, settings.version ?? '0.0.0')),
  });
  const auth = tokenAuthenticator(settings.adminToken, tokens);
  const router = new Router(routes, auth, ports.logger);
  return {
    ports,
    messages,
    archiver,
    devices,
    channels,
    commands,
    connections,
    deviceLogs,
    tokens,
    streams,
    settings: settingsService,
    fanout,
    auth,
    ingest,
    routes,
    router,
  };
}
