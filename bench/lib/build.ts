/**
 * Bundles entry points into plain JavaScript for benchmarks, so that measured processes run as in
 * production (compiled: `npm start` runs dist/, the image runs dist/) without tsx's loader in every
 * process (about 35 MB of RSS and some CPU each). Packages stay external and resolve from the
 * repository's node_modules (the bundles live in node_modules/.cache).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Bundles each entry (a path from the repository root); returns the output path of each. */
export async function bundle(entries: readonly string[]): Promise<Record<string, string>> {
  const outdir = join(root, 'node_modules', '.cache', 'telematics-hub-bench');
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: entries.map((e) => join(root, e)),
    outdir,
    outbase: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: false,
    logLevel: 'warning',
  });
  return Object.fromEntries(entries.map((e) => [e, join(outdir, e.replace(/\.ts$/, '.js'))]));
}
