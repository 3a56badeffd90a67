import type { ProtocolCodec } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

export const galileosky: ProtocolCodec = {
  id: 9,
  name: 'galileosky',
  transports: ['tcp'],
  idleTimeoutS: 600,
  frame,
  inspect,
  decode: (frame, ctx) => decode(frame, ctx),
  encodeCommand: (command, state) => encodeCommand(command, state),
  correlate: (command) => String(command.id ?? 0),
  deviceTypes: DEVICE_TYPES,
  simulator,
};
