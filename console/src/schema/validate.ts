/**
 * A small JSON Schema (2020-12) checker for the subset the hub's device types use (produced from
 * the same zod schemas the server validates with): type, enum, const, anyOf/oneOf/allOf, string
 * length and pattern, number bounds, arrays, objects with required / additionalProperties /
 * propertyNames. The server checks again; this gives the answer before the round trip.
 */
export type Schema = Record<string, unknown>;

export interface SchemaIssue {
  /** `param`, `params.10000`, `[0]`; empty for the value itself. */
  readonly path: string;
  readonly message: string;
}

export function asSchema(s: unknown): Schema {
  return s && typeof s === 'object' && !Array.isArray(s) ? (s as Schema) : {};
}

export function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function hasType(t: string, v: unknown): boolean {
  const actual = typeOf(v);
  if (t === 'number') return actual === 'number' || actual === 'integer';
  return t === actual;
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function branchesOf(s: Schema): Schema[] | undefined {
  const list = (s.anyOf ?? s.oneOf) as unknown;
  return Array.isArray(list) ? list.map(asSchema) : undefined;
}

export function validate(schemaIn: unknown, value: unknown, path = ''): SchemaIssue[] {
  const s = asSchema(schemaIn);
  const branches = branchesOf(s);
  if (branches) {
    const results = branches.map((b) => validate(b, value, path));
    if (results.some((r) => r.length === 0)) return [];
    // Report the branch that got furthest: one whose type matches, with the fewest issues.
    const typed = results.filter((_, i) => typeFits(branches[i], value));
    if (typed.length === 0) return [{ path, message: value === undefined ? 'is required' : `must be ${describeType(s)}` }];
    return typed.reduce((a, b) => (b.length < a.length ? b : a));
  }
  const issues: SchemaIssue[] = [];
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) issues.push(...validate(sub, value, path));
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => hasType(t, value))) return [{ path, message: value === undefined ? 'is required' : `must be ${types.map(article).join(' or ')}` }];
  }
  if (s.const !== undefined && !equal(s.const, value)) issues.push({ path, message: `must be ${JSON.stringify(s.const)}` });
  if (Array.isArray(s.enum) && !s.enum.some((e) => equal(e, value)))
    issues.push({ path, message: `must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  if (typeof value === 'string') {
    const len = [...value].length;
    if (typeof s.minLength === 'number' && len < s.minLength)
      issues.push({ path, message: s.minLength === 1 ? 'must not be empty' : `must be at least ${s.minLength} characters` });
    if (typeof s.maxLength === 'number' && len > s.maxLength) issues.push({ path, message: `must be at most ${s.maxLength} characters` });
    if (typeof s.pattern === 'string' && !safeRegExp(s.pattern).test(value)) issues.push({ path, message: `must match ${s.pattern}` });
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) issues.push({ path, message: `must be ≥ ${s.minimum}` });
    if (typeof s.maximum === 'number' && value > s.maximum) issues.push({ path, message: `must be ≤ ${s.maximum}` });
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) issues.push({ path, message: `must be > ${s.exclusiveMinimum}` });
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) issues.push({ path, message: `must be < ${s.exclusiveMaximum}` });
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) issues.push({ path, message: `must have at least ${s.minItems} item(s)` });
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) issues.push({ path, message: `must have at most ${s.maxItems} items` });
    if (s.items !== undefined)
      value.forEach((item, i) => {
        issues.push(...validate(s.items, item, join(path, i)));
      });
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    const props = asSchema(s.properties);
    if (Array.isArray(s.required))
      for (const k of s.required as string[]) if (obj[k] === undefined) issues.push({ path: join(path, k), message: 'is required' });
    for (const [k, v] of Object.entries(obj)) {
      if (v === undefined) continue;
      if (k in props) issues.push(...validate(props[k], v, join(path, k)));
      else if (s.additionalProperties === false) issues.push({ path: join(path, k), message: 'is not a known property' });
      else if (s.additionalProperties && typeof s.additionalProperties === 'object') issues.push(...validate(s.additionalProperties, v, join(path, k)));
      if (s.propertyNames !== undefined)
        for (const i of validate(s.propertyNames, k, join(path, k))) issues.push({ path: i.path, message: `name ${i.message}` });
    }
  }
  return issues;
}

/** Whether the value has a type the schema allows (ignoring every other keyword). */
export function typeFits(s: Schema, value: unknown): boolean {
  const b = branchesOf(s);
  if (b) return b.some((x) => typeFits(x, value));
  if (s.type === undefined) return value !== undefined;
  const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
  return types.some((t) => hasType(t, value));
}

function article(t: string): string {
  return { integer: 'an integer', number: 'a number', string: 'text', boolean: 'true or false', array: 'a list', object: 'an object', null: 'null' }[t] ?? t;
}

export function describeType(s: Schema): string {
  if (typeof s.type === 'string') return article(s.type);
  const b = branchesOf(s);
  if (b) return b.map(describeType).join(' or ');
  return 'a value';
}

const regexCache = new Map<string, RegExp>();
function safeRegExp(p: string): RegExp {
  let r = regexCache.get(p);
  if (!r) {
    try {
      r = new RegExp(p, 'u');
    } catch {
      r = /[\s\S]*/;
    }
    regexCache.set(p, r);
  }
  return r;
}

/** Formats issues as `param: must match ^\d{1,6}$`. */
export function formatIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}
