import { json } from './api/http.js';
import { openApiDocument } from './api/openapi.js';
import { type Route, Router } from './api/router.js';
import { activityRoutes } from './api/routes/activity.js';
import { calcRoutes } from './api/routes/calcs.js';
import { calculateRoutes } from './api/routes/calculate.js';
import { channelRoutes } from './api/routes/channels.js';
import { commandRoutes } from './api/routes/commands.js';
import { deadLetterRoutes } from './api/routes/dead-letters.js';
import { deviceRoutes } from './api/routes/devices.js';
import { geofenceRoutes } from './api/routes/geofences.js';
import { pluginRoutes } from './api/routes/plugins.js';
import { protocolRoutes } from './api/routes/protocols.js';
import { settingRoutes } from './api/routes/settings.js';
import { streamRoutes } from './api/routes/streams.js';
import { tokenRoutes } from './api/routes/tokens.js';
import { CalcStage } from './calc-stage.js';
import { CalcSync } from './calc-sync.js';
import { GenerationWatch } from './generation.js';
import type { GeofenceIndex } from './geofences/index.js';
import { IngestService } from './ingest.js';
import { HistoryArchiver } from './messages/archiver.js';
import { MessageService } from './messages/service.js';
import { PluginStage } from './plugin-stage.js';
import type { DeviceEventSink } from './ports.js';
import type { Access } from './registry/access.js';
import { CalcService } from './registry/calcs.js';
import { ChannelService } from './registry/channels.js';
import { CommandService } from './registry/commands.js';
import { ConnectionService, DeviceLogService } from './registry/connections.js';
import { deviceTypes } from './registry/device-types.js';
import { DeviceTyping } from './registry/device-typing.js';
import { DeviceService } from './registry/devices.js';
import { GeofenceLookup } from './registry/geofence-lookup.js';
import { GeofenceService } from './registry/geofences.js';
import { IntervalService } from './registry/intervals.js';
import { PluginService } from './registry/plugins.js';
import { SettingsService } from './registry/settings.js';
import { StreamService } from './registry/streams.js';
import { TokenService, tokenAuthenticator } from './registry/tokens.js';
import { CalculateService } from './reports/calculate.js';
import type { Channel } from './schemas/channels.js';
import type { Device } from './schemas/devices.js';
import { StreamFanout } from './streams/fanout.js';

export type { HubPorts, HubServices, HubSettings } from './hub-types.js';

import type { HubPorts, HubServices, HubSettings } from './hub-types.js';

/** Wires the domain services over the ports: one composition for Lambda and for local mode. */
export function createHub(ports: HubPorts, settings: HubSettings): HubServices {
  const { messages, archiver } = history(ports, settings);
  // ingest's registry caches revalidate against the generation (read by ingest once per 2 minutes)
  const generation = ports.generation ? new GenerationWatch(ports.generation) : undefined;
  const geofenceLookup = new GeofenceLookup(ports.geofences, undefined, undefined, generation);
  const geofenceIndex = () => geofenceLookup.index();
  const types = deviceTypes();
  const typing = new DeviceTyping({ devices: ports.devices, deviceTypes: types, logs: ports.logs, clock: ports.clock, logger: ports.logger });
  const devices = deviceService(ports, settings, { messages, types, typing, geofences: geofenceIndex });
  const channels = channelService(ports, settings, messages, geofenceIndex);
  const selectDevices = (sel: string, access: Access) => devices.select(sel, access);
  const commands = commandService(ports, settings, types, selectDevices);
  const connections = new ConnectionService(ports.connections, ports.commands, ports.clock, (sel, access) => channels.select(sel, access));
  const deviceLogs = new DeviceLogService(ports.logs, selectDevices);
  const fanout = new StreamFanout(ports.streams, ports.subscriptions, ports.bus, undefined, undefined, geofenceIndex, (id) => ports.devices.get(id));
  const streams = streamService(ports, settings, { fanout, selectDevices, selectChannels: (sel, access) => channels.select(sel, access) });
  const settingsService = new SettingsService({
    settings: ports.settings,
    commands,
    commandRepo: ports.commands,
    clock: ports.clock,
    logs: ports.logs,
    selectDevices,
    onQueued: settings.onCommandQueued,
  });
  const onStored = settings.onStored;
  const calc = calculators(ports, settings, { messages, geofences: geofenceIndex, selectDevices, fanout, generation });
  const ingest = new IngestService({
    devices: ports.devices,
    channels: ports.channels,
    messages,
    telemetry: ports.telemetry,
    clock: ports.clock,
    logger: ports.logger,
    generation,
    commands,
    typing,
    telemetryCheckpointS: settings.telemetryCheckpointSeconds,
    onReplies: async (device, replies, done) => settingsService.observe(device, await commands.deviceTypeOf(device), replies, done),
    plugins: new PluginStage({
      plugins: ports.plugins,
      geofences: geofenceIndex,
      messages,
      logs: ports.logs,
      clock: ports.clock,
      logger: ports.logger,
      generation,
    }),
    onConnectionEvents: fanout.publishRouted,
    onStored: async (batch, keys) => {
      await calc.stage.process(batch, keys);
      await fanout.publish(batch);
      await onStored?.(batch);
    },
  });
  const { geofences, plugins } = analytics(ports, settings, { messages, geofenceLookup, ingest, selectDevices });
  const tokens = new TokenService(ports.tokens, ports.ids, ports.clock);
  const services = {
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
    geofences,
    plugins,
    ...calc.services,
    settings: settingsService,
    fanout,
    reports: new CalculateService({ messages, selectDevices, geofences: geofenceIndex, clock: ports.clock, calcs: ports.calcs }),
    ingest,
  };
  const routes = apiRoutes(services, settings.version);
  const auth = tokenAuthenticator(settings.adminToken, tokens);
  return { ...services, auth, routes, router: new Router(routes, auth, ports.logger) };
}

