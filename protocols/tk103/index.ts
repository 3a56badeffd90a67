import type { ProtocolCodec } from '../common/types.js';
import { PROTOCOL_IDS } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

export const tk103: ProtocolCodec = {
  id: PROTOCOL_IDS.tk103,
  name: 'tk103',
  transports: ['tcp', 'udp'],
  idleTimeoutS: 300, // §1: a BP00 handshake at the unit's configured interval (no default documented); as gps103
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
