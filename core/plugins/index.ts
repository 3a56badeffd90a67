export { applyPlugins } from './chain.js';
export { compilePlugin } from './compile.js';
export type { CompiledPlugin, PluginDrop } from './types.js';
