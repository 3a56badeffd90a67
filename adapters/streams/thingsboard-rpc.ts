/**
 * ThingsBoard server-side RPC → hub commands: `{"device","data":{"id","method","params"}}` on
 * `v1/gateway/rpc` becomes CommandGateway.queue(ident, {name: method, properties: params}); the
 * result goes back as `{"device","id","data":{"response","executed","status"}}` (or `"error"`).
 */
import type { Stream, ThingsboardConfig } from '../../core/schemas/streams.js';
import { parseRpcRequest, type RpcRequest, rpcReply, TB_TOPICS } from '../../core/streams/thingsboard-payload.js';
import type { StreamDeps, StreamJoiner } from '../../core/streams/types.js';
import { type CommandOutcome, CommandRunner, type CommandRunnerOptions } from './command-runner.js';
import { reasonOf } from './errors.js';
import type { ThingsboardGateway, ThingsboardGateways, ThingsboardTuning } from './thingsboard-gateway.js';

export type ThingsboardJoinerOptions = ThingsboardTuning & CommandRunnerOptions;

/** The `data` of the reply for one outcome (undefined: nothing to send). */
export function rpcReplyData(outcome: CommandOutcome): Record<string, unknown> | undefined {
  switch (outcome.kind) {
    case 'done':
      return { response: outcome.response, executed: outcome.executed, status: outcome.status };
    case 'timeout':
      return { error: 'no command result in time', executed: false, status: 'timeout' };
    case 'refused':
      return { error: outcome.error, executed: false };
    case 'stopped':
      return undefined;
  }
}

export class ThingsboardRpcJoiner implements StreamJoiner {
  private gateway: ThingsboardGateway | undefined;
  private readonly runner: CommandRunner;
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly config: ThingsboardConfig,
    private readonly stream: Stream,
    private readonly deps: StreamDeps & { commands: NonNullable<StreamDeps['commands']> },
    private readonly gateways: ThingsboardGateways,
    private readonly options: ThingsboardJoinerOptions = {},
  ) {
    this.runner = new CommandRunner(deps.commands, `stream:${stream.id}`, deps.logger, options);
  }

  /** Subscribes to `v1/gateway/rpc` on the stream's gateway connection; keeps trying in the background if the broker is down. */
  async start(): Promise<void> {
    if (this.gateway) return;
    const gateway = this.gateways.acquire(this.config, this.stream, this.deps, this.options);
    this.gateway = gateway;
    gateway.session.onMessage((topic, payload) => {
      if (topic === TB_TOPICS.rpc) this.receive(gateway, payload);
    });
    try {
      await gateway.session.subscribe(TB_TOPICS.rpc, 1);
    } catch (err) {
      this.deps.logger.warn('thingsboard rpc: not subscribed yet, retrying on reconnection', { streamId: this.stream.id, reason: reasonOf(err) });
    }
  }

  async stop(): Promise<void> {
    this.runner.stop();
    await Promise.allSettled([...this.inflight]);
    if (this.gateway) await this.gateways.release(this.config, this.stream);
    this.gateway = undefined;
  }

  private receive(gateway: ThingsboardGateway, payload: Buffer): void {
    const req = parseRpcRequest(payload);
    if ('ignored' in req) {
      const log = { streamId: this.stream.id, reason: req.ignored, payload: payload.toString('utf8').slice(0, 200) };
      if (req.echo) this.deps.logger.debug('thingsboard rpc: message ignored', log);
      else this.deps.logger.warn('thingsboard rpc: malformed request ignored', log);
      return;
    }
    const job = this.execute(gateway, req).catch((err: unknown) =>
      this.deps.logger.error('thingsboard rpc: request failed', { streamId: this.stream.id, device: req.device, reason: reasonOf(err) }),
    );
    this.inflight.add(job);
    void job.finally(() => this.inflight.delete(job));
  }

  private async execute(gateway: ThingsboardGateway, req: RpcRequest): Promise<void> {
    const ident = gateway.identOf(req.device);
    const outcome: CommandOutcome = req.paramsError
      ? { kind: 'refused', error: req.paramsError }
      : ident === undefined
        ? { kind: 'refused', error: `unknown device ${JSON.stringify(req.device)}: no message delivered for it yet` }
        : await this.runner.run(ident, { name: req.method, properties: req.params });
    const data = rpcReplyData(outcome);
    if (!data) return;
    await gateway.session.publish([{ topic: TB_TOPICS.rpc, payload: rpcReply(req.device, req.id, data), qos: 1 }]);
  }
}

/** The joiner, or undefined when the hub gave no command gateway. */
export function createThingsboardJoiner(
  config: ThingsboardConfig,
  stream: Stream,
  deps: StreamDeps,
  gateways: ThingsboardGateways,
  options: ThingsboardJoinerOptions = {},
): StreamJoiner | undefined {
  const commands = deps.commands;
  if (!commands) {
    deps.logger.warn('thingsboard: no command gateway available; server-side RPC disabled', { streamId: stream.id });
    return undefined;
  }
  return new ThingsboardRpcJoiner(config, stream, { ...deps, commands }, gateways, options);
}
