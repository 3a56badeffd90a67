import type { ProtocolCodec } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

export const wialonIps: ProtocolCodec = {
  id: 8,
  name: 'wialon_ips',
  transports: ['tcp', 'udp'],
  idleTimeoutS: 300, // #P# pings every 1-4 min
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
