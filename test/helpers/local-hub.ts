import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import { packageVersion } from '../../lib/paths.js';
import { type LocalHub, type LocalHubOptions, startLocalHub } from '../../local/runtime.js';

export const TEST_TOKEN = 'test-admin-token';

/** Log lines kept for assertions. */
export interface CapturedLogger extends Logger {
  readonly lines: { level: string; message: string; extra?: Record<string, unknown> }[];
}

export function captureLogger(): CapturedLogger {
  const lines: CapturedLogger['lines'] = [];
  const at = (level: string) => (message: string, extra?: Record<string, unknown>) => void lines.push({ level, message, extra });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function tempDir(prefix = 'hub-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A whole local hub on free ports (API and default Teltonika channel), in this process unless `extra` says otherwise. */
export async function startTestHub(
  opts: { dataDir?: string; logger?: Logger; consoleDir?: string; extra?: Partial<LocalHubOptions> } = {},
): Promise<LocalHub & { channelPort: number }> {
  const hub = await startLocalHub({
    dataDir: opts.dataDir ?? '',
    memory: opts.dataDir === undefined,
    apiPort: 0,
    host: '127.0.0.1',
    adminToken: TEST_TOKEN,
    logger: opts.logger ?? captureLogger(),
    defaultChannelPort: 0,
    portRange: [0, 0],
    channelSyncMs: 200,
    consoleDir: opts.consoleDir,
    version: packageVersion(),
    singleProcess: true,
    ...opts.extra,
  });
  const channelPort = hub.listeners.channels[0]?.configuration.port ?? 0;
  return Object.assign(hub, { channelPort });
}

/** Calls the hub's REST API with the admin token (or another). */
export async function api(
  hub: Pick<LocalHub, 'apiUrl'>,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = TEST_TOKEN,
): Promise<{ status: number; json: any }> {
  const res = await fetch(hub.apiUrl + path, {
    method,
    headers: { ...(token === null ? {} : { authorization: `FlespiToken ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

/** Polls until `check` returns a value (not undefined) or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000, everyMs = 25): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A TCP port free on loopback right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
