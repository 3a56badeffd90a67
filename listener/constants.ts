/** Idle timeout (s) for a protocol without its own (each codec declares `idleTimeoutS`). */
export const FALLBACK_IDLE_TIMEOUT_S = 600;

/**
 * Bytes a connection may read per second before it is paused for the rest of the second. A
 * tracker sends a few hundred bytes per report and a few KiB per second while emptying its black
 * box; this keeps one fire hose from taking the event loop from thousands of quiet devices.
 */
export const DEFAULT_READ_BUDGET_BYTES_PER_S = 256 * 1024;

/** Frames a connection may send per second (a tracker emptying its black box sends a few dozen). */
export const DEFAULT_FRAME_BUDGET_PER_S = 1000;

/** Frames handled from one connection before the event loop serves the others. */
export const MAX_FRAMES_PER_TURN = 64;

/** Frames of one connection waiting for durability before the socket is paused. */
export const MAX_UNACKED_FRAMES = 256;

/** Bad-input log lines per connection (the rest are counted only). */
export const MAX_ERROR_LOGS = 5;

/** Refused frames (bad CRC, unsupported) a connection may send before it is closed. */
export const MAX_BAD_FRAMES = 32;

/** Listen backlog of every TCP server (capped by the kernel's somaxconn). */
export const LISTEN_BACKLOG = 8192;

/** How often paused (over-budget) connections are resumed (ms). One timer per listener. */
export const BUDGET_TICK_MS = 250;

/**
 * UDP sessions one channel keeps at most (one per device seen within the idle timeout, a few
 * hundred bytes each); beyond, the least recently active is dropped (its device gets a new one
 * with its next datagram).
 */
export const MAX_UDP_SESSIONS = 100_000;