/** Streams; a change drops the fan-out's subscriptions snapshot. */
function streamService(
  ports: HubPorts,
  settings: HubSettings,
  d: {
    fanout: StreamFanout;
    selectDevices: (sel: string, access: Access) => Promise<Device[]>;
    selectChannels: (sel: string, access: Access) => Promise<Channel[]>;
  },
): StreamService {
  return new StreamService({
    streams: ports.streams,
    subscriptions: ports.subscriptions,
    state: ports.streamState,
    ids: ports.ids,
    clock: ports.clock,
    selectDevices: d.selectDevices,
    selectChannels: d.selectChannels,
    onChange: () => {
      d.fanout.invalidate();
      settings.onRegistryChange?.();
    },
    onReplay: settings.onStreamReplay,
  });
}

/** Message history, hot and (with an archive port and `coldHistoryAfterDays`) cold, and the archiver that moves it. */
function history(ports: HubPorts, settings: HubSettings): { messages: MessageService; archiver?: HistoryArchiver } {
  const afterDays = settings.coldHistoryAfterDays;
  const cold = ports.archive && afterDays !== undefined ? { archive: ports.archive, afterDays } : undefined;
  const messages = new MessageService(ports.packs, ports.clock, cold);
  const archiver = cold
    ? new HistoryArchiver({ ...cold, packs: ports.packs, devices: ports.devices, channels: ports.channels, clock: ports.clock, logger: ports.logger })
    : undefined;
  return { messages, archiver };
}

function deviceService(
  ports: HubPorts,
  settings: HubSettings,
  d: { messages: MessageService; types: ReturnType<typeof deviceTypes>; typing: DeviceTyping; geofences: () => Promise<GeofenceIndex> },
): DeviceService {
  const { messages, typing, geofences } = d;
  return new DeviceService({
    typing,
    devices: ports.devices,
    ids: ports.ids,
    messages,
    telemetry: ports.telemetry,
    deviceTypes: d.types,
    logs: ports.logs,
    commands: ports.commands,
    settings: ports.settings,
    clock: ports.clock,
    defaultMessagesTtl: settings.defaultTtl?.device,
    plugins: ports.plugins,
    calcs: ports.calcs,
    geofences,
    onChange: settings.onRegistryChange,
  });
}

function commandService(
  ports: HubPorts,
  settings: HubSettings,
  types: ReturnType<typeof deviceTypes>,
  selectDevices: (sel: string, access: Access) => Promise<Device[]>,
): CommandService {
  return new CommandService({
    commands: ports.commands,
    ids: ports.ids,
    telemetry: ports.telemetry,
    deviceTypes: types,
    clock: ports.clock,
    logs: ports.logs,
    selectDevices,
    onQueued: settings.onCommandQueued,
  });
}

