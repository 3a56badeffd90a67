import type { MessageScope, OwnerId } from '../../core/ports.js';

/**
 * The key of every item type the hub stores, one line each: the two tables are single-table
 * designs keyed by `pk` (partition) and `sk` (sort), and this is the only place their prefixes are
 * spelled. Items that expire carry `ttl` (epoch seconds; DynamoDB TTL on AWS, filtered on read).
 *
 * registry table                         pk                      sk
 *   id counters                          counter                 <kind>
 *   registry generation                  gen                     _
 *   devices                              device                  <id, 12 digits>
 *   ident → device claims                ident                   <ident>
 *   channels                             channel                 <id>
 *   tokens / their hashes                token / tokenhash       <id> / <sha-256 hex>
 *   streams                              stream                  <id>
 *   stream subscriptions                 sub#s#<stream>          d#<device id> | c#<channel id>
 *   geofences                            geofence                <id>
 *   plugins                              plugin                  <id>
 *   plugins of a device / devices of one plug#d#<device> / plug#p#<plugin>  <plugin id> / <device id>
 *   calculators                          calc                    <id>
 *   calculators of a device              calc#d#<device>         <calc id>
 *   (calc, device) state and progress    calc#c#<calc>           <device id>
 *   commands of a device                 cmd#<device>            <command id>
 *   queued commands and kicks            pending                 cmd#<ident>#<id> | kick#<channel>#<connection>
 *   connection snapshots                 conn#<channel>          <listener>#<chunk>
 *   device log                           log#<device>            <ms>#<seq>
 *   settings of a device                 set#<device>            <setting name>
 *   telemetry checkpoint                 tm#<device>             _
 *   stream buffer / backlog index        sbuf#<stream> / sbacklog  <batch sk> / <stream>
 *   delivered batch ids (a day)          sdone#<stream>          <batch id>
 *   stream lease / status                slease#<stream> / sstat#<stream>  _
 *   stream log / dropped batches         slog#<stream> / sdrop#<stream>    <ms>#… / <batch sk>
 *   live connections (ttl)               wsconn                  <connection id>
 *   live subscriptions of one (ttl)      wssub#<connection>      <topic>
 *   live index: who watches a device     wslive                  <device id, 12 digits>#<connection id>#<topic>
 *     (an intervals topic's index item also lists, in attribute `k`, the calculators watched for the device)
 * messages table
 *   message packs                        d#<device> | c#<channel> | i#<ident>   <first ms>#<hash>
 *   intervals (ttl = end + intervals_ttl) civ#<calc>#<device>   <interval id, 16 digits>   (the interval: JSON in `j`; `iv` map before)
 *   intervals' user fields (ttl + 1 year) civu#<calc>#<device>  <interval id, 16 digits>
 */

/** Ids in sort keys: fixed width so that they sort as numbers. */
export const pad = (id: number): string => String(id).padStart(12, '0');

export const PK = {
  counter: 'counter',
  generation: 'gen',
  device: 'device',
  ident: 'ident',
  channel: 'channel',
  token: 'token',
  tokenHash: 'tokenhash',
  stream: 'stream',
  subscriptions: (streamId: number) => `sub#s#${streamId}`,
  geofence: 'geofence',
  plugin: 'plugin',
  pluginsOfDevice: (deviceId: number) => `plug#d#${deviceId}`,
  devicesOfPlugin: (pluginId: number) => `plug#p#${pluginId}`,
  calc: 'calc',
  calcsOfDevice: (deviceId: number) => `calc#d#${deviceId}`,
  calcStates: (calcId: number) => `calc#c#${calcId}`,
  intervals: (calcId: number, deviceId: number) => `civ#${calcId}#${deviceId}`,
  intervalUserFields: (calcId: number, deviceId: number) => `civu#${calcId}#${deviceId}`,
  commands: (deviceId: number) => `cmd#${deviceId}`,
  pending: 'pending',
  connections: (channelId: number) => `conn#${channelId}`,
  logs: (deviceId: number) => `log#${deviceId}`,
  settings: (deviceId: number) => `set#${deviceId}`,
  telemetry: (deviceId: number) => `tm#${deviceId}`,
  streamBuffer: (streamId: number) => `sbuf#${streamId}`,
  streamBacklog: 'sbacklog',
  streamDelivered: (streamId: number) => `sdone#${streamId}`,
  streamLease: (streamId: number) => `slease#${streamId}`,
  streamStatus: (streamId: number) => `sstat#${streamId}`,
  streamLog: (streamId: number) => `slog#${streamId}`,
  streamDropped: (streamId: number) => `sdrop#${streamId}`,
  liveConnection: 'wsconn',
  liveSubscriptions: (connectionId: string) => `wssub#${connectionId}`,
  liveIndex: 'wslive',
  /** Messages table: whose history a pack belongs to. */
  packs: (scope: MessageScope, id: OwnerId) => `${scope === 'device' ? 'd' : scope === 'channel' ? 'c' : 'i'}#${id}`,
} as const;

/** Sort keys with structure. */
export const SK = {
  pendingCommand: (ident: string, commandId: number) => `cmd#${ident}#${pad(commandId)}`,
  pendingCommandsOf: (ident: string) => `cmd#${ident}#`,
  kick: (channelId: number, connectionId: string) => `kick#${channelId}#${connectionId}`,
  kickPrefix: 'kick#',
  liveWatch: (deviceId: number, connectionId: string, topic: string) => `${pad(deviceId)}#${connectionId}#${topic}`,
  liveWatchesOf: (deviceId: number) => `${pad(deviceId)}#`,
  /** Interval ids are milliseconds of their begin: 16 digits sort as numbers. */
  interval: (id: number) => String(id).padStart(16, '0'),
  /** Items with one row per partition. */
  single: '_',
} as const;
