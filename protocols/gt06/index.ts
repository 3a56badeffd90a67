import type { ProtocolCodec } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

export const gt06: ProtocolCodec = {
  id: 2,
  name: 'gt06',
  transports: ['tcp'],
  idleTimeoutS: 400, // heartbeat 0x13 every 3-5 min
  frame,
  inspect,
  decode,
  encodeCommand: (command) => encodeCommand(command),
  /** The hub command id travels in the 0x80 server flag, which the device echoes in its 0x15/0x21 answer. */
  correlate: (command) => (command.id !== undefined && command.id >>> 0 !== 0 ? String(command.id >>> 0) : undefined),
  deviceTypes: DEVICE_TYPES,
  simulator,
};
