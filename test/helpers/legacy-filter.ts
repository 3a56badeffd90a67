/**
 * The old message filter, kept verbatim as the test oracle for the expression engine's legacy path
 * (copied from core/messages/filter.ts `parseFilter`, before the expression engine replaces it).
 */
import { ValidationError } from '../../core/errors.js';
import type { Message, MessageValue } from '../../protocols/common/types.js';

type MessagePredicate = (m: Message) => boolean;

const CLAUSE = /^\s*(!?)\s*([A-Za-z0-9_.#-]+)\s*(?:(==|=|!=|>=|<=|>|<)\s*(.*?))?\s*$/;

export function parseFilter(text: string): MessagePredicate {
  const clauses = text
    .split(/&&|,/)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  if (clauses.length === 0) throw new ValidationError('filter: empty expression');
  const preds = clauses.map(parseClause);
  return (m) => preds.every((p) => p(m));
}

function parseClause(clause: string): MessagePredicate {
  const match = CLAUSE.exec(clause);
  if (!match) throw new ValidationError(`filter: cannot parse "${clause}" (expected name, !name or name<op>value)`);
  const [, not, name, op, rawValue] = match;
  if (!op) {
    return not ? (m) => m[name] === undefined || m[name] === false || m[name] === null : (m) => m[name] !== undefined && m[name] !== false && m[name] !== null;
  }
  if (not) throw new ValidationError(`filter: "!" cannot be combined with an operator in "${clause}"`);
  if (rawValue === undefined || rawValue === '') throw new ValidationError(`filter: missing value after "${op}" in "${clause}"`);
  const value = parseValue(rawValue);
  switch (op) {
    case '=':
    case '==':
      return (m) => equals(m[name], value);
    case '!=':
      return (m) => !equals(m[name], value);
    default: {
      if (typeof value !== 'number') throw new ValidationError(`filter: "${op}" needs a number in "${clause}"`);
      const cmp = { '>': (a: number) => a > value, '>=': (a: number) => a >= value, '<': (a: number) => a < value, '<=': (a: number) => a <= value }[
        op as '>' | '>=' | '<' | '<='
      ];
      return (m) => typeof m[name] === 'number' && cmp(m[name] as number);
    }
  }
}

function parseValue(raw: string): MessageValue | RegExp {
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw)) return Number(raw);
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  const text = /^".*"$/.test(raw) || /^'.*'$/.test(raw) ? raw.slice(1, -1) : raw;
  return text.includes('*') ? wildcard(text) : text;
}

/** `*` matches any run of characters; everything else is literal. */
function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

function equals(actual: MessageValue | undefined, expected: MessageValue | RegExp): boolean {
  if (expected instanceof RegExp) return actual !== undefined && actual !== null && expected.test(String(actual));
  if (actual === undefined) return expected === null;
  return actual === expected || (typeof expected === 'string' && String(actual) === expected);
}
