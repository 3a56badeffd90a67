import { z } from 'zod';
import { isValidIdent } from '../../protocols/common/ident.js';
import { ValidationError } from '../errors.js';

export const IdSchema = z.number().int().positive();

export const IdentSchema = z.string().min(1).max(64).refine(isValidIdent, 'must be printable ASCII without spaces, "#", "+" or "/"');

export const TtlSchema = z
  .number()
  .int()
  .min(60)
  .max(10 * 365 * 86400);

export const MetadataSchema = z.record(z.string().max(128), z.unknown());

/** Formats a zod issue path as `field[0].sub` (`root` when the issue is about the whole value). */
function path(prefix: string, parts: readonly PropertyKey[], root: string): string {
  let s = prefix;
  for (const p of parts) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s || root;
}

/**
 * Parses with zod or throws a ValidationError naming the first offending field. `root` names
 * the value itself in messages: `body` (default) or `query` (then unknown keys are "query
 * parameters", not fields).
 */
export function parseOrThrow<T extends z.ZodType>(schema: T, data: unknown, prefix = '', root: 'body' | 'query' = 'body'): z.output<T> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = path(prefix, issue.path, root);
  let message = issue.message;
  if (issue.code === 'unrecognized_keys')
    message = `unknown ${root === 'query' ? 'query parameter' : 'field'}(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  throw new ValidationError(`${where}: ${message}`);
}

/** Query-string helpers: numbers and booleans arrive as text. */
export const QueryNumber = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'must be a number')
  .transform(Number);
export const QueryInt = z.string().regex(/^\d+$/, 'must be a non-negative integer').transform(Number);
export const QueryBool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
export const QueryFields = z
  .string()
  .min(1)
  .transform((s) =>
    s
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f.length > 0),
  );

/** `fields`, `count`, `offset` on list answers. */
export const ListQuerySchema = z
  .object({
    fields: QueryFields.optional(),
    count: QueryInt.pipe(z.number().int().min(1).max(100000)).optional(),
    offset: QueryInt.optional(),
  })
  .strict();
