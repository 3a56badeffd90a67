import { ValidationError } from '../errors.js';
import { parseSelector } from '../registry/selectors.js';

/**
 * Live topics, shaped like flespi's MQTT topics (without the `flespi/…` prefix):
 *
 *   gw/devices/{sel}/messages                       every new message of the selected devices
 *   gw/devices/{sel}/telemetry/{param|prefix*}      the current value, then each update
 *   gw/calcs/{sel}/devices/{sel}/intervals          interval events of the assigned pairs among them
 *
 * `{sel}` is a REST selector (`all`, `12,13`, `name=truck*`) resolved once, when the subscription
 * is made. Telemetry names are exact parameter names, prefixes ending in `*` (`position.*`), or
 * `*` for every parameter; several may be given with commas (`position.speed,din`).
 */
export type Topic =
  | { readonly kind: 'messages'; readonly text: string; readonly devices: string }
  | { readonly kind: 'telemetry'; readonly text: string; readonly devices: string; readonly params: readonly string[] }
  | { readonly kind: 'intervals'; readonly text: string; readonly calcs: string; readonly devices: string };

/** Longest topic accepted (it is part of a DynamoDB sort key, at most 1024 bytes). */
export const MAX_TOPIC_LENGTH = 512;

const PATTERNS: readonly [RegExp, (m: RegExpExecArray, text: string) => Topic][] = [
  [/^gw\/devices\/([^/]+)\/messages$/, (m, text) => ({ kind: 'messages', text, devices: m[1] })],
  [/^gw\/devices\/([^/]+)\/telemetry\/([^/]+)$/, (m, text) => ({ kind: 'telemetry', text, devices: m[1], params: parseParams(m[2], text) })],
  [/^gw\/calcs\/([^/]+)\/devices\/([^/]+)\/intervals$/, (m, text) => ({ kind: 'intervals', text, calcs: m[1], devices: m[2] })],
];

/** Parses a topic; a malformed one is a ValidationError naming it. */
export function parseTopic(text: unknown): Topic {
  if (typeof text !== 'string' || text.length === 0) throw new ValidationError('topic: a string is required');
  if (text.length > MAX_TOPIC_LENGTH) throw new ValidationError(`topic: longer than ${MAX_TOPIC_LENGTH} characters`);
  for (const [re, build] of PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    const topic = build(m, text);
    parseSelector(topic.devices, `topic ${text}: device selector`);
    if (topic.kind === 'intervals') parseSelector(topic.calcs, `topic ${text}: calculator selector`);
    return topic;
  }
  throw new ValidationError(
    `topic "${text}": expected gw/devices/{sel}/messages, gw/devices/{sel}/telemetry/{param|prefix*} or gw/calcs/{sel}/devices/{sel}/intervals`,
  );
}

function parseParams(list: string, topic: string): string[] {
  const params = list.split(',');
  for (const p of params)
    if (!/^(\*|[A-Za-z0-9_.-]+\*?)$/.test(p))
      throw new ValidationError(`topic ${topic}: telemetry parameter "${p}": expected a name, a prefix ending in *, or *`);
  return params;
}

/** Whether a telemetry parameter name matches one of a subscription's names or prefixes. */
export function paramMatches(params: readonly string[], name: string): boolean {
  return params.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
}

/** The concrete topic a frame of one device (and calculator) is published on. */
export const deviceTopic = {
  messages: (deviceId: number) => `gw/devices/${deviceId}/messages`,
  telemetry: (deviceId: number, param: string) => `gw/devices/${deviceId}/telemetry/${param}`,
  intervals: (calcId: number, deviceId: number) => `gw/calcs/${calcId}/devices/${deviceId}/intervals`,
} as const;
