import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (where package.json is), found from this file whether run from source or dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}

/** The Lambda handlers the stack deploys (`lambdas/<name>/handler.ts`). */
export type HandlerName = 'ingest' | 'api' | 'authorizer' | 'streams' | 'live' | 'live-push' | 'archive' | 'calcs-tick';

/** Source entry of a Lambda handler (bundled by esbuild at synth). */
export function handlerEntry(name: HandlerName): string {
  return join(packageRoot(), 'lambdas', name, 'handler.ts');
}

/** Where the web console's build lands (`console/dist`), served by CloudFront when present at synth. */
export function consoleDistPath(): string {
  return join(packageRoot(), 'console', 'dist');
}

/** The package's version (package.json). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
