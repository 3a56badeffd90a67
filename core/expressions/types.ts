import type { Message } from '../../protocols/common/types.js';

/** What an expression computes: a message value (flat JSON; arrays only where a list is the meaning). */
export type Value = number | string | boolean | null | readonly Value[];

/** What an expression reads: the message, and on demand the device's previous message, its metadata and geofences. */
export interface EvalContext {
  readonly message: Message;
  /** The device's previous message (`previous('name')`); null values without it. */
  readonly previous?: Message;
  /** The device's metadata object (`metadata('key')`, dotted keys reach into nested objects). */
  readonly metadata?: Record<string, unknown>;
  /** Whether the point is inside the named geofence (`geofence('name')`); false without it. */
  insideGeofence?(name: string, lat: number, lon: number): boolean;
}

/** One compiled expression: build once, then evaluate per message (a closure call, no tree walking). */
export interface CompiledExpression {
  /** The value; never throws (a runtime problem gives `null`). */
  evaluate(ctx: EvalContext): Value;
  /** The value as a condition: `false`, `null`, `0`, `''` are false, everything else true. */
  test(ctx: EvalContext): boolean;
  /** Message parameters the expression reads (names, `exists(...)`, the position for `geofence(...)`). */
  readonly names: readonly string[];
  /** Parameters read from the previous message (`previous('name')`). */
  readonly usesPrevious: readonly string[];
  /** Geofence names (`geofence('name')`). */
  readonly usesGeofences: readonly string[];
  /** Metadata keys (`metadata('key')`). */
  readonly usesMetadata: readonly string[];
}

/** A compiled node: one closure per AST node, built once. */
export type Evaluator = (ctx: EvalContext) => Value;
