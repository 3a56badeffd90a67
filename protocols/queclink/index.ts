import type { ProtocolCodec } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

/** Queclink @Track (Traccar `gl200`): text `+RESP/+BUFF/+ACK` and binary HEX-mode reports over TCP or UDP. */
export const queclink: ProtocolCodec = {
  id: 6,
  name: 'queclink',
  transports: ['tcp', 'udp'],
  idleTimeoutS: 900, // GTHBD heartbeat default 15 min
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
