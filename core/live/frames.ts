import { z } from 'zod';
import type { Message } from '../../protocols/common/types.js';
import { HubError, ValidationError } from '../errors.js';
import type { DeviceEvent, TelemetryValue } from '../ports.js';
import { deviceTopic } from './topics.js';

/** Largest client frame accepted (bytes of JSON text). */
export const MAX_REQUEST_BYTES = 8 * 1024;

/** What a client sends: `{"action": "subscribe" | "unsubscribe", "topic"}`. */
export const LiveRequestSchema = z.object({
  action: z.enum(['subscribe', 'unsubscribe']),
  topic: z.string().min(1),
});
export type LiveRequest = z.infer<typeof LiveRequestSchema>;

/** An interval event of a calculator (API.md): what an intervals topic carries; online/offline events are not live. */
export type LiveIntervalEvent = Extract<DeviceEvent, { readonly calc_id: number }>;

/** Whether a device event is an interval event. */
export function isIntervalEvent(e: DeviceEvent): e is LiveIntervalEvent {
  return 'calc_id' in e;
}

/** Frames the hub sends, one JSON text frame each. */
export type LiveFrame =
  | { readonly topic: string; readonly message: Message }
  | { readonly topic: string; readonly value: TelemetryValue['value']; readonly ts: number }
  | ({ readonly topic: string } & LiveIntervalEvent)
  | { readonly subscribed: string; readonly devices: readonly number[] }
  | { readonly unsubscribed: string }
  | { readonly error: { readonly code: number; readonly reason: string; readonly topic?: string } };

/** Parses a client frame; anything else is a ValidationError naming what is wrong. */
export function parseRequest(text: string): LiveRequest {
  if (Buffer.byteLength(text) > MAX_REQUEST_BYTES) throw new ValidationError(`frame: larger than ${MAX_REQUEST_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError('frame: not JSON; send {"action": "subscribe", "topic": "gw/devices/{sel}/messages"}');
  }
  const r = LiveRequestSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ValidationError(`frame: ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return r.data;
}

export const frames = {
  message: (deviceId: number, message: Message): LiveFrame => ({ topic: deviceTopic.messages(deviceId), message }),
  telemetry: (deviceId: number, param: string, t: TelemetryValue): LiveFrame => ({ topic: deviceTopic.telemetry(deviceId, param), value: t.value, ts: t.ts }),
  /** An interval event as API.md shapes it, on its pair's concrete topic. */
  interval: (e: LiveIntervalEvent): LiveFrame => ({ topic: deviceTopic.intervals(e.calc_id, e.device_id), ...e }),
  subscribed: (topic: string, devices: readonly number[]): LiveFrame => ({ subscribed: topic, devices }),
  unsubscribed: (topic: string): LiveFrame => ({ unsubscribed: topic }),
  /** An error as a frame: the HubError's status, 500 (without internals) for anything else. */
  error: (err: unknown, topic?: string): LiveFrame => {
    const code = err instanceof HubError ? err.status : 500;
    const reason = err instanceof HubError ? err.message : 'internal error';
    return { error: { code, reason, ...(topic === undefined ? {} : { topic }) } };
  },
} as const;
