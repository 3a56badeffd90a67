import type { ProtocolCodec } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';
import { FastRecords } from './records/fast-path.js';

/** The generated AVL record decoders of the shapes this codec has seen (its own cache). */
const fastRecords = new FastRecords();

export const teltonika: ProtocolCodec = {
  id: 1,
  name: 'teltonika',
  transports: ['tcp', 'udp'],
  idleTimeoutS: 600, // records every 1-10 min; FMB "Open link timeout" up to 300 s between
  frame,
  inspect,
  decode: (bytes, ctx) => decode(bytes, ctx, fastRecords),
  decodeInspected: (bytes, ctx, inspection) => decode(bytes, ctx, fastRecords, inspection),
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
