import type { Message, MessageValue } from '../../protocols/common/types.js';
import type { DeviceEvent } from '../ports.js';
import type { Device } from '../schemas/devices.js';

/**
 * Device events travel the messages' bus → buffer → delivery path as records: a message whose
 * `hub.event` field holds the event's JSON (the exact object a target sends), next to the fields
 * templates and the buffer need (`ident`, `device.id`, `device.name`, `channel.id`,
 * `server.timestamp`). Every layer between fan-out and target stays unchanged: buffered, retried,
 * deduplicated by batch id, replayable and counted like messages.
 */
export const EVENT_FIELD = 'hub.event';

/** A device event with where it happened (online/offline know their channel; interval events do not). */
export interface RoutedEvent {
  readonly event: DeviceEvent;
  readonly channelId?: number;
}

/** The record of one event for the stream buffer; `at` is its place in the buffer's order (s). */
export function eventRecord(e: RoutedEvent, device: Device | undefined, at: number): Message {
  const record: Message = { [EVENT_FIELD]: JSON.stringify(e.event), 'device.id': e.event.device_id, 'server.timestamp': at, timestamp: eventTime(e.event) };
  if (device) {
    record.ident = device.configuration.ident;
    record['device.name'] = device.name;
  }
  if (e.channelId !== undefined) record['channel.id'] = e.channelId;
  return record;
}

export function isEventRecord(m: Message): boolean {
  return typeof m[EVENT_FIELD] === 'string';
}

/** The JSON a target sends for a buffered item: the event of an event record, else the message. */
export function payloadJson(m: Message): string {
  const e = m[EVENT_FIELD];
  return typeof e === 'string' ? e : JSON.stringify(m);
}

/** The event of a record (undefined for a message). */
export function eventOf(m: Message): DeviceEvent | undefined {
  const e = m[EVENT_FIELD];
  return typeof e === 'string' ? (JSON.parse(e) as DeviceEvent) : undefined;
}

/**
 * When an event happened (s): online/offline their `timestamp`; an interval's activation its
 * `begin`, its other changes its `end` (ThingsBoard's `ts`, the record's `timestamp`).
 */
export function eventTime(e: DeviceEvent): number {
  if (!('interval' in e)) return e.timestamp;
  const key = e.event === 'activated' ? 'begin' : 'end';
  const t = e.interval[key];
  return typeof t === 'number' ? t : 0;
}

/**
 * The event as flat parameters: `event`, `calc_id`, `device_id`, `timestamp`, `interval.begin`,
 * `interval.duration`, `interval.<counter>` … (the names a validate_message uses and ThingsBoard
 * values). Arrays of objects (a `route`) become their JSON text.
 */
export function flattenEvent(e: DeviceEvent): Message {
  const out: Message = {};
  flattenInto(out, '', e as unknown as Record<string, unknown>);
  return out;
}

function flattenInto(out: Message, prefix: string, obj: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(obj)) {
    const name = prefix + k;
    if (v === undefined) continue;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[name] = v;
    else if (Array.isArray(v)) out[name] = v.every(isScalar) ? (v as MessageValue[]) : JSON.stringify(v);
    else if (typeof v === 'object') flattenInto(out, `${name}.`, v as Record<string, unknown>);
  }
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
