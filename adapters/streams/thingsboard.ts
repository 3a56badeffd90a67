/**
 * `thingsboard` target: the MQTT gateway API on the stream's shared gateway connection
 * (thingsboard-gateway.ts), with the server-side RPC joiner (thingsboard-rpc.ts).
 * The gateway device must have "Is gateway" enabled in ThingsBoard.
 */
import type { Stream, ThingsboardConfig } from '../../core/schemas/streams.js';
import type { StreamBatch, StreamDeps, StreamTarget, StreamTypeModule } from '../../core/streams/types.js';
import { TargetUnavailableError } from './errors.js';
import type { ThingsboardGateway, ThingsboardGateways, ThingsboardTuning } from './thingsboard-gateway.js';
import { createThingsboardJoiner } from './thingsboard-rpc.js';

export class ThingsboardTarget implements StreamTarget {
  private gateway: ThingsboardGateway | undefined;

  constructor(
    private readonly config: ThingsboardConfig,
    private readonly stream: Stream,
    deps: StreamDeps,
    private readonly gateways: ThingsboardGateways,
    tuning: ThingsboardTuning = {},
  ) {
    this.gateway = gateways.acquire(config, stream, deps, tuning);
  }

  async deliver(batch: StreamBatch): Promise<void> {
    if (!this.gateway) throw new TargetUnavailableError(`thingsboard stream ${this.stream.id}: target closed`);
    await this.gateway.deliver(batch);
  }

  async close(): Promise<void> {
    if (!this.gateway) return;
    this.gateway = undefined;
    await this.gateways.release(this.config, this.stream);
  }
}

/** The `thingsboard` module of one stream runtime, over that runtime's gateway connections. */
export function thingsboardModule(gateways: ThingsboardGateways): StreamTypeModule<ThingsboardConfig> {
  return {
    name: 'thingsboard',
    createTarget: (config, stream, deps) => new ThingsboardTarget(config, stream, deps, gateways),
    createJoiner: (config, stream, deps) => createThingsboardJoiner(config, stream, deps, gateways),
  };
}
