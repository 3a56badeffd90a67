import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import type { DeadLetterStore } from '../../ports.js';
import { parseOrThrow, QueryInt } from '../../schemas/common.js';
import type { Route } from '../router.js';

const ListQuery = z.object({ count: QueryInt.pipe(z.number().int().min(1).max(10000)).optional(), body: z.enum(['true', 'false']).optional() }).strict();
const ReplayBody = z.object({ ids: z.array(z.string().min(1).max(128)).min(1).max(10000).optional() }).strict();

/** The ingest dead-letter queue: what failed ingest five times (SQS DLQ / local journal), to inspect and replay. */
export function deadLetterRoutes(store: DeadLetterStore | undefined): Route[] {
  const tag = 'operations';
  const need = () => {
    if (!store) throw new NotFoundError('this deployment has no dead-letter queue configured (HUB_INGEST_DLQ_URL)');
    return store;
  };
  return [
    {
      method: 'GET',
      path: '/platform/dead-letters',
      tag,
      summary: 'Queue records that failed ingest (frames, channels, idents; body=true adds the raw envelope)',
      query: ListQuery,
      handler: async (c) => {
        const q = parseOrThrow(ListQuery, c.req.query);
        const items = await need().list(q.count ?? 1000);
        return { result: q.body === 'true' ? items : items.map(({ body: _b, ...rest }) => rest) };
      },
    },
    {
      method: 'POST',
      path: '/platform/dead-letters/replay',
      tag,
      summary: 'Send dead letters back to ingest (all, or {"ids": [...]})',
      body: ReplayBody,
      handler: async (c) => {
        const body = c.req.body && c.req.body.trim() !== '' ? parseOrThrow(ReplayBody, c.body()) : {};
        return { result: [{ replayed: await need().replay(body.ids) }] };
      },
    },
    {
      method: 'DELETE',
      path: '/platform/dead-letters/{ids}',
      tag,
      summary: 'Delete dead letters (all, or a comma list of ids)',
      handler: async (c) => ({ result: [{ deleted: await need().discard(c.params.ids === 'all' ? undefined : c.params.ids.split(',')) }] }),
    },
  ];
}
