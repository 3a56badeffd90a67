import { z } from 'zod';
import { IdSchema } from './common.js';

export const STREAM_TYPES = ['http', 'mqtt', 'wialon_retranslator', 'aws_iot', 'thingsboard'] as const;
export type StreamTypeName = (typeof STREAM_TYPES)[number];

/** What a stream delivers: device messages, or device events (interval changes, online/offline). */
export const STREAM_SOURCES = ['messages', 'intervals'] as const;
/** Stream types that cannot deliver `source: intervals`, and why (the 400 says it). */
export const INTERVALS_REFUSED: Partial<Record<StreamTypeName, string>> = {
  wialon_retranslator: 'a Wialon retranslator receives position packets of a unit, not events; use http, mqtt, aws_iot or thingsboard for source "intervals"',
};

const url = (protocols: readonly string[]) =>
  z
    .string()
    .max(2048)
    .refine(
      (u) => {
        try {
          return protocols.includes(new URL(u).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );

/** Topic templates: `%ident%`, `%device.id%`, `%device.name%`, `%channel.id%`. */
const topic = z
  .string()
  .min(1)
  .max(512)
  .refine((t) => !/[#+]/.test(t.replace(/%[a-z.]+%/g, '')), 'must not contain MQTT wildcards');

export const HttpConfigSchema = z
  .object({
    uri: url(['http:', 'https:']),
    method: z.enum(['POST', 'PUT']).default('POST'),
    headers: z.record(z.string().max(128), z.string().max(4096)).default({}),
    /** HMAC-SHA256 of the body, hex, sent as `X-Hub-Signature-256: sha256=<hex>`. */
    secret: z.string().min(1).max(256).optional(),
    /** Messages per request. */
    max_messages: z.number().int().min(1).max(10000).default(1000),
    /** Seconds to wait for the answer. */
    timeout: z.number().min(1).max(60).default(10),
  })
  .strict();

export const MqttConfigSchema = z
  .object({
    uri: url(['mqtt:', 'mqtts:', 'ws:', 'wss:']),
    topic: topic.default('telematics/%ident%'),
    qos: z.union([z.literal(0), z.literal(1)]).default(1),
    retain: z.boolean().default(false),
    username: z.string().max(256).optional(),
    password: z.string().max(256).optional(),
    client_id: z.string().min(1).max(128).optional(),
    /** Commands arrive here as `{"name", "properties"}`; omit to disable the command path. */
    commands_topic: topic.optional(),
    /** Results go here; default `<commands_topic>/results`. */
    results_topic: topic.optional(),
    /** Accept self-signed certificates (mqtts). */
    insecure: z.boolean().default(false),
  })
  .strict();

export const RetranslatorConfigSchema = z.object({ uri: url(['tcp:']) }).strict();

export const AwsIotConfigSchema = z
  .object({
    /** Data endpoint, e.g. https://xxxx-ats.iot.eu-west-1.amazonaws.com (no trailing slash). */
    endpoint: url(['https:', 'http:']).refine((u) => !u.endsWith('/'), 'must not end with "/"'),
    region: z.string().min(1).max(32),
    topic: topic.default('telematics/%ident%'),
    qos: z.union([z.literal(0), z.literal(1)]).default(1),
    /** Also report telemetry into the thing shadow (thing name = ident). */
    shadow: z.boolean().default(false),
    /** Parameters reported to the shadow (the shadow is limited to 8 KB). */
    shadow_fields: z
      .array(z.string().max(128))
      .max(100)
      .default(['position.latitude', 'position.longitude', 'position.speed', 'engine.ignition.status', 'timestamp']),
  })
  .strict();

export const ThingsboardConfigSchema = z
  .object({
    uri: url(['mqtt:', 'mqtts:']),
    /** The gateway device's access token (MQTT username). */
    access_token: z.string().min(1).max(256),
    device_name: z.string().min(1).max(256).default('%ident%'),
    insecure: z.boolean().default(false),
  })
  .strict();

export const STREAM_CONFIG_SCHEMAS = {
  http: HttpConfigSchema,
  mqtt: MqttConfigSchema,
  wialon_retranslator: RetranslatorConfigSchema,
  aws_iot: AwsIotConfigSchema,
  thingsboard: ThingsboardConfigSchema,
} as const satisfies Record<StreamTypeName, z.ZodType>;

export type HttpConfig = z.output<typeof HttpConfigSchema>;
export type MqttConfig = z.output<typeof MqttConfigSchema>;
export type RetranslatorConfig = z.output<typeof RetranslatorConfigSchema>;
export type AwsIotConfig = z.output<typeof AwsIotConfigSchema>;
export type ThingsboardConfig = z.output<typeof ThingsboardConfigSchema>;

export const StreamSchema = z.object({
  id: IdSchema,
  name: z.string(),
  protocol_name: z.enum(STREAM_TYPES),
  configuration: z.record(z.string(), z.unknown()),
  /** Absent in streams stored before sources existed: `messages`. */
  source: z.enum(STREAM_SOURCES).optional(),
  /** Seconds a batch may wait for a failing target before it is dropped (and kept for replay). */
  queue_ttl: z.number().int(),
  validate_message: z.string().optional(),
  convert_message: z.string().optional(),
  enabled: z.boolean(),
});
export type Stream = z.infer<typeof StreamSchema>;

export const StreamCreateSchema = z
  .object({
    name: z.string().min(1).max(255),
    protocol_name: z.enum(STREAM_TYPES),
    configuration: z.record(z.string(), z.unknown()),
    /** `messages` (default): device messages; `intervals`: calculators' interval events and online/offline events. */
    source: z.enum(STREAM_SOURCES).default('messages'),
    queue_ttl: z
      .number()
      .int()
      .min(60)
      .max(30 * 86400)
      .default(86400),
    /** An expression (API.md, Expressions) applied at fan-out; messages for which it is false are skipped. */
    validate_message: z.string().min(1).max(1024).optional(),
    convert_message: z.string().max(0, 'message conversion is not supported; leave convert_message out').optional(),
    enabled: z.boolean().default(true),
  })
  .strict();

export const StreamUpdateSchema = z
  .object({
    name: z.string().min(1).max(255),
    configuration: z.record(z.string(), z.unknown()),
    source: z.enum(STREAM_SOURCES),
    queue_ttl: z
      .number()
      .int()
      .min(60)
      .max(30 * 86400),
    validate_message: z.string().min(1).max(1024).nullable(),
    enabled: z.boolean(),
  })
  .partial()
  .strict();

export interface StreamStatus {
  /** Unix seconds of the last successful delivery. */
  readonly last_delivery: number | null;
  /** Seconds between receiving the last delivered batch's newest message and delivering it. */
  readonly lag: number | null;
  /** Batches waiting in the stream's buffer, and their messages. */
  readonly buffered: number;
  readonly buffered_messages: number;
  /** Failed delivery attempts since the last success, and in total. */
  readonly errors: number;
  readonly errors_total: number;
  readonly last_error: string | null;
  readonly next_attempt: number | null;
  readonly delivered_batches: number;
  readonly delivered_messages: number;
  /** Batches re-sent after an ambiguous failure (the platform may have them twice). */
  readonly duplicates: number;
  /** Batches dropped after queue_ttl (see /dropped). */
  readonly dropped: number;
}

export const EMPTY_STATUS: StreamStatus = {
  last_delivery: null,
  lag: null,
  buffered: 0,
  buffered_messages: 0,
  errors: 0,
  errors_total: 0,
  last_error: null,
  next_attempt: null,
  delivered_batches: 0,
  delivered_messages: 0,
  duplicates: 0,
  dropped: 0,
};
