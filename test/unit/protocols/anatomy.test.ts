import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CORPUS_FILES } from '../../../bench/lib/corpus.js';
import { PROTOCOL_IDS, type ProtocolName } from '../../../protocols/common/types.js';
import { allProtocols } from '../../../protocols/index.js';

/**
 * Every protocol folder has the same files for the same roles (docs/adding-a-protocol.md): a new
 * protocol without the full anatomy, or with files of its own beside them, fails here.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PROTOCOLS_DIR = join(ROOT, 'protocols');
const ANATOMY = ['constants.ts', 'decoder.ts', 'device-types.ts', 'device.ts', 'encoder.ts', 'framer.ts', 'index.ts', 'inspector.ts', 'packet.ts', 'params.ts'];

const folders = readdirSync(PROTOCOLS_DIR).filter((d) => d !== 'common' && statSync(join(PROTOCOLS_DIR, d)).isDirectory());
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);

describe('protocols: folder anatomy', () => {
  for (const name of folders) {
    describe(name, () => {
      const dir = join(PROTOCOLS_DIR, name);
      it('has exactly the files of the anatomy, and its record decoders under records/', () => {
        const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
        expect(files.sort()).toEqual(ANATOMY);
        const others = readdirSync(dir).filter((f) => !f.endsWith('.ts'));
        expect(others).toEqual(['records']);
        expect(readdirSync(join(dir, 'records')).filter((f) => f.endsWith('.ts')).length).toBeGreaterThan(0);
      });
      it('inspects and frames without the decoder', () => {
        for (const role of ['inspector.ts', 'framer.ts', 'packet.ts']) {
          const bad = importsOf(join(dir, role)).filter((i) => i === './decoder.js' || i.startsWith('./records/'));
          expect(bad, `${name}/${role} imports`).toEqual([]);
        }
      });
      it('is registered under its contract id, with a corpus file, a unit test and an idle timeout', () => {
        const codec = allProtocols().find((p) => p.name === name);
        expect(codec, `${name} in protocols/index.ts REGISTRY`).toBeDefined();
        expect(codec?.id).toBe(PROTOCOL_IDS[name as ProtocolName]);
        expect(CORPUS_FILES[name as ProtocolName]).toMatch(/\.json$/);
        expect(existsSync(join(ROOT, 'test/unit/protocols', `${name}.test.ts`))).toBe(true);
        expect(codec?.idleTimeoutS).toBeGreaterThan(0);
      });
    });
  }
  it('registers no protocol without a folder', () => {
    expect(
      allProtocols()
        .map((p) => p.name)
        .filter((n) => !folders.includes(n)),
    ).toEqual([]);
  });
});
