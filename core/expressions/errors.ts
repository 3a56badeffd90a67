import { ValidationError } from '../errors.js';

/**
 * A syntax or compile error in an expression: HTTP 400 with `"<what>: <problem> at <position>"`,
 * e.g. `filter: unexpected ')' at 14`. `position` is the 0-based character index (the text's
 * length when the input ended too early).
 */
export class ExpressionError extends ValidationError {
  constructor(
    what: string,
    readonly problem: string,
    readonly position: number,
  ) {
    super(`${what}: ${problem} at ${position}`);
    // ValidationError types `name` as its literal; the instance field is writable, so set our own for logs.
    Object.defineProperty(this, 'name', { value: 'ExpressionError' });
  }
}
