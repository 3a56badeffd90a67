/**
 * API shapes, taken from the server's zod schemas and types with type-only imports (nothing from
 * the server is bundled).
 */
import type { z } from 'zod';
import type { ConnectionRecord, DeviceLogEntry, DroppedBatch, StreamLogEntry, Telemetry } from '../../core/ports.js';
import type { DeviceType } from '../../core/registry/device-types.js';
import type { Calc, CalcCounter, CalcSelector } from '../../core/schemas/calcs.js';
import type { Channel, ChannelCreateSchema, ChannelViewSchema } from '../../core/schemas/channels.js';
import type { Command, CommandResult } from '../../core/schemas/commands.js';
import type { Device, DeviceCreateSchema, DeviceUpdateSchema } from '../../core/schemas/devices.js';
import type { Geofence, Geometry, LatLon } from '../../core/schemas/geofences.js';
import type { Plugin, PluginAssignment, PluginType } from '../../core/schemas/plugins.js';
import type { SettingView } from '../../core/schemas/settings.js';
import type { Stream, StreamCreateSchema, StreamStatus, StreamTypeName } from '../../core/schemas/streams.js';
import type { AclEntryInput, Token, TokenCreateSchema } from '../../core/schemas/tokens.js';
import type { CommandDefinition, Message, SettingDefinition } from '../../protocols/common/types.js';

export type {
  AclEntryInput,
  Calc,
  CalcCounter,
  CalcSelector,
  Channel,
  Command,
  CommandDefinition,
  CommandResult,
  ConnectionRecord,
  Device,
  DeviceLogEntry,
  DeviceType,
  Geofence,
  Geometry,
  LatLon,
  Message,
  Plugin,
  PluginAssignment,
  PluginType,
  SettingDefinition,
  SettingView,
  Stream,
  StreamLogEntry,
  StreamStatus,
  StreamTypeName,
  Telemetry,
  Token,
};

/** Request bodies: what the API accepts (zod input types, so defaults are optional). */
export type DeviceCreate = z.input<typeof DeviceCreateSchema>;
export type DeviceUpdate = z.input<typeof DeviceUpdateSchema>;
export type ChannelCreate = z.input<typeof ChannelCreateSchema>;

/** `GET /gw/channels/{sel}`: the channel with whether its listeners serve it. */
export type ChannelView = z.infer<typeof ChannelViewSchema>;
export type StreamCreate = z.input<typeof StreamCreateSchema>;
export type TokenCreate = z.input<typeof TokenCreateSchema>;

export interface Protocol {
  readonly id: number;
  readonly name: string;
  readonly transports?: readonly string[];
}

export interface TelemetryRow {
  readonly id: number;
  readonly telemetry: Telemetry;
}

export type DeviceLogRow = DeviceLogEntry & { readonly device_id: number };

/** `GET /gw/streams/{sel}`: the stream with its delivery status. */
export type StreamWithStatus = Stream & { readonly status?: StreamStatus };

/** `GET /gw/streams/{sel}/devices`: one subscription. */
export interface Subscription {
  readonly stream_id: number;
  readonly id: number;
}

/** `GET /gw/streams/{sel}/dropped`: a batch dropped after queue_ttl (messages counted). */
export type DroppedRow = Omit<DroppedBatch, 'messages'> & { readonly stream_id: number; readonly messages: number };

export type TokenWithKey = Token & { readonly key: string };

/** The stream types: a record keyed by the server's type names, so a missing or unknown one fails to compile. */
const STREAM_TYPE_NAMES: Readonly<Record<StreamTypeName, true>> = { http: true, mqtt: true, wialon_retranslator: true, aws_iot: true, thingsboard: true };
export const STREAM_TYPES = Object.keys(STREAM_TYPE_NAMES) as StreamTypeName[];

/** `GET /gw/geofences/{sel}/devices`: a device inside a geofence now. */
export interface DeviceInside {
  readonly geofence_id: number;
  readonly device_id: number;
}

/** `GET /gw/calcs/{sel}/devices/{sel}`: a device's sync state. */
export interface CalcDevice {
  readonly calc_id: number;
  readonly device_id: number;
  readonly synced: boolean;
  readonly updated?: number;
}

/** One point of a `route` counter. */
export interface RoutePoint {
  readonly t: number;
  readonly lat: number;
  readonly lon: number;
}

/** `GET /gw/calcs/{sel}/devices/{sel}/intervals/{isel}`: an interval with its counters. */
export interface IntervalRow {
  readonly id: number;
  readonly calc_id: number;
  readonly device_id: number;
  readonly begin: number;
  readonly end: number;
  readonly duration: number;
  readonly active: boolean;
  readonly [counter: string]: unknown;
}
