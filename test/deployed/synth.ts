/**
 * The stack as `cdk synth` produces it (cdk.json context, handlers bundled by esbuild), kept in
 * `node_modules/.cache/hub-deployed/<hash of the sources>/`: the template, the asset manifest, the
 * Lambda code assets (`asset.<hash>/index.js`) and the Dockerfiles of the container images. A run
 * whose sources did not change reuses it; bundling eight handlers on two cores takes a while.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { packageRoot } from '../../lib/paths.js';
import { hubApp } from '../cdk/hub-app.js';
import { type CfnTemplate, isObject } from './template.js';

/** What the synthesized stack depends on. */
const SOURCES = [
  'bin',
  'lib',
  'lambdas',
  'core',
  'protocols',
  'adapters',
  'listener',
  'local',
  'package.json',
  'package-lock.json',
  'cdk.json',
  'tsconfig.json',
  'test/cdk/hub-app.ts',
];

interface AssetManifest {
  readonly files: Record<string, { source: { path: string; packaging?: string } }>;
  readonly dockerImages: Record<string, { source: { directory: string; dockerFile?: string } }>;
}

export interface Synthesized {
  readonly dir: string;
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** The code directory of a Lambda `Code.S3Key` (`<hash>.zip` → `asset.<hash>`). */
  assetDir(s3Key: string): string;
  /** The Dockerfile of a container `Image` (its tag is the asset hash). */
  dockerfile(image: string): string;
}

function sourceHash(root: string): string {
  const hash = createHash('sha256');
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) if (name !== 'node_modules' && name !== 'dist') walk(join(path, name));
      return;
    }
    hash.update(`${relative(root, path)}\n`);
    hash.update(readFileSync(path));
  };
  for (const s of SOURCES) walk(join(root, s));
  return hash.digest('hex').slice(0, 16);
}

function load(dir: string): Synthesized {
  const meta = JSON.parse(readFileSync(join(dir, 'stack.json'), 'utf8')) as { stackName: string };
  const manifest = JSON.parse(readFileSync(join(dir, 'assets.json'), 'utf8')) as AssetManifest;
  return {
    dir,
    stackName: meta.stackName,
    template: JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8')),
    assetDir: (s3Key) => {
      const asset = manifest.files[s3Key.replace(/\.zip$/, '')];
      if (!asset) throw new Error(`no file asset for ${s3Key}`);
      return join(dir, asset.source.path);
    },
    dockerfile: (image) => {
      const tag = image.split(':').pop() ?? '';
      const asset = manifest.dockerImages[tag];
      if (!asset) throw new Error(`no container image asset for ${image}`);
      return readFileSync(join(dir, asset.source.directory, asset.source.dockerFile ?? 'Dockerfile'), 'utf8');
    },
  };
}

/** Copies what the test runs from a cloud assembly: template, manifest, Node.js Lambda code, Dockerfiles. */
function keep(assembly: string, stackName: string, templateFile: string, assetsFile: string, into: string): void {
  mkdirSync(into, { recursive: true });
  const template = JSON.parse(readFileSync(join(assembly, templateFile), 'utf8')) as CfnTemplate;
  const manifest = JSON.parse(readFileSync(join(assembly, assetsFile), 'utf8')) as AssetManifest;
  for (const r of Object.values(template.Resources)) {
    const p = r.Properties ?? {};
    if (r.Type !== 'AWS::Lambda::Function' || !String(p.Runtime ?? '').startsWith('nodejs') || !isObject(p.Code)) continue;
    const asset = manifest.files[String(p.Code.S3Key).replace(/\.zip$/, '')];
    if (asset && !existsSync(join(into, asset.source.path))) cpSync(join(assembly, asset.source.path), join(into, asset.source.path), { recursive: true });
  }
  for (const image of Object.values(manifest.dockerImages ?? {})) {
    const file = join(image.source.directory, image.source.dockerFile ?? 'Dockerfile');
    mkdirSync(dirname(join(into, file)), { recursive: true });
    cpSync(join(assembly, file), join(into, file));
  }
  writeFileSync(join(into, 'template.json'), JSON.stringify(template));
  writeFileSync(join(into, 'assets.json'), JSON.stringify(manifest));
  writeFileSync(join(into, 'stack.json'), JSON.stringify({ stackName }));
}

/** The synthesized stack of this checkout, from the cache or synthesized now. */
export function synthesize(): Synthesized {
  const root = packageRoot();
  const cache = join(root, 'node_modules', '.cache', 'hub-deployed');
  const dir = join(cache, sourceHash(root));
  if (existsSync(join(dir, 'stack.json'))) return load(dir);
  const { app, stack } = hubApp({ bundle: true });
  const assembly = app.synth();
  const artifact = assembly.getStackArtifact(stack.artifactId);
  const staging = `${dir}.${process.pid}.tmp`;
  keep(assembly.directory, stack.stackName, artifact.templateFile, `${stack.artifactId}.assets.json`, staging);
  rmSync(assembly.directory, { recursive: true, force: true });
  if (existsSync(cache)) for (const old of readdirSync(cache)) if (!old.endsWith('.tmp')) rmSync(join(cache, old), { recursive: true, force: true });
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another run cached the same sources first
  }
  return load(dir);
}