function channelService(ports: HubPorts, settings: HubSettings, messages: MessageService, geofences: () => Promise<GeofenceIndex>): ChannelService {
  return new ChannelService({
    directory: ports.connections,
    clock: ports.clock,
    portAvailable: settings.portAvailable,
    channels: ports.channels,
    ids: ports.ids,
    messages,
    publicHost: settings.publicHost,
    portRange: settings.portRange,
    defaultMessagesTtl: settings.defaultTtl?.channel,
    geofences,
  });
}

/** Geofences and plugins; a change drops the cached geofence index and ingest's plugin chains. */
function analytics(
  ports: HubPorts,
  settings: HubSettings,
  d: {
    messages: MessageService;
    geofenceLookup: GeofenceLookup;
    ingest: IngestService;
    selectDevices: (sel: string, access: Access) => Promise<Device[]>;
  },
): { geofences: GeofenceService; plugins: PluginService } {
  const geofences = new GeofenceService({
    geofences: ports.geofences,
    ids: ports.ids,
    telemetry: ports.telemetry,
    messages: d.messages,
    selectDevices: d.selectDevices,
    onChange: () => {
      d.geofenceLookup.invalidate();
      settings.onRegistryChange?.();
    },
  });
  const plugins = new PluginService({
    plugins: ports.plugins,
    geofences: ports.geofences,
    ids: ports.ids,
    selectDevices: d.selectDevices,
    onChange: () => {
      d.ingest.invalidate();
      settings.onRegistryChange?.();
    },
  });
  return { geofences, plugins };
}

/** Calculators (API, ingest stage, backfill and tick); a change drops the stage's cached assignments and definitions. */
function calculators(
  ports: HubPorts,
  settings: HubSettings,
  d: {
    messages: MessageService;
    geofences: () => Promise<GeofenceIndex>;
    selectDevices: (sel: string, access: Access) => Promise<Device[]>;
    fanout: StreamFanout;
    generation?: GenerationWatch;
  },
): { services: Pick<HubServices, 'calcs' | 'intervals' | 'calcSync' | 'deviceEvents'>; stage: CalcStage } {
  const onEvents = settings.onDeviceEvents;
  const deviceEvents: DeviceEventSink = {
    publish: async (events) => {
      await d.fanout.publishEvents(events);
      await onEvents?.(events);
    },
  };
  const store = { calcs: ports.calcs, messages: d.messages, geofences: d.geofences, events: deviceEvents, logger: ports.logger, generation: d.generation };
  const stage = new CalcStage(store);
  const sync = new CalcSync({ ...store, devices: ports.devices, clock: ports.clock, entry: (id) => stage.entry(id) });
  const calcs = new CalcService({
    calcs: ports.calcs,
    geofences: ports.geofences,
    ids: ports.ids,
    selectDevices: d.selectDevices,
    onChange: () => {
      stage.invalidate();
      settings.onRegistryChange?.();
    },
    onUnsynced: settings.onCalcsUnsynced,
    events: deviceEvents,
  });
  const intervals = new IntervalService({ calcs, repo: ports.calcs, events: deviceEvents });
  return { services: { calcs, intervals, calcSync: sync, deviceEvents }, stage };
}

/** Every route, and the OpenAPI document generated from them. */
function apiRoutes(s: Omit<HubServices, 'auth' | 'routes' | 'router'>, version: string | undefined): Route[] {
  const routes: Route[] = [
    ...channelRoutes(s.channels),
    ...deviceRoutes(s.devices, s.ingest),
    ...commandRoutes(s.commands),
    ...settingRoutes(s.settings),
    ...activityRoutes(s.connections, s.deviceLogs),
    ...streamRoutes(s.streams),
    ...calculateRoutes(s.reports),
    ...geofenceRoutes(s.geofences),
    ...pluginRoutes(s.plugins),
    ...calcRoutes(s.calcs, s.intervals),
    ...protocolRoutes(),
    ...tokenRoutes(s.tokens),
    ...deadLetterRoutes(s.ports.deadLetters),
  ];
  routes.push({
    method: 'GET',
    path: '/openapi.json',
    tag: 'meta',
    summary: 'This OpenAPI 3.1 document',
    public: true,
    handler: async () => json(200, openApiDocument(routes, version ?? '0.0.0')),
  });
  return routes;
}
