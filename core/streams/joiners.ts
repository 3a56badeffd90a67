import type { Logger } from '../logger.js';
import type { StreamRepository } from '../ports.js';
import { STREAM_CONFIG_SCHEMAS, type Stream } from '../schemas/streams.js';
import type { StreamDeps, StreamJoiner, StreamTypeModules } from './types.js';

/**
 * Runs the reverse path of streams (MQTT commands topics, ThingsBoard RPC) in a long-lived process
 * (the listener task, or the local hub): one joiner per enabled stream whose type has one,
 * restarted when its configuration changes, stopped when the stream goes.
 */
export class JoinerManager {
  private readonly running = new Map<number, { key: string; joiner: StreamJoiner }>();

  constructor(
    private readonly streams: Pick<StreamRepository, 'list'>,
    private readonly modules: StreamTypeModules,
    private readonly deps: StreamDeps,
    private readonly logger: Logger,
  ) {}

  async sync(): Promise<void> {
    const wanted = new Map<number, Stream>();
    for (const s of await this.streams.list()) if (s.enabled && this.modules[s.protocol_name].createJoiner) wanted.set(s.id, s);
    for (const [id, run] of this.running) {
      const s = wanted.get(id);
      if (!s || keyOf(s) !== run.key) {
        this.running.delete(id);
        await run.joiner.stop().catch(() => undefined);
      }
    }
    for (const [id, s] of wanted) {
      if (this.running.has(id)) continue;
      try {
        const config = STREAM_CONFIG_SCHEMAS[s.protocol_name].parse(s.configuration);
        const joiner = this.modules[s.protocol_name].createJoiner?.(config, s, this.deps);
        if (!joiner) continue;
        await joiner.start();
        this.running.set(id, { key: keyOf(s), joiner });
        this.logger.info('stream command path started', { stream_id: id, type: s.protocol_name });
      } catch (err) {
        this.logger.error('stream command path could not start', { stream_id: id, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  async stopAll(): Promise<void> {
    const all = [...this.running.values()];
    this.running.clear();
    await Promise.all(all.map((r) => r.joiner.stop().catch(() => undefined)));
  }
}

function keyOf(s: Stream): string {
  return JSON.stringify([s.protocol_name, s.configuration]);
}
