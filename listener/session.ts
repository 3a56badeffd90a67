import type { Socket } from 'node:net';
import type { ConnectionRecord } from '../core/ports.js';
import type { Channel } from '../core/schemas/channels.js';
import type { CodecOptions, ProtocolCodec, SessionState } from '../protocols/common/types.js';

/** Counters of a listener process, shared by every channel (read by metrics as deltas). */
export interface ListenerCounters {
  bytesIn: number;
  bytesOut: number;
  /** Frames cut from streams, datagrams and requests. */
  frames: number;
  /** Framing and inspection errors (bad input). */
  decodeErrors: number;
  /** Frames the queue refused (no ack sent). */
  ackErrors: number;
}

export function newCounters(): ListenerCounters {
  return { bytesIn: 0, bytesOut: 0, frames: 0, decodeErrors: 0, ackErrors: 0 };
}

/** Listener-wide context shared by the connections of one channel. */
export interface ChannelContext {
  readonly channel: Channel;
  readonly protocol: ProtocolCodec;
  readonly options: CodecOptions;
  readonly listenerId: string;
  /** A connection that completes no frame for this long is closed (ms). */
  readonly idleMs: number;
  /** Bytes a connection may read per second before it is paused. */
  readonly readBudget: number;
  /** Frames a connection may send per second before it is paused. */
  readonly frameBudget: number;
  readonly counters: ListenerCounters;
}

/** A live session with the channel it belongs to. */
export interface LiveSession {
  readonly session: Session;
  readonly ctx: ChannelContext;
}

/** A connection as the connection table shows it (the core's record). */
export type ConnectionInfo = ConnectionRecord;

export interface Session {
  readonly id: string;
  readonly state: SessionState;
  readonly peer: string;
  readonly established: number;
  lastActive: number;
  bytesIn: number;
  bytesOut: number;
  framesIn: number;
  /**
   * Commands wait for the device's next frame instead of going out when the dispatcher polls: a
   * UDP device can only be reached right after it sent a datagram (its NAT mapping is open then).
   */
  readonly deferred?: boolean;
  /** Bytes to the device (commands). */
  write(bytes: Buffer): void;
  close(reason: string): void;
  readonly socket?: Socket;
}

export function connectionInfo(channelId: number, s: Session): ConnectionInfo {
  return {
    id: s.id,
    channel_id: channelId,
    ident: s.state.ident ?? null,
    peer: s.peer,
    established: s.established,
    last_active: s.lastActive,
    bytes_in: s.bytesIn,
    bytes_out: s.bytesOut,
    frames_in: s.framesIn,
  };
}
