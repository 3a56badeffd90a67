import type { Message } from '../protocols/common/types.js';
import type { MessageService } from './messages/service.js';
import type { Clock, TelemetryStore } from './ports.js';
import { combineTelemetry, foldNewer, mergeTelemetry } from './registry/telemetry.js';
import type { Device } from './schemas/devices.js';

/** Messages of a device after which its telemetry is checkpointed whatever the interval (a read then folds at most this many). */
export const CHECKPOINT_MAX_MESSAGES = 1000;

export interface TelemetryCheckpointDeps {
  readonly telemetry: TelemetryStore;
  readonly messages: Pick<MessageService, 'query'>;
  readonly clock: Clock;
  /** Seconds between a device's checkpoints (default 300). */
  readonly intervalS?: number;
}

/** A checkpoint to write: what `due` saw of the batch. */
export interface CheckpointDue {
  readonly first: boolean;
  readonly now: number;
  readonly min: number;
  readonly max: number;
  readonly interval: number;
}

/** When ingest writes a device's telemetry item, and what it writes (ingest's part of registry/telemetry.ts). */
export class TelemetryCheckpoints {
  /** Per device: when this process last wrote it, the newest message time it covers, messages since. */
  private readonly checkpoints = new Map<number, { at: number; through: number; since: number }>();

  constructor(private readonly d: TelemetryCheckpointDeps) {}

  /**
   * Telemetry is checkpointed, not rewritten per batch: readers fold the history newer than the
   * stored `timestamp` into it (registry/telemetry.ts). A device's telemetry item is written when
   * this process has not written it for `telemetryCheckpointS` (at most half the device's
   * `messages_ttl`, so the history a read folds in has not expired), when
   * CHECKPOINT_MAX_MESSAGES messages arrived since the last one (a read folds a bounded page), and
   * whenever a batch holds a message older than the last checkpoint (black-box data the fold would
   * not see). A process seeing a device for the first time (a new Lambda container) writes only if
   * the stored checkpoint is older than the interval or newer than the batch.
   */
  due(device: Device, messages: readonly Message[]): CheckpointDue | undefined {
    const deviceId = device.id;
    const now = this.d.clock.now();
    let min = Infinity;
    let max = 0;
    for (const m of messages) {
      const ts = typeof m.timestamp === 'number' ? m.timestamp : 0;
      if (ts < min) min = ts;
      if (ts > max) max = ts;
    }
    const last = this.checkpoints.get(deviceId);
    const interval = Math.min(this.d.intervalS ?? 300, device.messages_ttl / 2);
    const due = !last || now - last.at >= interval || min < last.through || last.since + messages.length > CHECKPOINT_MAX_MESSAGES;
    if (due) {
      if (this.checkpoints.size > 200_000) this.checkpoints.clear();
      this.checkpoints.set(deviceId, { at: now, through: Math.max(max, last?.through ?? 0), since: 0 });
    } else {
      last.through = Math.max(max, last.through);
      last.since += messages.length;
    }
    return due ? { first: !last, now, min, max, interval } : undefined;
  }

  /**
   * Writes a device's telemetry checkpoint: the stored one with the history since it (the batches
   * between checkpoints, as a read folds them) and this batch folded in, so a parameter sent only
   * between two checkpoints is kept.
   */
  async write(deviceId: number, batch: readonly Message[], due: CheckpointDue): Promise<void> {
    const stored = await this.d.telemetry.get(deviceId);
    const through = stored?.timestamp?.value;
    // a process (Lambda container) seeing the device for the first time: when another one wrote its
    // checkpoint less than an interval ago and this batch holds nothing older, reads fold the batch in
    if (due.first && typeof through === 'number' && due.min >= through && due.now - Math.min(through, due.now) < due.interval) {
      this.checkpoints.set(deviceId, { at: Math.min(through, due.now), through: Math.max(due.max, through), since: batch.length });
      return;
    }
    const folded = await foldNewer(stored, this.d.messages, deviceId);
    await this.d.telemetry.update(deviceId, (current) => mergeTelemetry(combineTelemetry(current, folded), batch));
  }
}
