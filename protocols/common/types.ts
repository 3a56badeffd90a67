import type { CodecError } from './errors.js';

/** A parameter value in a message: flat JSON values (arrays only where a list is the meaning). */
export type MessageValue = string | number | boolean | null | readonly MessageValue[];
/** A protocol-independent message: one flat object with dotted, lower-case names (DESIGN §3). */
export type Message = { [name: string]: MessageValue };

/**
 * Every protocol name of the contract (../shared/API.md, with the ids `GET /gw/protocols` shows):
 * the first nine, then wave 2. `allProtocols()` in protocols/index.ts lists the ones this build speaks.
 */
export const PROTOCOL_IDS = {
  teltonika: 1,
  gt06: 2,
  h02: 3,
  meitrack: 4,
  osmand: 5,
  queclink: 6,
  ruptela: 7,
  wialon_ips: 8,
  galileosky: 9,
  jt808: 10,
  gps103: 11,
  suntech: 12,
  tk103: 13,
  meiligao: 14,
  navtelecom: 15,
  watch: 16,
  castel: 17,
  atrack: 18,
  eelink: 19,
  egts: 20,
  wialon_retranslator: 21,
} as const;
export type ProtocolName = keyof typeof PROTOCOL_IDS;

/**
 * How frames arrive. For `http` (OsmAnd), a frame is one request serialised as JSON:
 * `{"method","path","headers","body"}` (path includes the query string; body as text).
 */
export type Transport = 'tcp' | 'udp' | 'http';

export type CrcPolicy = 'strict' | 'lenient';

/** Channel-level codec options. */
export interface CodecOptions {
  /** `strict`: a frame with a wrong checksum is not acked and not stored; `lenient`: decoded, marked `crc.valid=false`. */
  readonly crc: CrcPolicy;
  /** Largest frame accepted, in bytes; a length field above it is an `oversize` error. */
  readonly maxFrameSize: number;
  /** Protocol-specific switches (e.g. `extended` for Teltonika 16-byte IO). */
  readonly settings?: Readonly<Record<string, string | number | boolean>>;
}

export const DEFAULT_CODEC_OPTIONS: CodecOptions = { crc: 'strict', maxFrameSize: 65536 };

/** Per-connection state, owned by the connection and passed to the codec. */
export interface SessionState {
  readonly transport: Transport;
  /** The device's ident once a frame identified it. */
  ident?: string;
  /** Protocol-specific values the codec keeps between frames (serialisable; travels with queued frames). */
  vars: Record<string, string | number | boolean>;
}

/** Result of cutting one frame from the start of a buffer. Framers never throw. */
export type FrameResult =
  | { readonly type: 'frame'; readonly frame: Buffer; readonly consumed: number }
  | { readonly type: 'more' }
  | { readonly type: 'error'; readonly error: CodecError; readonly consumed: number };

/** What the listener must do with one frame: no full decode, only identity and acks. */
export interface Inspection {
  /** The frame identifies the device (login, handshake, or an ident in every packet). */
  readonly ident?: string;
  /** Hand the raw frame to the durable queue for decoding. */
  readonly store: boolean;
  /** Bytes for the device: sent once the frame is durable (store) or at once (no store). */
  readonly reply?: Buffer;
  /** The frame was refused or is suspect; counted and logged. */
  readonly error?: CodecError;
  /** Close the connection after the reply. */
  readonly close?: boolean;
  /** Session values to keep (merged into `SessionState.vars`). */
  readonly vars?: Record<string, string | number | boolean>;
  /** HTTP transport only: the response status (the body is `reply`). */
  readonly status?: number;
}

/** A device's answer to a command, as decoded from a frame. */
export interface CommandReply {
  /** Text or structured response. */
  readonly response: string;
  /** Raw payload hex, when the reply is binary. */
  readonly hex?: string;
  /** Whether the device reported success (when the protocol says). */
  readonly executed?: boolean;
  /** Correlation id echoed by the device, when the protocol carries one. */
  readonly correlation?: string;
  readonly timestamp?: number;
}

export interface DecodeContext {
  readonly transport: Transport;
  /**
   * When the hub received the frame (Unix seconds). Decoders use it instead of a clock when a
   * frame's time is incomplete (e.g. seconds within the year), so decoding stays pure.
   */
  readonly receivedAt?: number;
  readonly ident?: string;
  readonly vars?: Readonly<Record<string, string | number | boolean>>;
  readonly options?: CodecOptions;
}

export interface Decoded {
  readonly messages: Message[];
  readonly commandReplies: CommandReply[];
  readonly errors: CodecError[];
}

export interface CommandRequest {
  readonly name: string;
  readonly properties: Readonly<Record<string, unknown>>;
  /** Hub command id, for protocols that can carry a correlation id. */
  readonly id?: number;
}

/** JSON Schema object (2020-12), as produced from zod. */
export type JsonSchema = Record<string, unknown>;

export interface CommandDefinition {
  readonly name: string;
  readonly address: 'connection' | 'sms';
  readonly title: string;
  readonly schema: JsonSchema;
  readonly examples: readonly Record<string, unknown>[];
  /** Checks properties against the schema: undefined when valid, else `<path>: <reason>`. Not serialised. */
  readonly validate?: (properties: unknown) => string | undefined;
}

