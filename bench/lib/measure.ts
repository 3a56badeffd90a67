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
