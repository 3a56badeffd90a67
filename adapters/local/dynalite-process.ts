import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TableNames } from '../dynamodb/client.js';
import type { LocalDynamo } from './dynalite.js';

/** What the dynalite process tells its parent. */
export type FromDynalite = { readonly endpoint: string } | { readonly error: string };

/** The child's pid while it holds the data directory's LevelDB (a lock LevelDB takes only when it opens). */
export const DYNALITE_PID = 'dynalite.pid';

const START_TIMEOUT_MS = 30_000;

/** The child's entry (dynalite-main beside this module, as source through tsx or compiled). */
function entry(): { path: string; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  const ts = self.endsWith('.ts');
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--cpu-prof') && !a.startsWith('--heap-prof'));
  if (ts && !execArgv.some((a) => a.includes('tsx'))) execArgv.push('--import', 'tsx');
  return { path: self.replace(/dynalite-process\.(ts|js)$/, ts ? 'dynalite-main.ts' : 'dynalite-main.js'), execArgv };
}

/**
 * dynalite in a child process of the hub: LevelDB and dynalite's request handling take a core of
 * their own instead of the hub's event loop. The child follows its parent: it closes and exits
 * when the parent closes it, exits or is killed (its IPC channel closes), and ignores Ctrl-C
 * (the parent drains first, then closes it). A dynalite of a previous hub still holding the data
 * directory is waited for. With `nice`, the child lowers its priority first (adapters/local/priority.ts).
 */
export async function startDynaliteProcess(path: string | undefined, tables: TableNames, nice?: number): Promise<LocalDynamo> {
  if (path) {
    mkdirSync(path, { recursive: true });
    await untilGone(join(path, DYNALITE_PID), START_TIMEOUT_MS);
  }
  const { path: main, execArgv } = entry();
  const child = fork(main, [JSON.stringify({ path, tables, nice })], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dynalite did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    child.once('message', (m: FromDynalite) => {
      clearTimeout(timer);
      if ('endpoint' in m) resolve(m.endpoint);
      else reject(new Error(`dynalite failed to start: ${m.error}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`dynalite exited with ${code ?? signal} while starting`));
    });
  }).catch(async (err: unknown) => {
    await stop(child, exited);
    throw err;
  });
  return { endpoint, close: () => stop(child, exited) };
}

/** Asks the child to close (it closes LevelDB and exits); kills it if it takes too long. */
async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.disconnect();
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Waits until the process named in a pid file is gone (or the file is). */
async function untilGone(file: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let pid = 0;
    try {
      pid = Number(readFileSync(file, 'utf8').trim());
    } catch {
      return;
    }
    if (!(pid > 0) || pid === process.pid || !alive(pid)) return;
    if (Date.now() > until) throw new Error(`the DynamoDB data of this directory is still held by pid ${pid}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
