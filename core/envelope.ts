import { z } from 'zod';

/**
 * The queue envelope: what a listener hands to ingest. Many frames travel in one queue message
 * (fewer requests); each frame keeps the context its decoder needs.
 */
export const QueuedFrameSchema = z.object({
  /** channel id */
  ch: z.number().int().positive(),
  /** protocol id */
  p: z.number().int().positive(),
  /** transport */
  t: z.enum(['tcp', 'udp', 'http']),
  /** device ident known to the session, if any */
  id: z.string().max(64).optional(),
  /** device address ip:port */
  peer: z.string().max(64),
  /** server receive time, epoch seconds */
  ts: z.number(),
  /** session values the decoder needs */
  v: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** the raw frame, base64 */
  f: z.string(),
  /** correlation id, carried into logs of ingest and streams */
  cid: z.string().max(64).optional(),
});
export type QueuedFrame = z.infer<typeof QueuedFrameSchema>;

export const EnvelopeSchema = z.object({
  v: z.literal(1),
  frames: z.array(QueuedFrameSchema).min(1),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** SQS allows 256 KiB per message; leave room for attributes. */
export const MAX_ENVELOPE_BYTES = 250 * 1024;

/** Packs frames into as few envelope bodies as the size limit allows, keeping order. */
export function packEnvelopes(frames: readonly QueuedFrame[], maxBytes = MAX_ENVELOPE_BYTES): string[] {
  const bodies: string[] = [];
  let parts: string[] = [];
  let size = 0;
  const head = '{"v":1,"frames":[';
  const flush = () => {
    if (parts.length > 0) bodies.push(head + parts.join(',') + ']}');
    parts = [];
    size = 0;
  };
  for (const frame of frames) {
    const json = JSON.stringify(frame);
    if (head.length + json.length + 2 > maxBytes) throw new Error(`a frame of ${json.length} bytes cannot fit in a queue message`);
    if (size + json.length + 1 + head.length + 2 > maxBytes) flush();
    parts.push(json);
    size += json.length + 1;
  }
  flush();
  return bodies;
}

export function parseEnvelope(body: string): Envelope {
  return EnvelopeSchema.parse(JSON.parse(body));
}
