import { ApiError } from './api.js';

/** A 400 reason split into the field it names (`[0].geometry.radius` → `geometry.radius`) and the problem. */
export interface FieldReason {
  readonly field: string;
  readonly text: string;
}

export function fieldReason(err: unknown): FieldReason | undefined {
  if (!(err instanceof ApiError) || err.status !== 400) return undefined;
  const m = /^(?:\[\d+\]\.)?([A-Za-z_][\w.[\]]*): (.*)$/s.exec(err.message);
  return m ? { field: m[1], text: m[2] } : undefined;
}

/** The reason's text when it names `field` or a field under it (`geometry.path` covers `geometry.path[1].lon`). */
export function reasonFor(r: FieldReason | undefined, ...fields: string[]): string | undefined {
  if (!r) return undefined;
  return fields.some((f) => r.field === f || r.field.startsWith(`${f}.`) || r.field.startsWith(`${f}[`)) ? `${r.field}: ${r.text}` : undefined;
}

/** An expression error's position (`… at 14`), to mark it under the input; undefined without one. */
export function errorPosition(reason: string): number | undefined {
  const m = / at (\d+)$/.exec(reason);
  return m ? Number(m[1]) : undefined;
}
