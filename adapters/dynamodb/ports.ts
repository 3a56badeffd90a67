import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HubPorts } from '../../core/hub.js';
import type { Logger } from '../../core/logger.js';
import { type Bus, type Clock, type DeadLetterStore, type PackArchive, systemClock } from '../../core/ports.js';
import { DynamoCalcRepository } from './calcs.js';
import type { TableNames } from './client.js';
import { DynamoCommandRepository } from './commands.js';
import { DynamoConnectionDirectory } from './connections.js';
import { DynamoRegistryGeneration } from './generation.js';
import { DynamoGeofenceRepository } from './geofences.js';
import { DynamoDeviceLogRepository } from './logs.js';
import { DynamoPackStore } from './packs.js';
import { DynamoPluginRepository } from './plugins.js';
import { DynamoChannelRepository, DynamoDeviceRepository, DynamoIdGenerator } from './registry.js';
import { DynamoSettingsRepository } from './settings.js';
import { DynamoStreamStateRepository } from './stream-state.js';
import { DynamoStreamRepository, DynamoSubscriptionRepository } from './streams.js';
import { DynamoTelemetryStore } from './telemetry.js';
import { DynamoTokenRepository } from './tokens.js';

/** The hub's ports over DynamoDB (AWS or dynalite). */
/** A bus for processes that never publish (listeners): publishing is a configuration error. */
export const NO_BUS: Bus = {
  publish: async () => {
    throw new Error('no event bus is configured for stream fan-out (HUB_EVENT_BUS_NAME)');
  },
};

export function dynamoPorts(
  doc: DynamoDBDocumentClient,
  tables: TableNames,
  logger: Logger,
  options: { bus?: Bus; clock?: Clock; deadLetters?: DeadLetterStore; archive?: PackArchive } = {},
): HubPorts & { readonly calcs: DynamoCalcRepository } {
  const clock = options.clock ?? systemClock;
  const generation = new DynamoRegistryGeneration(doc, tables.registry);
  const changed = () => generation.bump();
  return {
    generation,
    devices: new DynamoDeviceRepository(doc, tables.registry, changed),
    channels: new DynamoChannelRepository(doc, tables.registry, changed),
    ids: new DynamoIdGenerator(doc, tables.registry),
    packs: new DynamoPackStore(doc, tables.messages),
    archive: options.archive,
    telemetry: new DynamoTelemetryStore(doc, tables.registry),
    commands: new DynamoCommandRepository(doc, tables.registry),
    connections: new DynamoConnectionDirectory(doc, tables.registry),
    logs: new DynamoDeviceLogRepository(doc, tables.registry),
    tokens: new DynamoTokenRepository(doc, tables.registry),
    settings: new DynamoSettingsRepository(doc, tables.registry),
    streams: new DynamoStreamRepository(doc, tables.registry),
    subscriptions: new DynamoSubscriptionRepository(doc, tables.registry),
    streamState: new DynamoStreamStateRepository(doc, tables.registry),
    geofences: new DynamoGeofenceRepository(doc, tables.registry, changed),
    plugins: new DynamoPluginRepository(doc, tables.registry, changed),
    calcs: new DynamoCalcRepository(doc, tables.registry, tables.messages, () => clock.now(), changed),
    bus: options.bus ?? NO_BUS,
    deadLetters: options.deadLetters,
    clock,
    logger,
  };
}
