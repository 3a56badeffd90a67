import { z } from 'zod';
import type { CalcService } from '../../registry/calcs.js';
import type { IntervalService } from '../../registry/intervals.js';
import { CalcAssignmentSchema, CalcCreateSchema, CalcSchema, CalcUpdateSchema, IntervalSchema, IntervalsQuerySchema } from '../../schemas/calcs.js';
import { parseOrThrow } from '../../schemas/common.js';
import type { Route } from '../router.js';
import { ListQuerySchema, listResult, pick } from './common.js';

const INTERVALS = '/gw/calcs/{sel}/devices/{target}/intervals/{ids}';

export function calcRoutes(calcs: CalcService, intervals: IntervalService): Route[] {
  const tag = 'calcs';
  return [
    {
      method: 'POST',
      path: '/gw/calcs',
      tag,
      summary: 'Create calculators (selectors, counters, options; all or none)',
      body: z.array(CalcCreateSchema),
      result: CalcSchema,
      handler: async (c) => ({ result: await calcs.create(c.body()) }),
    },
    {
      method: 'GET',
      path: '/gw/calcs/{sel}',
      tag,
      summary: 'Get calculators',
      query: ListQuerySchema,
      result: CalcSchema,
      handler: async (c) => listResult(await calcs.select(c.params.sel, c.access), c.req.query),
    },
    {
      method: 'PUT',
      path: '/gw/calcs/{sel}',
      tag,
      summary:
        'Change calculators (a changed definition recalculates the stored history of every assigned device: old intervals deleted, then the backfill; a new name alone changes nothing)',
      body: CalcUpdateSchema,
      result: CalcSchema,
      handler: async (c) => ({ result: await calcs.update(c.params.sel, c.body(), c.access) }),
    },
    {
      method: 'DELETE',
      path: '/gw/calcs/{sel}',
      tag,
      summary: 'Delete calculators with their assignments, states and intervals',
      result: CalcSchema,
      handler: async (c) => ({ result: await calcs.delete(c.params.sel, c.access) }),
    },
    {
      method: 'POST',
      path: '/gw/calcs/{sel}/devices/{target}',
      tag,
      summary: 'Assign calculators to devices (their stored history is calculated in the background until synced)',
      result: CalcAssignmentSchema,
      handler: async (c) => ({ result: await calcs.assign(c.params.sel, c.params.target, true, c.access) }),
    },
    {
      method: 'DELETE',
      path: '/gw/calcs/{sel}/devices/{target}',
      tag,
      summary: 'Unassign calculators from devices (their intervals are removed)',
      result: CalcAssignmentSchema,
      handler: async (c) => ({ result: await calcs.assign(c.params.sel, c.params.target, false, c.access) }),
    },
    {
      method: 'GET',
      path: '/gw/calcs/{sel}/devices/{target}',
      tag,
      summary: 'Assignments with their backfill progress (synced, updated)',
      query: ListQuerySchema,
      result: CalcAssignmentSchema,
      handler: async (c) => listResult(await calcs.assignments(c.params.sel, c.params.target, c.access), c.req.query),
    },
    ...intervalRoutes(intervals, tag),
  ];
}

/** The intervals of assigned pairs: read and export, user fields, deletion. */
function intervalRoutes(intervals: IntervalService, tag: string): Route[] {
  return [
    {
      method: 'GET',
      path: INTERVALS,
      tag,
      summary: 'Intervals (all, last or ids; from/to on begin/end, count, reverse, fields); format=csv|gpx exports',
      query: IntervalsQuerySchema,
      result: IntervalSchema,
      handler: async (c) => {
        const q = parseOrThrow(IntervalsQuerySchema, c.req.query, '', 'query');
        const { sel, target, ids } = c.params;
        if (q.format === 'csv' || q.format === 'gpx') {
          const out = await intervals.export(sel, target, ids, q, c.access);
          return { status: 200, headers: { 'content-type': out.contentType }, body: out.body };
        }
        const list = await intervals.list(sel, target, ids, q, c.access);
        const fields = q.fields;
        return { result: fields ? list.map((i) => pick(i, fields)) : list };
      },
    },
    {
      method: 'PUT',
      path: INTERVALS,
      tag,
      // no `body` schema on purpose: user fields are free names (checked by IntervalUpdateSchema in the service)
      summary: 'Attach user fields to intervals (an object of names to values; null removes one)',
      result: IntervalSchema,
      handler: async (c) => ({ result: await intervals.update(c.params.sel, c.params.target, c.params.ids, c.body(), c.access) }),
    },
    {
      method: 'DELETE',
      path: INTERVALS,
      tag,
      summary: 'Delete intervals (the pair is recalculated by the next backfill)',
      result: IntervalSchema,
      handler: async (c) => ({ result: await intervals.delete(c.params.sel, c.params.target, c.params.ids, c.access) }),
    },
  ];
}
