import type { ProtocolCodec } from '../common/types.js';
import { decode } from './decoder.js';
import { DEVICE_TYPES } from './device-types.js';
import { encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

export const ruptela: ProtocolCodec = {
  id: 7,
  name: 'ruptela',
  transports: ['tcp'],
  frame,
  inspect,
  decode,
  encodeCommand: (command) => encodeCommand(command),
  deviceTypes: DEVICE_TYPES,
};
