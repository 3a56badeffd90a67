/**
 * The dynalite child of a local hub (adapters/local/dynalite-process.ts): serves the DynamoDB API
 * on a loopback port with its data under the given path (or in memory), tells the parent the
 * endpoint, and closes LevelDB and exits when the parent closes it, exits or is killed.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TableNames } from '../dynamodb/client.js';
import { startDynalite } from './dynalite.js';
import { DYNALITE_PID, type FromDynalite } from './dynalite-process.js';
import { lowerOwnPriority } from './priority.js';

const send = (m: FromDynalite) => process.send?.(m);

async function main(): Promise<void> {
  const { path, tables, nice } = JSON.parse(process.argv[2] ?? '{}') as { path?: string; tables: TableNames; nice?: number };
  // before LevelDB starts its threads: they inherit it
  if (nice) lowerOwnPriority(nice);
  // Ctrl-C reaches the whole process group: the hub drains first, then closes this process
  process.on('SIGINT', () => undefined);
  // dynalite throws LevelDB's errors from callbacks (e.g. a data directory held by another process)
  process.on('uncaughtException', (err) => {
    send({ error: err.message });
    process.exit(1);
  });
  const pidFile = path ? join(path, DYNALITE_PID) : undefined;
  if (pidFile) writeFileSync(pidFile, `${process.pid}\n`);
  const dynamo = await startDynalite(path, tables);
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await dynamo.close();
    if (pidFile) rmSync(pidFile, { force: true });
    process.exit(0);
  };
  process.on('disconnect', () => void close());
  process.on('SIGTERM', () => void close());
  send({ endpoint: dynamo.endpoint });
}

main().catch((err: unknown) => {
  send({ error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