export interface SettingDefinition {
  readonly name: string;
  readonly title: string;
  readonly schema: JsonSchema;
  /** Command that reads the setting from the device. */
  readonly read: string;
  /** Command that writes it. */
  readonly write: string;
  /** Checks a value against the schema: undefined when valid, else the reason. Not serialised. */
  readonly validate?: (value: unknown) => string | undefined;
  /** Properties of the read command (default `{}`). */
  readonly readProperties?: Readonly<Record<string, unknown>>;
  /** Properties of the write command for a value (default `{"value": value}`). Not serialised. */
  readonly writeProperties?: (value: unknown) => Record<string, unknown>;
}

/** Setting values a device reported in a reply (or an unsolicited report), and writes it refused. */
export interface SettingsReport {
  readonly values: Readonly<Record<string, unknown>>;
  /** Setting name → the device's reason. */
  readonly refused?: Readonly<Record<string, string>>;
  /** Pending writes the device acknowledged without echoing the value (it now holds the desired value). */
  readonly confirmed?: readonly string[];
}

export interface DeviceTypeDefinition {
  readonly id: number;
  readonly name: string;
  readonly commands: readonly CommandDefinition[];
  readonly settings: readonly SettingDefinition[];
  /**
   * Reads setting values out of a device's reply text (to a read or a write command, or sent on its
   * own when the device was configured locally). `pending` names the settings a write is waiting
   * for: a reply that does not confirm them is a refusal. Not serialised.
   */
  readonly parseSettings?: (response: string, pending?: readonly string[]) => SettingsReport | undefined;
}

/** An HTTP request as the OsmAnd-style protocols receive it (the listener serialises it as a JSON frame). */
export interface HttpRequest {
  readonly method: string;
  /** Path with the query string. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The device side of a protocol (`protocols/<name>/device.ts`): what `hub simulate`, the
 * round-trip tests and the benches drive. A simulated device `n` logs in (where the protocol has a
 * login) and sends reports; `expected` says what its report `seq` must decode to.
 */
export interface DeviceSimulator {
  readonly transports: readonly Transport[];
  /** The ident of simulated device `n` (n ≥ 0). */
  identFor(n: number): string;
  /** First bytes on a TCP connection (handshake, login), when the protocol has one. */
  login?(ident: string): Buffer;
  /** One report (TCP and UDP protocols): device `n`, report number `seq` (from 1), device time `atMs`. */
  report?(ident: string, n: number, seq: number, atMs: number, transport: 'tcp' | 'udp'): Buffer;
  /** One request (HTTP protocols). */
  request?(ident: string, n: number, seq: number, atMs: number): HttpRequest;
  /**
   * The parameters the report (or request) of `(n, seq, atMs)` carries, as the decoder names them
   * (values after the wire format's rounding): the round-trip test decodes the report and compares.
   */
  expected(ident: string, n: number, seq: number, atMs: number): Message;
  /** Length of the first complete server reply in `buf` (TCP), undefined while incomplete. */
  replyLength?(buf: Buffer, loggedIn: boolean): number | undefined;
  /** The hub answers the login (the simulator waits for it). */
  readonly loginAcked: boolean;
  /** The hub acks every report (the simulator counts acks). */
  readonly reportsAcked: boolean;
}

/**
 * The four roles of a protocol (framer, inspector, decoder, encoder) plus its device types and its
 * device side. All pure: no I/O, no clocks, no AWS.
 */
export interface ProtocolCodec {
  readonly id: number;
  readonly name: ProtocolName;
  readonly transports: readonly Transport[];
  /**
   * How long a connection may go without completing a frame before it is closed (s): a little above
   * the longest keep-alive period the vendor documents by default, so a healthy parked device is
   * never dropped; a channel's `idle_timeout` overrides it.
   */
  readonly idleTimeoutS: number;
  /** The simulated device (`hub simulate`, round-trip tests). */
  readonly simulator: DeviceSimulator;
  /** Cuts one frame from the start of `buf` (TCP); for UDP the whole datagram is offered. */
  frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult;
  /** Identity and acknowledgement of one frame, for the listener. */
  inspect(frame: Buffer, state: SessionState, options: CodecOptions): Inspection;
  /** Full decode of one frame into messages. */
  decode(frame: Buffer, ctx: DecodeContext): Decoded;
  /**
   * Optional fast lane for a caller that has just inspected the frame (`ConnectionCodec`): decodes
   * a frame that this codec's `inspect` passed with `store: true`, under the same options, given
   * that inspection, so what the inspection already established (the checksum verdict) is not
   * computed again. It must return exactly what `decode(frame, ctx)` returns for that frame (a
   * test compares the two); codecs without it are decoded with `decode`.
   */
  decodeInspected?(frame: Buffer, ctx: DecodeContext, inspection: Inspection): Decoded;
  /** Bytes to send for a command, or a typed error. */
  encodeCommand(command: CommandRequest, state: SessionState): Buffer | CodecError;
  /**
   * The correlation the device will echo in its reply to this command (the `correlation` of the
   * matching `CommandReply`), for protocols that echo one; replies are otherwise matched oldest first.
   */
  correlate?(command: CommandRequest): string | undefined;
  readonly deviceTypes: readonly DeviceTypeDefinition[];
}
