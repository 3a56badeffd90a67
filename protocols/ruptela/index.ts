import type { ProtocolCodec } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

export const ruptela: ProtocolCodec = {
  id: 7,
  name: 'ruptela',
  transports: ['tcp'],
  idleTimeoutS: 600, // heartbeat (16) every few minutes
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
