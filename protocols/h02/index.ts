import type { ProtocolCodec } from '../common/types.js';
import { decode } from './decoder.js';
import { DEVICE_TYPES } from './device-types.js';
import { encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

export const h02: ProtocolCodec = {
  id: 3,
  name: 'h02',
  transports: ['tcp', 'udp'],
  frame,
  inspect,
  decode,
  encodeCommand,
  deviceTypes: DEVICE_TYPES,
};
