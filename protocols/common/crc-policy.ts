import { CodecError, CodecErrorCode } from './errors.js';
import type { CodecOptions, Message } from './types.js';

/**
 * The channel's CRC policy (`crc`: `strict` | `lenient`) applied to one frame's checksum, the one
 * place every inspector and decoder asks. Strict: a frame with a wrong checksum is neither acked
 * nor stored. Lenient: it is acked and decoded, its messages marked `crc.valid: false`.
 */
export interface CrcVerdict {
  /** Ack and decode the frame (the checksum matched, or the policy is lenient). */
  readonly pass: boolean;
  /** The checksum error to report, when the checksum did not match. */
  readonly error?: CodecError;
}

const OK: CrcVerdict = { pass: true };

/** `ok`: the checksum matched; `what`: the checksum's name (e.g. "CRC-16/ARC"); `offset`: where it sits in the frame. */
export function crcVerdict(ok: boolean, options: Pick<CodecOptions, 'crc'> | undefined, what: string, offset?: number): CrcVerdict {
  if (ok) return OK;
  const error = new CodecError(CodecErrorCode.Checksum, `${what} does not match the frame`, offset);
  return { pass: options?.crc === 'lenient', error };
}

/** Marks the messages of a frame accepted with a wrong checksum (lenient policy). */
export function markCrcInvalid(messages: readonly Message[]): void {
  for (const m of messages) m['crc.valid'] = false;
}
