import { ExpressionError } from './errors.js';

/**
 * Tokens of the expression language. Names are message parameters: letters, digits, `_`, `.`, `#`
 * and `-` as the old filters allowed, not starting with a digit or `-` (so `a-b` is one name and a
 * subtraction needs spaces: `a - b`). A `.` followed by a digit starts a number (`.5`), not a name.
 */
export type Token =
  | { readonly kind: 'literal'; readonly value: number | string | boolean | null; readonly text: string; readonly pos: number }
  | { readonly kind: 'name' | 'op' | '(' | ')' | ',' | 'end'; readonly text: string; readonly pos: number };

const OPERATORS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '+', '-', '*', '/', '%'] as const;
/** Single characters that look like an operator of another language, with the hint for the error. */
const NEAR_MISSES: Readonly<Record<string, string>> = { '=': "'=='", '&': "'&&'", '|': "'||'" };
const KEYWORDS: Readonly<Record<string, boolean | null>> = { true: true, false: false, null: null };
const ESCAPES: Readonly<Record<string, string>> = { "'": "'", '"': '"', '\\': '\\' };

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
/** A character that may continue a name. */
const isNameChar = (c: string): boolean => isLetter(c) || isDigit(c) || c === '_' || c === '.' || c === '#' || c === '-';
/** Whether a name starts at `text[i]`. */
const startsName = (text: string, i: number): boolean => {
  const c = text[i];
  return isLetter(c) || c === '_' || c === '#' || (c === '.' && !isDigit(text[i + 1] ?? ''));
};

/** Whether the whole text reads as one parameter name (not a keyword, number or anything else). */
export function isPlainName(text: string): boolean {
  if (text.length === 0 || !startsName(text, 0) || Object.hasOwn(KEYWORDS, text)) return false;
  for (let i = 1; i < text.length; i++) if (!isNameChar(text[i])) return false;
  return true;
}

/** Splits the text into tokens, ending with one `end` token at `text.length`. */
export function tokenize(text: string, what: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      i = readNumber(text, i, what, tokens);
    } else if (c === "'" || c === '"') {
      i = readString(text, i, what, tokens);
    } else if (startsName(text, i)) {
      let end = i + 1;
      while (end < text.length && isNameChar(text[end])) end++;
      const word = text.slice(i, end);
      if (Object.hasOwn(KEYWORDS, word)) tokens.push({ kind: 'literal', value: KEYWORDS[word], text: word, pos: i });
      else tokens.push({ kind: 'name', text: word, pos: i });
      i = end;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, pos: i++ });
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op === undefined) throw new ExpressionError(what, unexpectedCharacter(c), i);
      tokens.push({ kind: 'op', text: op, pos: i });
      i += op.length;
    }
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}

function unexpectedCharacter(c: string): string {
  if (Object.hasOwn(NEAR_MISSES, c)) return `unexpected '${c}' (use ${NEAR_MISSES[c]})`;
  const code = c.codePointAt(0) ?? 0;
  return code >= 0x20 && code < 0x7f ? `unexpected character '${c}'` : `unexpected character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Digits, an optional fraction and an optional exponent; a name character right after is an error (`3abc`, `1.2.3`). */
function readNumber(text: string, start: number, what: string, tokens: Token[]): number {
  let i = start;
  while (isDigit(text[i] ?? '')) i++;
  if (text[i] === '.' && isDigit(text[i + 1] ?? '')) {
    i++;
    while (isDigit(text[i] ?? '')) i++;
  }
  if (text[i] === 'e' || text[i] === 'E') {
    let j = i + 1;
    if (text[j] === '+' || text[j] === '-') j++;
    if (isDigit(text[j] ?? '')) {
      while (isDigit(text[j] ?? '')) j++;
      i = j;
    }
  }
  if (i < text.length && isNameChar(text[i]) && text[i] !== '-') {
    let end = i;
    while (end < text.length && isNameChar(text[end]) && text[end] !== '-') end++;
    throw new ExpressionError(what, `invalid number '${text.slice(start, end)}'`, start);
  }
  const value = Number(text.slice(start, i));
  if (!Number.isFinite(value)) throw new ExpressionError(what, `number out of range '${text.slice(start, i)}'`, start);
  tokens.push({ kind: 'literal', value, text: text.slice(start, i), pos: start });
  return i;
}

/** `'text'` or `"text"`; `\'`, `\"` and `\\` are the only escapes. */
function readString(text: string, start: number, what: string, tokens: Token[]): number {
  const quote = text[start];
  let value = '';
  let i = start + 1;
  for (;;) {
    const close = text.indexOf(quote, i);
    const backslash = text.indexOf('\\', i);
    if (backslash !== -1 && (close === -1 || backslash < close)) {
      const next = text[backslash + 1];
      if (next === undefined) throw new ExpressionError(what, 'unterminated string', start);
      if (!Object.hasOwn(ESCAPES, next)) throw new ExpressionError(what, `invalid escape '\\${next}' (only \\' \\" \\\\)`, backslash);
      value += text.slice(i, backslash) + ESCAPES[next];
      i = backslash + 2;
    } else if (close === -1) {
      throw new ExpressionError(what, 'unterminated string', start);
    } else {
      value += text.slice(i, close);
      tokens.push({ kind: 'literal', value, text: text.slice(start, close + 1), pos: start });
      return close + 1;
    }
  }
}
