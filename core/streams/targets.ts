import type { Logger } from '../logger.js';
import { STREAM_CONFIG_SCHEMAS, type Stream } from '../schemas/streams.js';
import type { StreamDeps, StreamTarget, StreamTypeModules } from './types.js';

/**
 * One live target per stream, rebuilt when the stream's configuration changes (the old one is
 * closed). Modules come from adapters/streams (I/O lives there, not in core).
 */
export class TargetPool {
  private readonly pool = new Map<number, { key: string; target: StreamTarget }>();

  constructor(
    private readonly modules: StreamTypeModules,
    private readonly deps: StreamDeps,
    private readonly logger: Logger,
  ) {}

  get = (stream: Stream): StreamTarget => {
    const key = JSON.stringify([stream.protocol_name, stream.configuration]);
    const held = this.pool.get(stream.id);
    if (held && held.key === key) return held.target;
    if (held) void held.target.close().catch(() => undefined);
    const config = STREAM_CONFIG_SCHEMAS[stream.protocol_name].parse(stream.configuration);
    const target = this.modules[stream.protocol_name].createTarget(config, stream, this.deps);
    this.pool.set(stream.id, { key, target });
    this.logger.debug('stream target created', { stream_id: stream.id, type: stream.protocol_name });
    return target;
  };

  async closeAll(): Promise<void> {
    const all = [...this.pool.values()];
    this.pool.clear();
    await Promise.all(all.map((h) => h.target.close().catch(() => undefined)));
  }
}
