import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface ProcSample {
  /** CPU jiffies used (user + system). */
  readonly ticks: number;
  readonly rssKb: number;
  /** Anonymous resident memory (heap, malloc): RSS without mmapped files such as LevelDB tables. */
  readonly rssAnonKb: number;
}

/** CPU time and resident memory of a process, from /proc (zeros once it is gone). */
export function procSample(pid: number): ProcSample {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { ticks, rssKb: kb('VmRSS'), rssAnonKb: kb('RssAnon') };
  } catch {
    return { ticks: 0, rssKb: 0, rssAnonKb: 0 };
  }
}

/** Busy and total jiffies of the whole machine (to tell how loaded it was by others). */
export function machineSample(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export const CLK_TCK = 100;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `pid` and every process below it (children, grandchildren...), from /proc. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of parents.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

/** A process's command line (empty once it is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}
