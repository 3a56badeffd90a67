import type { ProtocolCodec } from '../common/types.js';
import { PROTOCOL_IDS } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

export const meiligao: ProtocolCodec = {
  id: PROTOCOL_IDS.meiligao,
  name: 'meiligao',
  transports: ['tcp', 'udp'],
  idleTimeoutS: 600, // no keep-alive period documented (0x5199 sets it, in minutes); 10 min as for Meitrack, the same vendor's later protocol
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
