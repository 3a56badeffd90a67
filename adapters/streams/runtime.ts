import type { HubServices } from '../../core/hub.js';
import type { Logger } from '../../core/logger.js';
import type { Stream } from '../../core/schemas/streams.js';
import { commandGateway } from '../../core/streams/command-gateway.js';
import { StreamDelivery } from '../../core/streams/delivery.js';
import { JoinerManager } from '../../core/streams/joiners.js';
import { TargetPool } from '../../core/streams/targets.js';
import { streamTypeModules } from './index.js';

export interface StreamRuntimeOptions {
  readonly logger: Logger;
  /** Lease owner name. */
  readonly owner: string;
  readonly backoffCapS: number;
  readonly drainBudgetS: number;
  readonly metric?: (name: 'StreamDeliveries' | 'StreamFailures' | 'StreamDropped', value: number, stream: Stream) => void;
}

/** Delivery, target pool and command joiners over a hub's ports (the stream Lambdas and local mode). */
export function streamRuntime(hub: HubServices, o: StreamRuntimeOptions) {
  const gateway = commandGateway(hub.ports.devices, hub.commands, hub.ports.commands);
  const deps = { logger: o.logger, commands: gateway };
  const modules = streamTypeModules(); // this runtime's own modules (and their shared connections)
  const pool = new TargetPool(modules, deps, o.logger);
  const delivery = new StreamDelivery({
    streams: hub.ports.streams,
    state: hub.ports.streamState,
    target: pool.get,
    clock: hub.ports.clock,
    logger: o.logger,
    owner: o.owner,
    backoffCapS: o.backoffCapS,
    drainBudgetS: o.drainBudgetS,
    metric: o.metric,
  });
  const joiners = new JoinerManager(hub.ports.streams, modules, deps, o.logger);
  return {
    delivery,
    pool,
    joiners,
    async close() {
      await joiners.stopAll();
      await pool.closeAll();
    },
  };
}
