import { z } from 'zod';
import { allProtocols } from '../../../protocols/index.js';
import { NotFoundError } from '../../errors.js';
import { deviceTypes } from '../../registry/device-types.js';
import { applySelector, parseSelector } from '../../registry/selectors.js';
import type { Route } from '../router.js';
import { listResult } from './common.js';

const ProtocolSchema = z.object({ id: z.number(), name: z.string(), transports: z.array(z.string()) });

export function protocolRoutes(): Route[] {
  const tag = 'protocols';
  const protocols = allProtocols().map((p) => ({ id: p.id, name: p.name, transports: [...p.transports] }));
  const types = [...deviceTypes().values()];
  const select = (sel: string) => {
    const byName = protocols.filter((p) => p.name === sel);
    if (byName.length > 0) return byName;
    const parsed = parseSelector(sel, 'protocol selector');
    const found = applySelector(protocols, parsed);
    if (parsed.kind === 'ids' && found.length < parsed.ids.length)
      throw new NotFoundError(`protocol selector "${sel}": no protocol ${parsed.ids.filter((id) => !found.some((p) => p.id === id)).join(',')}`);
    return found;
  };
  return [
    {
      method: 'GET',
      path: '/gw/protocols',
      tag,
      summary: 'Protocols the hub speaks',
      result: ProtocolSchema,
      handler: async (c) => listResult(protocols, c.req.query),
    },
    {
      method: 'GET',
      path: '/gw/protocols/{sel}',
      tag,
      summary: 'Get protocols',
      result: ProtocolSchema,
      handler: async (c) => listResult(select(c.params.sel), c.req.query),
    },
    {
      method: 'GET',
      path: '/gw/protocols/{sel}/device-types',
      tag,
      summary: 'Device types of protocols, with their command and settings schemas',
      handler: async (c) => {
        const ids = new Set(select(c.params.sel).map((p) => p.id));
        return listResult(
          types.filter((t) => ids.has(t.protocol_id)),
          c.req.query,
        );
      },
    },
  ];
}
