/**
 * The command path of an `mqtt` stream: `{"name","properties"}` on `commands_topic` (variables
 * subscribed as `+`, the ident recovered from the topic) → CommandGateway.queue → result polled →
 * `{"id","name","executed","response","status"[,"error"]}` on the results topic.
 */
import type { MqttConfig, Stream } from '../../core/schemas/streams.js';
import type { StreamDeps, StreamJoiner } from '../../core/streams/types.js';
import type { Message } from '../../protocols/common/types.js';
import { type CommandOutcome, type CommandRequest, CommandRunner, type CommandRunnerOptions } from './command-runner.js';
import { reasonOf } from './errors.js';
import { type MqttTuning, mqttSessionOptions } from './mqtt-options.js';
import { MqttSession } from './mqtt-session.js';
import { expandTopic, identFromTopic, subscriptionFilter } from './topics.js';

export type MqttJoinerOptions = MqttTuning & CommandRunnerOptions;

/** A command request as published by the platform; a string reason when malformed. */
export function parseMqttCommand(payload: Buffer): (CommandRequest & { ident?: string }) | string {
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'payload is not JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'payload is not a JSON object';
  const { name, properties, ident } = body as Record<string, unknown>;
  if (typeof name !== 'string' || name.length === 0) return '"name" must be a non-empty string';
  if (properties !== undefined && (typeof properties !== 'object' || properties === null || Array.isArray(properties))) return '"properties" must be an object';
  return { name, properties: (properties ?? {}) as Record<string, unknown>, ...(typeof ident === 'string' ? { ident } : {}) };
}

/** The joiner, or undefined when the stream has no `commands_topic` or the hub gave no command gateway. */
export function createMqttJoiner(config: MqttConfig, stream: Stream, deps: StreamDeps, options: MqttJoinerOptions = {}): StreamJoiner | undefined {
  if (!config.commands_topic) return undefined;
  if (!deps.commands) {
    deps.logger.warn('mqtt: commands_topic is set but no command gateway is available; commands disabled', { streamId: stream.id });
    return undefined;
  }
  return new MqttCommandsJoiner(
    config,
    config.commands_topic,
    stream,
    deps,
    new CommandRunner(deps.commands, `stream:${stream.id}`, deps.logger, options),
    options,
  );
}

export class MqttCommandsJoiner implements StreamJoiner {
  private readonly session: MqttSession;
  private readonly filter: string;
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly config: MqttConfig,
    private readonly commandsTopic: string,
    private readonly stream: Stream,
    private readonly deps: StreamDeps,
    private readonly runner: CommandRunner,
    tuning: MqttTuning = {},
  ) {
    this.session = new MqttSession(mqttSessionOptions(config, stream, deps, 'commands', tuning));
    this.filter = subscriptionFilter(commandsTopic);
  }

  /** Subscribes; if the broker is down it keeps trying in the background (and resolves). */
  async start(): Promise<void> {
    this.session.onMessage((topic, payload, retained) => this.receive(topic, payload, retained));
    try {
      await this.session.subscribe(this.filter, this.config.qos);
    } catch (err) {
      this.deps.logger.warn('mqtt commands: not subscribed yet, retrying on reconnection', {
        streamId: this.stream.id,
        filter: this.filter,
        reason: reasonOf(err),
      });
    }
  }

  async stop(): Promise<void> {
    this.runner.stop();
    await Promise.allSettled([...this.inflight]);
    await this.session.close();
  }

  private receive(topic: string, payload: Buffer, retained: boolean): void {
    const log = { streamId: this.stream.id, topic };
    if (retained) {
      this.deps.logger.warn('mqtt commands: retained command ignored (it would run again on every reconnection)', log);
      return;
    }
    const req = parseMqttCommand(payload);
    if (typeof req === 'string') {
      this.deps.logger.warn('mqtt commands: malformed command ignored', { ...log, reason: req });
      return;
    }
    const ident = identFromTopic(this.commandsTopic, topic) ?? req.ident;
    if (!ident) {
      this.deps.logger.warn('mqtt commands: no ident in the topic or the payload, command ignored', log);
      return;
    }
    const job = this.execute(ident, topic, { name: req.name, properties: req.properties });
    this.inflight.add(job);
    void job.finally(() => this.inflight.delete(job));
  }

  private async execute(ident: string, topic: string, req: CommandRequest): Promise<void> {
    const outcome = await this.runner.run(ident, req);
    if (outcome.kind === 'stopped') return;
    const reply = resultPayload(req.name, outcome);
    const to = this.resultsTopic(ident, topic, outcome);
    try {
      await this.session.publish([{ topic: to, payload: JSON.stringify(reply), qos: this.config.qos }]);
    } catch (err) {
      this.deps.logger.error('mqtt commands: result not published', { streamId: this.stream.id, topic: to, reply, reason: reasonOf(err) });
    }
  }

  /** `results_topic` expanded with the ident and device id, or `<the topic the command came on>/results`. */
  private resultsTopic(ident: string, commandTopic: string, outcome: CommandOutcome): string {
    if (!this.config.results_topic) return `${commandTopic}/results`;
    const vars: Message = { ident };
    if ('deviceId' in outcome) vars['device.id'] = outcome.deviceId;
    return expandTopic(this.config.results_topic, vars);
  }
}

/** The published result of one command. */
export function resultPayload(name: string, outcome: Exclude<CommandOutcome, { kind: 'stopped' }>): Record<string, unknown> {
  switch (outcome.kind) {
    case 'done':
      return { id: outcome.id, name, executed: outcome.executed, response: outcome.response, status: outcome.status };
    case 'timeout':
      return { id: outcome.id, name, executed: false, response: '', status: 'timeout' };
    case 'refused':
      return { id: null, name, executed: false, response: '', status: 'refused', error: outcome.error };
  }
}
