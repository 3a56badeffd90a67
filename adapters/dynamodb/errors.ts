import { UnavailableError } from '../../core/errors.js';

/** True for a failed DynamoDB condition (the item changed or exists). */
export function isConditionFailed(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ConditionalCheckFailedException' || err.name === 'TransactionCanceledException');
}

/** Wraps store failures as 503s for the API, keeping the cause. */
export function unavailable(what: string, err: unknown): UnavailableError {
  const e = new UnavailableError(`${what}: the store did not answer (${err instanceof Error ? err.name : String(err)})`);
  (e as Error & { cause?: unknown }).cause = err;
  return e;
}
