import { z } from 'zod';
import type { Route } from './router.js';

type Schema = Record<string, unknown>;

function schemaOf(s: z.ZodType): Schema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Schema;
  return rest;
}

const ERROR = {
  description: 'Failure',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          errors: {
            type: 'array',
            items: { type: 'object', properties: { code: { type: 'integer' }, reason: { type: 'string' } }, required: ['code', 'reason'] },
          },
        },
        required: ['errors'],
      },
    },
  },
};

const SELECTOR_DOC: Record<string, string> = {
  sel: 'Selector: `all`, a comma list of ids (`12,13`), or `field=pattern` with `*` wildcards (`configuration.ident=3521*`).',
  cmd: 'Command selector: `all` or a comma list of command ids.',
  conn: 'Connection selector: `all` or a comma list of connection ids.',
  names: 'Comma list of parameter prefixes (`position,din`).',
};

/** The OpenAPI 3.1 document of the routes, from the same zod schemas that validate requests. */
export function openApiDocument(routes: readonly Route[], version: string): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const r of routes) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
      description: SELECTOR_DOC[m[1]] ?? m[1],
    }));
    const query =
      r.query instanceof z.ZodObject
        ? Object.entries(r.query.shape as Record<string, z.ZodType>).map(([name, s]) => ({ name, in: 'query', required: false, schema: schemaOf(s) }))
        : [];
    const op: Schema = {
      tags: [r.tag],
      summary: r.summary,
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[{}]/g, '').replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      parameters: [...params, ...query],
      responses: {
        '200': {
          description: 'Success',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  result: { type: 'array', items: r.result ? schemaOf(r.result) : {} },
                  next: { type: 'string', description: 'Cursor for the next page (messages)' },
                },
                required: ['result'],
              },
            },
          },
        },
        '400': ERROR,
        ...(r.public ? {} : { '401': ERROR, '403': ERROR }),
        '404': ERROR,
      },
      ...(r.public ? { security: [] } : {}),
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(r.body) } } };
    paths[r.path] = { ...paths[r.path], [r.method.toLowerCase()]: op };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Telematics Hub API',
      version,
      description: 'flespi-style registry API: channels, devices, messages, telemetry, commands, settings, streams, tokens.',
    },
    servers: [{ url: '/' }],
    security: [{ flespiToken: [] }, { bearer: [] }],
    components: {
      securitySchemes: {
        flespiToken: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`FlespiToken <token>`' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
    paths,
  };
}
