/** Runs `fn` repeatedly for about `ms`, several rounds after a warm-up; returns the median ops/s. */
export function opsPerSecond(fn: () => unknown, { ms = 600, rounds = 5, warmupMs = 300 } = {}): number {
  let sink: unknown;
  const until = performance.now() + warmupMs;
  while (performance.now() < until) sink = fn();
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
      for (let i = 0; i < 16; i++) sink = fn();
      n += 16;
      now = performance.now();
    }
    rates.push((n * 1000) / (now - start));
  }
  if (sink === Symbol.for('never')) console.log(sink);
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
}

export function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(1);
}

/** Prints rows as an aligned table. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

/**
 * Several contenders side by side on a shared, noisy machine: rounds run every contender in turn
 * for about `ms` each (after one warm-up pass), so a load change hits them all alike. Returns
 * each contender's median ops/s and, per round, the ops/s of all of them (for ratios per round).
 */
export function sideBySide(
  fns: Readonly<Record<string, () => unknown>>,
  { ms = 300, rounds = 7, warmupMs = 200 } = {},
): { median: Record<string, number>; rounds: Record<string, number>[] } {
  const names = Object.keys(fns);
  for (const name of names) opsPerSecond(fns[name], { ms: 1, rounds: 1, warmupMs });
  const perRound: Record<string, number>[] = [];
  for (let r = 0; r < rounds; r++) {
    const round: Record<string, number> = {};
    for (const name of names) round[name] = opsPerSecond(fns[name], { ms, rounds: 1, warmupMs: 0 });
    perRound.push(round);
  }
  const median: Record<string, number> = {};
  for (const name of names) median[name] = medianOf(perRound.map((round) => round[name]));
  return { median, rounds: perRound };
}

export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
