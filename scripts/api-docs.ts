/**
 * Writes docs/api.md, the API reference, from the OpenAPI document the hub serves at /openapi.json
 * (itself generated from the zod schemas that validate requests). `npm run docs:api`; a test fails
 * when the committed file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../core/api/openapi.js';
import type { HubPorts } from '../core/hub.js';
import { createHub } from '../core/hub.js';
import { silentLogger } from '../core/logger.js';

// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema document walked by key (arbitrary nesting, read only)
type Schema = Record<string, any>;

function typeOf(s: Schema | undefined): string {
  if (!s) return '';
  if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ');
  if (s.enum) return s.enum.map((e: unknown) => JSON.stringify(e)).join(' \\| ');
  if (s.type === 'array') return `${typeOf(s.items)}[]`;
  if (s.pattern) return `string (${s.pattern.replace(/\|/g, '\\|')})`;
  return s.type ?? (s.const !== undefined ? JSON.stringify(s.const) : 'any');
}

function fields(s: Schema | undefined, prefix = ''): string[] {
  const obj = s?.type === 'array' ? s.items : s;
  if (!obj?.properties) return [];
  const required = new Set(obj.required ?? []);
  return Object.entries(obj.properties as Record<string, Schema>).flatMap(([k, v]) => [
    `| \`${prefix}${k}\` | ${typeOf(v)} | ${required.has(k) ? 'yes' : ''} | ${v.default !== undefined ? `default ${JSON.stringify(v.default)}` : ''}${v.description ? ` ${v.description}` : ''} |`,
    ...(v.type === 'object' ? fields(v, `${prefix}${k}.`) : []),
  ]);
}

export function renderApiDocs(doc: Schema): string {
  const lines = [
    '# Telematics Hub API reference',
    '',
    'Generated from `/openapi.json` (OpenAPI 3.1, itself generated from the zod schemas that validate',
    'every request) by `npm run docs:api`. Do not edit by hand. Conventions (auth, selectors, errors)',
    'are in the README; every answer is `{"result": [...]}` or `{"errors": [{"code", "reason"}]}`.',
    '',
  ];
  const byTag = new Map<string, [string, string, Schema][]>();
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, op] of Object.entries(ops)) byTag.set(op.tags[0], [...(byTag.get(op.tags[0]) ?? []), [method.toUpperCase(), path, op]]);
  }
  for (const [tag, ops] of byTag) {
    lines.push(`## ${tag}`, '');
    for (const [method, path, op] of ops) {
      lines.push(`### \`${method} ${path}\``, '', op.summary, '');
      const query = (op.parameters as Schema[]).filter((p) => p.in === 'query');
      if (query.length > 0) lines.push('| query | type |', '|---|---|', ...query.map((p) => `| \`${p.name}\` | ${typeOf(p.schema)} |`), '');
      const body = op.requestBody?.content['application/json'].schema;
      if (body)
        lines.push(
          `Body: ${body.type === 'array' ? 'a JSON array of objects' : 'a JSON object'}`,
          '',
          '| field | type | required | notes |',
          '|---|---|---|---|',
          ...fields(body),
          '',
        );
      if (op.security?.length === 0) lines.push('No token needed.', '');
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The document from the route table alone (no store is touched). */
export function currentApiDocs(): string {
  const unused = new Proxy({}, { get: () => unused }) as unknown as HubPorts;
  const hub = createHub({ ...unused, logger: silentLogger, clock: { now: () => 0 } } as HubPorts, {
    publicHost: 'localhost',
    portRange: [1, 1],
    adminToken: 'x',
  });
  return renderApiDocs(openApiDocument(hub.routes, 'docs'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../docs/api.md', import.meta.url), currentApiDocs());
  console.log('wrote docs/api.md');
}
