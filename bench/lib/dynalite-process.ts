/**
 * dynalite in a child process, so its CPU time is not counted as the ingest handler's (the cost
 * model bills the handler's own CPU time) and the two use separate cores.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TableNames } from '../../adapters/dynamodb/client.js';

export interface DynaliteProcess {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startDynaliteProcess(tables: TableNames): Promise<DynaliteProcess> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', JSON.stringify(tables)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve(String((m as { endpoint: string }).endpoint)));
    child.once('exit', (code) => reject(new Error(`dynalite child exited with ${code}`)));
  });
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

if (process.argv[2] === '--serve' && process.send) {
  const { startDynalite } = await import('../../adapters/local/dynalite.js');
  const dynamo = await startDynalite(undefined, JSON.parse(process.argv[3]) as TableNames);
  process.send({ endpoint: dynamo.endpoint });
}
