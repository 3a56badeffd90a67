import { z } from 'zod';
import { CalculateBodySchema, CalculateQuerySchema, type CalculateService } from '../../reports/calculate.js';
import type { ApiResponse } from '../http.js';
import type { Route } from '../router.js';

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', gpx: 'application/gpx+xml; charset=utf-8' } as const;

/** An interval as a report returns it (counters are further fields named after them). */
const ReportIntervalSchema = z
  .object({
    id: z.number(),
    calc_id: z.number().optional(),
    device_id: z.number(),
    begin: z.number(),
    end: z.number(),
    duration: z.number(),
    active: z.boolean(),
  })
  .catchall(z.unknown());

export function calculateRoutes(reports: CalculateService): Route[] {
  return [
    {
      method: 'POST',
      path: '/gw/devices/{sel}/calculate',
      tag: 'calcs',
      summary: 'Intervals computed on the fly from stored messages (a stored calc_id or an inline calculator); nothing is kept. ?format=csv|gpx exports',
      query: CalculateQuerySchema,
      body: CalculateBodySchema,
      result: ReportIntervalSchema,
      handler: async (c) => {
        const out = await reports.calculate(c.params.sel, c.body(), c.req.query, c.access);
        if (typeof out.body !== 'string') return { result: out.body };
        const file: ApiResponse = {
          status: 200,
          headers: {
            'content-type': CONTENT_TYPES[out.format === 'gpx' ? 'gpx' : 'csv'],
            'content-disposition': `attachment; filename="intervals.${out.format}"`,
          },
          body: out.body,
        };
        return file;
      },
    },
  ];
}
