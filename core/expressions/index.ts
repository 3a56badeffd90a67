export { compileExpression } from './compile.js';
export { ExpressionError } from './errors.js';
export { isLegacyFilter } from './legacy.js';
export { MAX_DEPTH, MAX_LENGTH } from './parser.js';
export type { CompiledExpression, EvalContext, Value } from './types.js';
