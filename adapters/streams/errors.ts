/**
 * Errors of the stream targets. Every `deliver` rejection is a `StreamTargetError` whose message
 * names the target and why; `permanent` tells the caller that retrying the same batch cannot help
 * (a configuration the platform refuses), everything else is worth a retry.
 */
export class StreamTargetError extends Error {
  override readonly name: string = 'StreamTargetError';
  constructor(
    message: string,
    readonly permanent = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The peer is not reachable (refused, closed, not connected within the bound). */
export class TargetUnavailableError extends StreamTargetError {
  override readonly name = 'TargetUnavailableError';
}

/** The peer did not answer (HTTP response, PUBACK, 0x11) within the bound. */
export class TargetTimeoutError extends StreamTargetError {
  override readonly name = 'TargetTimeoutError';
}

/** The peer answered with a refusal (HTTP status, AWS error, unexpected byte). */
export class TargetRefusedError extends StreamTargetError {
  override readonly name = 'TargetRefusedError';
}

/** The stream's configuration cannot work with this platform (permanent). */
export class TargetConfigError extends StreamTargetError {
  override readonly name = 'TargetConfigError';
  constructor(message: string) {
    super(message, true);
  }
}

/** The reason of any thrown value, for logs and rejections. */
export function reasonOf(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
