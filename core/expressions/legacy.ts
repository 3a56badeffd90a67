import type { Message, MessageValue } from '../../protocols/common/types.js';
import { ExpressionError } from './errors.js';
import { isPlainName } from './lexer.js';
import type { CompiledExpression } from './types.js';

/**
 * The old filters (`name op value` clauses) inside the expression language.
 *
 * The rule: a text is compiled with the OLD semantics when both hold
 *  1. it matches the old grammar in full: clauses separated by `&&` or `,`; each `name`, `!name` or
 *     `name op value` with op one of `=` `==` `!=` `>` `>=` `<` `<=` and value one token (a number,
 *     `true`, `false`, `null`, a quoted string, or a bare word of `[A-Za-z0-9_.*:#+-]`);
 *  2. it uses something only the old form has: a single `=`, a `,` separator, a `*` wildcard, a
 *     bare word value that the new grammar cannot read as one name, number or true/false/null
 *     (`3521abc`, `+7`, `a:b`, `-x`, `1.`), or a name it cannot read at all (`1wire.temp`; a
 *     leading `-` is the unary minus, so `-a` and `--1` stay expressions).
 * Every other text is a new expression: `a == b` and `name==truck` compare two parameters, and
 * `speed>80&&din!=1` is read as an expression (where the old and new rules differ, e.g. `din != 1`
 * on a message without `din`, the new rules apply). Old semantics: bare words are text, `*` is a wildcard, `=`/`==` is
 * equality that also matches the string form of a value (`5` matches `"5"`), `!=` its negation,
 * `>` `>=` `<` `<=` need a number on both sides, `name` means present and not false/null, `!name`
 * the opposite, and all clauses must hold.
 */
export function compileLegacy(text: string, what: string): CompiledExpression | undefined {
  const parsed = parseLegacy(text);
  if (parsed === undefined || !usesOldOnlyFeature(parsed)) return undefined;
  const predicates = parsed.clauses.map((c) => clausePredicate(c, what));
  const holds = (m: Message): boolean => {
    for (const p of predicates) if (!p(m)) return false;
    return true;
  };
  return Object.freeze({
    evaluate: (ctx) => holds(ctx.message),
    test: (ctx) => holds(ctx.message),
    names: Object.freeze([...new Set(parsed.clauses.map((c) => c.name))]),
    usesPrevious: Object.freeze([]),
    usesGeofences: Object.freeze([]),
    usesMetadata: Object.freeze([]),
  } satisfies CompiledExpression);
}

/** Whether the text is an old filter that compiles with the old semantics (see `compileLegacy`). */
export function isLegacyFilter(text: string): boolean {
  const parsed = parseLegacy(text);
  return parsed !== undefined && usesOldOnlyFeature(parsed);
}

interface Clause {
  readonly name: string;
  readonly not: boolean;
  readonly op?: string;
  /** The value token as written (quotes included). */
  readonly value?: string;
  readonly valuePos: number;
}

interface Parsed {
  readonly clauses: readonly Clause[];
  readonly separators: readonly string[];
}

const NAME = '[A-Za-z0-9_.#-]+';
// A quoted value is what the old `^".*"$` accepted: no line breaks.
const VALUE = `"[^"\\n\\r\\u2028\\u2029]*"|'[^'\\n\\r\\u2028\\u2029]*'|[A-Za-z0-9_.*:#+-]+`;
const CLAUSE = `\\s*(?:(!)\\s*(${NAME})|(${NAME})(?:\\s*(==|=|!=|>=|<=|>|<)\\s*(${VALUE}))?)\\s*`;
const OLD_NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** The clauses when the whole text matches the old grammar (regexes built per call: no shared `lastIndex`). */
function parseLegacy(text: string): Parsed | undefined {
  const clause = new RegExp(CLAUSE, 'yd');
  const separator = /&&|,/y;
  const clauses: Clause[] = [];
  const separators: string[] = [];
  let pos = 0;
  for (;;) {
    clause.lastIndex = pos;
    const m = clause.exec(text);
    if (m === null || clause.lastIndex === pos) return undefined;
    const value = m[5];
    clauses.push({ name: m[2] ?? m[3], not: m[1] === '!', op: m[4], value, valuePos: m.indices?.[5]?.[0] ?? pos });
    pos = clause.lastIndex;
    if (pos === text.length) return { clauses, separators };
    separator.lastIndex = pos;
    const s = separator.exec(text);
    if (s === null) return undefined;
    separators.push(s[0]);
    pos = separator.lastIndex;
  }
}

function usesOldOnlyFeature({ clauses, separators }: Parsed): boolean {
  if (separators.includes(',')) return true;
  return clauses.some((c) => {
    if (c.op === '=' || !readsAsOneToken(c.name.replace(/^-+/, ''))) return true;
    const v = c.value;
    if (v === undefined) return false;
    if (v.includes('*')) return true;
    return !(v.startsWith('"') || v.startsWith("'")) && !readsAsOneToken(v);
  });
}

/** A number as the new grammar reads it (a leading `-` is the unary minus: same value). */
const NEW_NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Whether the new grammar reads the bare word as one operand (a name, a number, true/false/null). */
function readsAsOneToken(word: string): boolean {
  return NEW_NUMBER.test(word) || word === 'true' || word === 'false' || word === 'null' || isPlainName(word);
}

type Predicate = (m: Message) => boolean;

function clausePredicate(c: Clause, what: string): Predicate {
  const read = rawReader(c.name);
  if (c.op === undefined || c.value === undefined) {
    const present: Predicate = (m) => {
      const v = read(m);
      return v !== undefined && v !== false && v !== null;
    };
    return c.not ? (m) => !present(m) : present;
  }
  const expected = oldValue(c.value);
  switch (c.op) {
    case '=':
    case '==':
      return (m) => oldEquals(read(m), expected);
    case '!=':
      return (m) => !oldEquals(read(m), expected);
    default: {
      if (typeof expected !== 'number') throw new ExpressionError(what, `'${c.op}' needs a number`, c.valuePos);
      const k = expected;
      const cmp: Record<string, (a: number) => boolean> = { '>': (a) => a > k, '>=': (a) => a >= k, '<': (a) => a < k, '<=': (a) => a <= k };
      const f = cmp[c.op];
      return (m) => {
        const v = read(m);
        return typeof v === 'number' && f(v);
      };
    }
  }
}

/** The raw parameter (undefined when absent: the old rules tell absent from null); inherited names only as own properties. */
function rawReader(name: string): (m: Message) => MessageValue | undefined {
  if (name in Object.prototype) return (m) => (Object.hasOwn(m, name) ? m[name] : undefined);
  return (m) => m[name];
}

/** The old value rules: numbers, true/false/null, quotes stripped (no escapes), `*` makes a wildcard. */
function oldValue(raw: string): MessageValue | RegExp {
  if (OLD_NUMBER.test(raw)) return Number(raw);
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0]);
  const text = quoted ? raw.slice(1, -1) : raw;
  return text.includes('*') ? wildcard(text) : text;
}

/** `*` matches any run of characters (not line breaks, as before); everything else is literal. */
function wildcard(pattern: string): RegExp {
  const parts = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

function oldEquals(actual: MessageValue | undefined, expected: MessageValue | RegExp): boolean {
  if (expected instanceof RegExp) return actual !== undefined && actual !== null && expected.test(String(actual));
  if (actual === undefined) return expected === null;
  return actual === expected || (typeof expected === 'string' && String(actual) === expected);
}
