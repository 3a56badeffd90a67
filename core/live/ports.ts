import type { Message } from '../../protocols/common/types.js';
import type { Principal } from '../registry/auth.js';
import type { LiveFrame, LiveIntervalEvent } from './frames.js';

/** An open live connection and who opened it (the token's id and ACL at connect time). */
export interface LiveConnection {
  readonly id: string;
  readonly principal: Principal;
  /** Unix seconds. */
  readonly connectedAt: number;
}

/** A subscription with its selector resolved: the devices it covers were allowed by the ACL then. */
export interface LiveSubscription {
  readonly topic: string;
  readonly devices: readonly number[];
  /** An intervals topic: per device, the selected calculators assigned to it then (the pairs whose events it gets). */
  readonly calcs?: ReadonlyMap<number, readonly number[]>;
}

/** One connection watching a device through one of its subscriptions. */
export interface LiveWatcher {
  readonly connectionId: string;
  readonly topic: string;
  /** An intervals topic: the calculators whose events of this device it gets. */
  readonly calcs?: readonly number[];
}

/**
 * Connections and subscriptions (DynamoDB registry items on AWS, memory locally). A connection's
 * items go when it disconnects, when a push finds it gone, or by their TTL.
 */
export interface LiveStore {
  connect(connection: LiveConnection): Promise<void>;
  connection(id: string): Promise<LiveConnection | undefined>;
  /** Adds (or replaces) a subscription of a connection. */
  subscribe(connectionId: string, subscription: LiveSubscription): Promise<void>;
  /** Removes a subscription; false when the connection had none with that topic. */
  unsubscribe(connectionId: string, topic: string): Promise<boolean>;
  /** Who watches each of these devices (devices nobody watches are absent). */
  watchers(deviceIds: readonly number[]): Promise<ReadonlyMap<number, readonly LiveWatcher[]>>;
  /** Every device some connection watches (ingest's "are there subscribers" snapshot). */
  watchedDevices(): Promise<ReadonlySet<number>>;
  /** Removes a connection and all its subscriptions. */
  disconnect(connectionId: string): Promise<void>;
}

/** Sends frames to a connection (API Gateway's management API, or a local socket); false when it is gone. */
export interface LiveSender {
  send(connectionId: string, frames: readonly LiveFrame[]): Promise<boolean>;
}

/**
 * One batch of messages and interval events of watched devices, from ingest (or the calculators'
 * tick) to the push function (EventBridge `live` event detail).
 */
export interface LiveEvent {
  readonly batch_id: string;
  readonly messages: readonly Message[];
  /** Interval events of watched devices (absent when there are none). */
  readonly events?: readonly LiveIntervalEvent[];
}

/** Where ingest puts live events (EventBridge on AWS). */
export interface LivePublisher {
  publish(events: readonly LiveEvent[]): Promise<void>;
}
