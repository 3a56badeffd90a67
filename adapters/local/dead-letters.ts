import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeadLetter, DeadLetterStore } from '../../core/ports.js';
import { describeBody } from '../dead-letter-body.js';

interface Line {
  readonly id: string;
  readonly sent: number;
  readonly failed: number;
  readonly receives: number;
  readonly body: string;
}

/** The local queue's dead-letter journal (`<queue dir>/dead-letter.jsonl`), listed and replayed. */
export class LocalDeadLetters implements DeadLetterStore {
  constructor(
    private readonly dir: string,
    private readonly resend: (bodies: readonly string[]) => Promise<void>,
  ) {}

  private get file(): string {
    return join(this.dir, 'dead-letter.jsonl');
  }

  private read(): Line[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Line);
  }

  private write(lines: readonly Line[]): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    renameSync(tmp, this.file);
  }

  async list(limit: number): Promise<DeadLetter[]> {
    return this.read()
      .slice(0, limit)
      .map((l) => ({ id: l.id, failed: l.failed / 1000, receives: l.receives, body: l.body, ...describeBody(l.body) }));
  }

  async replay(ids?: readonly string[]): Promise<number> {
    const lines = this.read();
    const chosen = lines.filter((l) => !ids || ids.includes(l.id));
    if (chosen.length === 0) return 0;
    await this.resend(chosen.map((l) => l.body));
    this.write(lines.filter((l) => !chosen.includes(l)));
    return chosen.length;
  }

  async discard(ids?: readonly string[]): Promise<number> {
    const lines = this.read();
    const kept = lines.filter((l) => ids && !ids.includes(l.id));
    this.write(kept);
    return lines.length - kept.length;
  }
}
