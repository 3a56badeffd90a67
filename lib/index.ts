/** The CDK constructs of Telematics Hub (use `TelematicsHub` in your own app). */

export { HubChannels, type HubChannelsProps } from './channels.js';
export { HUB_DEFAULTS, retentionDays } from './config.js';
export { HubConsole, type HubConsoleProps } from './console.js';
export { HUB_CONTEXT_KEYS, type HubAppSettings, hubSettingsFromContext } from './context.js';
export { HubFunction, type HubFunctionProps } from './function.js';
export { HubIngest, type HubIngestProps } from './ingest.js';
export { HubLive, type HubLiveProps } from './live.js';
export { HubObservability, type HubObservabilityProps } from './observability.js';
export { HubRegistryApi, type HubRegistryApiProps } from './registry-api.js';
export { type HubProvisionedCapacity, HubStorage, type HubStorageProps } from './storage.js';
export { HubStreams, type HubStreamsProps, STREAM_TYPES, type StreamType } from './streams.js';
export { TelematicsHub, type TelematicsHubProps } from './telematics-hub.js';
