import type { Message } from '../../protocols/common/types.js';

/** `*` matches any run of characters; everything else is literal. */
export function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** Narrows a message to the named fields (missing ones are left out). */
export function pickFields(m: Message, fields: readonly string[] | undefined): Message {
  if (!fields) return m;
  const out: Message = {};
  for (const f of fields) if (m[f] !== undefined) out[f] = m[f];
  return out;
}
