import type { Message } from './types.js';

/**
 * The fix every protocol's simulated device reports (protocols/<name>/device.ts): device `n`
 * spread over a grid, report `seq` moving east, at `atMs`. One source, so that `hub simulate` of
 * every protocol draws the same picture and the round-trip tests compare the same values.
 */
export interface SimFix {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
  /** km/h */
  readonly speed: number;
  /** degrees */
  readonly course: number;
  /** m */
  readonly altitude: number;
  readonly satellites: number;
}

export function simFix(n: number, seq: number, atMs: number): SimFix {
  return {
    atMs,
    latitude: 54.6 + (n % 1000) * 1e-3,
    longitude: 25.2 + seq * 1e-5,
    speed: 40,
    course: (seq * 7) % 360,
    altitude: 120,
    satellites: 9,
  };
}

/** The position parameters of a fix as decoders name them (DESIGN §3), narrowed to `fields`. */
export function fixParams(fix: SimFix, fields: readonly (keyof SimFix)[] = ['atMs', 'latitude', 'longitude', 'speed', 'course']): Message {
  const all: Record<keyof SimFix, [string, number]> = {
    atMs: ['timestamp', Math.floor(fix.atMs / 1000)],
    latitude: ['position.latitude', fix.latitude],
    longitude: ['position.longitude', fix.longitude],
    speed: ['position.speed', fix.speed],
    course: ['position.direction', fix.course],
    altitude: ['position.altitude', fix.altitude],
    satellites: ['position.satellites', fix.satellites],
  };
  const out: Message = {};
  for (const f of fields) out[all[f][0]] = all[f][1];
  return out;
}
