import { ExpressionError } from './errors.js';
import { type Token, tokenize } from './lexer.js';

/** Longest expression text accepted, in characters. */
export const MAX_LENGTH = 4096;
/** Deepest nesting of parentheses, calls and unary operators (an error, never a stack overflow). */
export const MAX_DEPTH = 64;

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

/** A node of the syntax tree; `pos` is where its text starts. */
export type Node =
  | { readonly kind: 'literal'; readonly value: number | string | boolean | null; readonly pos: number }
  | { readonly kind: 'name'; readonly name: string; readonly pos: number }
  | { readonly kind: 'unary'; readonly op: '!' | '-'; readonly operand: Node; readonly pos: number }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Node; readonly right: Node; readonly pos: number }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Node[]; readonly pos: number };

/** Binding power of the binary operators (higher binds tighter); all are left-associative. */
const PRECEDENCE: ReadonlyMap<string, number> = new Map([
  ['||', 1],
  ['&&', 2],
  ['==', 3],
  ['!=', 3],
  ['<', 4],
  ['<=', 4],
  ['>', 4],
  ['>=', 4],
  ['+', 5],
  ['-', 5],
  ['*', 6],
  ['/', 6],
  ['%', 6],
]);

/** Parses a whole expression (precedence climbing); throws an `ExpressionError` naming the position. */
export function parse(text: string, what: string): Node {
  if (text.length > MAX_LENGTH) throw new ExpressionError(what, `longer than ${MAX_LENGTH} characters`, MAX_LENGTH);
  const parser = new Parser(tokenize(text, what), what);
  const node = parser.expression(1);
  parser.expectEnd();
  return node;
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly what: string,
  ) {}

  /** Operands joined by binary operators that bind at least as tightly as `min`. */
  expression(min: number): Node {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      const p = t.kind === 'op' ? PRECEDENCE.get(t.text) : undefined;
      if (p === undefined || p < min) return left;
      this.i++;
      const right = this.expression(p + 1);
      left = { kind: 'binary', op: t.text as BinaryOp, left, right, pos: left.pos };
    }
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'end') throw this.unexpected(t);
  }

  private unary(): Node {
    const t = this.peek();
    if (t.kind !== 'op' || (t.text !== '!' && t.text !== '-')) return this.primary();
    this.i++;
    this.enter(t);
    const operand = this.unary();
    this.depth--;
    if (t.text === '-' && operand.kind === 'literal' && typeof operand.value === 'number') return { kind: 'literal', value: -operand.value, pos: t.pos };
    return { kind: 'unary', op: t.text, operand, pos: t.pos };
  }

  private primary(): Node {
    const t = this.next();
    switch (t.kind) {
      case 'literal':
        return { kind: 'literal', value: t.value, pos: t.pos };
      case 'name':
        return this.peek().kind === '(' ? this.call(t) : { kind: 'name', name: t.text, pos: t.pos };
      case '(': {
        this.enter(t);
        const inner = this.expression(1);
        this.close();
        this.depth--;
        return inner;
      }
      default:
        throw this.unexpected(t);
    }
  }

  /** `name(arg, ...)`; the function table is checked when compiling. */
  private call(name: Token): Node {
    const open = this.next();
    this.enter(open);
    const args: Node[] = [];
    if (this.peek().kind !== ')') {
      args.push(this.expression(1));
      while (this.peek().kind === ',') {
        this.i++;
        args.push(this.expression(1));
      }
    }
    this.close();
    this.depth--;
    return { kind: 'call', name: name.text, args, pos: name.pos };
  }

  private close(): void {
    const t = this.next();
    if (t.kind === ')') return;
    if (t.kind === 'end') throw new ExpressionError(this.what, "expected ')'", t.pos);
    throw this.unexpected(t);
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) throw new ExpressionError(this.what, `nested deeper than ${MAX_DEPTH} levels`, t.pos);
  }

  private unexpected(t: Token): ExpressionError {
    if (t.kind === 'end') return new ExpressionError(this.what, 'expected an expression', t.pos);
    return new ExpressionError(this.what, t.kind === 'literal' && typeof t.value === 'string' ? 'unexpected string' : `unexpected '${t.text}'`, t.pos);
  }

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }
}
