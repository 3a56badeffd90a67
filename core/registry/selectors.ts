import { NotFoundError, ValidationError } from '../errors.js';
import { wildcard } from '../messages/filter.js';
import { type Access, scope } from './access.js';

/**
 * Selectors (`{sel}` in routes): `all`; a comma list of ids (`12,13`); or a field expression with
 * `*` wildcards (`configuration.ident=3521*`, `name=truck*`).
 */
export type Selector =
  | { readonly kind: 'all' }
  | { readonly kind: 'ids'; readonly ids: readonly number[] }
  | { readonly kind: 'expr'; readonly field: string; readonly pattern: RegExp; readonly text: string };

export function parseSelector(text: string, what = 'selector'): Selector {
  const sel = decodeURIComponent(text).trim();
  if (sel === 'all') return { kind: 'all' };
  if (/^\d+(,\d+)*$/.test(sel)) {
    const ids = sel.split(',').map(Number);
    if (ids.some((id) => id <= 0 || !Number.isSafeInteger(id))) throw new ValidationError(`${what} "${sel}": ids are positive integers`);
    return { kind: 'ids', ids };
  }
  const m = /^([A-Za-z_][A-Za-z0-9_.]*)=(.*)$/.exec(sel);
  if (m) return { kind: 'expr', field: m[1], pattern: wildcard(m[2]), text: sel };
  throw new ValidationError(`${what} "${sel}": expected all, a comma list of ids, or field=value with * wildcards`);
}

function fieldValue(item: unknown, path: string): unknown {
  let cur: unknown = item;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Items matching a selector, in id order. */
export function applySelector<T extends { id: number }>(items: readonly T[], sel: Selector): T[] {
  switch (sel.kind) {
    case 'all':
      return [...items].sort((a, b) => a.id - b.id);
    case 'ids': {
      const wanted = new Set(sel.ids);
      return items.filter((i) => wanted.has(i.id)).sort((a, b) => a.id - b.id);
    }
    case 'expr':
      return items
        .filter((i) => {
          const v = fieldValue(i, sel.field);
          return v !== undefined && v !== null && typeof v !== 'object' && sel.pattern.test(String(v));
        })
        .sort((a, b) => a.id - b.id);
  }
}

export interface Selection<T> {
  /** The selector as written (`all`, `12,13`, `name=truck*`). */
  readonly text: string;
  /** What is selected, for messages: `device`, `channel`... */
  readonly what: string;
  /** The ACL resource: `gw/devices`, `gw/channels`... */
  readonly resource: string;
  readonly access: Access;
  list(): Promise<readonly T[]>;
  /** Reads one item (faster than a list for id selectors); default: from the list. */
  get?(id: number): Promise<T | undefined>;
}

/**
 * The items a selector picks, in id order, within the caller's access (API.md conventions): `all`
 * and patterns that match nothing are an empty list; ids named explicitly that do not exist are a
 * 404 naming them, and ids outside the caller's ACL a 403.
 */
export async function select<T extends { id: number }>(s: Selection<T>): Promise<T[]> {
  const sel = parseSelector(s.text, `${s.what} selector`);
  if (sel.kind !== 'ids') return scope(s.access, s.resource, applySelector(await s.list(), sel), undefined);
  scope(s.access, s.resource, [], sel.ids); // a 403 before anything is read
  const get = s.get;
  const found = get ? (await Promise.all(sel.ids.map((id) => get(id)))).filter((x): x is Awaited<T> => x !== undefined) : applySelector(await s.list(), sel);
  const missing = sel.ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length > 0) throw new NotFoundError(`${s.what} selector "${s.text}": no ${s.what} ${missing.join(',')}`);
  return [...new Map(found.map((f) => [f.id, f])).values()].sort((a, b) => a.id - b.id);
}
