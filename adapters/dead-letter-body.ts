import { parseEnvelope } from '../core/envelope.js';

/** What a dead-lettered envelope holds: frame count, channels and idents (best effort on bad bodies). */
export function describeBody(body: string): { frames: number; channel_ids: number[]; idents: string[] } {
  try {
    const env = parseEnvelope(body);
    return {
      frames: env.frames.length,
      channel_ids: [...new Set(env.frames.map((f) => f.channelId))],
      idents: [...new Set(env.frames.map((f) => f.ident).filter((i): i is string => i !== undefined))],
    };
  } catch {
    return { frames: 0, channel_ids: [], idents: [] };
  }
}
