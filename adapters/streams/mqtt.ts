/**
 * `mqtt` target: one publish per message on the expanded topic template, payload = the message
 * JSON, QoS 0/1 as configured (QoS 1: the batch is delivered once every PUBACK arrived).
 */
import type { MqttConfig, Stream } from '../../core/schemas/streams.js';
import { payloadJson } from '../../core/streams/events.js';
import type { StreamBatch, StreamDeps, StreamTarget, StreamTypeModule } from '../../core/streams/types.js';
import { createMqttJoiner } from './mqtt-commands.js';
import { type MqttTuning, mqttSessionOptions } from './mqtt-options.js';
import { type MqttPublish, MqttSession } from './mqtt-session.js';
import { expandTopic } from './topics.js';

export class MqttTarget implements StreamTarget {
  private readonly session: MqttSession;

  constructor(
    private readonly config: MqttConfig,
    stream: Stream,
    private readonly deps: StreamDeps,
    tuning: MqttTuning = {},
  ) {
    this.session = new MqttSession(mqttSessionOptions(config, stream, deps, 'target', tuning));
  }

  async deliver(batch: StreamBatch): Promise<void> {
    const items: MqttPublish[] = [];
    for (const m of batch.messages) {
      const topic = expandTopic(this.config.topic, m);
      if (!topic) {
        this.deps.logger.warn('mqtt: message skipped, its topic expands to nothing', {
          streamId: batch.streamId,
          template: this.config.topic,
          ident: m.ident,
        });
        continue;
      }
      items.push({ topic, payload: payloadJson(m), qos: this.config.qos, retain: this.config.retain });
    }
    await this.session.publish(items);
  }

  close(): Promise<void> {
    return this.session.close();
  }
}

export const mqttModule: StreamTypeModule<MqttConfig> = {
  name: 'mqtt',
  createTarget: (config, stream, deps) => new MqttTarget(config, stream, deps),
  createJoiner: (config, stream, deps) => createMqttJoiner(config, stream, deps),
};
