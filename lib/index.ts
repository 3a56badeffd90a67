/** The CDK constructs of Telematics Hub (use `TelematicsHub` in your own app). */
export { TelematicsHub, type TelematicsHubProps } from './telematics-hub.js';
export { HUB_DEFAULTS, retentionDays } from './config.js';
export { HUB_CONTEXT_KEYS, hubSettingsFromContext, type HubAppSettings } from './context.js';
export { HubStorage, type HubStorageProps, type HubProvisionedCapacity } from './storage.js';
export { HubIngest, type HubIngestProps } from './ingest.js';
export { HubStreams, type HubStreamsProps, STREAM_TYPES, type StreamType } from './streams.js';
export { HubChannels, type HubChannelsProps } from './channels.js';
export { HubRegistryApi, type HubRegistryApiProps } from './registry-api.js';
export { HubConsole, type HubConsoleProps } from './console.js';
export { HubObservability, type HubObservabilityProps } from './observability.js';
export { HubFunction, type HubFunctionProps } from './function.js';
