import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { compileExpression } from '../expressions/index.js';
import { decodeCursor } from '../messages/merge.js';
import { parseOrThrow, QueryBool, QueryFields, QueryInt, QueryNumber } from './common.js';

export const MAX_MESSAGES_PAGE = 100000;

export const MessagesQuerySchema = z
  .object({
    from: QueryNumber.optional(),
    to: QueryNumber.optional(),
    count: QueryInt.pipe(z.number().int().min(1).max(MAX_MESSAGES_PAGE)).optional(),
    reverse: QueryBool.optional(),
    fields: QueryFields.optional(),
    filter: z.string().min(1).max(1024).superRefine(checkFilter).optional(),
    cursor: z.string().min(1).max(200).optional(),
    data: z.string().optional(),
  })
  .strict();

/** A filter that does not compile is a 400 naming the problem, before anything is read. */
function checkFilter(text: string, ctx: z.RefinementCtx): void {
  try {
    compileExpression(text, 'filter');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err instanceof Error ? err.message : String(err)).replace(/^filter: /, '') });
  }
}

/** flespi's `data={...}` form: the same keys as JSON values. */
const DataSchema = z
  .object({
    from: z.number().optional(),
    to: z.number().optional(),
    count: z.number().int().min(1).max(MAX_MESSAGES_PAGE).optional(),
    reverse: z.boolean().optional(),
    fields: z.union([z.string(), z.array(z.string())]).optional(),
    filter: z.string().max(1024).superRefine(checkFilter).optional(),
    cursor: z.string().optional(),
  })
  .strict();

export interface MessagesQuery {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly reverse: boolean;
  readonly fields?: readonly string[];
  readonly filter?: string;
  readonly cursor?: string;
}

export function parseMessagesQuery(query: Record<string, string>): MessagesQuery {
  const q = parseOrThrow(MessagesQuerySchema, query, '', 'query');
  let data: z.output<typeof DataSchema> = {};
  if (q.data !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(q.data);
    } catch {
      throw new ValidationError('data: not valid JSON');
    }
    data = parseOrThrow(DataSchema, raw, 'data');
  }
  const fields = q.fields ?? (typeof data.fields === 'string' ? data.fields.split(',') : data.fields);
  const out: MessagesQuery = {
    from: q.from ?? data.from ?? 0,
    to: q.to ?? data.to ?? 9999999999,
    count: q.count ?? data.count ?? 1000,
    reverse: q.reverse ?? data.reverse ?? false,
    fields,
    filter: q.filter ?? data.filter,
    cursor: q.cursor ?? data.cursor,
  };
  if (out.from > out.to) throw new ValidationError(`from: ${out.from} is after to (${out.to})`);
  if (out.cursor !== undefined && !decodeCursor(out.cursor)) throw new ValidationError('cursor: not a cursor returned by this API');
  return out;
}
