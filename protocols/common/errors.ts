/**
 * Typed codec errors. A codec never throws to its caller: framers and decoders return these.
 */
export const CodecErrorCode = {
  /** Bytes that are not a frame of this protocol (bad start marker, bad text). */
  Malformed: 'malformed',
  /** A length field announces more than the protocol or the channel allows. */
  Oversize: 'oversize',
  /** The frame's checksum does not match its content. */
  Checksum: 'checksum',
  /** A record or field ends past the end of the frame. */
  Truncated: 'truncated',
  /** A frame type or codec id this decoder does not know. */
  Unsupported: 'unsupported',
  /** A data frame arrived before the device identified itself. */
  Unidentified: 'unidentified',
  /** A command cannot be encoded (unknown name, bad properties). */
  Command: 'command',
} as const;
export type CodecErrorCode = (typeof CodecErrorCode)[keyof typeof CodecErrorCode];

/**
 * A typed codec error: what went wrong (`code`), why (`reason`) and where (`offset`). Framers and
 * decoders return these rather than throw them; it is an Error so that where one is thrown (a
 * command encoder, the edge of a decoder) it carries a message and a stack like any other.
 */
export class CodecError extends Error {
  override readonly name = 'CodecError';
  constructor(
    readonly code: CodecErrorCode,
    readonly reason: string,
    /** Byte offset in the frame where the problem was found, when known. */
    readonly offset?: number,
  ) {
    super(offset === undefined ? `${code}: ${reason}` : `${code} at byte ${offset}: ${reason}`);
  }

  override toString(): string {
    return this.message;
  }
}

/** Thrown only inside a decoder by the bounds-checked reader and caught at the decoder's edge. */
export class ReadPastEndError extends Error {
  override readonly name = 'ReadPastEndError';
  constructor(
    readonly offset: number,
    readonly wanted: number,
    readonly length: number,
  ) {
    super(`needed ${wanted} byte(s) at offset ${offset}, frame has ${length}`);
  }
}

/** Turns anything a decoder raised into a typed CodecError (the edge of every decoder). */
export function toCodecError(err: unknown): CodecError {
  if (err instanceof CodecError) return err;
  if (err instanceof ReadPastEndError) return new CodecError(CodecErrorCode.Truncated, err.message, err.offset);
  const text = err instanceof Error ? err.message : String(err);
  return new CodecError(CodecErrorCode.Malformed, text);
}
