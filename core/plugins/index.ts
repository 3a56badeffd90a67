export { applyPlugins } from './chain.js';
export { compilePlugin } from './compile.js';
export type { ChainResult, CompiledPlugin, PluginContext, PluginDrop } from './types.js';
