import type { ProtocolCodec } from '../common/types.js';
import { PROTOCOL_IDS } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

export const castel: ProtocolCodec = {
  id: PROTOCOL_IDS.castel,
  name: 'castel',
  transports: ['tcp', 'udp'],
  idleTimeoutS: 600, // heartbeat 0x1003 at the unit's configured interval; parked (ACC off) units report seldom
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
