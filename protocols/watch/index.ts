import type { ProtocolCodec } from '../common/types.js';
import { PROTOCOL_IDS } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

export const watch: ProtocolCodec = {
  id: PROTOCOL_IDS.watch,
  name: 'watch',
  transports: ['tcp'], // SeTracker: "All GPRS communication, not UDP"
  idleTimeoutS: 900, // LK every 5-8 min once settled (SeTracker Part I §1); one missed LK allowed
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
