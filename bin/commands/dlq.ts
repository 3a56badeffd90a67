import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOptions, UsageError } from './options.js';

const HELP = `Usage: hub dlq <list|replay|discard> [--api URL] [--token TOKEN] [--data-dir DIR] [--ids id1,id2] [--body]

Inspects and replays the ingest dead-letter queue through a running hub's API
(records that failed ingest repeatedly; frames that were acked to devices are never dropped).

  list      print the dead letters (frames, channels, idents; --body adds the raw envelope)
  replay    send them back to ingest (all, or --ids)
  discard   delete them (all, or --ids)

Options:
  --api URL       the hub's API (default http://127.0.0.1:8080, or HUB_API)
  --token TOKEN   a token with access to platform/dead-letters (default HUB_TOKEN, HUB_ADMIN_TOKEN,
                  or the admin token kept in the data directory)
  --data-dir DIR  where a local hub keeps its admin token (default ./data)
`;

const OPTIONS = {
  api: { type: 'string' },
  token: { type: 'string' },
  'data-dir': { type: 'string' },
  ids: { type: 'string' },
  body: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runDlq(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions('dlq', args, OPTIONS);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const action = positionals[0];
  if (action !== 'list' && action !== 'replay' && action !== 'discard') {
    throw new UsageError(
      action === undefined ? 'hub dlq: give an action: list, replay or discard' : `hub dlq: unknown action "${action}"; actions: list, replay, discard`,
    );
  }
  const api = (values.api ?? process.env.HUB_API ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
  const token = values.token ?? process.env.HUB_TOKEN ?? process.env.HUB_ADMIN_TOKEN ?? tokenFromDataDir(values['data-dir'] ?? './data');
  if (!token) throw new UsageError('hub dlq: give a token with --token or HUB_TOKEN (no admin-token file in the data directory either)');
  const ids = values.ids?.split(',').filter(Boolean);
  const headers = { authorization: `FlespiToken ${token}`, 'content-type': 'application/json' };
  const request =
    action === 'list'
      ? { url: `${api}/platform/dead-letters${values.body ? '?body=true' : ''}`, init: { headers } }
      : action === 'replay'
        ? { url: `${api}/platform/dead-letters/replay`, init: { method: 'POST', headers, body: JSON.stringify(ids ? { ids } : {}) } }
        : { url: `${api}/platform/dead-letters/${ids ? ids.map(encodeURIComponent).join(',') : 'all'}`, init: { method: 'DELETE', headers } };
  let res: Response;
  try {
    res = await fetch(request.url, request.init);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    process.stderr.write(
      `hub dlq: cannot reach the hub at ${api}: ${cause?.code ?? cause?.message ?? String(err)} (is it running? --api or HUB_API give another address)\n`,
    );
    return 1;
  }
  const text = await res.text();
  (res.ok ? process.stdout : process.stderr).write(text.endsWith('\n') ? text : `${text}\n`);
  return res.ok ? 0 : 1;
}

/** The admin token a local hub keeps in its data directory (as the console's login hint says). */
function tokenFromDataDir(dir: string): string | undefined {
  const file = join(dir, 'admin-token');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}
