#!/usr/bin/env node
// The build, doing only what changed: the server (tsc → dist/) when a server source changed, the
// console (vite → console/dist/) when a console source changed, nothing when both are current
// (`npm start` on an unchanged checkout starts at once). A fingerprint of each part's inputs
// (paths, sizes and modification times) is kept in dist/.build-stamp.json. `--force` rebuilds all.
// Also links node_modules/.bin/hub to the built CLI, so that `npx hub` in the checkout runs it
// instead of installing the project into npx's cache (which builds it again, for 10-20 s).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(root, 'dist', '.build-stamp.json');
const SERVER_INPUTS = ['bin', 'lib', 'lambdas', 'protocols', 'core', 'adapters', 'listener', 'local', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
// the console imports types and small helpers from core/ and protocols/
const CONSOLE_INPUTS = ['console/src', 'console/index.html', 'console/vite.config.ts', 'console/tsconfig.json', 'core', 'protocols', 'package.json'];

function fingerprint(inputs) {
  const hash = createHash('sha256');
  const walk = (path) => {
    if (!existsSync(path)) return;
    const st = statSync(path);
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) if (name !== 'node_modules' && name !== 'dist') walk(join(path, name));
      return;
    }
    hash.update(`${relative(root, path)}:${st.size}:${st.mtimeMs}\n`);
  };
  for (const input of inputs) walk(join(root, input));
  return hash.digest('hex');
}

function run(what, command, args) {
  const started = Date.now();
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`build: ${what} failed (exit ${r.status})\n`);
    process.exit(r.status ?? 1);
  }
  if (process.stdout.isTTY) process.stdout.write(`build: ${what} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

function linkBin() {
  // executable however dist/ was made: npm sets the bit when it links bins, and on a fresh `npm ci`
  // that happens before `prepare` has built the file (`npx hub` then failed with "Permission denied")
  chmodSync(join(root, 'dist', 'bin', 'hub.js'), 0o755);
  const bin = join(root, 'node_modules', '.bin');
  if (!existsSync(bin)) return;
  const link = join(bin, 'hub');
  try {
    if (lstatSync(link, { throwIfNoEntry: false })) unlinkSync(link);
    symlinkSync(join('..', '..', 'dist', 'bin', 'hub.js'), link);
  } catch (err) {
    process.stderr.write(`build: could not link node_modules/.bin/hub (${err.message}); use node dist/bin/hub.js\n`);
  }
}

const force = process.argv.includes('--force');
const previous = existsSync(STAMP) && !force ? JSON.parse(readFileSync(STAMP, 'utf8')) : {};
const now = { server: fingerprint(SERVER_INPUTS), console: fingerprint(CONSOLE_INPUTS) };
const tscBin = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const viteBin = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (previous.server !== now.server || !existsSync(join(root, 'dist', 'bin', 'hub.js')))
  run('server (tsc)', process.execPath, [tscBin, '-p', 'tsconfig.build.json']);
if (previous.console !== now.console || !existsSync(join(root, 'console', 'dist', 'index.html')))
  run('console (vite)', process.execPath, [viteBin, 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn']);
mkdirSync(dirname(STAMP), { recursive: true });
writeFileSync(STAMP, `${JSON.stringify(now)}\n`);
linkBin();
