import type { Reader } from '../../common/reader.js';
import type { CommandReply, Message } from '../../common/types.js';
import { CLOCK_SET_AFTER } from '../constants.js';
import { ALARMS, P } from '../params.js';

/** What a record decoder reads (one package's content) and where it puts what it decodes. */
export interface Ctx {
  /** A reader over the package content after the sequence. */
  readonly r: Reader;
  readonly pid: number;
  /** When the hub received the frame (Unix s), for a device whose clock is not set yet. */
  readonly receivedAt?: number;
  readonly messages: Message[];
  readonly replies: CommandReply[];
}

/** §3.4 time: Unix seconds (UTC). Before 2000 the device clock is not set: the receive time stands in (none: ingest's). */
export function setTime(m: Message, unix: number, receivedAt: number | undefined): void {
  if (unix >= CLOCK_SET_AFTER) m.timestamp = unix;
  else if (receivedAt !== undefined) m.timestamp = receivedAt;
}

/** §3.6 position: latitude and longitude i32 in 1/1,800,000 degree (negative south and west). */
export function coordinate(raw: number): number {
  return Math.round((raw / 1_800_000) * 1e7) / 1e7;
}

/**
 * §3.5 status word. Each value bit counts only when the unit declares the feature in the bit before
 * it: ACC (1→2), accelerometer (3→4 armed, 9 moving), relay (5→6), charging (7→8). Bit 10: GPS
 * module running; bits 12–15: DIN0–DIN3. Bit 0 (GPS fixed) is the position's validity where the
 * package has a position (`withFix`). Relay bit 6 reads as "circuit connected" (blocked when 0),
 * as Traccar reads it: units report it set while driving at 70 km/h with ACC on.
 */
export function statusParams(m: Message, status: number, withFix: boolean): void {
  if (withFix) m[P.valid] = (status & 0x0001) !== 0;
  if (status & 0x0002) m[P.ignition] = (status & 0x0004) !== 0;
  if (status & 0x0008) {
    m[P.armed] = (status & 0x0010) !== 0;
    m[P.motion] = (status & 0x0200) !== 0;
  }
  if (status & 0x0020) m[P.blocked] = (status & 0x0040) === 0;
  if (status & 0x0080) m[P.charging] = (status & 0x0100) !== 0;
  m[P.gnss] = (status & 0x0400) !== 0;
  m[P.din] = (status >> 12) & 0x0f;
  m[P.status] = status;
}

/** §5.5 warning type / 1.x alarm code: alarm.type (when known), the trigger and the code. */
export function alarmParams(m: Message, code: number): void {
  const type = ALARMS.get(code);
  if (type) m[P.alarm] = type;
  m[P.alarmTrigger] = true;
  m[P.event] = code;
}

/** Whatever the decoder did not read, kept as hex (never dropped). */
export function keepRest(c: Ctx, m: Message): void {
  if (c.r.remaining > 0) m[P.payload] = c.r.bytes(c.r.remaining).toString('hex');
}
