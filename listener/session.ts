import type { Socket } from 'node:net';
import type { Channel } from '../core/schemas/channels.js';
import type { CodecOptions, ProtocolCodec, SessionState } from '../protocols/common/types.js';

/** Listener-wide context shared by the connections of one channel. */
export interface ChannelContext {
  readonly channel: Channel;
  readonly protocol: ProtocolCodec;
  readonly options: CodecOptions;
  readonly listenerId: string;
}

/** A connection as the connection table shows it. */
export interface ConnectionInfo {
  readonly id: string;
  readonly channel_id: number;
  readonly ident: string | null;
  readonly peer: string;
  readonly established: number;
  readonly last_active: number;
  readonly bytes_in: number;
  readonly bytes_out: number;
  readonly frames_in: number;
}

export interface Session {
  readonly id: string;
  readonly state: SessionState;
  readonly peer: string;
  readonly established: number;
  lastActive: number;
  bytesIn: number;
  bytesOut: number;
  framesIn: number;
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
