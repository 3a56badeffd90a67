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

/** Formats a zod issue path as `field[0].sub`. */
function path(prefix: string, parts: readonly PropertyKey[]): string {
  let s = prefix;
  for (const p of parts) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s || 'body';
}

/** Parses with zod or throws a ValidationError naming the first offending field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, data: unknown, prefix = ''): z.output<T> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = path(prefix, issue.path);
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
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
