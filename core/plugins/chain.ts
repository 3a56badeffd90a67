import type { Message } from '../../protocols/common/types.js';
import type { ChainResult, CompiledPlugin, PluginContext } from './types.js';

/**
 * Applies a device's plugins in assignment order: each sees the message as the ones before it left
 * it. The first plugin that drops the message ends the chain. The input message is not changed.
 */
export function applyPlugins(chain: readonly CompiledPlugin[], message: Message, ctx: PluginContext): ChainResult {
  if (chain.length === 0) return { message };
  const out: Message = { ...message };
  for (const plugin of chain) {
    const reason = plugin.apply(out, ctx);
    if (reason !== undefined) return { dropped: { plugin_id: plugin.id, plugin: plugin.type, plugin_name: plugin.name, reason } };
  }
  return { message: out };
}
