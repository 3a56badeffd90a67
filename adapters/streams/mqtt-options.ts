/** mqtt.js session options of an `mqtt` stream, for its target and its commands joiner. */
import type { MqttConfig, Stream } from '../../core/schemas/streams.js';
import type { StreamDeps } from '../../core/streams/types.js';
import type { MqttSessionOptions } from './mqtt-session.js';

/** Test and tuning knobs: the waits of the session (defaults 10 s, reconnect every 1 s). */
export type MqttTuning = Pick<MqttSessionOptions, 'connectWaitMs' | 'ackWaitMs' | 'reconnectMs'>;

/**
 * The session of one role. The joiner has its own connection; with a configured `client_id` it
 * uses `<client_id>-cmd` so the two connections do not take each other over.
 */
export function mqttSessionOptions(
  config: MqttConfig,
  stream: Stream,
  deps: StreamDeps,
  role: 'target' | 'commands',
  tuning: MqttTuning = {},
): MqttSessionOptions {
  return {
    ...tuning,
    uri: config.uri,
    username: config.username,
    password: config.password,
    clientId: config.client_id === undefined ? undefined : role === 'target' ? config.client_id : `${config.client_id}-cmd`,
    insecure: config.insecure,
    logger: deps.logger,
    label: `mqtt stream ${stream.id}${role === 'commands' ? ' commands' : ''}`,
  };
}
