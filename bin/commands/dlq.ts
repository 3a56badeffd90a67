import { parseArgs } from 'node:util';

const HELP = `Usage: hub dlq <list|replay|discard> [--api URL] [--token TOKEN] [--ids id1,id2] [--body]

Inspects and replays the ingest dead-letter queue through a running hub's API
(records that failed ingest repeatedly; frames that were acked to devices are never dropped).

  list      print the dead letters (frames, channels, idents; --body adds the raw envelope)
  replay    send them back to ingest (all, or --ids)
  discard   delete them (all, or --ids)

Options:
  --api URL      the hub's API (default http://127.0.0.1:8080, or HUB_API)
  --token TOKEN  a token with access to platform/dead-letters (default HUB_TOKEN or HUB_ADMIN_TOKEN)
`;

export async function runDlq(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      api: { type: 'string' },
      token: { type: 'string' },
      ids: { type: 'string' },
      body: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const action = positionals[0];
  if (values.help || !action) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const api = (values.api ?? process.env.HUB_API ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
  const token = values.token ?? process.env.HUB_TOKEN ?? process.env.HUB_ADMIN_TOKEN;
  if (!token) {
    process.stderr.write('hub dlq: give a token with --token or HUB_TOKEN\n');
    return 2;
  }
  const ids = values.ids?.split(',').filter(Boolean);
  const headers = { authorization: `FlespiToken ${token}`, 'content-type': 'application/json' };
  let res: Response;
  if (action === 'list') res = await fetch(`${api}/platform/dead-letters${values.body ? '?body=true' : ''}`, { headers });
  else if (action === 'replay') res = await fetch(`${api}/platform/dead-letters/replay`, { method: 'POST', headers, body: JSON.stringify(ids ? { ids } : {}) });
  else if (action === 'discard')
    res = await fetch(`${api}/platform/dead-letters/${ids ? ids.map(encodeURIComponent).join(',') : 'all'}`, { method: 'DELETE', headers });
  else {
    process.stderr.write(`hub dlq: unknown action "${action}"\n\n${HELP}`);
    return 2;
  }
  const text = await res.text();
  (res.ok ? process.stdout : process.stderr).write(`${text}\n`);
  return res.ok ? 0 : 1;
}
