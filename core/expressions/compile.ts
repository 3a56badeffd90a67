import { ExpressionError } from './errors.js';
import { FUNCTIONS, type FunctionDef } from './functions.js';
import { compileLegacy } from './legacy.js';
import { type BinaryOp, MAX_LENGTH, type Node, parse } from './parser.js';
import type { CompiledExpression, Evaluator } from './types.js';
import { ARITHMETIC, add, equal, order, paramReader, toNumber, truthy } from './values.js';

/**
 * Compiles an expression (or an old-style filter, see legacy.ts) once into closures; evaluating it
 * per message is one closure call. Throws an `ExpressionError` (HTTP 400) naming the position:
 * `"<what>: <problem> at <position>"`.
 *
 * Null rules: a name the message lacks is `null`; a comparison with `null` on either side is false,
 * `==` and `!=` too (`x == null` and `x != null` are both false: test presence with `exists('x')`);
 * arithmetic with `null` is `null`; `null` as a condition is false.
 */
export function compileExpression(text: string, what = 'expression'): CompiledExpression {
  if (text.length > MAX_LENGTH) throw new ExpressionError(what, `longer than ${MAX_LENGTH} characters`, MAX_LENGTH);
  const legacy = compileLegacy(text, what);
  if (legacy) return legacy;
  const uses: Uses = { message: new Set(), previous: new Set(), metadata: new Set(), geofence: new Set() };
  const evaluate = build(parse(text, what), uses, what);
  if (uses.geofence.size > 0) uses.message.add('position.latitude').add('position.longitude');
  return Object.freeze({
    evaluate,
    test: (ctx) => truthy(evaluate(ctx)),
    names: Object.freeze([...uses.message]),
    usesPrevious: Object.freeze([...uses.previous]),
    usesGeofences: Object.freeze([...uses.geofence]),
    usesMetadata: Object.freeze([...uses.metadata]),
  } satisfies CompiledExpression);
}

/** What a compiled expression reads, in order of first appearance. */
type Uses = Record<'message' | 'previous' | 'metadata' | 'geofence', Set<string>>;

function build(node: Node, uses: Uses, what: string): Evaluator {
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'name':
      uses.message.add(node.name);
      return nameReader(node.name);
    case 'unary': {
      const operand = build(node.operand, uses, what);
      if (node.op === '!') return (c) => !truthy(operand(c));
      return (c) => {
        const n = toNumber(operand(c));
        return n === null ? null : -n;
      };
    }
    case 'binary':
      return binary(node.op, build(node.left, uses, what), build(node.right, uses, what));
    case 'call':
      return call(node, uses, what);
  }
}

/** The fast path reads the property directly; names every object inherits are read as own properties. */
function nameReader(name: string): Evaluator {
  if (name in Object.prototype) {
    const read = paramReader(name);
    return (c) => read(c.message);
  }
  return (c) => {
    const v = c.message[name];
    return v === undefined ? null : v;
  };
}

function binary(op: BinaryOp, l: Evaluator, r: Evaluator): Evaluator {
  switch (op) {
    case '&&':
      return (c) => truthy(l(c)) && truthy(r(c));
    case '||':
      return (c) => truthy(l(c)) || truthy(r(c));
    case '==':
      return (c) => equal(l(c), r(c)) === true;
    case '!=':
      return (c) => equal(l(c), r(c)) === false;
    case '+':
      return (c) => add(l(c), r(c));
    case '<':
    case '<=':
    case '>':
    case '>=':
      return comparison(op, l, r);
    default: {
      const f = ARITHMETIC[op];
      return (c) => {
        const x = toNumber(l(c));
        const y = toNumber(r(c));
        return x === null || y === null ? null : f(x, y);
      };
    }
  }
}

/** Two numbers compare inline; anything else goes through `order` (NaN, so false, when incomparable). */
function comparison(op: '<' | '<=' | '>' | '>=', l: Evaluator, r: Evaluator): Evaluator {
  switch (op) {
    case '<':
      return (c) => {
        const a = l(c);
        const b = r(c);
        return typeof a === 'number' && typeof b === 'number' ? a < b : order(a, b) < 0;
      };
    case '<=':
      return (c) => {
        const a = l(c);
        const b = r(c);
        return typeof a === 'number' && typeof b === 'number' ? a <= b : order(a, b) <= 0;
      };
    case '>':
      return (c) => {
        const a = l(c);
        const b = r(c);
        return typeof a === 'number' && typeof b === 'number' ? a > b : order(a, b) > 0;
      };
    case '>=':
      return (c) => {
        const a = l(c);
        const b = r(c);
        return typeof a === 'number' && typeof b === 'number' ? a >= b : order(a, b) >= 0;
      };
  }
}

function call(node: Extract<Node, { kind: 'call' }>, uses: Uses, what: string): Evaluator {
  const def = FUNCTIONS.get(node.name);
  if (def === undefined) throw new ExpressionError(what, `unknown function '${node.name}'`, node.pos);
  const n = node.args.length;
  if (n < def.min || n > def.max) throw new ExpressionError(what, `'${node.name}' takes ${arity(def)}`, node.pos);
  if (def.names === undefined)
    return def.build(
      node.args.map((a) => build(a, uses, what)),
      '',
    );
  const arg = node.args[0];
  if (arg.kind !== 'literal' || typeof arg.value !== 'string') {
    throw new ExpressionError(what, `'${node.name}' needs a quoted ${NAMED[def.names]}`, arg.pos);
  }
  uses[def.names].add(arg.value);
  return def.build([], arg.value);
}

const NAMED = { message: 'parameter name', previous: 'parameter name', metadata: 'metadata key', geofence: 'geofence name' } as const;

function arity(def: FunctionDef): string {
  if (def.max === Number.POSITIVE_INFINITY) return `${def.min} or more arguments`;
  if (def.max === def.min) return def.min === 1 ? '1 argument' : `${def.min} arguments`;
  return `${def.min} or ${def.max} arguments`;
}
