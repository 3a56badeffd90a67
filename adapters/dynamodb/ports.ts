import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HubPorts } from '../../core/hub.js';
import type { Logger } from '../../core/logger.js';
import { type Clock, systemClock } from '../../core/ports.js';
import type { TableNames } from './client.js';
import { DynamoCommandRepository } from './commands.js';
import { DynamoConnectionDirectory } from './connections.js';
import { DynamoDeviceLogRepository } from './logs.js';
import { DynamoPackStore } from './packs.js';
import { DynamoChannelRepository, DynamoDeviceRepository, DynamoIdGenerator } from './registry.js';
import { DynamoTelemetryStore } from './telemetry.js';
import { DynamoTokenRepository } from './tokens.js';

/** The hub's ports over DynamoDB (AWS or dynalite). */
export function dynamoPorts(doc: DynamoDBDocumentClient, tables: TableNames, logger: Logger, clock: Clock = systemClock): HubPorts {
  return {
    devices: new DynamoDeviceRepository(doc, tables.registry),
    channels: new DynamoChannelRepository(doc, tables.registry),
    ids: new DynamoIdGenerator(doc, tables.registry),
    packs: new DynamoPackStore(doc, tables.messages),
    telemetry: new DynamoTelemetryStore(doc, tables.registry),
    commands: new DynamoCommandRepository(doc, tables.registry),
    connections: new DynamoConnectionDirectory(doc, tables.registry),
    logs: new DynamoDeviceLogRepository(doc, tables.registry),
    tokens: new DynamoTokenRepository(doc, tables.registry),
    clock,
    logger,
  };
}
