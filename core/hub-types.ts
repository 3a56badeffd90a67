/** The ports, settings and services of a hub (core/hub.ts composes them). */
import type { Route, Router } from './api/router.js';
import type { CalcSync } from './calc-sync.js';
import type { IngestedMessage, IngestService } from './ingest.js';
import type { Logger } from './logger.js';
import type { HistoryArchiver } from './messages/archiver.js';
import type { MessageService } from './messages/service.js';
import type {
  Bus,
  CalcRepository,
  ChannelRepository,
  Clock,
  CommandRepository,
  ConnectionDirectory,
  DeadLetterStore,
  DeviceEvent,
  DeviceEventSink,
  DeviceLogRepository,
  DeviceRepository,
  GeofenceRepository,
  IdGenerator,
  PackArchive,
  PackStore,
  PluginRepository,
  RegistryGeneration,
  SettingsRepository,
  StreamRepository,
  StreamStateRepository,
  SubscriptionRepository,
  TelemetryStore,
  TokenRepository,
} from './ports.js';
import type { Authenticator } from './registry/auth.js';
import type { CalcService } from './registry/calcs.js';
import type { ChannelService } from './registry/channels.js';
import type { CommandService } from './registry/commands.js';
import type { ConnectionService, DeviceLogService } from './registry/connections.js';
import type { DeviceService } from './registry/devices.js';
import type { GeofenceService } from './registry/geofences.js';
import type { IntervalService } from './registry/intervals.js';
import type { PluginService } from './registry/plugins.js';
import type { SettingsService } from './registry/settings.js';
import type { StreamService } from './registry/streams.js';
import type { TokenService } from './registry/tokens.js';
import type { CalculateService } from './reports/calculate.js';
import type { StreamFanout } from './streams/fanout.js';

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
  readonly geofences: GeofenceRepository;
  readonly plugins: PluginRepository;
  readonly calcs: CalcRepository;
  /**
   * The registry generation (raised by the registry adapters on every write): ingest's caches
   * revalidate expired entries against it instead of re-reading them (core/generation.ts). Without
   * it they re-read after their TTL.
   */
  readonly generation?: RegistryGeneration;
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
  /** Seconds between telemetry checkpoints of a device written by ingest (default 300; core/ingest.ts). */
  readonly telemetryCheckpointSeconds?: number;
  /** Package version shown in the OpenAPI document. */
  readonly version?: string;
  /** Receives every ingest batch's stored messages (besides the stream fan-out): the local live feed. */
  readonly onStored?: (messages: readonly IngestedMessage[]) => Promise<void>;
  /** Receives the calculators' interval events (besides the streams with source "intervals"): live push. */
  readonly onDeviceEvents?: (events: readonly DeviceEvent[]) => Promise<void>;
  /** Dropped stream batches were put back: drain that stream now (local mode). */
  readonly onStreamReplay?: (streamId: number) => void;
  /** A calculator assignment needs its history calculated (local mode: run the backfill now). */
  readonly onCalcsUnsynced?: () => void;
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
  readonly geofences: GeofenceService;
  readonly plugins: PluginService;
  readonly calcs: CalcService;
  readonly intervals: IntervalService;
  /** The calculators' backfill and tick (a timer locally, a scheduled Lambda on AWS). */
  readonly calcSync: CalcSync;
  readonly settings: SettingsService;
  readonly fanout: StreamFanout;
  /** `POST /gw/devices/{sel}/calculate`: intervals on the fly. */
  readonly reports: CalculateService;
  /** Calculators' interval events and connects/disconnects, to the streams with source "intervals". */
  readonly deviceEvents: DeviceEventSink;
  /** Admin or platform token → principal (the router and the API Gateway authorizer use it). */
  readonly auth: Authenticator;
  readonly ingest: IngestService;
  readonly routes: readonly Route[];
  readonly router: Router;
}
