import { NotFoundError, ValidationError } from '../errors.js';
import { wildcard } from '../messages/filter.js';

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

/** Like applySelector, but an empty result is a 404 naming the selector. */
export function selectOrThrow<T extends { id: number }>(items: readonly T[], sel: Selector, what: string, text: string): T[] {
  const found = applySelector(items, sel);
  if (found.length === 0) throw new NotFoundError(`${what} selector "${text}" matched nothing`);
  return found;
}
