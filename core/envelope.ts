import { gunzipSync, gzipSync } from 'node:zlib';
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
  /** a connection event instead of a frame (`f` empty): the device `id` came online or went offline at `ts` */
  e: z.enum(['online', 'offline']).optional(),
});
export type QueuedFrame = z.infer<typeof QueuedFrameSchema>;

export const EnvelopeSchema = z.object({
  v: z.literal(1),
  frames: z.array(QueuedFrameSchema).min(1),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** SQS allows 256 KiB per message; leave room for attributes. */
export const MAX_ENVELOPE_BYTES = 250 * 1024;

/**
 * Compressed envelope: `{"v":2,"z":"<base64 of gzip(JSON frames)>"}`. Frames of many devices
 * compress about 4× (field names, peers and packet structure repeat), so one queue message, one
 * SQS 64 KB request unit and one ingest invocation payload carry four times more frames.
 */
export const EnvelopeV2Schema = z.object({ v: z.literal(2), z: z.string() });

/** Packs frames into as few compressed envelope bodies as the size limit allows, keeping order. */
export function packEnvelopes(frames: readonly QueuedFrame[], maxBytes = MAX_ENVELOPE_BYTES): string[] {
  const out: string[] = [];
  const pack = (part: readonly QueuedFrame[], json: string) => {
    const body = JSON.stringify({ v: 2, z: gzipSync(json, { level: 1 }).toString('base64') });
    if (body.length <= maxBytes) out.push(body);
    else if (part.length === 1) throw new Error(`a frame of ${json.length} bytes cannot fit in a queue message`);
    else {
      const a = part.slice(0, part.length >> 1);
      const b = part.slice(part.length >> 1);
      pack(a, JSON.stringify(a));
      pack(b, JSON.stringify(b));
    }
  };
  // plain runs of at most 3× the limit compress below it (measured ratio ≈ 4; halved when not)
  for (const run of runsBySize(frames, maxBytes * 3)) pack(run.frames, `[${run.json.join(',')}]`);
  return out;
}

/** Plain (v1) bodies: frames as JSON, split by size. */
export function packPlain(frames: readonly QueuedFrame[], maxBytes = MAX_ENVELOPE_BYTES): string[] {
  return runsBySize(frames, maxBytes - 20).map((run) => `{"v":1,"frames":[${run.json.join(',')}]}`);
}

/** Consecutive frames whose JSON together stays under `maxBytes`. */
function runsBySize(frames: readonly QueuedFrame[], maxBytes: number): { frames: QueuedFrame[]; json: string[] }[] {
  const runs: { frames: QueuedFrame[]; json: string[] }[] = [];
  let current = { frames: [] as QueuedFrame[], json: [] as string[] };
  let size = 2;
  for (const frame of frames) {
    const json = JSON.stringify(frame);
    if (json.length + 2 > maxBytes) throw new Error(`a frame of ${json.length} bytes cannot fit in a queue message`);
    if (current.frames.length > 0 && size + json.length + 1 > maxBytes) {
      runs.push(current);
      current = { frames: [], json: [] };
      size = 2;
    }
    current.frames.push(frame);
    current.json.push(json);
    size += json.length + 1;
  }
  if (current.frames.length > 0) runs.push(current);
  return runs;
}

/** Reads a queue body: plain (v1) or compressed (v2). */
export function parseEnvelope(body: string): Envelope {
  const raw = JSON.parse(body) as { v?: number };
  if (raw.v === 2) {
    const { z: packed } = EnvelopeV2Schema.parse(raw);
    return EnvelopeSchema.parse({ v: 1, frames: JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString()) });
  }
  return EnvelopeSchema.parse(raw);
}
