/**
 * Monthly cost of live push (docs/api.md "Live push") for a number of watched devices, each watched
 * by some clients, at the list prices of prices.ts; and, for comparison, the same push through AWS
 * IoT Core MQTT over WSS. Pure: the counts follow from how the hub pushes (lambdas/live-push: one
 * bus event per ingest batch holding watched devices, one Query of the live index per device in
 * it, one PostToConnection per frame per watching connection).
 */
import { HOURS_PER_MONTH, MESSAGES_PER_DEVICE_MONTH, PRICES } from './prices.js';

export interface LiveLoad {
  /** Devices someone watches (the rest cost nothing: ingest publishes no live event for them). */
  readonly watchedDevices: number;
  /** Connections subscribed to each watched device. */
  readonly clientsPerDevice: number;
  /** Hours per month a watching client is connected (a console open 8 h on 22 working days: 176). */
  readonly connectedHours: number;
  /** Devices of the fleet and fleet messages per ingest invocation (26 at the defaults; tens of thousands with a 300 s window). */
  readonly fleetDevices: number;
  readonly messagesPerInvocation: number;
  /** Bytes of one pushed frame (a Teltonika record with its topic: about 700). */
  readonly frameBytes: number;
}

export interface LiveCost {
  readonly pushedPerDeviceMonth: number;
  readonly websocket: {
    readonly messages: number;
    readonly connectionMinutes: number;
    readonly lambda: number;
    readonly dynamo: number;
    readonly eventBridge: number;
    readonly total: number;
  };
  readonly iotCore: { readonly messages: number; readonly connectionMinutes: number; readonly total: number };
  /** Totals divided by watched devices. */
  readonly perWatchedDevice: { readonly websocket: number; readonly iotCore: number };
}

/** API Gateway WebSocket APIs (first billion messages; messages billed in 32 KB increments). */
export const WEBSOCKET_PRICES = { perMillionMessages: 1.0, perMillionConnectionMinutes: 0.25, messageUnitBytes: 32 * 1024 } as const;
/** AWS IoT Core connectivity (messaging is PRICES.iotPerMillionMessages per 5 KB). */
export const IOT_PER_MILLION_CONNECTION_MINUTES = 0.08;
/** Push Lambda: 256 MB, about 60 ms per event (a Query per device, posts in parallel; estimated, not measured). */
const PUSH_GB_SECONDS_PER_EVENT = 0.25 * 0.06;
/**
 * Invocations per connected client-hour besides the push: API Gateway ends a connection after 2 h,
 * the console reconnects (authorizer, `$connect`, `subscribe`, `$disconnect`: 4 per 2 h).
 */
const CONNECT_INVOCATIONS_PER_HOUR = 2;

export function liveCost(l: LiveLoad): LiveCost {
  const P = PRICES;
  const messages = l.watchedDevices * MESSAGES_PER_DEVICE_MONTH;
  const clients = l.watchedDevices * l.clientsPerDevice;
  const connectionMinutes = clients * l.connectedHours * 60;
  const frames = messages * l.clientsPerDevice;
  // One bus event per ingest invocation holding a watched device's message (random mix of devices).
  const invocations = (l.fleetDevices * MESSAGES_PER_DEVICE_MONTH) / l.messagesPerInvocation;
  const events = invocations * (1 - (1 - l.watchedDevices / l.fleetDevices) ** l.messagesPerInvocation);
  const connectInvocations = clients * l.connectedHours * CONNECT_INVOCATIONS_PER_HOUR;
  const connectLambda = (connectInvocations * P.lambdaPerMillionRequests) / 1e6;
  const wsUnits = Math.ceil(l.frameBytes / WEBSOCKET_PRICES.messageUnitBytes);
  const wsMessages = (frames * wsUnits * WEBSOCKET_PRICES.perMillionMessages) / 1e6;
  const wsMinutes = (connectionMinutes * WEBSOCKET_PRICES.perMillionConnectionMinutes) / 1e6;
  const lambda = connectLambda + (events * P.lambdaPerMillionRequests) / 1e6 + events * PUSH_GB_SECONDS_PER_EVENT * P.lambdaArmPerGbSecond;
  // The push reads the live index once per device per event (0.5 RRU, eventually consistent; a
  // device has at most a message or two per event); the ingest function lists the watched devices
  // every 10 s per warm instance (about 2 at this load).
  const rru = Math.min(messages, events * l.watchedDevices) * 0.5 + 2 * 6 * 60 * HOURS_PER_MONTH * 0.5;
  const dynamo = (rru * P.dynamoOnDemandPerMillionRru) / 1e6;
  const eventBridge = (events * P.eventBridgePerMillionEvents) / 1e6;
  const websocketTotal = wsMessages + wsMinutes + lambda + dynamo + eventBridge;
  // IoT Core: ingest publishes each watched message once, the broker delivers it to every
  // subscriber (every 5 KB of either counted as one message), clients pay connectivity and each
  // connection runs a custom authorizer; no push function, bus event or index read.
  const iotUnits = Math.ceil(l.frameBytes / 5120);
  const iotMessages = ((messages + frames) * iotUnits * P.iotPerMillionMessages) / 1e6;
  const iotMinutes = (connectionMinutes * IOT_PER_MILLION_CONNECTION_MINUTES) / 1e6;
  const iotTotal = iotMessages + iotMinutes + connectLambda;
  return {
    pushedPerDeviceMonth: MESSAGES_PER_DEVICE_MONTH * l.clientsPerDevice,
    websocket: { messages: wsMessages, connectionMinutes: wsMinutes, lambda, dynamo, eventBridge, total: websocketTotal },
    iotCore: { messages: iotMessages, connectionMinutes: iotMinutes, total: iotTotal },
    perWatchedDevice: { websocket: websocketTotal / l.watchedDevices, iotCore: iotTotal / l.watchedDevices },
  };
}

/** The cost bench's live push add-on: a few watching loads at two ingest batch sizes (10,000 devices). */
export function liveAddOn(fleetDevices: number, batches: readonly { readonly config: string; readonly messagesPerInvocation: number }[]) {
  const loads = [
    { watchedDevices: 10, clientsPerDevice: 1 },
    { watchedDevices: 100, clientsPerDevice: 1 },
    { watchedDevices: 100, clientsPerDevice: 3 },
    { watchedDevices: 1000, clientsPerDevice: 1 },
  ];
  return batches.flatMap((b) =>
    loads.map((l) => {
      const r = liveCost({ ...l, connectedHours: 176, fleetDevices, messagesPerInvocation: b.messagesPerInvocation, frameBytes: 700 });
      const round = (n: number) => Math.round(n * 10000) / 10000;
      return {
        config: b.config,
        watched_devices: l.watchedDevices,
        clients_per_device: l.clientsPerDevice,
        pushed_per_device_month: r.pushedPerDeviceMonth,
        websocket_monthly: round(r.websocket.total),
        iot_core_monthly: round(r.iotCore.total),
        websocket_per_watched_device: round(r.perWatchedDevice.websocket),
        iot_core_per_watched_device: round(r.perWatchedDevice.iotCore),
      };
    }),
  );
}
