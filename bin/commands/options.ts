import { parseArgs } from 'node:util';

/** A command line the command cannot run with: the CLI prints the message (and the command's help hint) and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Spec = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string; readonly multiple?: false }>>;
type Values<S extends Spec> = { [K in keyof S]: S[K]['type'] extends 'boolean' ? boolean : string | undefined };

/**
 * The one option parser of the CLI: `node:util` parseArgs (strict) whose mistakes (an unknown
 * option, a missing value) become UsageErrors naming the command, plus typed readers for the
 * values that need a check.
 */
export function parseOptions<S extends Spec>(command: string, args: readonly string[], spec: S): { values: Values<S>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options: spec, allowPositionals: true, strict: true });
    const out: Record<string, unknown> = {};
    const parsed = values as Record<string, string | boolean | undefined>;
    for (const [name, s] of Object.entries(spec)) out[name] = s.type === 'boolean' ? parsed[name] === true : parsed[name];
    return { values: out as Values<S>, positionals };
  } catch (err) {
    throw new UsageError(`hub ${command}: ${err instanceof Error ? err.message.replace(/\. To specify a positional argument.*$/s, '') : String(err)}`);
  }
}

/** A TCP/UDP port (0 = any free port when `zero` is allowed). */
export function portOption(command: string, name: string, value: string | undefined, fallback: number, zero = true): number {
  return intOption(command, name, value, fallback, zero ? 0 : 1, 65535, 'a port number');
}

export function intOption(
  command: string,
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
  what = `a number from ${min} to ${max}`,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`hub ${command}: --${name} must be ${what}, got "${value}"`);
  return n;
}

export function numberOption(command: string, name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(value.trim())) throw new UsageError(`hub ${command}: --${name} must be a number, got "${value}"`);
  return Number(value);
}

export function choiceOption<T extends string>(command: string, name: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T))
    throw new UsageError(`hub ${command}: --${name} must be ${choices.join(', ').replace(/, ([^,]*)$/, ' or $1')}, got "${value}"`);
  return value as T;
}
