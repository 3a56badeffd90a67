import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';

/**
 * One frame as the hub's code holds it: what a listener hands to ingest, with the context its
 * decoder needs. The queue carries it in its wire form (`WireFrame`, short names); only the
 * envelope functions below map between the two (`toWire`, `fromWire`).
 */
export interface QueuedFrame {
  /** Channel the frame arrived on. Wire `ch`. */
  readonly channelId: number;
  /** Protocol id of the channel. Wire `p`. */
  readonly protocolId: number;
  /** Transport the frame came over. Wire `t`. */
  readonly transport: 'tcp' | 'udp' | 'http';
  /** Device ident known to the session, if any. Wire `id`. */
  readonly ident?: string;
  /** Device address `ip:port`. Wire `peer`. */
  readonly peer: string;
  /** Server receive time, epoch seconds. Wire `ts`. */
  readonly receivedAt: number;
  /** Session values the decoder needs. Wire `v`. */
  readonly session?: Readonly<Record<string, string | number | boolean>>;
  /** The raw frame, base64 (empty for a connection event). Wire `f`. */
  readonly frame: string;
  /** Correlation id, carried into logs of ingest and streams. Wire `cid`. */
  readonly correlationId?: string;
  /** A connection event instead of a frame: the device `ident` came online or went offline at `receivedAt`. Wire `e`. */
  readonly event?: 'online' | 'offline';
}

/**
 * A frame on the wire: in SQS bodies, the local journal and dead-letter bodies. The short names
 * keep queue messages small; they are a contract with messages in flight and journals on disk,
 * so they never change (see `QueuedFrame` for what each holds).
 */
export const WireFrameSchema = z.object({
  ch: z.number().int().positive(),
  p: z.number().int().positive(),
  t: z.enum(['tcp', 'udp', 'http']),
  id: z.string().max(64).optional(),
  peer: z.string().max(64),
  ts: z.number(),
  v: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  f: z.string(),
  cid: z.string().max(64).optional(),
  e: z.enum(['online', 'offline']).optional(),
});
export type WireFrame = z.infer<typeof WireFrameSchema>;

/** The wire form of a frame (absent optional fields stay out of its JSON). */
export function toWire(q: QueuedFrame): WireFrame {
  return {
    ch: q.channelId,
    p: q.protocolId,
    t: q.transport,
    id: q.ident,
    peer: q.peer,
    ts: q.receivedAt,
    v: q.session,
    f: q.frame,
    cid: q.correlationId,
    e: q.event,
  };
}

/** The code's form of a frame read from the wire. */
export function fromWire(w: WireFrame): QueuedFrame {
  return {
    channelId: w.ch,
    protocolId: w.p,
    transport: w.t,
    ident: w.id,
    peer: w.peer,
    receivedAt: w.ts,
    session: w.v,
    frame: w.f,
    correlationId: w.cid,
    event: w.e,
  };
}

const WireEnvelopeSchema = z.object({
  v: z.literal(1),
  frames: z.array(WireFrameSchema).min(1),
});

/** A queue message as read: its frames, in order. */
export interface Envelope {
  readonly v: 1;
  readonly frames: QueuedFrame[];
}

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
      pack(a, JSON.stringify(a.map(toWire)));
      pack(b, JSON.stringify(b.map(toWire)));
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
    const json = JSON.stringify(toWire(frame));
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

/** Reads a queue body: plain (v1) or compressed (v2), validated on the wire names. */
export function parseEnvelope(body: string): Envelope {
  const raw = JSON.parse(body) as { v?: number };
  let wire: z.infer<typeof WireEnvelopeSchema>;
  if (raw.v === 2) {
    const { z: packed } = EnvelopeV2Schema.parse(raw);
    wire = WireEnvelopeSchema.parse({ v: 1, frames: JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString()) });
  } else wire = WireEnvelopeSchema.parse(raw);
  return { v: 1, frames: wire.frames.map(fromWire) };
}
