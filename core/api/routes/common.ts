import { ListQuerySchema, parseOrThrow } from '../../schemas/common.js';
import type { RouteResult } from '../router.js';

export { ListQuerySchema };

export function listResult(items: readonly object[], query: Readonly<Record<string, string>>): RouteResult {
  const q = parseOrThrow(ListQuerySchema, query);
  const start = q.offset ?? 0;
  const page = items.slice(start, q.count === undefined ? undefined : start + q.count);
  const fields = q.fields;
  return { result: fields ? page.map((i) => pick(i, fields)) : page };
}

/** Keeps the named top-level fields (dotted names reach into objects: `configuration.ident`). */
export function pick(item: object, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    let v: unknown = item;
    for (const part of f.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
    if (v !== undefined) out[f] = v;
  }
  return out;
}
