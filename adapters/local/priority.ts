import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * The nice value of a local hub's background processes (ingest, streams and API in the hub's
 * process; dynalite in its child): on a small machine they compete with the listener for the
 * same cores, and a device's ack should not wait for them. The listener workers keep the priority
 * they were started with (a process may lower its own priority, not raise it back).
 */
export const BACKGROUND_NICE = 10;

/**
 * Lowers this process's priority to `nice` (every thread on Linux, where a nice value is per
 * thread: libuv's pool, V8's GC helpers and LevelDB's threads too; threads started later inherit
 * it). Never raises it; returns false when the system refused (it is only a preference).
 */
export function lowerOwnPriority(nice = BACKGROUND_NICE): boolean {
  let tids: number[];
  try {
    tids = readdirSync('/proc/self/task').map(Number);
  } catch {
    tids = [0]; // not Linux: the process (0 = the caller)
  }
  let ok = true;
  for (const tid of tids) {
    try {
      if (getPriority(tid) < nice) setPriority(tid, nice);
    } catch {
      ok = false; // the thread ended meanwhile, or the system refused
    }
  }
  return ok;
}
