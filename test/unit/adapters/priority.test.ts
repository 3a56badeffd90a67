import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const module = fileURLToPath(new URL('../../../adapters/local/priority.js', import.meta.url));

/** Runs `code` in a fresh node process (the test runner's own priority stays) and returns its stdout. */
function inChild(code: string): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

describe.runIf(process.platform === 'linux')('lowerOwnPriority', () => {
  it('gives every thread of the process the nice value, and never raises a lower priority', () => {
    const out = inChild(`
      import { readdirSync } from 'node:fs';
      import { getPriority } from 'node:os';
      const { lowerOwnPriority } = await import(${JSON.stringify(module)});
      const nices = () => [...new Set(readdirSync('/proc/self/task').map((t) => getPriority(Number(t))))];
      const first = lowerOwnPriority(7);
      const after = nices();
      const second = lowerOwnPriority(3);
      console.log(JSON.stringify({ first, after, second, again: nices() }));
    `);
    expect(JSON.parse(out)).toEqual({ first: true, after: [7], second: true, again: [7] });
  });
});
